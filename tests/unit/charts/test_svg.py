"""The inline SVG charts of the clinician summary: structure, scales, labels, escaping, contrast."""

from __future__ import annotations

import ast
import inspect
import itertools
import re
import sys
import time
import xml.etree.ElementTree as ET
from datetime import date, datetime, timedelta

import pytest

from companion.charts import svg
from companion.charts.figures import InfusionMark, MoodPoint, ScoreReading
from companion.charts.svg import (
    LABEL_GAP,
    LEFT,
    LEGEND_LINE,
    MIN_WIDTH,
    MOOD_HEIGHT,
    QUESTIONNAIRE_HEIGHT,
    RIGHT,
    WIDTH,
    day_x,
    guide_label_ys,
    mood_svg,
    mood_y,
    questionnaire_svg,
    score_y,
)
from companion.clinical import GAD7, PHQ9, Instrument, rolling_mean

NS = "{http://www.w3.org/2000/svg}"
START = date(2026, 3, 1)
END = date(2026, 3, 30)
HOSTILE = "<script>alert(1)</script> \"&'"
BASELINES = (5, 6, 9, 10, 11, 20, 27)


def day(n: int) -> date:
    return START + timedelta(days=n)


def parse(text: str) -> ET.Element:
    return ET.fromstring(text)  # noqa: S314 - our own output


def classes(element: ET.Element) -> list[str]:
    return (element.get("class") or "").split()


def plot(root: ET.Element) -> list[ET.Element]:
    """Every element outside the legend (whose keys reuse the series' classes)."""
    legend = {id(e) for g in root.iter(f"{NS}g") if "kc-legend" in classes(g) for e in g.iter()}
    return [e for e in root.iter() if id(e) not in legend]


def with_class(root: ET.Element, name: str, tag: str | None = None) -> list[ET.Element]:
    return [e for e in plot(root) if name in classes(e) and (tag is None or e.tag == f"{NS}{tag}")]


def texts(root: ET.Element) -> list[str]:
    return [e.text or "" for e in root.iter(f"{NS}text")]


def moves(path: ET.Element) -> list[tuple[float, float]]:
    """The (x, y) of each M command of a path."""
    return [(float(x), float(y)) for x, y in re.findall(r"M([\d.]+) ([\d.]+)", path.get("d", ""))]


def mood(
    points: list[MoodPoint] | None = None,
    marks: list[InfusionMark] | None = None,
    start: date = START,
    end: date = END,
    title: str = "Mood",
    summary: str = "Mood rose.",
    width: int = WIDTH,
) -> ET.Element:
    return parse(
        mood_svg(points or [], marks or [], start, end, title=title, summary=summary, width=width)
    )


def questionnaire(
    readings: list[ScoreReading] | None = None,
    baseline: int | None = 20,
    marks: list[InfusionMark] | None = None,
    instrument: Instrument = PHQ9,
    title: str = "PHQ-9",
    width: int = WIDTH,
    start: date = START,
    end: date = END,
) -> ET.Element:
    return parse(
        questionnaire_svg(
            instrument,
            readings or [],
            baseline,
            marks or [],
            start,
            end,
            title=title,
            summary="PHQ-9 fell.",
            width=width,
        )
    )


def daily(days: range, value: float = 6) -> list[MoodPoint]:
    return [MoodPoint(day(n), value) for n in days]


# --- the svg element -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("root", "height"),
    [
        (mood(daily(range(10))), MOOD_HEIGHT),
        (questionnaire([ScoreReading(day(2), 18)]), QUESTIONNAIRE_HEIGHT),
    ],
)
def test_svg_element_is_responsive_and_labelled(root: ET.Element, height: int) -> None:
    assert root.tag == f"{NS}svg"
    assert root.get("viewBox") == f"0 0 {WIDTH} {height}"
    assert root.get("width") == "100%"
    assert root.get("height") is None
    assert root.get("role") == "img"
    assert root.get("font-family") == "system-ui, sans-serif"
    title = root.find(f"{NS}title")
    desc = root.find(f"{NS}desc")
    assert title is not None and desc is not None
    assert root.get("aria-labelledby", "").split() == [title.get("id"), desc.get("id")]
    assert title.text in {"Mood", "PHQ-9"}
    assert desc.text in {"Mood rose.", "PHQ-9 fell."}


def test_ids_come_from_the_title_and_differ_between_charts() -> None:
    first = mood(title="Mood, last 30 days").find(f"{NS}title")
    second = questionnaire(title="PHQ-9 totals").find(f"{NS}title")
    assert first is not None and second is not None
    assert first.get("id") == "kc-mood-last-30-days-title"
    assert second.get("id") == "kc-phq-9-totals-title"
    nothing = mood(title="!!!").find(f"{NS}title")
    assert nothing is not None and nothing.get("id") == "kc-chart-title"


def test_output_is_deterministic_and_has_no_declaration() -> None:
    args = (daily(range(0, 30, 2)), [InfusionMark(day(3), "Induction 1 · IV")], START, END)
    first = mood_svg(*args, title="Mood", summary="s")
    assert first == mood_svg(*args, title="Mood", summary="s")
    assert first.startswith("<svg ") and first.endswith("</svg>")


def test_no_scripts_links_or_hard_coded_colours() -> None:
    marks = [InfusionMark(day(2), "Induction 1"), InfusionMark(day(20), "Booster 1", True)]
    for output in (
        mood_svg(daily(range(30)), marks, START, END, title="t", summary="s"),
        questionnaire_svg(
            PHQ9, [ScoreReading(day(1), 20)], 20, marks, START, END, title="t", summary="s"
        ),
    ):
        root = parse(output)
        assert not any(e.tag == f"{NS}script" for e in root.iter())
        for element in root.iter():
            assert not any(name.endswith("href") for name in element.attrib)
            # Colours live in the <style> block only, so dark mode and print can change them.
            assert element.get("stroke") is None
            assert element.get("fill") in (None, "none")
        assert "url(" not in output
        style = root.find(f"{NS}style")
        assert style is not None and style.text
        assert "prefers-color-scheme: dark" in style.text
        assert "@media print" in style.text


def test_style_is_safe_inside_html() -> None:
    # In HTML foreign content the style's text is parsed as markup: no tags, no entities.
    assert "<" not in svg.STYLE and "&" not in svg.STYLE and ">" not in svg.STYLE
    # Scoped, as it applies to the whole page once inlined.
    rules = re.sub(r"@media[^{]*\{", "", svg.STYLE)
    selectors = [s for s in re.findall(r"([^{}]+)\{", rules)]
    assert selectors and all(s.startswith(".kc-chart") for s in selectors)


def test_module_imports_only_the_standard_library_and_ours() -> None:
    tree = ast.parse(inspect.getsource(svg))
    modules = {
        node.module if isinstance(node, ast.ImportFrom) else alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    }
    for module in modules:
        assert module is not None
        top = module.split(".")[0]
        assert top in sys.stdlib_module_names or module.startswith(
            ("companion.clinical", "companion.charts")
        ), module


# --- mood ----------------------------------------------------------------------------------------


def test_one_dot_per_logged_day_in_range() -> None:
    points = [
        *daily(range(-5, 0)),  # before the range: only for the mean
        *daily(range(0, 30, 3)),
        MoodPoint(day(3), 9),  # the same day again: the later one wins
        MoodPoint(datetime(2026, 3, 11, 21, 30), 4),  # a datetime is its calendar day
        MoodPoint(END + timedelta(days=1), 5),
    ]
    root = mood(points)
    (dots,) = with_class(root, "kc-mood-dot", "g")
    circles = dots.findall(f"{NS}circle")
    assert len(circles) == 11  # days 0, 3, …, 27 and 11 March
    ys = {float(c.get("cx", "")): float(c.get("cy", "")) for c in circles}
    assert ys[round(day_x(day(3), START, END), 1)] == pytest.approx(mood_y(9), abs=0.05)


def test_a_gap_breaks_the_mood_line() -> None:
    root = mood(daily(range(0, 5)) + daily(range(7, 12)) + daily(range(20, 21)))
    (line,) = with_class(root, "kc-mood", "path")
    starts = moves(line)
    assert len(starts) == 3
    assert starts[0][0] == pytest.approx(day_x(day(0), START, END), abs=0.05)
    assert starts[1][0] == pytest.approx(day_x(day(7), START, END), abs=0.05)
    # A day on its own is still drawn, as a dot.
    assert "h0" in line.get("d", "")


def test_the_mean_at_the_first_day_uses_the_days_before() -> None:
    points = [*daily(range(-3, 0), 2), MoodPoint(START, 9)]
    root = mood(points)
    (mean,) = with_class(root, "kc-mean", "path")
    x, y = moves(mean)[0]
    assert x == pytest.approx(day_x(START, START, END), abs=0.05)
    assert y == pytest.approx(mood_y((2 + 2 + 2 + 9) / 4), abs=0.05)


@pytest.mark.parametrize(
    ("start", "end"),
    [(START, END), (day(-40), day(-20)), (day(2), day(2)), (day(25), day(60)), (day(-90), END)],
)
@pytest.mark.parametrize("scale", [1, 0.5, 1 / 3])
def test_the_mean_matches_the_clinical_rolling_mean(start: date, end: date, scale: float) -> None:
    # Whole and half moods take the running sum, thirds the fsum per window: both to the bit.
    moods = {
        day(n): (n * 7) % 11 * scale for n in range(-60, 40) if n % 5 != 0 and not 12 <= n <= 22
    }
    expected = {d: v for d, v in rolling_mean(moods, 7).items() if start <= d <= end}
    assert svg._trailing_mean(moods, start, end) == expected


def test_mood_ticks_and_scale() -> None:
    root = mood(daily(range(3)))
    assert {"0", "5", "10"} <= set(texts(root))
    assert mood_y(0) == svg._plot_bottom(MOOD_HEIGHT)
    assert mood_y(10) > svg.PLOT_TOP
    assert mood_y(12) == mood_y(svg.MOOD_TOP)  # out-of-range values stay in the plot


def test_infusions_in_range_only_and_planned_dashed() -> None:
    marks = [
        InfusionMark(day(-1), "Induction 1 · IV 0.5 mg/kg"),
        InfusionMark(day(4), "Induction 2 · IV 0.5 mg/kg"),
        InfusionMark(day(18), "Induction 3 · IV 0.5 mg/kg"),
        InfusionMark(day(29), "Booster 1 · IM", planned=True),
        InfusionMark(END + timedelta(days=1), "Booster 2 · IM", planned=True),
    ]
    root = mood(daily(range(30)), marks)
    lines = with_class(root, "kc-infusion", "line")
    assert len(lines) == 3
    planned = [line for line in lines if "kc-planned" in classes(line)]
    assert len(planned) == 1
    assert float(planned[0].get("x1", "")) == pytest.approx(day_x(day(29), START, END), abs=0.05)
    assert planned[0].get("stroke-dasharray") != lines[0].get("stroke-dasharray")
    labels = [e.text for e in with_class(root, "kc-infusion-label", "text")]
    assert labels == ["Induction 2", "Induction 3", "Booster 1"]
    (legend,) = [g for g in root.iter(f"{NS}g") if "kc-legend" in classes(g)]
    keys = [e.text for e in legend.iter(f"{NS}text")]
    assert keys == ["Mood", "7-day average", "Infusion", "Planned infusion"]


def label_spans(root: ET.Element) -> list[tuple[float, float]]:
    spans = []
    for element in with_class(root, "kc-infusion-label", "text"):
        half = svg._text_width(element.text or "") / 2
        x = float(element.get("x", ""))
        spans.append((x - half, x + half))
    return spans


@pytest.mark.parametrize(
    ("start", "end", "every"), [(START, END, 2), (START, START + timedelta(days=364), 7)]
)
def test_crowded_infusion_labels_never_overlap(start: date, end: date, every: int) -> None:
    marks = [
        InfusionMark(start + timedelta(days=every * n), f"Induction {n + 1} · IV") for n in range(6)
    ] + [
        InfusionMark(start + timedelta(days=every * n + 50), f"Booster {n + 1} · IV")
        for n in range(4)
    ]
    root = mood([], marks, start, end)
    assert len(with_class(root, "kc-infusion", "line")) == len([m for m in marks if m.day <= end])
    spans = label_spans(root)
    labels = [e.text for e in with_class(root, "kc-infusion-label", "text")]
    assert labels[0] == "Induction 1"
    for (_, right), (left, _) in itertools.pairwise(spans):
        assert left >= right + svg.INFUSION_LABEL_GAP
    assert all(left >= 0 and right <= WIDTH for left, right in spans)


def test_crowded_labels_name_each_phase_before_its_numbers() -> None:
    # Every third day: the names do not fit side by side, the numbers do.
    marks = [InfusionMark(day(6 + 3 * n), f"Induction {n + 1} · IV") for n in range(6)]
    marks += [InfusionMark(day(25 + 3 * n), f"Booster {n + 1} · IM") for n in range(2)]
    root = mood([], marks)
    found = with_class(root, "kc-infusion-label", "text")
    assert [e.text for e in found] == ["Induction 1", "2", "3", "4", "5", "6", "Booster 1", "2"]
    # A name hangs left of its line, so that its number is on the line.
    right = float(found[0].get("x", "")) + svg._text_width("Induction 1") / 2
    assert right == pytest.approx(day_x(day(6), START, END) + svg._text_width("1") / 2, abs=0.1)


def test_a_number_never_follows_another_phase() -> None:
    # A year: the first booster's name does not fit beside the induction's, so a later booster
    # is named in full rather than shown as a number that would read as an induction's.
    start, end = date(2025, 1, 1), date(2025, 12, 31)
    marks = [InfusionMark(start + timedelta(days=n), f"Induction {n + 1}") for n in range(6)]
    marks += [
        InfusionMark(start + timedelta(days=40 + 21 * n), f"Booster {n + 1}") for n in range(15)
    ]
    labels = [e.text or "" for e in with_class(mood([], marks, start, end), "kc-infusion-label")]
    assert labels[0] == "Induction 1"
    (booster,) = [n for n, label in enumerate(labels) if label.startswith("Booster")]
    assert all(label.isdigit() and int(label) <= 6 for label in labels[1:booster])
    named = int(labels[booster].split()[1])
    assert all(label.isdigit() and int(label) > named for label in labels[booster + 1 :])
    assert len(labels) > booster + 5


def test_no_points_still_draws_the_axes() -> None:
    root = mood()
    assert "No data in this period" in texts(root)
    assert with_class(root, "kc-axis", "line")
    assert not with_class(root, "kc-mood", "path")


def test_end_before_start_is_an_error() -> None:
    with pytest.raises(ValueError):
        mood_svg([], [], END, START, title="t", summary="s")


# --- x axis --------------------------------------------------------------------------------------


@pytest.mark.parametrize("days", [1, 2, 5, 6, 7, 12, 13, 30, 42, 43, 84, 90, 120, 200, 365, 3000])
def test_x_ticks_are_few_and_never_collide(days: int) -> None:
    start = date(2026, 1, 1)
    end = start + timedelta(days=days - 1)
    root = mood([], [], start, end)
    bottom = svg._plot_bottom(MOOD_HEIGHT)
    ticks = [
        e
        for e in with_class(root, "kc-label", "text")
        if float(e.get("y", "")) == bottom + svg.TICK_ROW
    ]
    assert 1 <= len(ticks) <= svg.MAX_X_TICKS
    spans = sorted(
        (
            float(e.get("x", "")) - svg._text_width(e.text or "") / 2,
            float(e.get("x", "")) + svg._text_width(e.text or "") / 2,
        )
        for e in ticks
    )
    for (_, right), (left, _) in itertools.pairwise(spans):
        assert left > right + 4
    assert spans[0][0] >= 0 and spans[-1][1] <= WIDTH


def test_tick_labels_show_the_year_only_across_years() -> None:
    within = texts(mood([], [], date(2026, 3, 1), date(2026, 3, 30)))
    assert "1 Mar" in within and not any("2026" in t for t in within)
    across = svg._tick_labels(
        svg._x_ticks(date(2025, 11, 1), date(2026, 2, 28)), date(2025, 11, 1), date(2026, 2, 28)
    )
    assert across == ["1 Nov 2025", "1 Dec", "1 Jan 2026", "1 Feb"]


# --- questionnaire -------------------------------------------------------------------------------


@pytest.mark.parametrize(("instrument", "count"), [(PHQ9, 5), (GAD7, 4)])
def test_one_band_per_severity(instrument: Instrument, count: int) -> None:
    root = questionnaire([ScoreReading(day(1), 12)], instrument=instrument)
    bands = with_class(root, "kc-band", "rect")
    assert len(bands) == count
    assert [b.get("class") for b in bands] == [f"kc-band kc-band-{n}" for n in range(count)]
    opacities = [float(b.get("fill-opacity", "")) for b in bands]
    assert opacities == sorted(opacities)
    names = [e.text for e in with_class(root, "kc-band-name", "text")]
    assert names == [band.severity for band in instrument.bands]
    top = float(bands[-1].get("y", ""))
    assert top == pytest.approx(score_y(instrument, instrument.max_total + 0.5), abs=0.05)
    ticks = {str(n) for n in range(0, instrument.max_total + 1, 5)}
    assert ticks <= set(texts(root))


def hline_y(root: ET.Element, name: str) -> float | None:
    found = with_class(root, name, "line")
    assert len(found) <= 1
    return float(found[0].get("y1", "")) if found else None


def test_guide_lines_at_their_totals() -> None:
    root = questionnaire([ScoreReading(day(1), 20), ScoreReading(day(9), 11)], baseline=20)
    assert hline_y(root, "kc-baseline") == pytest.approx(score_y(PHQ9, 20), abs=0.05)
    assert hline_y(root, "kc-response") == pytest.approx(score_y(PHQ9, 10), abs=0.05)
    assert hline_y(root, "kc-remission") == pytest.approx(score_y(PHQ9, 4.5), abs=0.05)
    # viewBox arithmetic: 0 at the plot bottom, 27.5 at its top.
    bottom, top = svg._plot_bottom(QUESTIONNAIRE_HEIGHT), svg.PLOT_TOP
    assert score_y(PHQ9, 10) == pytest.approx(bottom - 10 / 27.5 * (bottom - top))
    labels = texts(root)
    assert {"Baseline 20", "Response ≤ 10", "Remission < 5"} <= set(labels)
    dashes = {
        name: with_class(root, name, "line")[0].get("stroke-dasharray")
        for name in ("kc-baseline", "kc-response", "kc-remission")
    }
    assert len(set(dashes.values())) == 3


@pytest.mark.parametrize("baseline", [None, 0])
def test_no_response_line_without_a_baseline_above_zero(baseline: int | None) -> None:
    root = questionnaire([ScoreReading(day(1), 3)], baseline=baseline)
    assert hline_y(root, "kc-response") is None
    assert hline_y(root, "kc-remission") is not None
    assert (hline_y(root, "kc-baseline") is None) == (baseline is None)
    assert not any(t.startswith("Response") for t in texts(root))


@pytest.mark.parametrize(
    ("instrument", "baseline"),
    [
        (instrument, baseline)
        for instrument in (PHQ9, GAD7)
        for baseline in (*BASELINES, 0, 1, 2, 3, 4, 7, 8, 21, None)
        if baseline is None or baseline <= instrument.max_total
    ],
)
def test_line_labels_keep_apart(instrument: Instrument, baseline: int | None) -> None:
    root = questionnaire([ScoreReading(day(1), 14)], baseline, instrument=instrument)
    labels = [
        e
        for e in plot(root)
        if {"kc-baseline-label", "kc-response-label", "kc-remission-label"} & set(classes(e))
    ]
    ys = [float(e.get("y", "")) for e in labels]
    assert len(ys) == len(svg.guide_lines(baseline))
    assert ys == pytest.approx(guide_label_ys(instrument, baseline), abs=0.05)
    for a, b in itertools.combinations(ys, 2):
        assert abs(a - b) >= LABEL_GAP - 1e-6
    # In the plot, and in the same order as their lines.
    assert all(svg.PLOT_TOP < y <= svg._plot_bottom(QUESTIONNAIRE_HEIGHT) for y in ys)
    assert ys == sorted(ys)


def test_score_line_and_dots() -> None:
    readings = [ScoreReading(day(20), 9), ScoreReading(day(1), 22), ScoreReading(day(-5), 25)]
    root = questionnaire(readings)
    (dots,) = with_class(root, "kc-score-dot", "g")
    circles = dots.findall(f"{NS}circle")
    assert len(circles) == 2
    first = circles[0]
    assert float(first.get("cy", "")) == pytest.approx(score_y(PHQ9, 22), abs=0.05)
    (line,) = with_class(root, "kc-score", "path")
    assert len(moves(line)) == 1


def test_questionnaire_without_readings() -> None:
    root = questionnaire([], baseline=None)
    assert "No data in this period" in texts(root)
    assert len(with_class(root, "kc-band", "rect")) == 5
    assert not with_class(root, "kc-score", "path")


def test_questionnaire_infusions() -> None:
    marks = [InfusionMark(day(3), "Induction 1 · IV"), InfusionMark(day(40), "Booster 1")]
    root = questionnaire([ScoreReading(day(1), 20)], marks=marks)
    assert len(with_class(root, "kc-infusion", "line")) == 1
    assert [e.text for e in with_class(root, "kc-infusion-label", "text")] == ["Induction 1"]


# --- escaping ------------------------------------------------------------------------------------


def test_hostile_text_is_escaped() -> None:
    marks = [
        InfusionMark(day(2), f"{HOSTILE} · IV"),
        InfusionMark(day(25), "Induction \"&' 2 · IV"),
    ]
    outputs = [
        mood_svg(daily(range(5)), marks, START, END, title=HOSTILE, summary=HOSTILE),
        questionnaire_svg(
            PHQ9, [], 10, marks, START, END, title=HOSTILE, summary=f"{HOSTILE}\x00\x1b"
        ),
    ]
    for output in outputs:
        assert "<script" not in output
        root = parse(output)
        assert not any(e.tag.endswith("script") for e in root.iter())
        title, desc = root.find(f"{NS}title"), root.find(f"{NS}desc")
        assert title is not None and title.text == HOSTILE
        assert desc is not None and desc.text == HOSTILE  # control characters dropped
        labels = [e.text for e in with_class(root, "kc-infusion-label", "text")]
        assert HOSTILE in labels
        assert "Induction \"&' 2" in labels


# --- colour --------------------------------------------------------------------------------------


def rgb(colour: str, background: str = svg.BACKGROUND_DARK) -> tuple[float, float, float]:
    """A #RRGGBB or rgba() colour as 0-1 channels, composited over the background."""
    if colour.startswith("#"):
        return tuple(int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))  # type: ignore[return-value]
    red, green, blue, alpha = (float(v) for v in re.findall(r"[\d.]+", colour))
    under = rgb(background)
    return tuple(
        alpha * value / 255 + (1 - alpha) * base
        for value, base in zip((red, green, blue), under, strict=True)
    )  # type: ignore[return-value]


def blend(colour: str, alpha: float, background: str) -> tuple[float, float, float]:
    over, under = rgb(colour), rgb(background)
    return tuple(alpha * a + (1 - alpha) * b for a, b in zip(over, under, strict=True))  # type: ignore[return-value]


def luminance(channels: tuple[float, float, float]) -> float:
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: tuple[float, float, float], b: tuple[float, float, float]) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_contrast_ratio_matches_wcag_examples() -> None:
    assert contrast(rgb("#000000"), rgb("#FFFFFF")) == pytest.approx(21)
    assert contrast(rgb("#777777"), rgb("#FFFFFF")) == pytest.approx(4.48, abs=0.01)


@pytest.mark.parametrize(
    ("palette", "background"),
    [(svg.DARK, svg.BACKGROUND_DARK), (svg.LIGHT, svg.BACKGROUND_LIGHT)],
)
def test_text_reads_on_the_background_and_on_every_band(
    palette: dict[str, str], background: str
) -> None:
    text = rgb(palette["text"], background)
    assert contrast(text, rgb(background)) >= 4.5
    low, high = svg.BAND_OPACITIES
    for alpha in (low, high):
        assert contrast(text, blend(palette["band"], alpha, background)) >= 4.5


@pytest.mark.parametrize("key", ["axis", "mood", "mean", "infusion", "planned", "score", "guide"])
def test_dark_lines_reach_3_to_1(key: str) -> None:
    colour = svg.DARK[key]
    assert contrast(rgb(colour), rgb(svg.BACKGROUND_DARK)) >= 3


def test_every_class_has_a_colour_in_each_mode() -> None:
    for palette in (svg.LIGHT, svg.DARK, svg.PRINT):
        assert {key for _, _, key in svg._COLOURED} <= set(palette)
    for name in ("kc-label", "kc-mood", "kc-mean", "kc-band", "kc-planned", "kc-remission"):
        assert svg.STYLE.count(f".kc-chart .{name}{{") == 3


# --- narrow charts -------------------------------------------------------------------------------

WIDTHS = (320, 360, WIDTH)
NINETY_START = date(2026, 1, 5)
NINETY_END = NINETY_START + timedelta(days=89)
GLYPH = 0.6  # an average glyph width, in em
ASCENT, DESCENT = 0.8, 0.2  # a text's box above and below its baseline, in em
Box = tuple[float, float, float, float]  # left, top, right, bottom


def text_boxes(root: ET.Element) -> list[tuple[str, Box]]:
    """Each text and a rough box around it, from its x, y, text-anchor and font size (its own or
    the chart's): GLYPH em per character, ASCENT em above the baseline and DESCENT below."""
    default = float(root.get("font-size", ""))
    boxes = []
    for element in root.iter(f"{NS}text"):
        text = element.text or ""
        size = float(element.get("font-size") or default)
        width = len(text) * GLYPH * size
        x, y = float(element.get("x", "")), float(element.get("y", ""))
        anchor = element.get("text-anchor", "start")
        left = {"start": x, "middle": x - width / 2, "end": x - width}[anchor]
        boxes.append((text, (left, y - ASCENT * size, left + width, y + DESCENT * size)))
    return boxes


def overlapping(root: ET.Element) -> list[tuple[str, str]]:
    """The pairs of texts whose boxes overlap (by more than the 0.05 the coordinates are
    rounded to); touching is fine."""
    pairs = []
    for (a, (al, at, ar, ab)), (b, (bl, bt, br, bb)) in itertools.combinations(text_boxes(root), 2):
        if al < br - 0.05 and bl < ar - 0.05 and at < bb - 0.05 and bt < ab - 0.05:
            pairs.append((a, b))
    return pairs


def outside(root: ET.Element) -> list[str]:
    """The texts whose boxes reach outside the viewBox."""
    _, _, width, height = (float(v) for v in root.get("viewBox", "").split())
    return [
        text
        for text, (left, top, right, bottom) in text_boxes(root)
        if left < 0 or top < 0 or right > width or bottom > height
    ]


def course(start: date = NINETY_START) -> list[InfusionMark]:
    """Six infusions: four inductions in two weeks, a booster, and a booster planned for the
    range's second-to-last day (its label pulled in from the right edge)."""
    marks = [
        InfusionMark(start + timedelta(days=n), f"Induction {k + 1} · IV 0.5 mg/kg")
        for k, n in enumerate((2, 5, 9, 12))
    ]
    return [
        *marks,
        InfusionMark(start + timedelta(days=45), "Booster 1 · IM"),
        InfusionMark(start + timedelta(days=88), "Booster 2 · IM", planned=True),
    ]


def ninety_day_mood(width: int, title: str = "Mood by day") -> str:
    points = [
        MoodPoint(NINETY_START + timedelta(days=n), min(10, 3 + n // 12 + n % 3))
        for n in range(-6, 90)
        if n % 6
    ]
    marks = course()
    return mood_svg(points, marks, NINETY_START, NINETY_END, title=title, summary="s", width=width)


def ninety_day_phq9(baseline: int, width: int, title: str = "PHQ-9 over time") -> str:
    readings = [
        ScoreReading(NINETY_START + timedelta(days=n), max(0, baseline - n // 8))
        for n in range(0, 90, 14)
    ]
    return questionnaire_svg(
        PHQ9,
        readings,
        baseline,
        course(),
        NINETY_START,
        NINETY_END,
        title=title,
        summary="s",
        width=width,
    )


CHARTS = [("mood", lambda width: ninety_day_mood(width))] + [
    (f"phq9-{baseline}", lambda width, baseline=baseline: ninety_day_phq9(baseline, width))
    for baseline in (5, 10, 20, 27)
]


def test_the_text_box_helper() -> None:
    root = parse(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 50" font-size="10">'
        '<text x="50" y="20" text-anchor="middle">abcd</text>'
        '<text x="50" y="40" text-anchor="end" font-size="20">ab</text>'
        '<text x="26" y="28">xy</text></svg>'
    )
    assert [box for _, box in text_boxes(root)] == [
        pytest.approx((38, 12, 62, 22)),
        pytest.approx((26, 24, 50, 44)),
        pytest.approx((26, 20, 38, 30)),
    ]
    assert overlapping(root) == [("ab", "xy")]
    assert not outside(root)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize(("name", "build"), CHARTS, ids=[name for name, _ in CHARTS])
def test_charts_take_the_requested_width(name: str, build: object, width: int) -> None:
    root = parse(build(width))  # type: ignore[operator]
    x, y, view_width, height = (float(v) for v in root.get("viewBox", "").split())
    assert (x, y, view_width) == (0, 0, width)
    base = MOOD_HEIGHT if name == "mood" else QUESTIONNAIRE_HEIGHT
    assert base <= height <= 300
    assert root.get("width") == "100%"
    assert root.get("font-size") == str(svg.FONT_SIZE)  # the same size in units at any width


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize(("name", "build"), CHARTS, ids=[name for name, _ in CHARTS])
def test_no_two_texts_overlap(name: str, build: object, width: int) -> None:
    root = parse(build(width))  # type: ignore[operator]
    assert len(text_boxes(root)) > 10
    assert overlapping(root) == []


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize(("name", "build"), CHARTS, ids=[name for name, _ in CHARTS])
def test_all_text_stays_inside_the_viewbox(name: str, build: object, width: int) -> None:
    assert outside(parse(build(width))) == []  # type: ignore[operator]


@pytest.mark.parametrize("width", [MIN_WIDTH, 300, 414, 800])
@pytest.mark.parametrize("days", [1, 9, 30, 120, 365, 800])
def test_texts_keep_apart_at_any_supported_width(width: int, days: int) -> None:
    start = date(2025, 12, 20)
    end = start + timedelta(days=days - 1)
    marks = course(start)
    points = [MoodPoint(start + timedelta(days=n), n % 11) for n in range(days)]
    for root in (
        mood(points, marks, start, end, width=width),
        mood([], marks, start, end, width=width),
        *(
            questionnaire(readings, baseline, marks, PHQ9, width=width, start=start, end=end)
            for readings in ([ScoreReading(start, 12)], [])
            for baseline in (None, 3, 12, 14, 27)
        ),
    ):
        assert overlapping(root) == []
        assert outside(root) == []
        assert float(root.get("viewBox", "").split()[3]) <= 300


def test_ids_carry_a_narrow_width() -> None:
    wide, narrow = parse(ninety_day_mood(WIDTH)), parse(ninety_day_mood(360))
    ids = [[e.get("id") for e in root.iter() if e.get("id") is not None] for root in (wide, narrow)]
    assert ids[0] == ["kc-mood-by-day-title", "kc-mood-by-day-desc"]
    assert ids[1] == ["kc-mood-by-day-360-title", "kc-mood-by-day-360-desc"]
    assert narrow.get("aria-labelledby", "").split() == ids[1]
    # Both on one page, with the questionnaire twice as well: every id once.
    page = ids[0] + ids[1]
    for width in (WIDTH, 360, 320):
        found = parse(ninety_day_phq9(20, width))
        page += [e.get("id") for e in found.iter() if e.get("id") is not None]
    assert len(page) == len(set(page)) == 10


def test_the_default_width_is_the_wide_chart() -> None:
    args = (daily(range(30)), course(START), START, END)
    assert mood_svg(*args, title="m", summary="s") == mood_svg(
        *args, title="m", summary="s", width=WIDTH
    )
    readings = [ScoreReading(day(1), 20)]
    assert questionnaire_svg(
        PHQ9, readings, 20, course(START), START, END, title="q", summary="s"
    ) == questionnaire_svg(
        PHQ9, readings, 20, course(START), START, END, title="q", summary="s", width=WIDTH
    )


@pytest.mark.parametrize("width", [MIN_WIDTH - 1, 0, -360])
def test_a_width_below_the_minimum_is_an_error(width: int) -> None:
    with pytest.raises(ValueError):
        mood_svg([], [], START, END, title="t", summary="s", width=width)
    with pytest.raises(ValueError):
        questionnaire_svg(PHQ9, [], 10, [], START, END, title="t", summary="s", width=width)


@pytest.mark.parametrize("width", WIDTHS)
def test_day_x_spans_the_plot_at_any_width(width: int) -> None:
    half = (width - LEFT - RIGHT) / 30 / 2
    assert day_x(START, START, END, width) == pytest.approx(LEFT + half)
    assert day_x(END, START, END, width) == pytest.approx(width - RIGHT - half)
    assert day_x(START, START, END) == day_x(START, START, END, WIDTH)


@pytest.mark.parametrize(("width", "most"), [(320, 3), (360, 4)])
@pytest.mark.parametrize("days", [1, 2, 5, 7, 12, 13, 30, 42, 43, 60, 90, 120, 200, 365, 3000])
def test_narrow_x_ticks_are_fewer_and_never_collide(width: int, most: int, days: int) -> None:
    for start in (date(2026, 1, 1), date(2025, 12, 20), date(2026, 3, 2)):
        end = start + timedelta(days=days - 1)
        root = mood([], [], start, end, width=width)
        row = svg._plot_bottom(MOOD_HEIGHT) + svg.TICK_ROW
        ticks = [e for e in with_class(root, "kc-label", "text") if float(e.get("y", "")) == row]
        assert 1 <= len(ticks) <= most
        if days >= 7:
            assert len(ticks) >= 2
        spans = sorted(
            (
                float(e.get("x", "")) - svg._text_width(e.text or "") / 2,
                float(e.get("x", "")) + svg._text_width(e.text or "") / 2,
            )
            for e in ticks
        )
        for (_, right), (left, _) in itertools.pairwise(spans):
            assert left >= right + svg.TICK_LABEL_GAP - 0.05
        assert spans[0][0] >= 0 and spans[-1][1] <= width


def legend_rows(root: ET.Element) -> list[list[str]]:
    (legend,) = [g for g in root.iter(f"{NS}g") if "kc-legend" in classes(g)]
    rows: dict[float, list[str]] = {}
    for element in legend.iter(f"{NS}text"):
        rows.setdefault(float(element.get("y", "")), []).append(element.text or "")
    return [rows[y] for y in sorted(rows)]


@pytest.mark.parametrize("width", WIDTHS)
def test_a_legend_too_wide_wraps_onto_a_second_row(width: int) -> None:
    mood_root = parse(ninety_day_mood(width))
    phq9_root = parse(ninety_day_phq9(20, width))
    mood_keys = ["Mood", "7-day average", "Infusion", "Planned infusion"]
    phq9_keys = ["PHQ-9 total", "Infusion", "Planned infusion"]
    for root, keys, base in (
        (mood_root, mood_keys, MOOD_HEIGHT),
        (phq9_root, phq9_keys, QUESTIONNAIRE_HEIGHT),
    ):
        rows = legend_rows(root)
        assert [key for row in rows for key in row] == keys
        assert len(rows) == (1 if width == WIDTH else 2)
        height = float(root.get("viewBox", "").split()[3])
        assert height == base + (len(rows) - 1) * LEGEND_LINE
    (legend,) = [g for g in mood_root.iter(f"{NS}g") if "kc-legend" in classes(g)]
    for element in legend.iter(f"{NS}text"):
        assert float(element.get("x", "")) + svg._text_width(element.text or "") <= width - RIGHT


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("instrument", [PHQ9, GAD7])
def test_band_names_at_the_right_edge_clear_of_the_lines(
    width: int, instrument: Instrument
) -> None:
    for baseline in (None, *range(instrument.max_total + 1)):
        root = questionnaire(
            [ScoreReading(day(1), 14)], baseline, instrument=instrument, width=width
        )
        names = with_class(root, "kc-band-name", "text")
        bands = with_class(root, "kc-band", "rect")
        lines = [
            float(e.get("y1", ""))
            for name in ("kc-baseline", "kc-response", "kc-remission")
            for e in with_class(root, name, "line")
        ]
        boxes = dict(text_boxes(root))
        for element, band in zip(names, bands, strict=True):
            assert element.get("text-anchor") == "end"
            assert float(element.get("x", "")) == width - RIGHT - 4
            _, top, _, bottom = boxes[element.text or ""]
            band_top = float(band.get("y", ""))
            assert band_top - 0.05 <= top and bottom <= band_top + float(band.get("height", ""))
            if baseline != 3:  # its lines cut "minimal" into strips too thin for a name
                assert not [y for y in lines if top - 1.45 < y < bottom + 1.45], baseline
        assert overlapping(root) == []


@pytest.mark.parametrize("width", [320, 360])
@pytest.mark.parametrize("baseline", [*BASELINES, 0, 1, 2, 3, 4, None])
def test_line_labels_keep_apart_when_narrow(width: int, baseline: int | None) -> None:
    root = questionnaire([ScoreReading(day(1), 14)], baseline, width=width)
    labels = [
        e
        for e in plot(root)
        if {"kc-baseline-label", "kc-response-label", "kc-remission-label"} & set(classes(e))
    ]
    ys = [float(e.get("y", "")) for e in labels]
    assert ys == pytest.approx(guide_label_ys(PHQ9, baseline), abs=0.05)
    for a, b in itertools.pairwise(ys):
        assert b - a >= LABEL_GAP - 1e-6
    assert all(float(e.get("x", "")) == LEFT + 4 for e in labels)


@pytest.mark.parametrize("width", [320, 360])
@pytest.mark.parametrize(
    ("start", "end", "every"), [(START, END, 2), (START, START + timedelta(days=364), 7)]
)
def test_narrow_infusion_labels_never_overlap(
    width: int, start: date, end: date, every: int
) -> None:
    marks = [
        InfusionMark(start + timedelta(days=every * n), f"Induction {n + 1} · IV") for n in range(6)
    ] + [
        InfusionMark(start + timedelta(days=every * n + 50), f"Booster {n + 1} · IV")
        for n in range(4)
    ]
    root = mood([], marks, start, end, width=width)
    assert len(with_class(root, "kc-infusion", "line")) == len([m for m in marks if m.day <= end])
    found = with_class(root, "kc-infusion-label", "text")
    assert found[0].text == "Induction 1"
    spans = [
        (
            float(e.get("x", "")) - svg._text_width(e.text or "") / 2,
            float(e.get("x", "")) + svg._text_width(e.text or "") / 2,
        )
        for e in found
    ]
    for (_, right), (left, _) in itertools.pairwise(spans):
        assert left >= right + svg.INFUSION_LABEL_GAP
    assert all(left >= 0 and right <= width for left, right in spans)
    # Every line keeps its x scale: the last day's slot ends at the plot's right edge.
    lines = with_class(root, "kc-infusion", "line")
    assert float(lines[0].get("x1", "")) == pytest.approx(day_x(start, start, end, width), abs=0.05)


# --- speed ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("width", [WIDTH, 360])
def test_a_year_of_points_is_fast(width: int) -> None:
    start = date(2025, 1, 1)
    end = start + timedelta(days=364)
    points = [MoodPoint(start + timedelta(days=n), (n * 3) % 11) for n in range(-6, 365) if n % 9]
    readings = [ScoreReading(start + timedelta(days=n), (n // 14) % 28) for n in range(0, 365, 14)]
    marks = [
        InfusionMark(start + timedelta(days=n), f"Booster {n} · IM") for n in range(0, 365, 21)
    ]

    def best(build: object) -> float:
        timings = []
        for _ in range(5):
            began = time.perf_counter()
            build()  # type: ignore[operator]
            timings.append(time.perf_counter() - began)
        return min(timings)

    assert (
        best(lambda: mood_svg(points, marks, start, end, title="m", summary="s", width=width))
        < 0.005
    )
    assert (
        best(
            lambda: questionnaire_svg(
                PHQ9, readings, 20, marks, start, end, title="q", summary="s", width=width
            )
        )
        < 0.005
    )
