"""Pure Plotly figure builders for Trends: plain data in, a go.Figure out (Scatter and Bar only, as
the page renders them with the plotly.js basic bundle)."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import plotly.graph_objects as go  # type: ignore[import-untyped]

from companion.charts import theme
from companion.clinical import (
    SEVERITIES,
    SIDE_EFFECTS,
    Instrument,
    calendar_day,
    rolling_mean,
)

MOOD_TOP = 10.6
MOOD_TICKS = (0, 2, 4, 6, 8, 10)
MOOD_TITLE = "Mood (0–10)"
INFUSION_MARKER_Y = 10.4
ROLLING_WINDOW = 7
RESPONSE_BEFORE = -3
RESPONSE_AFTER = 21
SLEEP_TOP = 12
SEVERITY_TOP = 3.2
# Two-line infusion labels at 11 px: four fit side by side on a 360 px screen.
MAX_CATEGORY_LABELS = 4
# Remission: a total below 5, back in the "minimal" band (Kroenke 2001; Spitzer 2006 for GAD-7).
REMISSION_LINE = 4.5


@dataclass(frozen=True, slots=True)
class InfusionMark:
    """An infusion to mark on a time chart; label like "Induction 3 · IV 0.5 mg/kg"."""

    day: date
    label: str
    planned: bool = False


@dataclass(frozen=True, slots=True)
class MoodPoint:
    """One day's mood, 0-10."""

    day: date
    mood: float


@dataclass(frozen=True, slots=True)
class ScoreReading:
    """One questionnaire total on one day."""

    day: date
    total: int


@dataclass(frozen=True, slots=True)
class ResponseSeries:
    """Mood by day offset from one infusion (-3..21), and how many days its benefit lasted."""

    label: str
    points: tuple[tuple[int, float], ...]
    durability_days: int | None


@dataclass(frozen=True, slots=True)
class WellbeingDay:
    """One day's sleep (hours) and anxiety, energy and pain ratings (0-10); None when not logged."""

    day: date
    sleep: float | None
    anxiety: int | None
    energy: int | None
    pain: int | None


@dataclass(frozen=True, slots=True)
class SideEffectRow:
    """One infusion: worst severity (0-3) per side-effect key, and the highest dissociation."""

    label: str
    worst: Mapping[str, int]
    dissociation: int | None


# --- helpers -------------------------------------------------------------------------------------


def _iso(day: date) -> str:
    return calendar_day(day).isoformat()


def _check_range(start: date, end: date) -> tuple[date, date]:
    start, end = calendar_day(start), calendar_day(end)
    if end < start:
        raise ValueError(f"The end {end} is before the start {start}")
    return start, end


def _x_range(start: date, end: date) -> list[str]:
    """[start, end] as ISO dates; a one-day range is widened to end + 1 day so it is not empty."""
    if end == start:
        end = start + timedelta(days=1)
    return [_iso(start), _iso(end)]


def _days(start: date, end: date) -> list[date]:
    return [start + timedelta(days=n) for n in range((end - start).days + 1)]


def _compact(value: float) -> float | int:
    """Whole numbers as ints and the rest to 2 decimals, to keep the JSON small."""
    number = float(value)
    return int(number) if number.is_integer() else round(number, 2)


def _in_range(day: date, start: date, end: date) -> bool:
    return start <= calendar_day(day) <= end


def _infusions_in_range(
    infusions: Iterable[InfusionMark], start: date, end: date
) -> list[InfusionMark]:
    marks = [mark for mark in infusions if _in_range(mark.day, start, end)]
    return sorted(marks, key=lambda mark: calendar_day(mark.day))


def _infusion_shapes(marks: Sequence[InfusionMark]) -> list[dict[str, Any]]:
    """A full-height vertical line per infusion: dotted, or dashed and lighter when planned."""
    return [
        {
            "type": "line",
            "xref": "x",
            "yref": "paper",
            "x0": _iso(mark.day),
            "x1": _iso(mark.day),
            "y0": 0,
            "y1": 1,
            "layer": "below",
            "line": {
                "color": theme.INFUSION_PLANNED if mark.planned else theme.INFUSION,
                "width": 1.5,
                "dash": "dash" if mark.planned else "dot",
            },
        }
        for mark in marks
    ]


def _hline(y: float, dash: str) -> dict[str, Any]:
    return {
        "type": "line",
        "xref": "paper",
        "yref": "y",
        "x0": 0,
        "x1": 1,
        "y0": y,
        "y1": y,
        "line": {"color": theme.GUIDE, "width": 1.5, "dash": dash},
    }


def _label(text: str, y: float, *, below: bool = False) -> dict[str, Any]:
    """A small left-aligned label sitting just above (or below) a horizontal line."""
    return {
        "text": text,
        "xref": "paper",
        "yref": "y",
        "x": 0,
        "y": y,
        "xanchor": "left",
        "yanchor": "top" if below else "bottom",
        "showarrow": False,
        "font": {"size": theme.SMALL_FONT_SIZE, "color": theme.GUIDE},
    }


def _gapped(
    values: Mapping[date, float], start: date, end: date
) -> tuple[list[str], list[float | int | None]]:
    """Every calendar day from start to end, with None where nothing was logged (a gap)."""
    days = _days(start, end)
    return (
        [_iso(day) for day in days],
        [_compact(values[day]) if day in values else None for day in days],
    )


def _time_layout(start: date, end: date, **overrides: Any) -> dict[str, Any]:
    return theme.base_layout(
        xaxis={
            "type": "date",
            "range": _x_range(start, end),
            "hoverformat": "%a %-d %b %Y",
            "showgrid": False,
        },
        **overrides,
    )


# --- builders ------------------------------------------------------------------------------------


def mood_chart(
    points: Sequence[MoodPoint],
    infusions: Sequence[InfusionMark],
    start: date,
    end: date,
) -> go.Figure:
    """Daily mood with gaps for days not logged, its 7-day rolling mean, and every infusion in
    [start, end] marked by a vertical line and a marker (trace "Infusions") at the top."""
    start, end = _check_range(start, end)
    # Later entries for the same day win, as in a dict built from the check-ins.
    mood_by_day = {calendar_day(point.day): float(point.mood) for point in points}
    shown = {day: mood for day, mood in mood_by_day.items() if start <= day <= end}
    # The rolling mean uses the days before `start` too, so the first week's average is complete.
    average = {
        day: mood
        for day, mood in rolling_mean(mood_by_day, ROLLING_WINDOW).items()
        if start <= day <= end
    }
    x, mood_y = _gapped(shown, start, end)
    _, average_y = _gapped(average, start, end)
    traces = [
        go.Scatter(
            name="Mood",
            x=x,
            y=mood_y,
            mode="lines+markers",
            connectgaps=False,
            cliponaxis=False,
            line={"color": theme.MOOD, "width": 1.5},
            marker={"color": theme.MOOD, "size": 6},
            hovertemplate="Mood %{y}<extra></extra>",
        ),
        go.Scatter(
            name="7-day average",
            x=x,
            y=average_y,
            mode="lines",
            connectgaps=False,
            line={"color": theme.AVERAGE, "width": 3, "shape": "spline"},
            hovertemplate="7-day average %{y:.1f}<extra></extra>",
        ),
    ]
    marks = _infusions_in_range(infusions, start, end)
    if marks:
        traces.append(
            go.Scatter(
                name="Infusions",
                x=[_iso(mark.day) for mark in marks],
                y=[INFUSION_MARKER_Y] * len(marks),
                mode="markers",
                cliponaxis=False,
                hovertext=[mark.label for mark in marks],
                hovertemplate="%{hovertext}<extra></extra>",
                marker={
                    "color": theme.INFUSION,
                    "size": 11,
                    "symbol": [
                        "triangle-down-open" if mark.planned else "triangle-down" for mark in marks
                    ],
                },
            )
        )
    layout = _time_layout(
        start,
        end,
        yaxis={
            "range": [0, MOOD_TOP],
            "tickvals": list(MOOD_TICKS),
            "title": {"text": MOOD_TITLE},
        },
        shapes=_infusion_shapes(marks),
    )
    return go.Figure(data=traces, layout=layout)


def questionnaire_chart(
    instrument: Instrument,
    readings: Sequence[ScoreReading],
    baseline: int | None,
    infusions: Sequence[InfusionMark],
    start: date,
    end: date,
) -> go.Figure:
    """Totals over time on the instrument's severity bands, with the baseline, the 50% response
    line and the remission line when there is a baseline, and infusions as vertical lines."""
    start, end = _check_range(start, end)
    top = instrument.max_total + 0.5
    shapes: list[dict[str, Any]] = []
    annotations: list[dict[str, Any]] = []
    for band, fill in zip(instrument.bands, theme.band_fills(len(instrument.bands)), strict=True):
        low, high = max(0.0, band.low - 0.5), band.high + 0.5
        shapes.append(
            {
                "type": "rect",
                "xref": "paper",
                "yref": "y",
                "x0": 0,
                "x1": 1,
                "y0": low,
                "y1": high,
                "fillcolor": fill,
                "line": {"width": 0},
                "layer": "below",
            }
        )
        annotations.append(
            {
                "text": band.severity,
                "xref": "paper",
                "yref": "y",
                "x": 1,
                "y": (low + high) / 2,
                "xanchor": "right",
                "yanchor": "middle",
                "showarrow": False,
                "font": {"size": theme.SMALL_FONT_SIZE, "color": theme.GUIDE},
            }
        )
    if baseline is not None:
        shapes.append(_hline(baseline, "dash"))
        annotations.append(_label(f"Baseline {baseline}", baseline))
        if baseline > 0:
            shapes.append(_hline(baseline / 2, "dot"))
            annotations.append(_label(f"Response ≤ {baseline / 2:g}", baseline / 2))
    # Remission (below 5) does not depend on the baseline: shown from the first reading.
    shapes.append(_hline(REMISSION_LINE, "dashdot"))
    annotations.append(_label("Remission < 5", REMISSION_LINE, below=True))
    shapes.extend(_infusion_shapes(_infusions_in_range(infusions, start, end)))

    shown = sorted(
        (reading for reading in readings if _in_range(reading.day, start, end)),
        key=lambda reading: calendar_day(reading.day),
    )
    trace = go.Scatter(
        name=instrument.name,
        x=[_iso(reading.day) for reading in shown],
        y=[reading.total for reading in shown],
        customdata=[instrument.band_for(reading.total).severity for reading in shown],
        mode="lines+markers",
        cliponaxis=False,
        line={"color": theme.SCORE, "width": 2},
        marker={"color": theme.SCORE, "size": 8},
        hovertemplate=f"{instrument.name} %{{y}} (%{{customdata}})<extra></extra>",
    )
    layout = _time_layout(
        start,
        end,
        yaxis={
            "range": [0, top],
            "tickvals": list(range(0, instrument.max_total + 1, 5)),
            "title": {"text": instrument.name},
            "showgrid": False,
        },
        shapes=shapes,
        annotations=annotations,
        showlegend=False,
    )
    return go.Figure(data=[trace], layout=layout)


def _day_text(offset: int) -> str:
    return "Day 0" if offset == 0 else f"Day {offset:+d}"


def response_chart(series: Sequence[ResponseSeries]) -> go.Figure:
    """Mood aligned on days since each infusion, one line per infusion in the order given
    (earliest first): the earliest faint and thin, the latest strong and thick."""
    traces = []
    count = len(series)
    for index, item in enumerate(series):
        share = 1.0 if count == 1 else index / (count - 1)
        alpha = theme.RESPONSE_ALPHA_MIN + (1 - theme.RESPONSE_ALPHA_MIN) * share
        width = (
            theme.RESPONSE_WIDTH_MIN + (theme.RESPONSE_WIDTH_MAX - theme.RESPONSE_WIDTH_MIN) * share
        )
        colour = theme.rgba(theme.RESPONSE_RGB, alpha)
        points = sorted(item.points)
        extra = item.label
        if item.durability_days is not None:
            unit = "day" if item.durability_days == 1 else "days"
            extra = f"{item.label}<br>lasted {item.durability_days} {unit}"
        traces.append(
            go.Scatter(
                name=item.label,
                x=[offset for offset, _ in points],
                y=[_compact(mood) for _, mood in points],
                text=[_day_text(offset) for offset, _ in points],
                mode="lines+markers",
                cliponaxis=False,
                line={"color": colour, "width": round(width, 2)},
                marker={"color": colour, "size": 6},
                hovertemplate=f"%{{text}}: mood %{{y}}<extra>{extra}</extra>",
            )
        )
    # The legend names every infusion: about two fit on a row at 360 px, so the figure grows
    # by a row for every two lines and the legend starts below the axis title.
    legend_rows = (len(series) + 1) // 2
    layout = theme.base_layout(
        hovermode="closest",
        height=theme.HEIGHT + 24 * legend_rows,
        legend={"y": -0.32},
        xaxis={
            "range": [RESPONSE_BEFORE, RESPONSE_AFTER],
            "tickvals": [-3, 0, 7, 14, 21],
            "title": {"text": "Days since infusion"},
            "showgrid": False,
        },
        yaxis={
            "range": [0, MOOD_TOP],
            "tickvals": list(MOOD_TICKS),
            "title": {"text": MOOD_TITLE},
        },
        shapes=[
            {
                "type": "line",
                "xref": "x",
                "yref": "paper",
                "x0": 0,
                "x1": 0,
                "y0": 0,
                "y1": 1,
                "layer": "below",
                "line": {"color": theme.INFUSION, "width": 1.5, "dash": "dot"},
            }
        ],
        annotations=[
            {
                "text": "Infusion",
                "xref": "x",
                "yref": "paper",
                "x": 0,
                "y": 1,
                "xanchor": "center",
                "yanchor": "bottom",
                "showarrow": False,
                "font": {"size": theme.SMALL_FONT_SIZE, "color": theme.INFUSION},
            }
        ],
    )
    return go.Figure(data=traces, layout=layout)


def wellbeing_chart(days: Sequence[WellbeingDay], start: date, end: date) -> go.Figure:
    """Anxiety, energy and pain (0-10) as lines with gaps, sleep hours as bars on a right-hand
    axis; a measure with nothing logged in [start, end] is left out."""
    start, end = _check_range(start, end)
    by_day = {calendar_day(day.day): day for day in days if _in_range(day.day, start, end)}
    traces = []
    ratings: tuple[tuple[str, str, str], ...] = (
        ("Anxiety", "anxiety", theme.ANXIETY),
        ("Energy", "energy", theme.ENERGY),
        ("Pain", "pain", theme.PAIN),
    )
    for name, field, colour in ratings:
        values: dict[date, float] = {}
        for day, entry in by_day.items():
            value = getattr(entry, field)
            if value is not None:
                values[day] = float(value)
        if not values:
            continue
        x, y = _gapped(values, start, end)
        traces.append(
            go.Scatter(
                name=name,
                x=x,
                y=y,
                mode="lines+markers",
                connectgaps=False,
                cliponaxis=False,
                line={"color": colour, "width": 2},
                marker={"color": colour, "size": 5},
                hovertemplate=f"{name} %{{y}}<extra></extra>",
            )
        )
    sleep = sorted((day, entry.sleep) for day, entry in by_day.items() if entry.sleep is not None)
    if sleep:
        traces.append(
            go.Bar(
                name="Sleep",
                x=[_iso(day) for day, _ in sleep],
                y=[_compact(hours) for _, hours in sleep],
                yaxis="y2",
                marker={"color": theme.SLEEP},
                opacity=theme.SLEEP_OPACITY,
                hovertemplate="Sleep %{y} h<extra></extra>",
            )
        )
    layout = _time_layout(
        start,
        end,
        yaxis={
            "range": [0, MOOD_TOP],
            "tickvals": list(MOOD_TICKS),
            "title": {"text": "Rating (0–10)"},
        },
        yaxis2={
            "overlaying": "y",
            "side": "right",
            "range": [0, SLEEP_TOP],
            "tickvals": [0, 4, 8, 12],
            "title": {"text": "Sleep (h)"},
            "showgrid": False,
            "fixedrange": True,
            "automargin": True,
            "zeroline": False,
        },
        bargap=0.3,
    )
    return go.Figure(data=traces, layout=layout)


def side_effects_chart(rows: Sequence[SideEffectRow]) -> go.Figure:
    """Worst severity per side effect and infusion as grouped bars (only effects above none for
    some infusion), and dissociation 0-10 as markers on a right-hand axis."""
    labels = [row.label for row in rows]
    traces = []
    for effect in SIDE_EFFECTS:
        # Keys outside SIDE_EFFECTS are not drawn: the data layer validates them on the way in.
        levels = [row.worst.get(effect.key, 0) for row in rows]
        if not any(level > 0 for level in levels):
            continue
        traces.append(
            go.Bar(
                name=effect.label,
                x=labels,
                y=levels,
                customdata=[SEVERITIES[level] for level in levels],
                marker={"color": theme.SIDE_EFFECT_COLOURS.get(effect.key, theme.GUIDE)},
                hovertemplate=f"{effect.label}: %{{customdata}}<extra></extra>",
            )
        )
    dissociation = [row.dissociation for row in rows]
    if any(value is not None for value in dissociation):
        traces.append(
            go.Scatter(
                name="Dissociation (0–10)",
                x=labels,
                y=dissociation,
                yaxis="y2",
                mode="markers",
                cliponaxis=False,
                marker={"color": theme.DISSOCIATION, "size": 11, "symbol": "diamond"},
                hovertemplate="Dissociation %{y}/10<extra></extra>",
            )
        )
    step = math.ceil(len(labels) / MAX_CATEGORY_LABELS) if labels else 1
    ticked = labels[::-1][::step][::-1]
    layout = theme.base_layout(
        height=320,
        barmode="group",
        xaxis={
            "type": "category",
            "categoryorder": "array",
            "categoryarray": labels,
            # Level labels ("Induction 1 · 3 Jan" on two lines), at most a phone's width of them
            # (always the latest), so they never rotate into the legend; hover names every one.
            "tickvals": ticked,
            "ticktext": [label.replace(" · ", "<br>") for label in ticked],
            "tickangle": 0,
            "tickfont": {"size": theme.SMALL_FONT_SIZE},
            "showgrid": False,
        },
        yaxis={
            "range": [0, SEVERITY_TOP],
            "tickvals": [0, 1, 2, 3],
            "ticktext": [severity.capitalize() for severity in SEVERITIES],
        },
        yaxis2={
            "overlaying": "y",
            "side": "right",
            "range": [0, MOOD_TOP],
            "tickvals": [0, 5, 10],
            "showgrid": False,
            "fixedrange": True,
            "automargin": True,
            "zeroline": False,
        },
    )
    return go.Figure(data=traces, layout=layout)
