"""/trends: mood with infusions, PHQ-9/GAD-7 on their bands, infusion response, and more."""

from __future__ import annotations

import reflex as rx

from companion import routes
from companion.charts import CONFIG
from companion.summary import RANGES
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
    summary_id = f"{name}-summary"
    return rx.el.section(
        rx.heading(title, as_="h2", size="4"),
        rx.el.p(TrendsState.summaries[name], id=summary_id, class_name="chart-summary"),
        rx.cond(
            TrendsState.shown[name],
            rx.el.div(
                rx.plotly.basic(
                    data=figure,
                    config=CONFIG,
                    use_resize_handler=True,
                    style={"width": "100%"},
                ),
                class_name="chart",
                role="img",
                aria_labelledby=summary_id,
            ),
        ),
        class_name="card stack-tight chart-card",
        aria_label=title,
    )


def trends_page() -> rx.Component:
    return page_shell(
        rx.el.div(
            _range_buttons(),
            rx.cond(TrendsState.error != "", form_error(TrendsState.error)),
            rx.text(TrendsState.period, size="2", class_name="muted"),
            rx.cond(
                TrendsState.durability_line != "",
                rx.el.p(TrendsState.durability_line, class_name="durability-line"),
            ),
            _chart("mood", "Mood by day", TrendsState.mood_figure),
            _chart("response", "How each infusion worked", TrendsState.response_figure),
            _chart("phq9", "PHQ-9 (depression)", TrendsState.phq9_figure),
            _chart("gad7", "GAD-7 (anxiety)", TrendsState.gad7_figure),
            _chart("wellbeing", "Sleep, anxiety, energy and pain", TrendsState.wellbeing_figure),
            _chart("side_effects", "Side effects per infusion", TrendsState.side_effects_figure),
            class_name="stack",
        ),
        title="Trends",
        active=routes.TRENDS,
        wide=True,
    )
