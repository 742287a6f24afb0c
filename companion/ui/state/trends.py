"""Trends: the figures and their one-sentence summaries for the chosen range."""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go  # type: ignore[import-untyped]
import reflex as rx

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
            # An empty chart is never sent: the summary says what to log instead.
            setattr(self, f"{name}_figure", chart.figure if chart.figure else go.Figure())
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
