"""/trends: mood with infusions, PHQ-9/GAD-7 on their bands, infusion response, and more."""

from __future__ import annotations

import reflex as rx

from companion import routes
from companion.summary import RANGES, TRENDS_TITLES
from companion.ui.components.chart import chart_image, chart_image_preloads, lazy_plot
from companion.ui.components.forms import form_error
from companion.ui.components.shell import page_shell
from companion.ui.state.trends import TrendsState


def _range_buttons() -> rx.Component:
    return rx.el.div(
        rx.el.p("Range", id="range-caption", class_name="field-caption visually-hidden"),
        rx.el.div(
            *[
                rx.button(
                    key,
                    type="button",
                    size="3",
                    variant=rx.cond(TrendsState.range_key == key, "solid", "soft"),
                    color_scheme=rx.cond(TrendsState.range_key == key, "teal", "gray"),
                    aria_pressed=rx.cond(TrendsState.range_key == key, "true", "false"),
                    on_click=TrendsState.choose_range(key),
                    class_name="range-button",
                )
                for key in RANGES
            ],
            role="group",
            aria_labelledby="range-caption",
            class_name="range-row",
        ),
    )


def _explore_button(name: str) -> rx.Component:
    """Swaps the chart's picture for one drawn by Plotly, where a tap on a day gives its values
    (and back): Plotly is fetched only then, for the one chart asked for."""
    exploring = TrendsState.exploring == name
    return rx.el.button(
        rx.cond(exploring, "Done exploring", "Explore each day's values"),
        type="button",
        on_click=TrendsState.explore(rx.cond(exploring, "", name)),
        aria_pressed=rx.cond(exploring, "true", "false"),
        # Its words, then whose: six such buttons read apart in a screen reader's list.
        aria_label=rx.cond(
            exploring,
            f"Done exploring: {TRENDS_TITLES[name]}",
            f"Explore each day's values: {TRENDS_TITLES[name]}",
        ),
        class_name="download explore-button",
    )


def _plot_or_picture(
    name: str, image: rx.Var, alt: rx.Var, *, lazy: bool, explorable: rx.Var | None = None
) -> rx.Component:
    """The chart's picture, or while it is explored its Plotly drawing, then the button (only
    while `explorable`, when given)."""
    summary_id = f"{name}-summary"
    button = _explore_button(name)
    return rx.fragment(
        rx.cond(
            TrendsState.exploring == name,
            lazy_plot(TrendsState.explored_figure, summary_id),
            chart_image(image, alt, lazy=lazy),
        ),
        button if explorable is None else rx.cond(explorable, button),
    )


def _chart(name: str, title: str, image: rx.Var) -> rx.Component:
    """A chart card: its title, its one-sentence summary, and the chart, a picture drawn on the
    server, fetched as it nears the screen."""
    summary_id = f"{name}-summary"
    return rx.el.section(
        rx.heading(title, as_="h2", size="4"),
        rx.el.p(TrendsState.summaries[name], id=summary_id, class_name="chart-summary"),
        rx.cond(
            TrendsState.shown[name],
            _plot_or_picture(name, image, TrendsState.summaries[name], lazy=True),
        ),
        class_name="card stack-tight chart-card",
        aria_label=title,
    )


def _mood_chart() -> rx.Component:
    """The first chart, drawn on the server as an image, so it needs no Plotly. It is in the
    page's HTML before any data come (the drawing is the signed-in patient's, by the session
    cookie): a phone shows it as soon as the page paints, not after the app's scripts, its
    socket and its data. Nothing above it waits for data, so nothing moves when they come;
    its summary, under it, comes with them, and a patient with no mood logged then sees no
    image but what to do next."""
    loading = TrendsState.period == ""
    return rx.el.section(
        rx.heading(TRENDS_TITLES["mood"], as_="h2", size="4"),
        # One picture from the HTML to the loaded page (a new one would fetch the drawing again).
        rx.cond(
            loading | TrendsState.shown["mood"].to(bool),
            _plot_or_picture(
                "mood",
                TrendsState.mood_image,
                rx.cond(loading, "Your mood by day", TrendsState.summaries["mood"]),
                lazy=False,
                explorable=~loading,
            ),
        ),
        rx.cond(
            loading,
            rx.el.p("Loading your charts…", class_name="muted trends-loading"),
            rx.el.p(TrendsState.summaries["mood"], id="mood-summary", class_name="chart-summary"),
        ),
        class_name="card stack-tight chart-card",
        aria_label=TRENDS_TITLES["mood"],
    )


CHARTS: list[tuple[str, rx.Var]] = [
    ("response", TrendsState.response_image),
    ("phq9", TrendsState.phq9_image),
    ("gad7", TrendsState.gad7_image),
    ("wellbeing", TrendsState.wellbeing_image),
    ("side_effects", TrendsState.side_effects_image),
]


def _next_step() -> rx.Component:
    """With nothing to chart yet, what to log first, as buttons rather than only words."""
    return rx.cond(
        TrendsState.shown["mood"],
        rx.fragment(),
        rx.el.section(
            rx.heading("Nothing to chart yet", as_="h2", size="4"),
            rx.text("Your charts fill in as you log. Start with today's mood: two taps."),
            rx.el.div(
                rx.link("Check in now", href=routes.CHECKIN, class_name="primary-link"),
                rx.cond(
                    TrendsState.shown["phq9"],
                    rx.fragment(),
                    rx.link("Take a PHQ-9", href=routes.PHQ9, class_name="download"),
                ),
                class_name="setup-buttons",
            ),
            class_name="card stack-tight",
            aria_label="What to do next",
        ),
    )


def trends_page() -> rx.Component:
    return page_shell(
        rx.el.div(
            chart_image_preloads(TrendsState.get_fields()["range_key"].default),
            _range_buttons(),
            rx.cond(TrendsState.error != "", form_error(TrendsState.error)),
            _mood_chart(),
            # Below the mood chart, nothing until the first load's data are here (the period is
            # set with them): the cards then come in whole, at their final size, and move
            # nothing above them.
            rx.cond(
                TrendsState.period != "",
                rx.el.div(
                    rx.text(TrendsState.period, size="2", class_name="muted"),
                    _next_step(),
                    rx.cond(
                        TrendsState.durability_line != "",
                        rx.el.p(TrendsState.durability_line, class_name="durability-line"),
                    ),
                    *[_chart(name, TRENDS_TITLES[name], image) for name, image in CHARTS],
                    class_name="stack",
                ),
            ),
            class_name="stack",
        ),
        title="Trends",
        active=routes.TRENDS,
        wide=True,
    )
