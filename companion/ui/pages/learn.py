"""/learn grouped by stage, and one static page per article at /learn/<slug>."""

from __future__ import annotations

from collections.abc import Callable

import reflex as rx

from companion import routes
from companion.clinical import format_short_date
from companion.content import ARTICLES_BY_SLUG, NOT_MEDICAL_ADVICE, STAGE_GROUPS, Article
from companion.ui.components.markdown import markdown_to_components
from companion.ui.components.shell import page_shell
from companion.ui.state.learn import LearnState


def _entry(article: Article) -> rx.Component:
    is_read = LearnState.read.contains(article.slug)
    return rx.el.li(
        rx.link(article.title, href=routes.article(article.slug), weight="bold", size="4"),
        # The mark's place is kept beside every title: it arrives after the list is shown,
        # and must not push the list down when it does.
        rx.el.span(
            rx.cond(is_read, rx.el.span("Read", class_name="read-badge")), class_name="read-slot"
        ),
        rx.text(article.summary, size="2", class_name="muted learn-summary"),
        class_name="learn-entry",
    )


def learn_page() -> rx.Component:
    return page_shell(
        rx.text(
            "Plain-language articles about ketamine treatment, written for this app, each with "
            "its sources. General information, not medical advice.",
            class_name="muted",
            margin_bottom="16px",
        ),
        *[
            rx.el.section(
                rx.heading(heading, as_="h2", size="5"),
                rx.el.ul(
                    *[_entry(ARTICLES_BY_SLUG[slug]) for slug in slugs], class_name="plain-list"
                ),
                class_name="stack-tight",
                margin_bottom="24px",
            )
            for heading, slugs in STAGE_GROUPS
        ],
        title="Learn",
        active=routes.LEARN,
    )


def article_page(article: Article) -> Callable[[], rx.Component]:
    """A page for one article: its text is compiled in, nothing is fetched."""

    def page() -> rx.Component:
        reviewed = f"{format_short_date(article.reviewed)} {article.reviewed.year}"
        return page_shell(
            rx.el.article(
                rx.text(article.summary, size="4", class_name="lead"),
                rx.text(f"Last reviewed {reviewed}", size="2", class_name="muted"),
                rx.el.div(*markdown_to_components(article.body), class_name="prose"),
                rx.el.aside(rx.text(NOT_MEDICAL_ADVICE, weight="medium"), class_name="note"),
                rx.el.section(
                    rx.heading("Sources", as_="h2", size="4"),
                    rx.el.ol(
                        *[
                            rx.el.li(
                                rx.link(
                                    source.title,
                                    href=source.url,
                                    is_external=True,
                                    rel="noopener noreferrer",
                                )
                            )
                            for source in article.sources
                        ],
                        class_name="sources",
                    ),
                ),
                rx.el.div(
                    # Back to the page the patient came from (Today, Learn, another article):
                    # assets/js/actions.js; the Learn list when there is none.
                    rx.link("Back", href=routes.LEARN, custom_attrs={"data-kc-back": ""}),
                    rx.link("All articles", href=routes.LEARN),
                    class_name="urgent-links",
                ),
                class_name="stack",
            ),
            title=article.title,
            active=routes.LEARN,
        )

    page.__name__ = f"article_{article.slug.replace('-', '_')}"
    return page
