"""Trends: the figures and their one-sentence summaries for the chosen range."""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go  # type: ignore[import-untyped]
import reflex as rx

from companion import routes
from companion.charts.svg import MOOD_IMAGE_WIDTHS, mood_svg_height
from companion.data.db import session_scope
from companion.summary import RANGES, ChartView, build_trends
from companion.ui.state.base import AppState

CHARTS = ("mood", "phq9", "gad7", "response", "wellbeing", "side_effects")


class TrendsState(AppState):
    range_key: str = "1M"
    mood_figure: go.Figure = go.Figure()
    phq9_figure: go.Figure = go.Figure()
    gad7_figure: go.Figure = go.Figure()
    response_figure: go.Figure = go.Figure()
    wellbeing_figure: go.Figure = go.Figure()
    side_effects_figure: go.Figure = go.Figure()
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
            # An empty chart is never sent: the summary says what to log instead; nor is the mood
            # figure, drawn on the server as mood_image.
            figure = chart.figure if chart.figure and name != "mood" else go.Figure()
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
