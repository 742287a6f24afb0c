"""Pure Plotly figure builders for Trends: plain data in, a go.Figure out (Scatter and Bar only, as
the page renders them with the plotly.js basic bundle)."""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
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
from companion.clinical.dates import days_phrase, whole_days

MOOD_TOP = 10.6
MOOD_TICKS = (0, 2, 4, 6, 8, 10)
MOOD_TITLE = "Mood (0–10)"
INFUSION_MARKER_Y = 10.4
ROLLING_WINDOW = 7
RESPONSE_BEFORE = -3
# To 35 days after each infusion: past the median durability of most patients (boosters come
# every 3-5 weeks), so the chart shows where mood fell back.
RESPONSE_AFTER = 35
# A median longer than that stretches the chart to the next whole week at least this many days
# past it, so its line and label stay on the chart with room beside them.
MEDIAN_ROOM = 3
SLEEP_TOP = 12
# Beyond its last months a long chart draws a point per week, not per day: at 360 px ten years
# of days are under 0.1 px each, and sending them all made "All" ten times the size.
WEEK = 7
DAY_MS = 86_400_000
# Wellbeing: ratings in the top 55% of the plot, sleep bars in the bottom third; beyond about four
# months a day is under 2 px wide, so the sleep bars close their gaps to stay visible.
WELLBEING_RATINGS_BOTTOM = 0.45
WELLBEING_SLEEP_TOP = 0.33
WELLBEING_HEIGHT = 320
WELLBEING_GAPLESS_DAYS = 120
SEVERITY_TOP = 3.2
# The side-effect chart draws the latest three infusions: their two-line labels ("Induction 1" over
# "Mon 22 Jun", about 58 px at 11 px) fit side by side in the 200 px a 360 px screen leaves the
# plot, and three groups of up to seven bars keep each bar several pixels wide.
MAX_SIDE_EFFECT_INFUSIONS = 3
# Remission: a total below 5, back in the "minimal" band (Kroenke 2001; Spitzer 2006 for GAD-7).
REMISSION_LINE = 4.5
# Label geometry for the questionnaire chart, in pixels, measured at 360 px: the plot area is
# 228 x 187 px; placed apart at 180 px tall, labels stay apart in a taller plot.
QUESTIONNAIRE_PLOT_PX = 180
QUESTIONNAIRE_PLOT_WIDTH_PX = 228
LINE_LABEL_PX = 18  # 10 px text on a chip
LABEL_CHAR_PX = 5.6
LABEL_PAD_PX = 2
BAND_NAME_PX = 14  # 10 px text
BAND_CHAR_PX = 5.0
MARKER_RADIUS_PX = 4
# Plotly's numbers for the "triangle-down" and "triangle-down-open" marker symbols: 2 bytes an
# infusion instead of 15, on every time chart.
TRIANGLE_DOWN = 6
TRIANGLE_DOWN_OPEN = 106


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
    """Mood by day offset from one infusion (-3..35, or past a longer median), and how many days
    its benefit lasted."""

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


def _figure(traces: Sequence[go.Scatter | go.Bar], layout: Mapping[str, Any]) -> go.Figure:
    """The figure, without Plotly checking every property a second time: the traces were
    checked when they were made, and a test re-checks every builder's whole output."""
    return go.Figure(data=list(traces), layout=dict(layout), _validate=False)


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


def _lined(marks: Sequence[InfusionMark], weekly_before: date | None) -> list[InfusionMark]:
    """The infusions that get a vertical line: those drawn by day. Over the weeks (a line every
    few pixels at 360 px, a haze over the data) the markers at the top mark them."""
    return [m for m in marks if weekly_before is None or calendar_day(m.day) >= weekly_before]


def _infusion_markers(marks: Sequence[InfusionMark], y: float) -> go.Scatter:
    """A marker per infusion at height y (trace "Infusions"), above its vertical line: it names
    the lines in the legend and each infusion in the hover; planned ones are open."""
    return go.Scatter(
        name="Infusions",
        x=[_iso(mark.day) for mark in marks],
        y=[y] * len(marks),
        mode="markers",
        cliponaxis=False,
        hovertext=[mark.label for mark in marks],
        hovertemplate="%{hovertext}<extra></extra>",
        # Each marker answers the hover of its own day only: "x unified" otherwise adds the
        # nearest marker within 20 px to any day's label (9 Sep named the booster of 15 Sep).
        xperiod=DAY_MS,
        xperiodalignment="start",
        marker={
            "color": theme.INFUSION,
            "size": 11,
            "symbol": [TRIANGLE_DOWN_OPEN if mark.planned else TRIANGLE_DOWN for mark in marks],
        },
    )


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


@dataclass(frozen=True, slots=True)
class _Spot:
    """Where a label may go: at the left or right edge of the plot, `width` of it wide (a
    fraction of the plot), over the y span low..high (in score units)."""

    right: bool
    low: float
    high: float
    width: float

    def clashes(self, other: _Spot) -> bool:
        return self.right == other.right and self.low < other.high and other.low < self.high

    def crossed_by(self, y: float) -> bool:
        return self.low + 1e-9 < y < self.high - 1e-9

    def covers(self, x: float, y: float, margin: float) -> bool:
        inside = x >= 1 - self.width if self.right else x <= self.width
        return inside and self.low - margin < y < self.high + margin


@dataclass(slots=True)
class _Room:
    """What the questionnaire chart's labels keep clear of, in score units: the horizontal
    lines, the readings (x as a fraction of the plot width) and the labels placed so far."""

    top: float
    units_per_px: float
    lines: Sequence[float]
    points: Sequence[tuple[float, float]]
    taken: list[_Spot] = field(default_factory=list)

    def px(self, pixels: float) -> float:
        return pixels * self.units_per_px

    def place(self, candidates: Sequence[_Spot]) -> _Spot | None:
        """The first candidate inside the plot that touches no label placed on the same edge and
        is crossed by no line and covers no reading; failing that, the first that may cover
        readings; then the first that a line may cross too. None when every one touches a
        label. The spot found is taken."""
        margin = self.px(MARKER_RADIUS_PX)

        def fits(spot: _Spot, mind_lines: bool, mind_points: bool) -> bool:
            return (
                spot.low >= 0
                and spot.high <= self.top
                and not any(spot.clashes(other) for other in self.taken)
                and not (mind_lines and any(spot.crossed_by(y) for y in self.lines))
                and not (mind_points and any(spot.covers(x, y, margin) for x, y in self.points))
            )

        tiers = ((True, True), (True, False), (False, False))
        found = next((spot for tier in tiers for spot in candidates if fits(spot, *tier)), None)
        if found is not None:
            self.taken.append(found)
        return found


def _line_label(text: str, y: float, room: _Room, *, below: bool = False) -> dict[str, Any]:
    """A label on a chip at the left edge, just above (or below) its horizontal line, or on
    the other side of it when a label, a line or a reading is in the way. Only when both sides
    touch another chip (lines closer together than a chip is tall) does it stack on the nearest
    chip instead."""
    height = room.px(LINE_LABEL_PX)
    width = (len(text) * LABEL_CHAR_PX + 2 * LABEL_PAD_PX) / QUESTIONNAIRE_PLOT_WIDTH_PX
    near = [(y - height, y), (y, y + height)] if below else [(y, y + height), (y - height, y)]
    stacked = sorted(
        [(other.high, other.high + height) for other in room.taken if not other.right]
        + [(other.low - height, other.low) for other in room.taken if not other.right],
        key=lambda span: abs(span[0] + span[1] - 2 * y),
    )
    spot = room.place([_Spot(False, low, high, width) for low, high in near]) or room.place(
        [_Spot(False, low, high, width) for low, high in stacked]
    )
    # Three chips always fit in a plot at least four chips tall; this is for the type checker.
    low, high = (spot.low, spot.high) if spot else near[0]
    on_top = high != y
    return {
        "text": text,
        "xref": "paper",
        "yref": "y",
        "x": 0,
        "y": low if on_top else high,
        "xanchor": "left",
        "yanchor": "bottom" if on_top else "top",
        "yshift": (1 if on_top else -1) if y in (low, high) else 0,
        "showarrow": False,
        "bgcolor": theme.LABEL_BG,
        "borderpad": LABEL_PAD_PX,
        "font": {"size": theme.TINY_FONT_SIZE, "color": theme.LABEL_TEXT},
    }


def _band_name(text: str, low: float, high: float, room: _Room) -> dict[str, Any]:
    """A band's name at the right edge: in the middle of the band, or at its top or bottom when a
    line or a reading is in the way. No font colour: it takes the template's, dark on the light
    theme and light on the dark one."""
    height = room.px(BAND_NAME_PX)
    width = len(text) * BAND_CHAR_PX / QUESTIONNAIRE_PLOT_WIDTH_PX
    middle = (low + high) / 2
    anchors = {
        "middle": (middle, _Spot(True, middle - height / 2, middle + height / 2, width)),
        "top": (high, _Spot(True, high - height, high, width)),
        "bottom": (low, _Spot(True, low, low + height, width)),
    }
    # Bands are taller than two names, so a name never touches another: a spot is always found.
    spot = room.place([spot for _, spot in anchors.values()]) or anchors["middle"][1]
    anchor, y = next((name, at) for name, (at, candidate) in anchors.items() if candidate == spot)
    return {
        "text": text,
        "xref": "paper",
        "yref": "y",
        "x": 1,
        "y": y,
        "xanchor": "right",
        "yanchor": anchor,
        "showarrow": False,
        # "auto": a 1 px halo in the contrasting colour (white around dark text, dark grey
        # around light text), so the name stays legible where a line of data crosses it.
        "font": {"size": theme.TINY_FONT_SIZE, "shadow": "auto"},
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


def weekly_means(
    values: Mapping[date, float], start: date, cutoff: date
) -> list[tuple[date, float | None]]:
    """The mean of the logged values of each 7-day week from start to the day before cutoff,
    the weeks counted back from cutoff, each on its middle day (7 days apart: a first week cut
    short by start keeps its middle day); None for a week with nothing logged. Only days from
    start count."""
    count = -(-(cutoff - start).days // WEEK)
    logged: list[list[float]] = [[] for _ in range(count)]
    for day, value in values.items():
        if start <= day < cutoff:
            logged[count - 1 - (cutoff - day - timedelta(days=1)).days // WEEK].append(value)
    middle = cutoff - timedelta(days=WEEK * count - WEEK // 2)
    return [
        (middle + timedelta(days=WEEK * k), statistics.fmean(week) if week else None)
        for k, week in enumerate(logged)
    ]


def _weekly(weeks: Sequence[tuple[date, float | None]]) -> dict[str, Any]:
    """A trace's points 7 days apart as a first day and a step, not a date each: a third of the
    bytes."""
    return {
        "x0": _iso(weeks[0][0]),
        "dx": WEEK * DAY_MS,
        # To a tenth, as the hover shows it: a tenth is under a pixel on the 0-10 axis.
        "y": [None if mean is None else round(mean, 1) for _, mean in weeks],
    }


def _parts(
    values: Mapping[date, float],
    start: date,
    end: date,
    weekly_before: date | None,
    daily: Mapping[date, float] | None = None,
) -> list[dict[str, Any]]:
    """The points of one measure as trace arguments: weekly means of `values` before
    weekly_before, then every day (from `daily`, else `values`) to end, with gaps; every day
    alone when weekly_before is None or not after start."""
    daily = values if daily is None else daily
    if weekly_before is None or weekly_before <= start:
        x, y = _gapped(daily, start, end)
        return [{"x": x, "y": y}]
    x, y = _gapped(daily, weekly_before, end)
    return [_weekly(weekly_means(values, start, weekly_before)), {"x": x, "y": y}]


def _bar_width(ms: int) -> dict[str, Any]:
    """Bars `ms` wide, centred on their day; with an offset Plotly draws them apart from the
    grouping that would halve them."""
    return {"width": ms, "offset": -ms / 2}


def _legend_once(index: int, name: str) -> dict[str, Any]:
    """One legend entry for a measure drawn as several traces (weeks, then days)."""
    return {"legendgroup": name, "showlegend": False} if index else {"legendgroup": name}


def _time_layout(
    start: date, end: date, xaxis: Mapping[str, Any] | None = None, **overrides: Any
) -> dict[str, Any]:
    return theme.base_layout(
        xaxis={
            "type": "date",
            "range": _x_range(start, end),
            "hoverformat": "%a %-d %b %Y",
            "showgrid": False,
            **(xaxis or {}),
        },
        **overrides,
    )


# --- builders ------------------------------------------------------------------------------------


def mood_chart(
    points: Sequence[MoodPoint],
    infusions: Sequence[InfusionMark],
    start: date,
    end: date,
    weekly_before: date | None = None,
) -> go.Figure:
    """Daily mood with gaps for days not logged, its 7-day rolling mean, and every infusion in
    [start, end] marked by a vertical line and a marker (trace "Infusions") at the top.

    With weekly_before, days before it draw no daily mood; their 7-day average is one point a
    week, the mean of that week's moods (weekly_means)."""
    start, end = _check_range(start, end)
    # Later entries for the same day win, as in a dict built from the check-ins.
    mood_by_day = {calendar_day(point.day): float(point.mood) for point in points}
    shown = {day: mood for day, mood in mood_by_day.items() if start <= day <= end}
    # The rolling mean uses the days before `start` too, so the first week's average is complete;
    # only those it reads, not the whole history (10 years: 65 ms -> under 1).
    daily_from = max(start, weekly_before) if weekly_before else start
    reach = daily_from - timedelta(days=ROLLING_WINDOW - 1)
    read = {day: mood for day, mood in mood_by_day.items() if reach <= day <= end}
    average = {
        day: mood
        for day, mood in rolling_mean(read, ROLLING_WINDOW).items()
        if daily_from <= day <= end
    }
    x, mood_y = _gapped(shown, daily_from, end)
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
        )
    ]
    for index, part in enumerate(_parts(shown, start, end, weekly_before, average)):
        traces.append(
            go.Scatter(
                name="7-day average",
                **part,
                **_legend_once(index, "7-day average"),
                mode="lines",
                connectgaps=False,
                line={"color": theme.AVERAGE, "width": 3, "shape": "spline"},
                hovertemplate="7-day average %{y:.1f}<extra></extra>",
            )
        )
    marks = _infusions_in_range(infusions, start, end)
    if marks:
        traces.append(_infusion_markers(marks, INFUSION_MARKER_Y))
    layout = _time_layout(
        start,
        end,
        yaxis={
            "range": [0, MOOD_TOP],
            "tickvals": list(MOOD_TICKS),
            "title": {"text": MOOD_TITLE},
        },
        shapes=_infusion_shapes(_lined(marks, weekly_before)),
    )
    return _figure(traces, layout)


def questionnaire_chart(
    instrument: Instrument,
    readings: Sequence[ScoreReading],
    baseline: int | None,
    infusions: Sequence[InfusionMark],
    start: date,
    end: date,
    lines_from: date | None = None,
) -> go.Figure:
    """Totals over time on the instrument's severity bands, with the baseline, the 50% response
    line and the remission line when there is a baseline, and infusions as vertical lines (from
    lines_from, when given, as on the mood chart) with a marker at the top (trace "Infusions", the
    only legend entry).

    Line labels sit on chips at the left edge and band names at the right edge; each moves to the
    other side of its line (or edge), or to the top or bottom of its band, so that on a phone no
    label overlaps another or is crossed by a line, and where it can, none hides a reading."""
    start, end = _check_range(start, end)
    top = instrument.max_total + 0.5
    # Remission (below 5) does not depend on the baseline: shown from the first reading.
    lines: list[tuple[str, float, str]] = []
    if baseline is not None:
        lines.append((f"Baseline {baseline}", baseline, "dash"))
        if baseline > 0:
            lines.append((f"Response ≤ {baseline / 2:g}", baseline / 2, "dot"))
    lines.append(("Remission < 5", REMISSION_LINE, "dashdot"))

    shown = sorted(
        (reading for reading in readings if _in_range(reading.day, start, end)),
        key=lambda reading: calendar_day(reading.day),
    )
    span = max((end - start).days, 1)  # as _x_range widens a one-day range
    room = _Room(
        top=top,
        units_per_px=top / QUESTIONNAIRE_PLOT_PX,
        lines=[y for _, y, _ in lines],
        points=[
            ((calendar_day(reading.day) - start).days / span, reading.total) for reading in shown
        ],
    )
    # Remission below its line, inside the "minimal" band it stands for.
    line_labels = [_line_label(text, y, room, below=dash == "dashdot") for text, y, dash in lines]

    shapes: list[dict[str, Any]] = []
    band_names: list[dict[str, Any]] = []
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
        band_names.append(_band_name(band.severity, low, high, room))
    shapes.extend(_hline(y, dash) for _, y, dash in lines)
    marks = _infusions_in_range(infusions, start, end)
    shapes.extend(_infusion_shapes(_lined(marks, lines_from)))

    traces = [
        go.Scatter(
            name=instrument.name,
            x=[_iso(reading.day) for reading in shown],
            y=[reading.total for reading in shown],
            customdata=[instrument.band_for(reading.total).severity for reading in shown],
            mode="lines+markers",
            cliponaxis=False,
            showlegend=False,
            line={"color": theme.SCORE, "width": 2},
            marker={"color": theme.SCORE, "size": 8},
            hovertemplate=f"{instrument.name} %{{y}} (%{{customdata}})<extra></extra>",
        )
    ]
    if marks:
        traces.append(_infusion_markers(marks, top - 0.2))
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
        annotations=[*band_names, *line_labels],
        showlegend=bool(marks),
    )
    return _figure(traces, layout)


def _day_text(offset: int) -> str:
    return "Day 0" if offset == 0 else f"Day {offset:+d}"


def response_days(median_days: float | None) -> int:
    """How many days after each infusion the response chart runs: RESPONSE_AFTER, or for a
    median durability longer than that, to the whole week at least MEDIAN_ROOM days past it
    (a median of 41 days: to day 49), so the median is never off the chart."""
    if median_days is None:
        return RESPONSE_AFTER
    past = whole_days(median_days) + MEDIAN_ROOM
    return max(RESPONSE_AFTER, -(-past // WEEK) * WEEK)


def _median_line(median_days: float, end: int) -> tuple[dict[str, Any], dict[str, Any]]:
    """A vertical line at the patient's median durability and its label, "your median: N days"."""
    days = whole_days(median_days)
    line = {
        "type": "line",
        "xref": "x",
        "yref": "paper",
        "x0": days,
        "x1": days,
        "y0": 0,
        "y1": 1,
        "layer": "below",
        "line": {"color": theme.AVERAGE, "width": 1.5, "dash": "dash"},
    }
    label = {
        "text": f"your median: {days_phrase(days)}",
        "xref": "x",
        "yref": "paper",
        "x": days,
        "y": 1,
        # Beside the line on the side with room: left of a short median it would cover "Infusion".
        "xanchor": "left" if days < (end + RESPONSE_BEFORE) / 2 else "right",
        "yanchor": "bottom",
        "showarrow": False,
        "font": {"size": theme.SMALL_FONT_SIZE},
    }
    return line, label


def response_chart(series: Sequence[ResponseSeries], median_days: float | None = None) -> go.Figure:
    """Mood aligned on days since each infusion, one line per infusion in the order given
    (earliest first): the latest thick and in the mood blue, the earlier ones thin and grey,
    fainter the older they are, so the latest stands out and the rest are its background; with
    median_days, the patient's median durability marked by a dashed vertical line, the chart
    running past it when it is longer than RESPONSE_AFTER days (response_days)."""
    end = response_days(median_days)
    traces = []
    earlier = theme.graded_alphas(
        len(series) - 1, theme.RESPONSE_EARLIER_ALPHA_MIN, theme.RESPONSE_EARLIER_ALPHA_MAX
    )
    for index, item in enumerate(series):
        latest = index == len(series) - 1
        colour = (
            theme.RESPONSE_LATEST
            if latest
            else theme.rgba(theme.RESPONSE_EARLIER_RGB, earlier[index])
        )
        width = theme.RESPONSE_LATEST_WIDTH if latest else theme.RESPONSE_EARLIER_WIDTH
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
                line={"color": colour, "width": width},
                marker={"color": colour, "size": 7 if latest else 4},
                hovertemplate=f"%{{text}}: mood %{{y}}<extra>{extra}</extra>",
            )
        )
    # The legend names every infusion: about two fit on a row at 360 px, so the figure grows
    # by a row for every two lines and the legend starts below the axis title.
    legend_rows = (len(series) + 1) // 2
    layout = theme.base_layout(
        hovermode="closest",
        height=theme.HEIGHT + 24 * legend_rows,
        legend={"y": -0.32, "traceorder": "reversed"},  # the latest first
        xaxis={
            "range": [RESPONSE_BEFORE, end],
            # Weeks; fortnights past eight weeks, so the numbers keep apart at 360 px.
            "tickvals": [
                RESPONSE_BEFORE,
                *range(0, end + 1, WEEK if end <= 8 * WEEK else 2 * WEEK),
            ],
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
                # The template's text colour: purple text this small is under 4.5:1.
                "font": {"size": theme.SMALL_FONT_SIZE},
            }
        ],
    )
    if median_days is not None:
        line, label = _median_line(median_days, end)
        layout["shapes"].append(line)
        layout["annotations"].append(label)
    return _figure(traces, layout)


def wellbeing_chart(
    days: Sequence[WellbeingDay], start: date, end: date, weekly_before: date | None = None
) -> go.Figure:
    """Anxiety, energy and pain (0-10) as lines with gaps above, sleep hours as bars in a panel
    of their own below (y2), on one date axis; a measure with nothing logged in [start, end] is
    left out. With weekly_before, each measure before it is one point (a bar a week wide) per
    week, the mean of that week's values (weekly_means)."""
    start, end = _check_range(start, end)
    by_day = {calendar_day(day.day): day for day in days if _in_range(day.day, start, end)}
    traces = []
    ratings: tuple[tuple[str, str, str], ...] = (
        ("Anxiety", "anxiety", theme.ANXIETY),
        ("Energy", "energy", theme.ENERGY),
        ("Pain", "pain", theme.PAIN),
    )
    for name, attribute, colour in ratings:
        values: dict[date, float] = {}
        for day, entry in by_day.items():
            value = getattr(entry, attribute)
            if value is not None:
                values[day] = float(value)
        if not values:
            continue
        for index, part in enumerate(_parts(values, start, end, weekly_before)):
            traces.append(
                go.Scatter(
                    name=name,
                    **part,
                    **_legend_once(index, name),
                    mode="lines+markers",
                    connectgaps=False,
                    cliponaxis=False,
                    line={"color": colour, "width": 2},
                    marker={"color": colour, "size": 5},
                    hovertemplate=f"{name} %{{y}}<extra></extra>",
                )
            )
    rated = bool(traces)
    sleep = {day: entry.sleep for day, entry in by_day.items() if entry.sleep is not None}
    by_week = weekly_before if weekly_before is not None and weekly_before > start else None
    if sleep:
        recent = sorted((d, h) for d, h in sleep.items() if by_week is None or d >= by_week)
        parts = [{"x": [_iso(day) for day, _ in recent], "y": [_compact(h) for _, h in recent]}]
        if by_week is not None:
            # A week's bar a week wide, then each day's a day wide, side by side.
            weeks = weekly_means(sleep, start, by_week)
            parts = [_weekly(weeks) | _bar_width(WEEK * DAY_MS), parts[0] | _bar_width(DAY_MS)]
        for index, part in enumerate(parts):
            traces.append(
                go.Bar(
                    name="Sleep",
                    **part,
                    **_legend_once(index, "Sleep"),
                    yaxis="y2",
                    marker={"color": theme.SLEEP},
                    hovertemplate="Sleep %{y} h<extra></extra>",
                )
            )
    axes: dict[str, Any] = {
        "yaxis": {
            "range": [0, MOOD_TOP],
            "tickvals": list(MOOD_TICKS),
            "title": {"text": "Rating (0–10)"},
            "visible": rated,
        }
    }
    if sleep:
        # Sleep bars in a panel of their own below the ratings: opaque bars behind the lines
        # would hide them, and see-through ones fade into the dark background.
        axes["xaxis"] = {"anchor": "y2"}
        axes["yaxis2"] = {
            "anchor": "x",
            "domain": [0, WELLBEING_SLEEP_TOP if rated else 1],
            "range": [0, SLEEP_TOP],
            "tickvals": [0, 6, 12],
            "title": {"text": "Sleep (h)"},
            "showgrid": False,
            "fixedrange": True,
            "automargin": True,
            "zeroline": False,
        }
        if rated:
            axes["yaxis"] |= {"domain": [WELLBEING_RATINGS_BOTTOM, 1], "tickvals": [0, 5, 10]}
    layout = _time_layout(
        start,
        end,
        height=WELLBEING_HEIGHT if sleep and rated else theme.HEIGHT,
        # Hovering either panel lists the day's ratings and sleep together.
        hoversubplots="axis",
        bargap=0 if (end - start).days > WELLBEING_GAPLESS_DAYS else 0.3,
        **axes,
    )
    return _figure(traces, layout)


def side_effects_chart(rows: Sequence[SideEffectRow]) -> go.Figure:
    """Worst severity per side effect and infusion as grouped bars (only effects above none for
    one of the infusions drawn), and dissociation 0-10 as markers on a right-hand axis.

    Rows come earliest first; only the latest MAX_SIDE_EFFECT_INFUSIONS are drawn, each with its
    label, so that bars and labels stay readable on a phone, and a note above the plot says so."""
    shown = list(rows[-MAX_SIDE_EFFECT_INFUSIONS:])
    labels = [row.label for row in shown]
    traces = []
    for effect in SIDE_EFFECTS:
        # Keys outside SIDE_EFFECTS are not drawn: the data layer validates them on the way in.
        levels = [row.worst.get(effect.key, 0) for row in shown]
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
    dissociation = [row.dissociation for row in shown]
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
    left_out = len(rows) - len(shown)
    notes = (
        [
            {
                "text": f"Latest {len(shown)} of {len(rows)} infusions",
                "xref": "paper",
                "yref": "paper",
                "x": 0,
                "y": 1,
                "xanchor": "left",
                "yanchor": "bottom",
                "yshift": 4,
                "showarrow": False,
                "font": {"size": theme.SMALL_FONT_SIZE},
            }
        ]
        if left_out
        else []
    )
    layout = theme.base_layout(
        height=320,
        barmode="group",
        xaxis={
            "type": "category",
            "categoryorder": "array",
            "categoryarray": labels,
            # Level labels ("Induction 1 · 3 Jan" on two lines), so they never rotate into the
            # legend.
            "tickvals": labels,
            "ticktext": [label.replace(" · ", "<br>") for label in labels],
            "tickangle": 0,
            "tickfont": {"size": theme.SMALL_FONT_SIZE},
            "showgrid": False,
        },
        yaxis={
            "range": [0, SEVERITY_TOP],
            # No "None" at the axis' foot: it ran into the first infusion's label.
            "tickvals": [1, 2, 3],
            "ticktext": [severity.capitalize() for severity in SEVERITIES[1:]],
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
        annotations=notes,
    )
    return _figure(traces, layout)
