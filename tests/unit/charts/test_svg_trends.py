"""Trends' response, wellbeing and side-effect charts as SVG: what each draws, at every width the
page asks for, with the height the page reserves, readable in either mode and escaped."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from companion.charts import svg
from companion.charts.figures import MoodPoint, ResponseSeries, SideEffectRow, WellbeingDay
from companion.charts.svg import (
    MOOD_IMAGE_WIDTHS,
    mood_svg,
    response_svg,
    response_svg_height,
    side_effects_svg,
    side_effects_svg_height,
    wellbeing_svg,
    wellbeing_svg_height,
)
from tests.unit.charts.test_svg import (
    HOSTILE,
    NS,
    classes,
    contrast,
    outside,
    overlapping,
    parse,
    plot,
    rgb,
    text_boxes,
)

START = date(2026, 9, 1)
END = date(2026, 9, 30)
WIDTHS = (*MOOD_IMAGE_WIDTHS, 320, 360)


def series(count: int) -> list[ResponseSeries]:
    return [
        ResponseSeries(
            f"Induction {k + 1} · Mon {k + 1} Jun",
            tuple((d, float((d + k) % 11)) for d in range(-3, 36) if d % 5),
            None,
        )
        for k in range(count)
    ]


def wellbeing_days(start: date = START, days: int = 30) -> list[WellbeingDay]:
    return [
        WellbeingDay(
            start + timedelta(days=n),
            6 + n % 3 if n % 4 else None,
            n % 11,
            (n * 3) % 11 if n % 2 else None,
            n % 4 if n % 3 else None,
        )
        for n in range(days)
    ]


def rows(count: int) -> list[SideEffectRow]:
    return [
        SideEffectRow(
            f"Induction {k + 1} · Mon {k + 1} Jun",
            {"nausea": k % 4, "headache": 2, "bladder": 3 if k == 1 else 0},
            None if k == 2 else 2 * k,
        )
        for k in range(count)
    ]


def response(width: int, count: int = 5, median: float | None = 18.4) -> str:
    return response_svg(series(count), median, title="Response", summary="s", width=width)


def wellbeing(width: int) -> str:
    return wellbeing_svg(wellbeing_days(), START, END, title="Wellbeing", summary="s", width=width)


def side_effects(width: int, count: int = 5) -> str:
    return side_effects_svg(rows(count), title="Side effects", summary="s", width=width)


CHARTS = [("response", response), ("wellbeing", wellbeing), ("side_effects", side_effects)]
IDS = [name for name, _ in CHARTS]


def view_height(text: str) -> float:
    return float(parse(text).get("viewBox", "").split()[3])


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize(("name", "build"), CHARTS, ids=IDS)
def test_texts_never_overlap_or_leave_the_picture(name: str, build: object, width: int) -> None:
    root = parse(build(width))  # type: ignore[operator]
    assert root.get("viewBox", "").startswith(f"0 0 {width} ")
    assert len(text_boxes(root)) > 8
    assert overlapping(root) == []
    assert outside(root) == []


@pytest.mark.parametrize("width", MOOD_IMAGE_WIDTHS)
def test_the_height_the_page_reserves_is_the_drawings(width: int) -> None:
    for count in (1, 2, 8):
        drawn = response_svg(series(count), 30, title="r", summary="s", width=width)
        assert view_height(drawn) == response_svg_height(series(count), width)
    for days in (wellbeing_days(), [WellbeingDay(START, 7, None, None, None)]):
        drawn = wellbeing_svg(days, START, END, title="w", summary="s", width=width)
        assert view_height(drawn) == wellbeing_svg_height(days, START, END, width)
    for count in (1, 3, 6):
        drawn = side_effects_svg(rows(count), title="s", summary="s", width=width)
        assert view_height(drawn) == side_effects_svg_height(rows(count), width)


def test_response_latest_thick_and_named_the_earlier_grey_and_fading() -> None:
    root = parse(response(360, count=4))
    paths = [e for e in plot(root) if e.tag == f"{NS}path"]
    assert [classes(p)[0] for p in paths] == ["kc-earlier"] * 3 + ["kc-mood"]
    opacities = [
        float(g.get("stroke-opacity", "")) for g in root.iter(f"{NS}g") if g.get("stroke-opacity")
    ]
    assert opacities == sorted(opacities) and len(set(opacities)) == 3  # older, fainter
    legend = [
        t.text
        for g in root.iter(f"{NS}g")
        if "kc-legend" in classes(g)
        for t in g.iter(f"{NS}text")
    ]
    assert legend == ["Induction 4 · Mon 4 Jun", "Earlier (fainter: older)"]
    texts = [t.text for t in root.iter(f"{NS}text")]
    assert "Your median: 18 days" in texts and "Infusion" in texts
    assert "Days since infusion" in texts
    assert {"−3", "0", "7", "35"} <= set(texts)


def test_a_long_median_stretches_the_days_and_stays_on_the_chart() -> None:
    texts = [t.text for t in parse(response(360, median=41)).iter(f"{NS}text")]
    # To day 49, the whole week past the median's 41 + 3 days, so its line stays on the chart.
    assert "49" in texts and "Your median: 41 days" in texts
    assert "56" not in texts


def test_wellbeing_lines_per_rating_and_a_bar_per_night() -> None:
    days = wellbeing_days()
    root = parse(wellbeing_svg(days, START, END, title="w", summary="s", width=360))
    lines = {classes(e)[0] for e in plot(root) if e.tag == f"{NS}path"}
    assert lines == {"kc-anxiety", "kc-energy", "kc-pain"}
    bars = [r for g in root.iter(f"{NS}g") if "kc-sleep" in classes(g) for r in g]
    assert len(bars) == sum(d.sleep is not None for d in days)
    dashed = {classes(e)[0]: e.get("stroke-dasharray") for e in plot(root) if e.tag == f"{NS}path"}
    assert dashed["kc-anxiety"] is None and dashed["kc-energy"] != dashed["kc-pain"]


def test_wellbeing_leaves_out_what_was_not_logged() -> None:
    only_sleep = [WellbeingDay(START + timedelta(days=n), 7, None, None, None) for n in range(9)]
    root = parse(wellbeing_svg(only_sleep, START, END, title="w", summary="s", width=360))
    assert not [e for e in plot(root) if e.tag == f"{NS}path"]
    assert view_height(wellbeing_svg(only_sleep, START, END, title="w", summary="s")) == (
        svg.MOOD_HEIGHT
    )
    nothing = wellbeing_svg([], START, END, title="w", summary="s", width=360)
    assert svg.EMPTY_TEXT in nothing


def test_a_long_wellbeing_chart_draws_weeks_then_its_last_months_by_day() -> None:
    start = date(2016, 1, 1)
    end = date(2026, 9, 30)
    cutoff = end - timedelta(days=90)
    days = wellbeing_days(start, (end - start).days + 1)
    text = wellbeing_svg(days, start, end, cutoff, title="w", summary="s", width=360)
    root = parse(text)
    bars = [r for g in root.iter(f"{NS}g") if "kc-sleep" in classes(g) for r in g]
    weeks = -(-(cutoff - start).days // 7)
    nights = sum(d.sleep is not None for d in days if d.day >= cutoff)
    assert len(bars) == weeks + nights
    # Ten years stay a picture a phone fetches quickly, and draw no dots at that scale.
    assert len(text.encode()) < 120_000
    assert not any(e.tag == f"{NS}circle" for e in plot(root))


def test_side_effects_latest_three_with_a_note_and_only_what_was_felt() -> None:
    root = parse(side_effects(360, count=5))
    texts = [t.text for t in root.iter(f"{NS}text")]
    assert "Latest 3 of 5 infusions" in texts
    assert {"Induction 3", "Induction 4", "Induction 5"} <= set(texts)
    assert "Induction 2" not in texts
    bars = {classes(e)[0] for e in plot(root) if e.tag == f"{NS}rect"}
    # Bladder was felt only at the second infusion, which is not drawn.
    assert bars == {"kc-se-nausea", "kc-se-headache"}
    dots = [e for e in plot(root) if e.tag == f"{NS}circle"]
    assert len(dots) == 2  # the third drawn has no dissociation rating
    assert "Bladder or urinary discomfort" not in texts


def test_side_effect_bars_stand_for_their_severity() -> None:
    root = parse(
        side_effects_svg(
            [SideEffectRow("Booster 1 · Fri 2 Oct", {"nausea": 1, "headache": 3}, None)],
            title="s",
            summary="s",
            width=360,
        )
    )
    heights = {
        classes(e)[0]: float(e.get("height", "")) for e in plot(root) if e.tag == f"{NS}rect"
    }
    assert heights["kc-se-headache"] == pytest.approx(3 * heights["kc-se-nausea"], abs=0.2)


def test_hostile_labels_are_escaped() -> None:
    bad = [ResponseSeries(HOSTILE, ((0, 5.0), (1, 6.0)), None)]
    for text in (
        response_svg(bad, None, title=HOSTILE, summary=HOSTILE, width=360),
        side_effects_svg([SideEffectRow(HOSTILE, {"nausea": 2}, 3)], title="t", summary=HOSTILE),
    ):
        assert "<script>" not in text
        parse(text)  # well-formed


@pytest.mark.parametrize(
    "key",
    ["earlier", "anxiety", "energy", "pain", "sleep", "dissociation"]
    + [
        f"se-{k}"
        for k in (
            "nausea",
            "dizziness",
            "headache",
            "drowsiness",
            "blurred_vision",
            "anxiety",
            "bladder",
        )
    ],
)
def test_new_colours_reach_3_to_1_in_either_mode(key: str) -> None:
    assert contrast(rgb(svg.DARK[key]), rgb(svg.BACKGROUND_DARK)) >= 3
    assert contrast(rgb(svg.LIGHT[key], svg.BACKGROUND_LIGHT), rgb(svg.BACKGROUND_LIGHT)) >= 3


def test_a_long_mood_chart_draws_weeks_then_its_last_three_months_by_day() -> None:
    start, end = date(2016, 1, 1), date(2026, 9, 30)
    cutoff = end - timedelta(days=90)
    points = [
        MoodPoint(start + timedelta(days=n), n % 11) for n in range((end - start).days + 1) if n % 9
    ]
    text = mood_svg(points, [], start, end, title="m", summary="s", width=300, weekly_before=cutoff)
    dots = [c for g in parse(text).iter(f"{NS}g") if "kc-mood-dot" in classes(g) for c in g]
    weeks = -(-(cutoff - start).days // 7)  # every week has a logged day
    days = sum(1 for p in points if p.day >= cutoff)
    assert len(dots) == weeks + days + 1  # and the legend's key
    daily = mood_svg(points, [], start, end, title="m", summary="s", width=300)
    assert len(text) < len(daily) / 3
    # The weeks' dots are their means: a week of 0..6 is drawn at 3.
    same = [MoodPoint(start + timedelta(days=n), n % 7) for n in range(400)]
    week = mood_svg(
        same,
        [],
        start,
        start + timedelta(days=399),
        title="m",
        summary="s",
        width=300,
        weekly_before=start + timedelta(days=300),
    )
    root = parse(week)
    drawn = [c for g in plot(root) if "kc-mood-dot" in classes(g) for c in g]
    # (the first week, cut short by the start, has a mean of its own days)
    assert {c.get("cy") for c in drawn[1:40]} == {f"{svg.mood_y(3):.1f}"}
