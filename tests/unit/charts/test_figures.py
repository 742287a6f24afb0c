"""The Trends figure builders and the shared theme: traces, shapes, axes and phone layout."""

from __future__ import annotations

import ast
import inspect
import itertools
import json
import re
import statistics
from datetime import date, timedelta
from typing import Any

import plotly.graph_objects as go
import plotly.io as pio
import pytest

import companion.charts as charts_package
from companion.charts import figures, summaries, theme
from companion.charts.figures import (
    TRIANGLE_DOWN,
    TRIANGLE_DOWN_OPEN,
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
    weekly_means,
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


WHITE = "#FFFFFF"
# The Radix dark page background; Reflex's dark card is a shade lighter, so a little easier.
NEAR_BLACK = "#111111"
BACKGROUNDS = (WHITE, NEAR_BLACK)


def _rgba(colour: str) -> tuple[float, float, float, float]:
    """ "#RRGGBB", "rgb(r, g, b)" or "rgba(r, g, b, a)" as four numbers."""
    if colour.startswith("#"):
        red, green, blue = (float(int(colour[i : i + 2], 16)) for i in (1, 3, 5))
        return red, green, blue, 1.0
    numbers = [float(n) for n in re.findall(r"[\d.]+", colour)]
    return (numbers[0], numbers[1], numbers[2], numbers[3] if len(numbers) == 4 else 1.0)


def _over(colour: str, background: str) -> str:
    """`colour` painted over an opaque `background`, as #RRGGBB."""
    red, green, blue, alpha = _rgba(colour)
    back = _rgba(background)
    mixed = [
        round(alpha * c + (1 - alpha) * b)
        for c, b in zip((red, green, blue), back[:3], strict=True)
    ]
    return "#" + "".join(f"{c:02X}" for c in mixed)


def _luminance(colour: str) -> float:
    red, green, blue, alpha = _rgba(colour)
    assert alpha == 1.0, f"{colour} is see-through: paint it over a background first"
    channels = [c / 255 for c in (red, green, blue)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(one: str, other: str) -> float:
    """WCAG 2.1 contrast ratio of two opaque colours, 1 to 21."""
    light, dark = sorted((_luminance(one), _luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_contrast_helper_matches_known_ratios() -> None:
    assert contrast("#000000", WHITE) == pytest.approx(21)
    assert contrast("#767676", WHITE) == pytest.approx(4.54, abs=0.01)
    assert _over("rgba(0, 0, 0, 0.5)", WHITE) == "#808080"


@pytest.mark.parametrize("colour", theme.LINE_COLOURS)
@pytest.mark.parametrize("background", BACKGROUNDS)
def test_line_and_bar_colours_read_on_white_and_near_black(colour: str, background: str) -> None:
    # WCAG 1.4.11: 3:1 for graphics, on the light and the dark theme alike.
    assert contrast(colour, background) >= 3.0


def _strongest_band(background: str) -> str:
    return _over(theme.band_fills(5)[-1], background)


@pytest.mark.parametrize("background", BACKGROUNDS)
def test_chip_labels_read_on_either_theme_and_over_any_line(background: str) -> None:
    # The chip covers 80% of what is below it, so its white text keeps 4.5:1 (WCAG 1.4.3) on
    # either page background, on the strongest severity band and over any line of data.
    unders = [background, _strongest_band(background), *theme.LINE_COLOURS]
    for under in unders:
        chip = _over(theme.LABEL_BG, _over(under, background))
        assert contrast(theme.LABEL_TEXT, chip) >= 4.5, under


@pytest.mark.parametrize(
    ("template", "background"), [("plotly", WHITE), ("plotly_dark", NEAR_BLACK)]
)
def test_template_text_colour_reads_on_its_theme_and_on_the_bands(
    template: str, background: str
) -> None:
    # rx.plotly merges plotly.py's "plotly" template in light mode and "plotly_dark" in dark
    # mode; text with no colour of its own (band names, notes) takes the template's font colour.
    text = pio.templates[template].layout.font.color
    assert contrast(text, background) >= 4.5
    assert contrast(text, _strongest_band(background)) >= 4.5


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
    assert list(marks.marker.symbol) == [TRIANGLE_DOWN, TRIANGLE_DOWN, TRIANGLE_DOWN_OPEN]
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
    # A marker on top of each line names it in the legend ("Infusions") and in the hover, as on
    # the mood chart; the totals need no legend entry (the card's title names them).
    assert names(fig) == ["PHQ-9", "Infusions"]
    marks = trace(fig, "Infusions")
    assert list(marks.x) == ["2026-03-02", "2026-03-06"]
    assert set(marks.y) == {27.3}
    assert list(marks.hovertext) == ["Induction 1", "Planned"]
    assert list(marks.marker.symbol) == [TRIANGLE_DOWN, TRIANGLE_DOWN_OPEN]
    assert fig.layout.showlegend is True
    assert trace(fig, "PHQ-9").showlegend is False


def test_questionnaire_without_infusions_has_no_legend() -> None:
    fig = questionnaire_chart(PHQ9, [ScoreReading(day(0), 19)], 19, [], START, END)
    assert names(fig) == ["PHQ-9"]
    assert fig.layout.showlegend is False


def annotation(fig: go.Figure, text: str) -> Any:
    (found,) = [a for a in fig.layout.annotations if a.text == text]
    return found


def test_questionnaire_line_labels_sit_on_chips_at_the_left_and_band_names_at_the_right() -> None:
    fig = questionnaire_chart(PHQ9, [], 20, [], START, END)
    for text, y, yanchor in (
        ("Baseline 20", 20, "bottom"),
        ("Response ≤ 10", 10, "bottom"),
        ("Remission < 5", 4.5, "top"),
    ):
        label = annotation(fig, text)
        assert (label.x, label.xanchor, label.y, label.yanchor) == (0, "left", y, yanchor)
        assert label.bgcolor == theme.LABEL_BG
        assert label.font.color == theme.LABEL_TEXT
        assert label.font.size == 10
    for band in PHQ9.bands:
        name = annotation(fig, band.severity)
        assert (name.x, name.xanchor) == (1, "right")
        assert name.bgcolor is None
        # The template's text colour, with a halo of the contrasting colour.
        assert name.font.color is None
        assert name.font.shadow == "auto"
        assert name.font.size == 10


def test_questionnaire_band_name_moves_off_a_line_that_crosses_its_middle() -> None:
    # GAD-7 baseline 14: the response line at 7 runs through the middle of "mild" (4.5-9.5).
    fig = questionnaire_chart(GAD7, [], 14, [], START, END)
    mild = annotation(fig, "mild")
    assert (mild.y, mild.yanchor) in ((9.5, "top"), (4.5, "bottom"))
    # Without a line there, it stays in the middle.
    fig = questionnaire_chart(GAD7, [], 20, [], START, END)
    assert (annotation(fig, "mild").y, annotation(fig, "mild").yanchor) == (7, "middle")


def test_questionnaire_labels_move_off_the_readings_below_them() -> None:
    # A reading just above the baseline at the left edge, under the baseline's chip, and the
    # latest just under the middle of "moderate", under its name.
    readings = [ScoreReading(START, 22), ScoreReading(END, 11)]
    fig = questionnaire_chart(PHQ9, readings, 20, [], START, END)
    baseline = annotation(fig, "Baseline 20")
    assert (baseline.x, baseline.y, baseline.yanchor) == (0, 20, "top")
    assert annotation(fig, "moderate").yanchor != "middle"
    # With the readings elsewhere both keep their first place.
    fig = questionnaire_chart(PHQ9, [ScoreReading(day(14), 8)], 20, [], START, END)
    assert annotation(fig, "Baseline 20").yanchor == "bottom"
    assert annotation(fig, "moderate").yanchor == "middle"


# Measured in Chromium at 360 px: the plot is 228 x 187 px, a chip 15 px tall and a band name 12.
PLOT_W, PLOT_H, CHIP_H, NAME_H = 228, 187, 15, 12


def _boxes(fig: go.Figure, top: float) -> list[tuple[str, float, float, float, float]]:
    """(text, left, right, low, high) of each annotation in pixels from the plot's bottom left."""
    boxes = []
    for label in fig.layout.annotations:
        chip = label.bgcolor is not None
        height = CHIP_H if chip else NAME_H
        width = len(label.text) * (5.6 if chip else 5.0) + (4 if chip else 0)
        y = label.y / top * PLOT_H + (label.yshift or 0)
        low = {"bottom": y, "top": y - height, "middle": y - height / 2}[label.yanchor]
        left = 0 if label.xanchor == "left" else PLOT_W - width
        boxes.append((label.text, left, left + width, low, low + height))
    return boxes


@pytest.mark.parametrize("instrument", [PHQ9, GAD7], ids=["phq9", "gad7"])
@pytest.mark.parametrize("with_readings", [False, True], ids=["empty", "readings"])
def test_questionnaire_labels_never_overlap_or_sit_on_a_line(
    instrument: Instrument, with_readings: bool
) -> None:
    top = instrument.max_total + 0.5
    for baseline in [None, *range(instrument.max_total + 1)]:
        readings = (
            [ScoreReading(day(n), max(0, (baseline or 10) - n // 3)) for n in range(0, 30, 3)]
            if with_readings
            else []
        )
        fig = questionnaire_chart(instrument, readings, baseline, [], START, END)
        boxes = _boxes(fig, top)
        lines = [s.y0 / top * PLOT_H for s in hlines(fig)]
        for index, (text, left, right, low, high) in enumerate(boxes):
            assert low >= -1 and high <= PLOT_H + 1, (baseline, text)
            # Up to a baseline of 5 the baseline, response and remission lines lie within two
            # chips' height: there a chip may cover a line (80% opaque, it stays legible).
            if baseline is None or baseline > 5:
                assert not any(low + 1 < y < high - 1 for y in lines), (baseline, text)
            for other, o_left, o_right, o_low, o_high in boxes[index + 1 :]:
                apart = right <= o_left or o_right <= left or high <= o_low or o_high <= low
                assert apart, (baseline, text, other)


# --- response ------------------------------------------------------------------------------------


def test_response_chart_one_trace_per_series() -> None:
    series = [
        ResponseSeries("Induction 1 · 3 Jan", ((-2, 3.0), (0, 4.0), (2, 7.0)), 6),
        ResponseSeries("Induction 2 · 6 Jan", ((-1, 4.0), (1, 8.0)), None),
        ResponseSeries("Booster · 2 Mar", ((1, 7.5), (-3, 4.0)), 1),
    ]
    fig = response_chart(series)
    assert names(fig) == ["Induction 1 · 3 Jan", "Induction 2 · 6 Jan", "Booster · 2 Mar"]
    assert list(fig.layout.xaxis.range) == [-3, 35]
    assert list(fig.layout.yaxis.range) == [0, 10.6]
    last = fig.data[2]
    assert list(last.x) == [-3, 1]  # sorted by offset
    assert list(last.y) == [4, 7.5]
    assert list(last.text) == ["Day -3", "Day +1"]
    assert last.hovertemplate == "%{text}: mood %{y}<extra>Booster · 2 Mar<br>lasted 1 day</extra>"
    assert fig.data[0].hovertemplate.endswith("<br>lasted 6 days</extra>")
    assert list(fig.data[0].text) == ["Day -2", "Day 0", "Day +2"]


def test_response_chart_latest_in_the_accent_the_rest_grey_and_fading_with_age() -> None:
    series = [ResponseSeries(f"Infusion {n}", ((1, 5.0),), None) for n in range(4)]
    fig = response_chart(series)
    *earlier, latest = fig.data
    assert latest.line.color == latest.marker.color == theme.MOOD
    assert latest.line.width == 3.0
    colours = [t.line.color for t in earlier]
    assert theme.MOOD not in colours and len(set(colours)) == 3
    # One grey, more see-through the older the infusion (fading towards either background).
    assert {c.rsplit(",", 1)[0] for c in colours} == {"rgba(140, 140, 140"}
    alphas = [float(re.findall(r"[\d.]+", c)[-1]) for c in colours]
    assert alphas == [0.3, 0.525, 0.75]
    assert {t.line.width for t in earlier} == {1.5}
    assert {t.marker.size for t in earlier} == {4} and latest.marker.size == 7
    # Every line keeps its name in the legend (latest first) and in the hover.
    assert names(fig) == [f"Infusion {n}" for n in range(4)]
    assert all(t.showlegend is not False for t in fig.data)
    assert fig.layout.legend.traceorder == "reversed"
    single = response_chart(series[:1])
    assert (single.data[0].line.color, single.data[0].line.width) == (theme.MOOD, 3.0)


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
    assert axis2.title.text == "Sleep (h)"
    assert list(axis2.range) == [0, 12]
    assert axis2.fixedrange is True
    assert list(fig.layout.yaxis.range) == [0, 10.6]
    assert list(fig.layout.xaxis.range) == ["2026-03-01", "2026-03-04"]


def test_wellbeing_sleep_bars_are_opaque_in_a_panel_below_the_ratings() -> None:
    fig = wellbeing_chart([WellbeingDay(day(0), 7.5, 4, 5, 1)], START, END)
    sleep, ratings = fig.layout.yaxis2, fig.layout.yaxis
    # Its own panel (not overlaying the ratings), below them, on the same date axis.
    assert sleep.overlaying is None
    assert (sleep.anchor, fig.layout.xaxis.anchor) == ("x", "y2")
    assert sleep.domain[1] < ratings.domain[0]
    assert list(sleep.domain) == [0, 0.33] and list(ratings.domain) == [0.45, 1]
    assert list(sleep.tickvals) == [0, 6, 12] and list(ratings.tickvals) == [0, 5, 10]
    # Hovering either panel lists the whole day.
    assert fig.layout.hoversubplots == "axis"
    bars = trace(fig, "Sleep")
    assert bars.opacity is None and bars.marker.opacity is None
    assert bars.marker.color == theme.SLEEP
    assert fig.layout.height == 320


@pytest.mark.parametrize("background", BACKGROUNDS)
def test_wellbeing_sleep_bars_read_on_either_theme(background: str) -> None:
    # As painted: the colour at the trace's opacity over the page (0.35 made navy on #111).
    bars = trace(wellbeing_chart([WellbeingDay(day(0), 7.5, 4, 5, 1)], START, END), "Sleep")
    red, green, blue, _ = _rgba(bars.marker.color)
    painted = _over(f"rgba({red}, {green}, {blue}, {bars.opacity or 1})", background)
    assert contrast(painted, background) >= 3.0


def test_wellbeing_sleep_bars_close_their_gaps_beyond_four_months() -> None:
    days = [WellbeingDay(day(0), 7.5, 4, 5, 1)]
    assert wellbeing_chart(days, START, END).layout.bargap == 0.3
    assert wellbeing_chart(days, START, START + timedelta(days=180)).layout.bargap == 0


def test_wellbeing_chart_drops_measures_with_nothing_in_range() -> None:
    days = [
        WellbeingDay(day(0), None, None, 6, None),
        WellbeingDay(START - timedelta(days=1), 8.0, 5, 5, 5),  # before the range
    ]
    fig = wellbeing_chart(days, START, END)
    assert names(fig) == ["Energy"]
    # No sleep: no sleep panel, and the ratings take the whole plot.
    layout = fig.layout.to_plotly_json()
    assert "yaxis2" not in layout
    assert "domain" not in layout["yaxis"]
    assert list(fig.layout.yaxis.tickvals) == [0, 2, 4, 6, 8, 10]


def test_wellbeing_chart_with_only_sleep_gives_it_the_whole_plot() -> None:
    fig = wellbeing_chart([WellbeingDay(day(0), 7.0, None, None, None)], START, END)
    assert names(fig) == ["Sleep"]
    assert list(fig.layout.yaxis2.domain) == [0, 1]
    assert fig.layout.yaxis.visible is False
    assert fig.layout.height == 300


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
    # No "None" at the foot of the axis, where it ran into the first infusion's label.
    assert list(fig.layout.yaxis.tickvals) == [1, 2, 3]
    assert list(fig.layout.yaxis.ticktext) == ["Mild", "Moderate", "Severe"]
    assert fig.layout.annotations == ()  # every infusion drawn: no note
    assert list(fig.layout.yaxis2.range) == [0, 10.6]
    assert fig.layout.yaxis2.side == "right"


def test_side_effects_chart_without_dissociation_or_effects() -> None:
    rows = [SideEffectRow("Induction 1", {"nausea": 0}, None)]
    assert side_effects_chart(rows).data == ()
    assert side_effects_chart([]).data == ()


def test_side_effects_keep_a_fixed_colour_per_effect() -> None:
    fig = side_effects_chart([SideEffectRow("A", {"bladder": 3}, None)])
    assert fig.data[0].marker.color == theme.SIDE_EFFECT_COLOURS["bladder"]


@pytest.mark.parametrize("count", [1, 3, 4, 10])
def test_side_effects_draw_and_label_the_latest_three_infusions(count: int) -> None:
    rows = [SideEffectRow(f"Induction {n} · Mon {n} Jan", {"nausea": 1}, n) for n in range(count)]
    fig = side_effects_chart(rows)
    latest = rows[-3:]
    labels = [row.label for row in latest]
    axis = fig.layout.xaxis
    assert list(axis.categoryarray) == list(axis.tickvals) == labels
    assert list(axis.ticktext) == [label.replace(" · ", "<br>") for label in labels]
    assert axis.tickangle == 0
    assert list(trace(fig, "Nausea or vomiting").x) == labels
    assert list(trace(fig, "Dissociation (0–10)").y) == [row.dissociation for row in latest]
    notes = annotation_texts(fig)
    assert notes == ([f"Latest 3 of {count} infusions"] if count > 3 else [])
    if notes:
        note = fig.layout.annotations[0]
        # Above the plot at the left, in the template's text colour.
        assert (note.xref, note.yref, note.x, note.y) == ("paper", "paper", 0, 1)
        assert (note.xanchor, note.yanchor) == ("left", "bottom")
        assert note.font.color is None


def test_side_effects_only_effects_felt_at_the_infusions_drawn() -> None:
    rows = [SideEffectRow("Old", {"headache": 3}, None)] + [
        SideEffectRow(f"New {n}", {"nausea": 1}, None) for n in range(3)
    ]
    assert names(side_effects_chart(rows)) == ["Nausea or vomiting"]


@pytest.mark.parametrize("fig", all_figures(), ids=["mood", "phq9", "response", "wb", "se"])
def test_text_has_the_template_colour_or_a_chip(fig: go.Figure) -> None:
    # A fixed colour cannot reach 4.5:1 on white and on #111 alike: text either leaves its
    # colour to the light or dark template or sits on a chip of its own.
    for label in fig.layout.annotations:
        if label.bgcolor is None:
            assert label.font.color is None, label.text
        else:
            assert (label.bgcolor, label.font.color) == (theme.LABEL_BG, theme.LABEL_TEXT)


def test_response_legend_gets_room_for_every_infusion() -> None:
    series = [
        ResponseSeries(f"Booster {n} · Mon {n} Aug", ((-1, 4.0), (1, 7.0)), None)
        for n in range(1, 8)
    ]
    fig = response_chart(series)
    assert fig.layout.height == 300 + 24 * 4
    assert fig.layout.legend.y == -0.32


def test_every_figure_passes_plotlys_own_checks() -> None:
    # The builders skip Plotly's second check of each property (it was most of Trends' build
    # time); a figure rebuilt with every check on must raise nothing and come out the same.
    marks = [InfusionMark(day(1), "Induction 1"), InfusionMark(day(9), "Booster 1", planned=True)]
    figures = [
        *all_figures(),
        mood_chart([MoodPoint(day(n), 3 + n % 5) for n in range(20)], marks, START, END),
        questionnaire_chart(
            GAD7, [ScoreReading(day(0), 14), ScoreReading(day(14), 6)], 14, marks, START, END
        ),
    ]
    figures += long_figures()
    for figure in figures:
        as_dict = figure.to_dict()
        checked = go.Figure(as_dict).to_dict()  # raises ValueError on any invalid property
        assert checked["data"] == as_dict["data"]
        layout = {k: v for k, v in as_dict["layout"].items() if v != [] and k != "template"}
        assert {k: v for k, v in checked["layout"].items() if k != "template"} == layout


# --- long ranges: weeks, then the last three months by day ---------------------------------------

LONG_START = END - timedelta(days=400)
CUTOFF = END - timedelta(days=90)
WEEK_MS = 7 * 86_400_000


def long_moods() -> list[MoodPoint]:
    # Five days in six, and a fortnight with nothing logged, as a real record has.
    gap = range(100, 114)
    return [
        MoodPoint(LONG_START + timedelta(days=n), (n * 7) % 11)
        for n in range(401)
        if n % 6 != 5 and n not in gap
    ]


def long_marks() -> list[InfusionMark]:
    days = range(0, 401, 30)
    marks = [InfusionMark(LONG_START + timedelta(days=n), f"Booster {n}") for n in days]
    return [*marks, InfusionMark(END, "Planned", planned=True)]


def long_wellbeing() -> list[WellbeingDay]:
    return [
        WellbeingDay(p.day, 5 + p.mood / 2, 10 - int(p.mood), int(p.mood), 2) for p in long_moods()
    ]


def long_figures() -> list[go.Figure]:
    return [
        mood_chart(long_moods(), long_marks(), LONG_START, END, CUTOFF),
        wellbeing_chart(long_wellbeing(), LONG_START, END, CUTOFF),
        questionnaire_chart(
            PHQ9,
            [ScoreReading(LONG_START, 20), ScoreReading(END, 4)],
            20,
            long_marks(),
            LONG_START,
            END,
            CUTOFF,
        ),
    ]


def test_each_weeks_mean_is_the_mean_of_its_days() -> None:
    moods = {p.day: float(p.mood) for p in long_moods()}
    weeks = weekly_means(moods, LONG_START, CUTOFF)
    # Whole weeks back from the cutoff, each on its middle day, the first cut short by the start.
    assert [middle for middle, _ in weeks] == [
        CUTOFF - timedelta(days=7 * k - 3) for k in range(len(weeks), 0, -1)
    ]
    assert weeks[0][0] - timedelta(days=3) < LONG_START <= weeks[1][0] - timedelta(days=3)
    for middle, mean in weeks:
        days = [middle + timedelta(days=n) for n in range(-3, 4)]
        logged = [moods[d] for d in days if d in moods and d >= LONG_START]
        assert mean == (statistics.fmean(logged) if logged else None)
    # The fortnight with nothing logged is a gap, not a zero.
    assert None in [mean for _, mean in weeks]


def test_a_long_mood_chart_draws_weeks_then_its_last_three_months_as_they_were() -> None:
    points, marks = long_moods(), long_marks()
    fig = mood_chart(points, marks, LONG_START, END, CUTOFF)
    by_day = mood_chart(points, marks, CUTOFF, END)
    assert names(fig) == ["Mood", "7-day average", "7-day average", "Infusions"]
    mood, weekly, daily, infusions = fig.data
    # The last three months: the same daily mood and 7-day average as the 3-month chart.
    assert (mood.x, mood.y) == (by_day.data[0].x, by_day.data[0].y)
    assert (daily.x, daily.y) == (by_day.data[1].x, by_day.data[1].y)
    # Before them, the average is one point a week: that week's mean mood, to a tenth.
    moods = {p.day: float(p.mood) for p in points}
    weeks = weekly_means(moods, LONG_START, CUTOFF)
    assert (weekly.x0, weekly.dx) == (weeks[0][0].isoformat(), WEEK_MS)
    assert list(weekly.y) == [None if m is None else round(m, 1) for _, m in weeks]
    # One legend entry for the average; every infusion has its marker.
    assert (weekly.showlegend, daily.showlegend) == (None, False)
    assert weekly.legendgroup == daily.legendgroup == "7-day average"
    assert list(infusions.x) == [m.day.isoformat() for m in marks]
    assert list(infusions.hovertext) == [m.label for m in marks]
    # Vertical lines only where the chart is by day: over weeks they would hide the data.
    lines = [s.x0 for s in fig.layout.shapes]
    assert lines == [m.day.isoformat() for m in marks if m.day >= CUTOFF]
    assert list(fig.layout.xaxis.range) == [LONG_START.isoformat(), END.isoformat()]


def test_a_long_wellbeing_chart_draws_weeks_then_its_last_three_months_as_they_were() -> None:
    days = long_wellbeing()
    fig = wellbeing_chart(days, LONG_START, END, CUTOFF)
    by_day = wellbeing_chart(days, CUTOFF, END)
    assert names(fig) == [
        "Anxiety",
        "Anxiety",
        "Energy",
        "Energy",
        "Pain",
        "Pain",
        "Sleep",
        "Sleep",
    ]
    pairs = zip(fig.data[::2], fig.data[1::2], strict=True)
    for (weekly, daily), recent in zip(pairs, by_day.data, strict=True):
        assert (daily.x, daily.y) == (recent.x, recent.y)
        assert weekly.dx == WEEK_MS and weekly.showlegend is None and daily.showlegend is False
    energy = {d.day: float(d.energy) for d in days if d.energy is not None}
    weeks = weekly_means(energy, LONG_START, CUTOFF)
    assert list(fig.data[2].y) == [None if m is None else round(m, 1) for _, m in weeks]
    # A week's sleep bar is a week wide, a day's a day, each centred on its day.
    weekly_sleep, daily_sleep = fig.data[6:]
    assert (weekly_sleep.width, weekly_sleep.offset) == (WEEK_MS, -WEEK_MS / 2)
    assert (daily_sleep.width, daily_sleep.offset) == (WEEK_MS / 7, -WEEK_MS / 14)


def test_long_charts_are_a_fraction_of_the_daily_bytes() -> None:
    points, marks = long_moods(), long_marks()
    weekly = sum(len(f.to_json()) for f in long_figures())
    daily = sum(
        len(f.to_json())
        for f in (
            mood_chart(points, marks, LONG_START, END),
            wellbeing_chart(long_wellbeing(), LONG_START, END),
            questionnaire_chart(
                PHQ9,
                [ScoreReading(LONG_START, 20), ScoreReading(END, 4)],
                20,
                marks,
                LONG_START,
                END,
            ),
        )
    )
    assert weekly < daily / 2


def test_response_chart_runs_35_days_and_marks_the_patients_median() -> None:
    series = [ResponseSeries("Booster 3 · 17 Oct", ((-1, 4.0), (30, 4.0), (35, 3.0)), 29)]
    fig = response_chart(series, 25.5)
    assert list(fig.layout.xaxis.range) == [-3, 35]
    assert list(fig.layout.xaxis.tickvals) == [-3, 0, 7, 14, 21, 28, 35]
    # Every point to day 35 is drawn: a booster that lasted 29 days is seen falling back.
    assert list(fig.data[0].x) == [-1, 30, 35]
    # The median, rounded half up (25.5 -> 26), as a vertical line with its label at the top.
    median = [s for s in fig.layout.shapes if s.x0 == 26]
    assert len(median) == 1 and (median[0].x1, median[0].yref) == (26, "paper")
    labels = {a.text: a.x for a in fig.layout.annotations}
    assert labels["your median: 26 days"] == 26
    without = response_chart(series)
    assert not any("median" in a.text for a in without.layout.annotations)
    assert len(without.layout.shapes) == len(fig.layout.shapes) - 1


@pytest.mark.parametrize(
    ("median", "end"),
    [
        (25.5, 35),  # well inside: the chart keeps its 35 days
        (32, 35),  # 3 days of room before the edge still
        (32.5, 42),  # 33 days: to the next whole week with room beside the line
        (41, 49),
        (60, 63),
    ],
)
def test_a_median_past_35_days_stretches_the_chart_so_the_median_stays_on_it(
    median: float, end: int
) -> None:
    series = [ResponseSeries("Booster 2 · 1 Sep", ((-1, 4.0), (20, 7.0), (45, 4.0)), 45)]
    fig = response_chart(series, median)
    low, high = fig.layout.xaxis.range
    assert (low, high) == (-3, end)
    days = figures.whole_days(median)
    (line,) = [s for s in fig.layout.shapes if s.x0 == days]
    assert low < line.x0 <= high - figures.MEDIAN_ROOM
    (label,) = [a for a in fig.layout.annotations if a.text == f"your median: {days} days"]
    # The label runs from the line into the wider side, so it is never cut off at the edge.
    assert label.x == days
    assert label.xanchor == ("left" if days < (low + high) / 2 else "right")
    ticks = list(fig.layout.xaxis.tickvals)
    assert ticks[0] == -3 and ticks[-1] <= high and high - ticks[-1] < 14
    # The numbers stay at least a week apart (they fit at 360 px).
    assert min(b - a for a, b in itertools.pairwise(ticks[1:])) >= 7


def test_a_41_day_infusion_is_drawn_to_where_it_fell_back_and_said_in_words() -> None:
    series = [ResponseSeries("Booster 2 · 1 Sep", ((-1, 4.0), (1, 8.0), (41, 4.0)), 41)]
    fig = response_chart(series, 41)
    assert max(fig.data[0].x) == 41 < fig.layout.xaxis.range[1]
    assert summaries.summarize_response(series, 41).endswith(
        "Your infusions lasted about 41 days (median)."
    )
