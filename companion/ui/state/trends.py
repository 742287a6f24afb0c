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
from companion.summary import (
    RANGES,
    ChartView,
    build_trends,
    keep_for_pictures,
    view_for_pictures,
)
from companion.ui.state.base import AppState

CHARTS = ("mood", "phq9", "gad7", "response", "wellbeing", "side_effects")
NO_FIGURE: dict[str, Any] = {"data": [], "layout": {}}


def image_for(
    chart: str, range_key: str, heights: dict[int, int], view: str = ""
) -> dict[str, str]:
    """A chart's addresses for range_key (drawn from the kept `view`) and its drawings'
    heights, by width."""
    image: dict[str, str] = {}
    for width in MOOD_IMAGE_WIDTHS:
        image[f"src{width}"] = routes.trends_chart_svg(chart, range_key, width, view)
        image[f"height{width}"] = str(heights[width])
    return image


# Before the first load: the range a new visit shows, at the height of a chart with no infusion
# in its legend. The page's HTML holds it, so a phone asks for the drawing with the page and
# shows it before the app's scripts have run; a longer legend only makes the image taller.
FIRST_MOOD_IMAGE = image_for(
    "mood",
    "1M",
    {w: mood_svg_height((), date(2000, 1, 1), date(2000, 1, 31), w) for w in MOOD_IMAGE_WIDTHS},
)
NO_IMAGE: dict[str, str] = {}


def plain(figure: Any) -> dict[str, Any]:
    """A figure as the JSON the browser gets (what Reflex's own serializer makes of it): a tab
    keeps that, not plotly's object tree, which holds over twice the memory per tab and is
    converted again on every update."""
    return json.loads(pio.to_json(figure))


class TrendsState(AppState):
    range_key: str = "1M"
    # Every chart is an image drawn on the server (companion.api.trends_chart): its address for
    # a phone's and wider screens' drawings ("src300", "src640") and each one's height
    # ("height300", ...), so its card keeps its size before it comes.
    mood_image: dict[str, str] = FIRST_MOOD_IMAGE
    phq9_image: dict[str, str] = NO_IMAGE
    gad7_image: dict[str, str] = NO_IMAGE
    response_image: dict[str, str] = NO_IMAGE
    wellbeing_image: dict[str, str] = NO_IMAGE
    side_effects_image: dict[str, str] = NO_IMAGE
    # The one chart the patient asked to explore (each day's values on a tap), drawn by Plotly,
    # and its figure: Plotly is fetched only then.
    exploring: str = ""
    explored_figure: dict[str, Any] = NO_FIGURE
    summaries: dict[str, str] = {}
    shown: dict[str, bool] = {}
    durability_line: str = ""
    period: str = ""
    error: str = ""

    # The id the view behind the pictures is kept under (summary.keep_for_pictures): exploring a
    # chart takes its figure from that view, so the pictures keep their addresses.
    _kept: str = ""

    def _fill(self, patient_id: int) -> None:
        with session_scope() as session:
            view = build_trends(session, patient_id, self.range_key)
        kept = self._kept = keep_for_pictures(patient_id, view)
        summaries: dict[str, str] = {}
        shown: dict[str, bool] = {}
        for name in CHARTS:
            chart: ChartView = getattr(view, name)
            summaries[name] = chart.summary
            shown[name] = chart.shown
            # An empty chart is never drawn: the summary says what to log instead.
            heights = {w: chart.height(w) if chart.height else 0 for w in MOOD_IMAGE_WIDTHS}
            # The mood picture's address stays the one the page's HTML asked for with it: it
            # is drawn from the record (its own data alone), quickly.
            view_id = "" if name == "mood" else kept
            setattr(self, f"{name}_image", image_for(name, self.range_key, heights, view_id))
            if name == self.exploring:
                self._show_figure(chart)
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

    @rx.event
    def explore(self, name: Any):
        """Shows the chart `name` drawn by Plotly, where a tap on a day gives its values; only
        one at a time (the others stay images). Any other name closes it."""
        patient_id = self._require_patient()
        if patient_id is None:
            return self._to_login()
        self.exploring = name if isinstance(name, str) and name in CHARTS else ""
        self.explored_figure = NO_FIGURE
        if self.exploring:
            # The view the pictures were drawn from (rebuilt only if it is no longer kept): the
            # figure shows what the picture did, and no picture is fetched again.
            with session_scope() as session:
                view = view_for_pictures(session, patient_id, self.range_key, self._kept)
            self._show_figure(getattr(view, self.exploring))
        return None

    def _show_figure(self, chart: ChartView) -> None:
        """The explored chart's figure, or none (and nothing explored) for a chart not shown."""
        self.explored_figure = plain(chart.figure) if chart.shown else NO_FIGURE
        if not chart.shown:
            self.exploring = ""
