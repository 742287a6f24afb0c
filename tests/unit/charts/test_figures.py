"""The Trends figure builders and the shared theme: traces, shapes, axes and phone layout."""

from __future__ import annotations

import ast
import inspect
import json
import re
from datetime import date, timedelta
from typing import Any

import plotly.graph_objects as go
import pytest

import companion.charts as charts_package
from companion.charts import figures, summaries, theme
from companion.charts.figures import (
    InfusionMark,
    MoodPoint,
    ResponseSeries,
    ScoreReading,
    SideEffectRow,
    WellbeingDay,
    mood_chart,
    questionnaire_chart,
    response_chart,
    side_effects_chart,
    wellbeing_chart,
)
from companion.clinical import GAD7, PHQ9, Instrument

START = date(2026, 3, 1)
END = date(2026, 3, 30)


def day(n: int) -> date:
    return START + timedelta(days=n)


def names(fig: go.Figure) -> list[str]:
    return [trace.name for trace in fig.data]


def trace(fig: go.Figure, name: str) -> Any:
    (found,) = [t for t in fig.data if t.name == name]
    return found


def all_figures() -> list[go.Figure]:
    return [
        mood_chart([MoodPoint(day(0), 5), MoodPoint(day(2), 6)], [], START, END),
        questionnaire_chart(PHQ9, [ScoreReading(day(0), 19)], 19, [], START, END),
        response_chart([ResponseSeries("Induction 1", ((-1, 4.0), (1, 7.0)), None)]),
        wellbeing_chart([WellbeingDay(day(0), 7.0, 3, 5, 1)], START, END),
        side_effects_chart([SideEffectRow("Induction 1", {"nausea": 2}, 4)]),
    ]


# --- theme ---------------------------------------------------------------------------------------


def test_config_is_what_the_page_passes_to_rx_plotly() -> None:
    assert theme.CONFIG == {
        "displayModeBar": False,
        "responsive": True,
        "scrollZoom": False,
        "displaylogo": False,
    }


def test_base_layout_merges_axis_overrides_and_keeps_fixedrange() -> None:
    layout = theme.base_layout(height=280, xaxis={"type": "date"})
    assert layout["height"] == 280
    assert layout["xaxis"] == {
        "fixedrange": True,
        "automargin": True,
        "zeroline": False,
        "type": "date",
    }
    assert layout["yaxis"]["fixedrange"] is True
    # Each call returns a fresh dict: an override never leaks into the next chart.
    assert "type" not in theme.base_layout()["xaxis"]


def test_base_layout_defaults() -> None:
    layout = theme.base_layout()
    assert layout["margin"] == {"l": 36, "r": 12, "t": 24, "b": 40}
    assert layout["legend"]["orientation"] == "h"
    assert layout["legend"]["y"] == -0.25
    assert layout["font"] == {"size": 13}
    assert layout["autosize"] is True
    assert "width" not in layout
    assert "title" not in layout
    assert layout["dragmode"] is False
    assert layout["paper_bgcolor"] == layout["plot_bgcolor"] == "rgba(0,0,0,0)"


@pytest.mark.parametrize("fig", all_figures(), ids=["mood", "phq9", "response", "wb", "se"])
def test_every_figure_is_phone_ready(fig: go.Figure) -> None:
    layout = fig.layout
    legend_rows = (len(fig.data) + 1) // 2 if layout.legend.y == -0.32 else 0
    # The response chart grows a legend row per two infusions, below its axis title.
    assert 280 <= layout.height - 24 * legend_rows <= 320
    assert layout.width is None
    assert layout.autosize is True
    assert layout.margin.l == 36 and layout.margin.r == 12
    assert layout.margin.t == 24 and layout.margin.b == 40
    assert layout.legend.orientation == "h" and layout.legend.y in (-0.25, -0.32)
    assert layout.font.size == 13
    assert layout.title.text is None
    assert layout.dragmode is False
    assert layout.xaxis.fixedrange is True
    assert layout.yaxis.fixedrange is True
    if "yaxis2" in layout:
        assert layout.yaxis2.fixedrange is True
    assert layout.paper_bgcolor == "rgba(0,0,0,0)"
    assert layout.plot_bgcolor == "rgba(0,0,0,0)"
    # Only trace types in the plotly.js basic bundle that rx.plotly.basic loads.
    assert {t.type for t in fig.data} <= {"scatter", "bar"}
    # plotly.py's default template stays out of the JSON; Reflex supplies light or dark.
    assert json.loads(fig.to_json())["layout"]["template"].get("layout") is None


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


@pytest.mark.parametrize("colour", theme.LINE_COLOURS)
def test_line_colours_read_on_white_and_near_black(colour: str) -> None:
    lum = _luminance(colour)
    assert (1.0 + 0.05) / (lum + 0.05) >= 3.0  # on white
    assert (lum + 0.05) / (_luminance("#111111") + 0.05) >= 3.0  # on near-black


def test_band_fills_rise_in_intensity_and_stay_translucent() -> None:
    fills = theme.band_fills(5)
    alphas = [float(re.findall(r"[\d.]+", fill)[-1]) for fill in fills]
    assert alphas == sorted(alphas) and len(set(alphas)) == 5
    assert alphas[0] == 0.04 and alphas[-1] == 0.24
    assert theme.band_fills(1) == ["rgba(225, 87, 89, 0.04)"]
    assert theme.band_fills(0) == []


def test_charts_import_only_the_standard_library_plotly_and_clinical() -> None:
    allowed_roots = {"plotly", "companion"}
    for module in (charts_package, figures, summaries, theme):
        tree = ast.parse(inspect.getsource(module))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                imported = [node.module]
            elif isinstance(node, ast.Import):
                imported = [alias.name for alias in node.names]
            else:
                continue
            for name in imported:
                root = name.split(".")[0]
                if root == "companion":
                    assert name.startswith(("companion.clinical", "companion.charts")), name
                elif root not in allowed_roots:
                    assert root in {
                        "__future__",
                        "ast",
                        "collections",
                        "copy",
                        "dataclasses",
                        "datetime",
                        "math",
                        "statistics",
                        "typing",
                    }, name


# --- mood ----------------------------------------------------------------------------------------


def test_mood_chart_traces_and_axes() -> None:
    points = [MoodPoint(day(n), 5 + n % 3) for n in range(10)]
    infusions = [InfusionMark(day(3), "Induction 1 · IV 0.5 mg/kg")]
    fig = mood_chart(points, infusions, START, END)
    assert names(fig) == ["Mood", "7-day average", "Infusions"]
    assert trace(fig, "Mood").mode == "lines+markers"
    assert trace(fig, "Mood").connectgaps is False
    assert fig.layout.xaxis.type == "date"
    assert list(fig.layout.xaxis.range) == ["2026-03-01", "2026-03-30"]
    assert list(fig.layout.yaxis.range) == [0, 10.6]
    assert list(fig.layout.yaxis.tickvals) == [0, 2, 4, 6, 8, 10]
    assert fig.layout.yaxis.title.text == "Mood (0–10)"
    assert fig.layout.hovermode == "x unified"


def test_mood_chart_has_one_x_per_calendar_day_and_none_for_gaps() -> None:
    points = [MoodPoint(day(0), 4), MoodPoint(day(1), 6), MoodPoint(day(4), 7.5)]
    fig = mood_chart(points, [], START, day(5))
    mood = trace(fig, "Mood")
    assert list(mood.x) == [day(n).isoformat() for n in range(6)]
    assert list(mood.y) == [4, 6, None, None, 7.5, None]


def test_mood_chart_without_infusions_has_no_infusion_trace_or_lines() -> None:
    fig = mood_chart([MoodPoint(day(0), 4), MoodPoint(day(1), 6)], [], START, END)
    assert names(fig) == ["Mood", "7-day average"]
    assert fig.layout.shapes == ()


def test_mood_chart_marks_every_infusion_in_range_and_none_outside() -> None:
    infusions = [
        InfusionMark(START - timedelta(days=1), "Before the range"),
        InfusionMark(day(0), "Induction 1 · IV 0.5 mg/kg"),
        InfusionMark(day(2), "Induction 2 · IV 0.5 mg/kg"),
        InfusionMark(END, "Booster · IV 0.5 mg/kg", planned=True),
        InfusionMark(END + timedelta(days=1), "After the range", planned=True),
    ]
    fig = mood_chart([MoodPoint(day(0), 4), MoodPoint(day(1), 6)], infusions, START, END)
    marks = trace(fig, "Infusions")
    assert len(marks.x) == len(marks.y) == 3
    assert list(marks.x) == ["2026-03-01", "2026-03-03", "2026-03-30"]
    assert set(marks.y) == {10.4}
    assert list(marks.hovertext) == [
        "Induction 1 · IV 0.5 mg/kg",
        "Induction 2 · IV 0.5 mg/kg",
        "Booster · IV 0.5 mg/kg",
    ]
    assert list(marks.marker.symbol) == ["triangle-down", "triangle-down", "triangle-down-open"]
    lines = fig.layout.shapes
    assert [(s.type, s.x0, s.x1, s.yref) for s in lines] == [
        ("line", "2026-03-01", "2026-03-01", "paper"),
        ("line", "2026-03-03", "2026-03-03", "paper"),
        ("line", "2026-03-30", "2026-03-30", "paper"),
    ]
    assert [s.line.dash for s in lines] == ["dot", "dot", "dash"]
    assert lines[2].line.color == theme.INFUSION_PLANNED != lines[0].line.color


def test_mood_chart_rolling_mean_uses_days_before_the_range() -> None:
    points = [MoodPoint(START - timedelta(days=1), 2), MoodPoint(day(0), 6), MoodPoint(day(1), 7)]
    fig = mood_chart(points, [], START, day(2))
    average = trace(fig, "7-day average")
    # Day 0: (2 + 6) / 2; day 1: (2 + 6 + 7) / 3; day 2 is after the last logged day.
    assert list(average.y) == [4, 5, None]
    assert list(trace(fig, "Mood").y) == [6, 7, None]


def test_mood_chart_rolling_mean_is_rounded_to_two_decimals() -> None:
    points = [MoodPoint(day(0), 6), MoodPoint(day(1), 7), MoodPoint(day(2), 7)]
    fig = mood_chart(points, [], START, day(2))
    assert list(trace(fig, "7-day average").y) == [6, 6.5, 6.67]


def test_mood_chart_one_day_range_is_widened_by_a_day() -> None:
    fig = mood_chart([MoodPoint(START, 5)], [], START, START)
    assert list(fig.layout.xaxis.range) == ["2026-03-01", "2026-03-02"]


def test_mood_chart_rejects_an_end_before_the_start() -> None:
    with pytest.raises(ValueError, match="before the start"):
        mood_chart([], [], END, START)


def test_mood_chart_for_a_year_stays_small() -> None:
    start, end = date(2026, 1, 1), date(2026, 12, 31)
    points = [
        MoodPoint(start + timedelta(days=n), round(3 + (n * 37 % 70) / 10, 1)) for n in range(365)
    ]
    infusions = [
        InfusionMark(start + timedelta(days=n), f"Infusion {n} · IV 0.5 mg/kg")
        for n in range(0, 365, 14)
    ]
    fig = mood_chart(points, infusions, start, end)
    assert len(trace(fig, "Mood").x) == 365
    assert len(fig.to_json()) < 40_000


# --- questionnaires ------------------------------------------------------------------------------


def band_shapes(fig: go.Figure) -> list[Any]:
    return [s for s in fig.layout.shapes if s.type == "rect"]


def hlines(fig: go.Figure) -> list[Any]:
    return [s for s in fig.layout.shapes if s.type == "line" and s.xref == "paper"]


def vlines(fig: go.Figure) -> list[Any]:
    return [s for s in fig.layout.shapes if s.type == "line" and s.yref == "paper"]


def annotation_texts(fig: go.Figure) -> list[str]:
    return [a.text for a in fig.layout.annotations]


@pytest.mark.parametrize(
    ("instrument", "bands"),
    [
        (PHQ9, [(0, 4.5), (4.5, 9.5), (9.5, 14.5), (14.5, 19.5), (19.5, 27.5)]),
        (GAD7, [(0, 4.5), (4.5, 9.5), (9.5, 14.5), (14.5, 21.5)]),
    ],
)
def test_questionnaire_bands(instrument: Instrument, bands: list[tuple[float, float]]) -> None:
    fig = questionnaire_chart(instrument, [], None, [], START, END)
    shapes = band_shapes(fig)
    assert len(shapes) == len(instrument.bands)
    assert [(s.y0, s.y1) for s in shapes] == bands
    assert {(s.xref, s.x0, s.x1, s.yref) for s in shapes} == {("paper", 0, 1, "y")}
    fills = [s.fillcolor for s in shapes]
    assert fills == theme.band_fills(len(instrument.bands))
    assert annotation_texts(fig) == [
        *[band.severity for band in instrument.bands],
        "Remission < 5",
    ]
    # Band names on the right, line labels on the left.
    assert [a.xanchor for a in fig.layout.annotations] == ["right"] * len(instrument.bands) + [
        "left"
    ]
    assert list(fig.layout.yaxis.range) == [0, instrument.max_total + 0.5]
    assert list(fig.layout.xaxis.range) == ["2026-03-01", "2026-03-30"]


def test_questionnaire_totals_trace() -> None:
    readings = [ScoreReading(day(14), 12), ScoreReading(day(0), 19), ScoreReading(END, 4)]
    out_of_range = ScoreReading(START - timedelta(days=1), 22)
    fig = questionnaire_chart(PHQ9, [*readings, out_of_range], 19, [], START, END)
    assert names(fig) == ["PHQ-9"]
    totals = trace(fig, "PHQ-9")
    assert totals.mode == "lines+markers"
    assert list(totals.x) == ["2026-03-01", "2026-03-15", "2026-03-30"]
    assert list(totals.y) == [19, 12, 4]
    assert list(totals.customdata) == ["moderately severe", "moderate", "minimal"]


def test_questionnaire_without_baseline_shows_only_the_remission_line() -> None:
    fig = questionnaire_chart(PHQ9, [ScoreReading(day(0), 19)], None, [], START, END)
    assert [(line.y0, line.line.dash) for line in hlines(fig)] == [(4.5, "dashdot")]
    texts = annotation_texts(fig)
    assert "Remission < 5" in texts
    assert not any("Baseline" in text or "Response" in text for text in texts)


def test_questionnaire_baseline_response_and_remission_lines() -> None:
    fig = questionnaire_chart(PHQ9, [ScoreReading(day(0), 19)], 19, [], START, END)
    lines = hlines(fig)
    assert [(s.y0, s.y1, s.line.dash) for s in lines] == [
        (19, 19, "dash"),
        (9.5, 9.5, "dot"),
        (4.5, 4.5, "dashdot"),
    ]
    assert {(s.x0, s.x1) for s in lines} == {(0, 1)}
    texts = annotation_texts(fig)
    assert texts[-3:] == ["Baseline 19", "Response ≤ 9.5", "Remission < 5"]


def test_questionnaire_response_label_for_an_even_baseline() -> None:
    fig = questionnaire_chart(GAD7, [], 16, [], START, END)
    assert "Response ≤ 8" in annotation_texts(fig)


def test_questionnaire_baseline_of_zero_has_no_response_line() -> None:
    fig = questionnaire_chart(PHQ9, [], 0, [], START, END)
    assert [s.y0 for s in hlines(fig)] == [0, 4.5]


def test_questionnaire_marks_infusions_in_range_as_vertical_lines() -> None:
    infusions = [
        InfusionMark(day(1), "Induction 1"),
        InfusionMark(day(40), "Later"),
        InfusionMark(day(5), "Planned", planned=True),
    ]
    fig = questionnaire_chart(PHQ9, [], 19, infusions, START, END)
    assert [(s.x0, s.line.dash) for s in vlines(fig)] == [
        ("2026-03-02", "dot"),
        ("2026-03-06", "dash"),
    ]
    assert names(fig) == ["PHQ-9"]


# --- response ------------------------------------------------------------------------------------


def test_response_chart_one_trace_per_series() -> None:
    series = [
        ResponseSeries("Induction 1 · 3 Jan", ((-2, 3.0), (0, 4.0), (2, 7.0)), 6),
        ResponseSeries("Induction 2 · 6 Jan", ((-1, 4.0), (1, 8.0)), None),
        ResponseSeries("Booster · 2 Mar", ((1, 7.5), (-3, 4.0)), 1),
    ]
    fig = response_chart(series)
    assert names(fig) == ["Induction 1 · 3 Jan", "Induction 2 · 6 Jan", "Booster · 2 Mar"]
    assert list(fig.layout.xaxis.range) == [-3, 21]
    assert list(fig.layout.yaxis.range) == [0, 10.6]
    last = fig.data[2]
    assert list(last.x) == [-3, 1]  # sorted by offset
    assert list(last.y) == [4, 7.5]
    assert list(last.text) == ["Day -3", "Day +1"]
    assert last.hovertemplate == "%{text}: mood %{y}<extra>Booster · 2 Mar<br>lasted 1 day</extra>"
    assert fig.data[0].hovertemplate.endswith("<br>lasted 6 days</extra>")
    assert list(fig.data[0].text) == ["Day -2", "Day 0", "Day +2"]


def test_response_chart_latest_is_strongest() -> None:
    series = [ResponseSeries(f"Infusion {n}", ((1, 5.0),), None) for n in range(4)]
    fig = response_chart(series)
    alphas = [float(re.findall(r"[\d.]+", t.line.color)[-1]) for t in fig.data]
    widths = [t.line.width for t in fig.data]
    assert alphas == sorted(alphas) and alphas[0] == 0.3 and alphas[-1] == 1.0
    assert widths == sorted(widths) and widths[0] == 1.5 and widths[-1] == 3.0
    single = response_chart(series[:1])
    assert single.data[0].line.width == 3.0


def test_response_chart_marks_the_infusion_day() -> None:
    fig = response_chart([])
    assert fig.data == ()
    (line,) = fig.layout.shapes
    assert (line.x0, line.x1, line.yref) == (0, 0, "paper")
    assert annotation_texts(fig) == ["Infusion"]
    assert fig.layout.hovermode == "closest"


# --- wellbeing -----------------------------------------------------------------------------------


def test_wellbeing_chart_all_measures() -> None:
    days = [
        WellbeingDay(day(0), 7.5, 4, 5, 1),
        WellbeingDay(day(2), 6.0, 3, None, 2),
    ]
    fig = wellbeing_chart(days, START, day(3))
    assert names(fig) == ["Anxiety", "Energy", "Pain", "Sleep"]
    assert list(trace(fig, "Anxiety").y) == [4, None, 3, None]
    assert list(trace(fig, "Energy").y) == [5, None, None, None]
    assert trace(fig, "Anxiety").connectgaps is False
    sleep = trace(fig, "Sleep")
    assert sleep.type == "bar"
    assert sleep.yaxis == "y2"
    assert list(sleep.x) == ["2026-03-01", "2026-03-03"]
    assert list(sleep.y) == [7.5, 6]
    axis2 = fig.layout.yaxis2
    assert (axis2.overlaying, axis2.side, axis2.title.text) == ("y", "right", "Sleep (h)")
    assert list(axis2.range) == [0, 12]
    assert axis2.fixedrange is True
    assert list(fig.layout.yaxis.range) == [0, 10.6]
    assert list(fig.layout.xaxis.range) == ["2026-03-01", "2026-03-04"]


def test_wellbeing_chart_drops_measures_with_nothing_in_range() -> None:
    days = [
        WellbeingDay(day(0), None, None, 6, None),
        WellbeingDay(START - timedelta(days=1), 8.0, 5, 5, 5),  # before the range
    ]
    fig = wellbeing_chart(days, START, END)
    assert names(fig) == ["Energy"]
    assert fig.layout.yaxis2.overlaying == "y"


def test_wellbeing_chart_empty() -> None:
    fig = wellbeing_chart([], START, END)
    assert fig.data == ()


# --- side effects --------------------------------------------------------------------------------


def test_side_effects_chart_only_non_zero_effects_and_dissociation() -> None:
    rows = [
        SideEffectRow("Induction 1 · 3 Jan", {"nausea": 2, "headache": 0}, 7),
        SideEffectRow("Induction 2 · 6 Jan", {"dizziness": 1, "nausea": 0}, None),
        SideEffectRow("Induction 3 · 9 Jan", {}, 3),
    ]
    fig = side_effects_chart(rows)
    assert names(fig) == ["Nausea or vomiting", "Dizziness", "Dissociation (0–10)"]
    nausea = trace(fig, "Nausea or vomiting")
    assert nausea.type == "bar"
    assert list(nausea.x) == [row.label for row in rows]
    assert list(nausea.y) == [2, 0, 0]
    assert list(nausea.customdata) == ["moderate", "none", "none"]
    dissociation = trace(fig, "Dissociation (0–10)")
    assert (dissociation.type, dissociation.mode, dissociation.yaxis) == (
        "scatter",
        "markers",
        "y2",
    )
    assert list(dissociation.y) == [7, None, 3]
    assert fig.layout.barmode == "group"
    assert fig.layout.xaxis.type == "category"
    assert list(fig.layout.xaxis.categoryarray) == [row.label for row in rows]
    assert list(fig.layout.yaxis.range) == [0, 3.2]
    assert list(fig.layout.yaxis.ticktext) == ["None", "Mild", "Moderate", "Severe"]
    assert list(fig.layout.yaxis2.range) == [0, 10.6]
    assert fig.layout.yaxis2.side == "right"


def test_side_effects_chart_without_dissociation_or_effects() -> None:
    rows = [SideEffectRow("Induction 1", {"nausea": 0}, None)]
    assert side_effects_chart(rows).data == ()
    assert side_effects_chart([]).data == ()


def test_side_effects_keep_a_fixed_colour_per_effect() -> None:
    fig = side_effects_chart([SideEffectRow("A", {"bladder": 3}, None)])
    assert fig.data[0].marker.color == theme.SIDE_EFFECT_COLOURS["bladder"]


@pytest.mark.parametrize(
    ("count", "ticked"),
    [(3, [0, 1, 2]), (4, [0, 1, 2, 3]), (6, [1, 3, 5]), (10, [0, 3, 6, 9])],
)
def test_side_effects_label_at_most_four_infusions_always_the_latest(
    count: int, ticked: list[int]
) -> None:
    rows = [SideEffectRow(f"Induction {n} · {n} Jan", {"nausea": 1}, None) for n in range(count)]
    axis = side_effects_chart(rows).layout.xaxis
    assert list(axis.tickvals) == [rows[n].label for n in ticked]
    assert list(axis.ticktext) == [f"Induction {n}<br>{n} Jan" for n in ticked]
    assert axis.tickangle == 0
    # Every infusion is still a category on the axis (and in the hover).
    assert list(axis.categoryarray) == [row.label for row in rows]


def test_response_legend_gets_room_for_every_infusion() -> None:
    series = [
        ResponseSeries(f"Booster {n} · Mon {n} Aug", ((-1, 4.0), (1, 7.0)), None)
        for n in range(1, 8)
    ]
    fig = response_chart(series)
    assert fig.layout.height == 300 + 24 * 4
    assert fig.layout.legend.y == -0.32
