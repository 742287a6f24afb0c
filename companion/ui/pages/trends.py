"""/trends: mood with infusions, PHQ-9/GAD-7 on their bands, infusion response, and more."""

from __future__ import annotations

import reflex as rx

from companion import routes
from companion.summary import RANGES
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


def _chart(name: str, title: str, figure: rx.Var) -> rx.Component:
    """A chart card: its title, its one-sentence summary, and the chart, drawn by Plotly once
    it is scrolled to."""
    summary_id = f"{name}-summary"
    return rx.el.section(
        rx.heading(title, as_="h2", size="4"),
        rx.el.p(TrendsState.summaries[name], id=summary_id, class_name="chart-summary"),
        rx.cond(TrendsState.shown[name], lazy_plot(figure, summary_id)),
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
        rx.heading("Mood by day", as_="h2", size="4"),
        rx.cond(
            loading | TrendsState.shown["mood"].to(bool),
            chart_image(
                TrendsState.mood_image,
                rx.cond(loading, "Your mood by day", TrendsState.summaries["mood"]),
            ),
        ),
        rx.cond(
            loading,
            rx.el.p("Loading your charts…", class_name="muted trends-loading"),
            rx.el.p(TrendsState.summaries["mood"], id="mood-summary", class_name="chart-summary"),
        ),
        class_name="card stack-tight chart-card",
        aria_label="Mood by day",
    )


CHARTS: list[tuple[str, str, rx.Var]] = [
    ("response", "How each infusion worked", TrendsState.response_figure),
    ("phq9", "PHQ-9 (depression)", TrendsState.phq9_figure),
    ("gad7", "GAD-7 (anxiety)", TrendsState.gad7_figure),
    ("wellbeing", "Sleep, anxiety, energy and pain", TrendsState.wellbeing_figure),
    ("side_effects", "Side effects per infusion", TrendsState.side_effects_figure),
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
                    *[_chart(name, title, figure) for name, title, figure in CHARTS],
                    class_name="stack",
                ),
            ),
            class_name="stack",
        ),
        title="Trends",
        active=routes.TRENDS,
        wide=True,
    )
