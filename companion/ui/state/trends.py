"""Trends: the figures and their one-sentence summaries for the chosen range."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import plotly.io as pio  # type: ignore[import-untyped]
import reflex as rx

from companion import routes
from companion.charts.svg import MOOD_IMAGE_WIDTHS, mood_svg_height
from companion.data.db import session_scope
from companion.summary import RANGES, ChartView, build_trends
from companion.ui.state.base import AppState

CHARTS = ("mood", "phq9", "gad7", "response", "wellbeing", "side_effects")
# Drawn by Plotly in the browser; the mood chart is drawn on the server (mood_image).
PLOTTED = CHARTS[1:]
NO_FIGURE: dict[str, Any] = {"data": [], "layout": {}}


def mood_image_for(range_key: str, heights: dict[int, int]) -> dict[str, str]:
    """The mood chart's addresses for range_key and its drawings' heights, by width."""
    image: dict[str, str] = {}
    for width in MOOD_IMAGE_WIDTHS:
        image[f"src{width}"] = routes.trends_mood_svg(range_key, width)
        image[f"height{width}"] = str(heights[width])
    return image


# Before the first load: the range a new visit shows, at the height of a chart with no infusion
# in its legend. The page's HTML holds it, so a phone asks for the drawing with the page and
# shows it before the app's scripts have run; a longer legend only makes the image taller.
FIRST_MOOD_IMAGE = mood_image_for(
    "1M",
    {w: mood_svg_height((), date(2000, 1, 1), date(2000, 1, 31), w) for w in MOOD_IMAGE_WIDTHS},
)


def plain(figure: Any) -> dict[str, Any]:
    """A figure as the JSON the browser gets (what Reflex's own serializer makes of it): a tab
    keeps that, not plotly's object tree, which holds over twice the memory per tab and is
    converted again on every update."""
    return json.loads(pio.to_json(figure))


class TrendsState(AppState):
    range_key: str = "1M"
    phq9_figure: dict[str, Any] = NO_FIGURE
    gad7_figure: dict[str, Any] = NO_FIGURE
    response_figure: dict[str, Any] = NO_FIGURE
    wellbeing_figure: dict[str, Any] = NO_FIGURE
    side_effects_figure: dict[str, Any] = NO_FIGURE
    # The mood chart is an image (companion.api.trends_chart): its address for a phone's and a
    # wide screen's drawing ("src300", "src640") and each one's height ("height300", ...).
    mood_image: dict[str, str] = FIRST_MOOD_IMAGE
    summaries: dict[str, str] = {}
    shown: dict[str, bool] = {}
    durability_line: str = ""
    period: str = ""
    error: str = ""

    def _fill(self, patient_id: int) -> None:
        with session_scope() as session:
            view = build_trends(session, patient_id, self.range_key)
        summaries: dict[str, str] = {}
        shown: dict[str, bool] = {}
        for name in CHARTS:
            chart: ChartView = getattr(view, name)
            summaries[name] = chart.summary
            shown[name] = chart.figure is not None
            if name in PLOTTED:
                # An empty chart is never sent: the summary says what to log instead.
                figure = plain(chart.figure) if chart.figure else NO_FIGURE
                setattr(self, f"{name}_figure", figure)
        mood = view.mood_data
        self.mood_image = mood_image_for(
            self.range_key,
            {
                w: mood_svg_height(mood.marks, mood.start, mood.end, w) if mood else 0
                for w in MOOD_IMAGE_WIDTHS
            },
        )
        self.summaries = summaries
        self.shown = shown
        self.durability_line = view.durability_line
        self.period = f"{view.start:%-d %b %Y} to {view.end:%-d %b %Y}"

    @rx.event
    def load(self):
        patient_id = self._require_patient()
        if patient_id is None:
            return self._to_login()
        self._fill(patient_id)
        return None

    @rx.event
    def choose_range(self, key: Any):
        patient_id = self._require_patient()
        if patient_id is None:
            return self._to_login()
        if not isinstance(key, str) or key not in RANGES:
            self.error = f"Choose one of the ranges: {', '.join(RANGES)}."
            return None
        self.error = ""
        self.range_key = key
        self._fill(patient_id)
        return None
