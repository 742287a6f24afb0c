"""/: today's status, phase, what is due (with links), PHQ-9 progress and one article."""

from __future__ import annotations

import reflex as rx

from companion import routes
from companion.ui.components.crisis import safety_plan_card
from companion.ui.components.placeholder import placeholder_cards
from companion.ui.components.shell import help_link_content, page_shell
from companion.ui.state.today import TodayState


def _card(*children: rx.Component, label: str) -> rx.Component:
    return rx.el.section(*children, class_name="card stack-tight", aria_label=label)


def _due_item(item: rx.Var) -> rx.Component:
    return rx.el.li(
        rx.el.div(
            rx.text(item["title"], weight="bold"),
            rx.text(item["reason"], size="2", class_name="muted"),
        ),
        rx.link(item["action"], href=item["href"], class_name="due-action", underline="none"),
        class_name="due-item",
    )


def _today() -> rx.Component:
    return rx.el.div(
        rx.text(TodayState.date_line, size="3", class_name="muted"),
        rx.cond(
            TodayState.safety_recent,
            _card(
                rx.heading("For the next few days", as_="h2", size="4"),
                rx.text(
                    "You noted thoughts of suicide or self-harm in the last few days. "
                    "Nobody watches entries in real time, so your plan and where to get "
                    "help come first here."
                ),
                rx.link(
                    help_link_content(),
                    href=routes.HELP,
                    reload_document=True,
                    underline="none",
                    class_name="help-link today-help",
                ),
                safety_plan_card(),
                label="For the next few days",
            ),
        ),
        _card(
            rx.heading("Your check-in", as_="h2", size="4"),
            rx.text(TodayState.checkin_line),
            rx.cond(
                TodayState.checkin_done,
                rx.link("Change today's check-in", href=routes.CHECKIN),
            ),
            label="Your check-in",
        ),
        _card(
            rx.heading("Treatment", as_="h2", size="4"),
            rx.text(TodayState.phase_line, weight="medium"),
            rx.cond(TodayState.outlook_line != "", rx.text(TodayState.outlook_line)),
            rx.cond(TodayState.next_planned != "", rx.text(TodayState.next_planned)),
            # Nothing logged or planned yet: the set-up asks for the infusions so far and next.
            rx.cond(
                TodayState.phase_line.contains("no infusions yet"),
                rx.link(
                    "Add your infusion dates",
                    href=routes.setup_step("infusions"),
                    class_name="primary-link",
                ),
                rx.link("Your infusions", href=routes.INFUSIONS),
            ),
            label="Treatment",
        ),
        _card(
            rx.heading("Due now", as_="h2", size="4"),
            rx.cond(
                TodayState.due.length() > 0,
                rx.el.ul(rx.foreach(TodayState.due, _due_item), class_name="due-list"),
                rx.text("Nothing else is due today.", class_name="muted"),
            ),
            rx.text(
                "You can take a ",
                rx.link("PHQ-9", href=routes.PHQ9),
                " or ",
                rx.link("GAD-7", href=routes.GAD7),
                " at any time.",
                size="2",
                class_name="muted",
            ),
            label="Due now",
        ),
        rx.cond(
            TodayState.has_outcome,
            _card(
                rx.heading("Is treatment working?", as_="h2", size="4"),
                rx.text(TodayState.verdict, weight="bold"),
                rx.text(TodayState.baseline_line),
                rx.text(TodayState.latest_line),
                label="Is treatment working?",
            ),
        ),
        rx.cond(
            TodayState.article_href != "",
            _card(
                rx.text(TodayState.article_reason, size="2", class_name="muted"),
                rx.heading(
                    rx.link(TodayState.article_title, href=TodayState.article_href),
                    as_="h2",
                    size="4",
                ),
                rx.text(TodayState.article_summary),
                label="Suggested reading",
            ),
        ),
        class_name="stack",
    )


def today_page() -> rx.Component:
    # Placeholders until the day is in, then all of it at once: nothing shown first moves.
    return page_shell(
        rx.cond(TodayState.loaded, _today(), placeholder_cards("7em", "9em", "9em")),
        title="Today",
        active=routes.TODAY,
    )
