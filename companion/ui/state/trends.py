"""Trends: the figures and their one-sentence summaries for the chosen range."""

from __future__ import annotations

import json
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
    # wide screen's drawing ("src360", "src640") and each one's height ("height360", ...).
    mood_image: dict[str, str] = {}
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
        image: dict[str, str] = {}
        for width in MOOD_IMAGE_WIDTHS:
            image[f"src{width}"] = routes.trends_mood_svg(self.range_key, width)
            height = mood_svg_height(mood.marks, mood.start, mood.end, width) if mood else 0
            image[f"height{width}"] = str(height)
        self.mood_image = image
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
