"""The charts as SVG: plain data in, one escaped <svg> string out. The clinician summary inlines
the mood and questionnaire charts in a page with no JavaScript that is also printed; Trends shows
every chart as an image drawn here, so scrolling through them runs no script at all."""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, timedelta
from typing import Final
from xml.sax.saxutils import escape, quoteattr

from companion.charts import theme
from companion.charts.figures import (
    MAX_SIDE_EFFECT_INFUSIONS,
    REMISSION_LINE,
    RESPONSE_BEFORE,
    ROLLING_WINDOW,
    SLEEP_TOP,
    WEEK,
    InfusionMark,
    MoodPoint,
    ResponseSeries,
    ScoreReading,
    SideEffectRow,
    WellbeingDay,
    response_days,
    weekly_means,
)
from companion.clinical import SEVERITIES, SIDE_EFFECTS, Instrument, calendar_day
from companion.clinical.dates import days_phrase, whole_days

# --- geometry, in viewBox units ------------------------------------------------------------------

# The viewBox's default width; both charts take width= for another, such as 360 for a phone, where
# text keeps its size in units and so reads at about FONT_SIZE px. Below MIN_WIDTH the legend's
# keys and the band names beside the line labels would no longer fit at that size.
WIDTH: Final = 640
MIN_WIDTH: Final = 280
# The Trends mood image's widths, narrowest first: a 360 px phone's card (about 294 px inside),
# then wider screens'; text keeps its size in units, so each is shown near 1:1.
MOOD_IMAGE_WIDTHS: Final = (300, 460, WIDTH)
MOOD_HEIGHT: Final = 260
QUESTIONNAIRE_HEIGHT: Final = 280
LEFT: Final = 40  # room for the y tick labels ("25")
RIGHT: Final = 16
PLOT_TOP: Final = 26  # the infusion labels sit in the row above the plot
# Below the plot: the x tick labels, then the legend.
TICK_ROW: Final = 17
LEGEND_ROW: Final = 48
# A legend too wide for one row wraps; each further row adds this much below the plot, which
# keeps its size (so mood_y and score_y hold at every width).
LEGEND_LINE: Final = 16
LEGEND_KEY: Final = 26  # a key's line and the space before its text
LEGEND_GAP: Final = 18  # between one key's text and the next key's line
FONT_SIZE: Final = 12
EMPTY_FONT_SIZE: Final = 13
# A rough width of system-ui text: enough to keep labels apart, not to typeset them.
CHAR_WIDTH: Final = 0.6
# And a rough height: a text's box runs from TEXT_ASCENT em above its y to TEXT_DESCENT em below.
TEXT_ASCENT: Final = 0.8
TEXT_DESCENT: Final = 0.2
LINE_CLEARANCE: Final = 1.5  # between a band's name and a line: the width of the text's halo
TEXT_CLEARANCE: Final = 1  # between two texts moved apart
LABEL_GAP: Final = 14  # the least vertical distance between two line labels
INFUSION_LABEL_GAP: Final = 6
MAX_X_TICKS: Final = 6
# The room one x tick takes, about a label with its year ("1 Jan 2026") and a gap: a 360-wide
# chart has at most 4 ticks, a 320-wide one 3. Fewer still when the labels would collide.
TICK_SPACING: Final = 76
TICK_LABEL_GAP: Final = 6
DOT_RADIUS: Final = 3
MOOD_TOP: Final = 10.5  # half a point of headroom so a dot at 10 stays inside the plot
MOOD_TICKS: Final = (0, 5, 10)
EMPTY_TEXT: Final = "No data in this period"

# Dash patterns carry the meaning in black-and-white print; colours only help on screen.
INFUSION_DASH: Final = "2 3"
PLANNED_DASH: Final = "6 4"
BASELINE_DASH: Final = "7 4"
RESPONSE_DASH: Final = "2 3"
REMISSION_DASH: Final = "8 3 2 3"

# --- colours: only here, in the <style> block, so dark mode and print can restyle them ----------

BACKGROUND_LIGHT: Final = "#FFFFFF"
BACKGROUND_DARK: Final = "#111111"
# One hue for every band; each band's strength comes from its fill-opacity.
BAND_COLOUR: Final = "#{:02X}{:02X}{:02X}".format(*theme.BAND_RGB)
BAND_OPACITIES: Final = (theme.BAND_ALPHA_MIN, theme.BAND_ALPHA_MAX)

LIGHT: Final[Mapping[str, str]] = {
    "text": "#222222",
    "halo": BACKGROUND_LIGHT,
    "axis": theme.GUIDE,
    "grid": "#E3E3E3",
    "mood": theme.MOOD,
    "mean": theme.AVERAGE,
    "infusion": theme.INFUSION,
    "planned": theme.INFUSION_PLANNED,
    "score": theme.SCORE,
    "guide": theme.GUIDE,
    "band": BAND_COLOUR,
    "earlier": theme.GUIDE,
    "anxiety": theme.ANXIETY,
    "energy": theme.ENERGY,
    "pain": theme.PAIN,
    "sleep": theme.SLEEP,
    "dissociation": theme.DISSOCIATION,
    **{f"se-{key}": colour for key, colour in theme.SIDE_EFFECT_COLOURS.items()},
}
# Lighter tints on #111: text at least 4.5:1, lines at least 3:1 (WCAG 1.4.3, 1.4.11); the
# tests check every one.
DARK: Final[Mapping[str, str]] = {
    "text": "#E6E6E6",
    "halo": BACKGROUND_DARK,
    "axis": "#A0A0A0",
    "grid": "#333333",
    "mood": "#6EA8F7",
    "mean": "#F0A050",
    "infusion": "#B99AE0",
    "planned": "#8E7AAE",
    "score": "#6EA8F7",
    "guide": "#A0A0A0",
    "band": BAND_COLOUR,
    "earlier": "#A0A0A0",
    # The app's own line colours read on #111 as they are (tests/unit/charts/test_figures.py).
    "anxiety": theme.ANXIETY,
    "energy": theme.ENERGY,
    "pain": theme.PAIN,
    "sleep": "#7F8FE6",
    "dissociation": "#B99AE0",
    **{f"se-{key}": colour for key, colour in theme.SIDE_EFFECT_COLOURS.items()},
    "se-drowsiness": "#6EA8F7",
}
# Print: black, greys and white, whatever the screen's colour scheme.
PRINT: Final[Mapping[str, str]] = {
    "text": "#000000",
    "halo": "#FFFFFF",
    "axis": "#000000",
    "grid": "#CCCCCC",
    "mood": "#000000",
    "mean": "#666666",
    "infusion": "#333333",
    "planned": "#777777",
    "score": "#000000",
    "guide": "#444444",
    "band": "#000000",
    "earlier": "#888888",
    # The ratings keep apart by their dashes in print; bars by their shade.
    "anxiety": "#000000",
    "energy": "#444444",
    "pain": "#777777",
    "sleep": "#999999",
    "dissociation": "#000000",
    **{
        f"se-{effect.key}": f"#{shade:02X}{shade:02X}{shade:02X}"
        for effect, shade in zip(
            SIDE_EFFECTS, (0x00, 0x33, 0x55, 0x77, 0x99, 0xBB, 0xDD), strict=True
        )
    },
}

# Which palette colour each class takes, and as a fill or as a stroke.
_COLOURED: Final[tuple[tuple[str, str, str], ...]] = (
    ("kc-label", "fill", "text"),
    ("kc-halo", "stroke", "halo"),
    ("kc-axis", "stroke", "axis"),
    ("kc-grid", "stroke", "grid"),
    ("kc-mood", "stroke", "mood"),
    ("kc-mood-dot", "fill", "mood"),
    ("kc-mean", "stroke", "mean"),
    ("kc-infusion", "stroke", "infusion"),
    # After kc-infusion, so a planned line (both classes) takes this colour.
    ("kc-planned", "stroke", "planned"),
    ("kc-score", "stroke", "score"),
    ("kc-score-dot", "fill", "score"),
    ("kc-baseline", "stroke", "guide"),
    ("kc-response", "stroke", "guide"),
    ("kc-remission", "stroke", "guide"),
    ("kc-band", "fill", "band"),
    ("kc-earlier", "stroke", "earlier"),
    ("kc-earlier-dot", "fill", "earlier"),
    *(
        item
        for key in ("anxiety", "energy", "pain", "dissociation")
        for item in ((f"kc-{key}", "stroke", key), (f"kc-{key}-dot", "fill", key))
    ),
    ("kc-sleep", "fill", "sleep"),
    ("kc-sleep-key", "stroke", "sleep"),
    *(
        item
        for effect in SIDE_EFFECTS
        for item in (
            (f"kc-se-{effect.key}", "fill", f"se-{effect.key}"),
            (f"kc-se-{effect.key}-key", "stroke", f"se-{effect.key}"),
        )
    ),
)


def _rules(palette: Mapping[str, str]) -> str:
    return "".join(f".kc-chart .{name}{{{prop}:{palette[key]}}}" for name, prop, key in _COLOURED)


# Scoped under .kc-chart: inlined in HTML, a <style> in an <svg> applies to the whole page. No "<"
# or "&" in it: inside HTML's foreign content the style text is parsed as markup.
STYLE: Final = (
    ".kc-chart{print-color-adjust:exact;-webkit-print-color-adjust:exact}"
    ".kc-chart .kc-halo{stroke-width:3px;stroke-linejoin:round;paint-order:stroke}"
    f"{_rules(LIGHT)}"
    f"@media (prefers-color-scheme: dark){{{_rules(DARK)}}}"
    f"@media print{{{_rules(PRINT)}}}"
)

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
# Characters XML 1.0 cannot hold at all (escaping does not help): dropped from any text.
_NOT_XML: Final = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_NOT_SLUG: Final = re.compile("[^a-z0-9]+")


# --- scales --------------------------------------------------------------------------------------


def _plot_bottom(height: int) -> int:
    return height - LEGEND_ROW


def _y(value: float, top_value: float, height: int) -> float:
    bottom, unit = _y_scale(top_value, height)
    return bottom - min(max(float(value), 0.0), top_value) * unit


def mood_y(mood: float) -> float:
    """The y coordinate of a mood (0-10) in the mood chart's viewBox."""
    return _y(mood, MOOD_TOP, MOOD_HEIGHT)


def score_y(instrument: Instrument, total: float) -> float:
    """The y coordinate of a total in the questionnaire chart's viewBox: 0 at the bottom of the
    plot, max_total + 0.5 at its top, so each band's edges fall half-way between two totals."""
    return _y(total, instrument.max_total + 0.5, QUESTIONNAIRE_HEIGHT)


def day_x(day: date, start: date, end: date, width: int = WIDTH) -> float:
    """The x coordinate of the middle of a day's slot in a chart `width` units wide: the plot is
    cut into one slot per day of [start, end], so the first and last days are never on the edge
    and one day is centred."""
    origin, unit = _x_scale(calendar_day(start), calendar_day(end), width)
    return LEFT + (calendar_day(day).toordinal() - origin) * unit


def _x_scale(start: date, end: date, width: int = WIDTH) -> tuple[float, float]:
    """(origin, unit) with x = LEFT + (day.toordinal() - origin) * unit: inlined in the loops
    over a year of days, where a call per point would cost more than the rest of the chart."""
    return start.toordinal() - 0.5, (width - LEFT - RIGHT) / ((end - start).days + 1)


def _check_width(width: int) -> int:
    if isinstance(width, bool) or not isinstance(width, int) or width < MIN_WIDTH:
        raise ValueError(f"A chart must be a whole number of units, {MIN_WIDTH} or more, wide")
    return width


def _y_scale(top_value: float, height: int) -> tuple[float, float]:
    """(bottom, unit) with y = bottom - value * unit, for values already inside 0..top_value."""
    bottom = _plot_bottom(height)
    return bottom, (bottom - PLOT_TOP) / top_value


# --- text and elements ---------------------------------------------------------------------------


def _num(value: float) -> str:
    """A coordinate to 0.1 unit: crisp at any size, and short."""
    return f"{value:.1f}"


def _clean(text: str) -> str:
    return _NOT_XML.sub("", str(text))


def _attr(value: str) -> str:
    return quoteattr(_clean(value))


def _text_width(text: str, size: float = FONT_SIZE) -> float:
    return len(text) * size * CHAR_WIDTH


_Box = tuple[float, float, float, float]  # left, top, right, bottom


def _text_box(
    x: float, y: float, text: str, anchor: str = "start", size: float = FONT_SIZE
) -> _Box:
    """The rough box of a text drawn at (x, y), from CHAR_WIDTH, TEXT_ASCENT and TEXT_DESCENT."""
    width = _text_width(text, size)
    left = x - width if anchor == "end" else x - width / 2 if anchor == "middle" else x
    return left, y - TEXT_ASCENT * size, left + width, y + TEXT_DESCENT * size


def _free_y(
    wanted: float, low: float, high: float, blocked: Iterable[tuple[float, float]]
) -> float | None:
    """The y in [low, high] nearest `wanted` and inside none of the open intervals `blocked`, or
    None: the answer is `wanted` itself or an interval's end, so trying those is enough."""
    spans = list(blocked)
    candidates = [min(max(wanted, low), high), *(edge for span in spans for edge in span)]
    free = [y for y in candidates if low <= y <= high and not any(a < y < b for a, b in spans)]
    return min(free, key=lambda y: (abs(y - wanted), y)) if free else None


def _text_blocks(
    left: float, right: float, lines: Iterable[float], boxes: Iterable[_Box], size: float
) -> list[tuple[float, float]]:
    """The y values at which a text of this size from `left` to `right` would touch one of the
    horizontal `lines` (within LINE_CLEARANCE) or overlap one of the `boxes`."""
    above, below = TEXT_ASCENT * size, TEXT_DESCENT * size
    blocked = [(y - below - LINE_CLEARANCE, y + above + LINE_CLEARANCE) for y in lines]
    blocked.extend(
        (top - below - TEXT_CLEARANCE, bottom + above + TEXT_CLEARANCE)
        for box_left, top, box_right, bottom in boxes
        if box_left < right + TEXT_CLEARANCE and left < box_right + TEXT_CLEARANCE
    )
    return blocked


def _text(
    x: float,
    y: float,
    content: str,
    classes: str = "kc-label",
    *,
    anchor: str = "start",
    size: int | None = None,
) -> str:
    font = f' font-size="{size}"' if size is not None else ""
    return (
        f'<text class="{classes}" x="{_num(x)}" y="{_num(y)}" text-anchor="{anchor}"{font}>'
        f"{escape(_clean(content))}</text>"
    )


def _hline(
    y: float, classes: str, chart_width: int, dash: str | None = None, width: float = 1.0
) -> str:
    dashes = f' stroke-dasharray="{dash}"' if dash else ""
    return (
        f'<line class="{classes}" x1="{LEFT}" y1="{_num(y)}" x2="{chart_width - RIGHT}" '
        f'y2="{_num(y)}" stroke-width="{width:g}"{dashes}/>'
    )


def _slug(title: str, width: int = WIDTH) -> str:
    """The chart's id stem: "kc-" and the title's letters and digits, then the width unless it is
    WIDTH (ids must be unique on the page, so each chart needs its own title; the same chart
    drawn twice, wide and narrow, for the page to show one by the screen's size, gets two)."""
    slug = _NOT_SLUG.sub("-", _clean(title).lower()).strip("-")[:48].strip("-")
    stem = f"kc-{slug or 'chart'}"
    return stem if width == WIDTH else f"{stem}-{width}"


def _open(width: int, height: int, title: str, summary: str) -> list[str]:
    stem = _slug(title, width)
    # The slug is letters, digits and hyphens already; quoteattr all the same, as it comes from
    # text a person typed.
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="kc-chart" viewBox="0 0 {width} {height}"'
        f' width="100%" role="img" aria-labelledby={_attr(f"{stem}-title {stem}-desc")}'
        f' font-family="system-ui, sans-serif" font-size="{FONT_SIZE}">',
        f"<title id={_attr(f'{stem}-title')}>{escape(_clean(title))}</title>",
        f"<desc id={_attr(f'{stem}-desc')}>{escape(_clean(summary))}</desc>",
        f"<style>{STYLE}</style>",
    ]


# --- dates ---------------------------------------------------------------------------------------


def _check_range(start: date, end: date) -> tuple[date, date]:
    start, end = calendar_day(start), calendar_day(end)
    if end < start:
        raise ValueError(f"The end {end} is before the start {start}")
    return start, end


def _month_starts(start: date, end: date, step: int) -> list[date]:
    """The first of every `step`-th month (counted from January of year 0) in [start, end]."""
    index = start.year * 12 + start.month - 1
    if start.day > 1:
        index += 1
    index += -index % step
    ticks: list[date] = []
    while index // 12 <= end.year:  # checked first: date() stops at year 9999
        tick = date(index // 12, index % 12 + 1, 1)
        if tick > end:
            break
        ticks.append(tick)
        index += step
    return ticks


def _x_ticks(start: date, end: date, most: int = MAX_X_TICKS) -> list[date]:
    """One to `most` days: every 1, 2, 3, 7 or 14 days from the start, or else the first of every
    1, 2, 3, 6, 12... months; each choice keeps ticks about 1/most of the plot or more apart.
    When the months that fit give one tick or none (a few weeks on a narrow chart), evenly
    spaced days instead."""
    days = (end - start).days + 1
    for step in (1, 2, 3, 7, 14):
        if math.ceil(days / step) <= most:
            return [start + timedelta(days=n) for n in range(0, days, step)]
    for months in (1, 2, 3, 6, 12, 24, 36, 48, 60, 120):
        ticks = _month_starts(start, end, months)
        if len(ticks) <= most:
            if len(ticks) >= min(2, most):
                return ticks
            break
    step = math.ceil(days / most)
    return [start + timedelta(days=n) for n in range(0, days, step)]


def _tick_labels(ticks: Sequence[date], start: date, end: date) -> list[str]:
    """ "3 Nov"; when the range crosses a year, the first tick and the first of each new year
    carry it too ("1 Jan 2026")."""
    labels = []
    year: int | None = None
    for tick in ticks:
        label = f"{tick.day} {_MONTHS[tick.month - 1]}"
        if start.year != end.year and tick.year != year:
            label = f"{label} {tick.year}"
        year = tick.year
        labels.append(label)
    return labels


def _x_tick_layout(start: date, end: date, width: int) -> list[tuple[float, float, str]]:
    """(tick x, label x, label) for each x tick: as many as the width has room for, up to
    MAX_X_TICKS, and fewer while two labels would come within TICK_LABEL_GAP of each other (the
    first and last labels are pulled inside the viewBox, towards their neighbours)."""
    most = max(1, min(MAX_X_TICKS, (width - LEFT - RIGHT) // TICK_SPACING))
    origin, unit = _x_scale(start, end, width)
    layout: list[tuple[float, float, str]] = []
    for count in range(most, 0, -1):
        ticks = _x_ticks(start, end, count)
        layout = []
        right_edge = -math.inf
        for tick, label in zip(ticks, _tick_labels(ticks, start, end), strict=True):
            x = LEFT + (tick.toordinal() - origin) * unit
            half = _text_width(label) / 2
            label_x = min(max(x, half + 2), width - half - 2)
            if label_x - half < right_edge + TICK_LABEL_GAP:
                break
            layout.append((x, label_x, label))
            right_edge = label_x + half
        else:
            return layout
    return layout  # not reached: one tick always fits


def _x_axis(start: date, end: date, height: int, width: int) -> list[str]:
    bottom = _plot_bottom(height)
    parts = [
        f'<line class="kc-axis" x1="{LEFT}" y1="{bottom}" x2="{width - RIGHT}" y2="{bottom}"'
        ' stroke-width="1"/>'
    ]
    for x, label_x, label in _x_tick_layout(start, end, width):
        parts.append(
            f'<line class="kc-axis" x1="{_num(x)}" y1="{bottom}" x2="{_num(x)}"'
            f' y2="{bottom + 4}" stroke-width="1"/>'
        )
        parts.append(_text(label_x, bottom + TICK_ROW, label, anchor="middle"))
    return parts


# --- infusions -----------------------------------------------------------------------------------


def _infusions_in_range(
    infusions: Iterable[InfusionMark], start: date, end: date
) -> list[InfusionMark]:
    marks = [mark for mark in infusions if start <= calendar_day(mark.day) <= end]
    return sorted(marks, key=lambda mark: calendar_day(mark.day))


def _short(label: str) -> str:
    """ "Induction 3" from "Induction 3 · IV 0.5 mg/kg"."""
    return label.split(" · ", 1)[0].strip()


def _fit(wanted: Sequence[tuple[float, str]], width: int) -> list[tuple[float, str]] | None:
    """Each (x, text) centred on x but kept inside the viewBox, or None if two would overlap."""
    placed: list[tuple[float, str]] = []
    right_edge = -math.inf
    for x, text in wanted:
        half = _text_width(text) / 2
        centre = min(max(x, half + 2), width - half - 2)
        if centre - half < right_edge + INFUSION_LABEL_GAP:
            return None
        placed.append((centre, text))
        right_edge = centre + half
    return placed


def _infusion_labels(
    marks: Sequence[InfusionMark], xs: Sequence[float], width: int = WIDTH
) -> list[tuple[float, str]]:
    """(centre, text) of the labels in the one row above the plot: every short label centred on
    its line when they all fit; otherwise a phase's name once, ending with its number on its
    line, then numbers alone ("Induction 1", "2", "3"), a number only after a label of its own
    phase. A label that would touch the one before it is left out (its line stays)."""
    full = [_short(mark.label) for mark in marks]
    fitted = _fit(list(zip(xs, full, strict=True)), width)
    if fitted is not None:
        return fitted
    placed: list[tuple[float, str]] = []
    right_edge = -math.inf
    named: str | None = None  # the phase of the last label shown
    for x, text in zip(xs, full, strict=True):
        head, _, number = text.rpartition(" ")
        # A bare number only right after its phase's name, so "2" never reads as the wrong one.
        label = number if head and head == named else text
        half = _text_width(label) / 2
        centres = [x]
        if label == text and head:
            # The name hangs to the left, where the phase's own run has not started yet.
            centres.insert(0, x + _text_width(number) / 2 - half)
        for wanted in centres:
            centre = min(max(wanted, half + 2), width - half - 2)
            if centre - half >= right_edge + INFUSION_LABEL_GAP:
                placed.append((centre, label))
                right_edge = centre + half
                named = head or None
                break
    return placed


def _infusion_parts(
    marks: Sequence[InfusionMark], start: date, end: date, height: int, width: int
) -> str:
    bottom = _plot_bottom(height)
    xs = [day_x(mark.day, start, end, width) for mark in marks]
    parts = []
    for mark, x in zip(marks, xs, strict=True):
        classes = "kc-infusion kc-planned" if mark.planned else "kc-infusion"
        dash = PLANNED_DASH if mark.planned else INFUSION_DASH
        parts.append(
            f'<line class="{classes}" x1="{_num(x)}" y1="{bottom}" x2="{_num(x)}"'
            f' y2="{PLOT_TOP - 2}" stroke-width="1.5" stroke-dasharray="{dash}"/>'
        )
    for x, label in _infusion_labels(marks, xs, width):
        parts.append(_text(x, PLOT_TOP - 8, label, "kc-label kc-infusion-label", anchor="middle"))
    return "".join(parts)


# --- series --------------------------------------------------------------------------------------


_Point = tuple[str, str]  # x and y, already written to 0.1 unit


def _path(
    runs: Sequence[Sequence[_Point]], classes: str, width: float, dash: str | None = None
) -> str:
    """One path with a move (M) at the start of each run, so a gap between runs is not drawn; a
    run of one point is a round-capped dot ("h0")."""
    commands = []
    for run in runs:
        (x0, y0), *rest = run
        commands.append(f"M{x0} {y0}")
        commands.extend([f"L{x} {y}" for x, y in rest])
        if not rest:
            commands.append("h0")
    dashes = f' stroke-dasharray="{dash}"' if dash else ""
    return (
        f'<path class="{classes}" d="{"".join(commands)}" fill="none" stroke-width="{width:g}"'
        f' stroke-linecap="round" stroke-linejoin="round"{dashes}/>'
    )


def _dots(points: Iterable[_Point], classes: str) -> str:
    # One group carries the class (and so the fill): a year of dots stays small.
    circles = "".join([f'<circle cx="{x}" cy="{y}" r="{DOT_RADIUS}"/>' for x, y in points])
    return f'<g class="{classes}">{circles}</g>'


class _Plotter:
    """Days and values to written coordinates, each x and each y value written once: a year of
    points is mostly number formatting, and the mood and its mean share their days."""

    def __init__(self, start: date, end: date, top_value: float, height: int, width: int) -> None:
        self._start, self._end = start, end
        self._origin, self._x_unit = _x_scale(start, end, width)
        self._bottom, self._y_unit = _y_scale(top_value, height)
        self._top_value = top_value
        self._xs: dict[int, str] = {}
        self._ys: dict[float, str] = {}

    def x(self, ordinal: int) -> str:
        written = self._xs.get(ordinal)
        if written is None:
            written = self._xs[ordinal] = f"{LEFT + (ordinal - self._origin) * self._x_unit:.1f}"
        return written

    def y(self, value: float) -> str:
        written = self._ys.get(value)
        if written is None:
            clamped = min(max(value, 0.0), self._top_value)
            written = self._ys[value] = f"{self._bottom - clamped * self._y_unit:.1f}"
        return written

    def runs(self, values: Mapping[int, float]) -> list[list[_Point]]:
        """Values by day ordinal, those in [start, end] as points, cut into runs of consecutive
        days."""
        # x() and y() by hand: the calls would be half the time of a year of points.
        xs, ys, top = self._xs, self._ys, self._top_value
        origin, x_unit, bottom, y_unit = self._origin, self._x_unit, self._bottom, self._y_unit
        first, last = self._start.toordinal(), self._end.toordinal()
        runs: list[list[_Point]] = []
        previous = -2
        for ordinal in sorted([ordinal for ordinal in values if first <= ordinal <= last]):
            x = xs.get(ordinal)
            if x is None:
                x = xs[ordinal] = f"{LEFT + (ordinal - origin) * x_unit:.1f}"
            value = values[ordinal]
            y = ys.get(value)
            if y is None:
                y = ys[value] = f"{bottom - min(max(value, 0.0), top) * y_unit:.1f}"
            if ordinal == previous + 1:
                runs[-1].append((x, y))
            else:
                runs.append([(x, y)])
            previous = ordinal
        return runs


def _trailing_mean(
    mood_by_day: Mapping[date, float], start: date, end: date, window: int = ROLLING_WINDOW
) -> dict[date, float]:
    """clinical.rolling_mean for the days in [start, end] only (the tests check they agree)."""
    by_ordinal = {day.toordinal(): mood for day, mood in mood_by_day.items()}
    means = _mean_by_ordinal(by_ordinal, start.toordinal(), end.toordinal(), window)
    return {date.fromordinal(ordinal): mean for ordinal, mean in means.items()}


def _mean_by_ordinal(
    mood_by_ordinal: Mapping[int, float], start: int, end: int, window: int = ROLLING_WINDOW
) -> dict[int, float]:
    """clinical.rolling_mean, by day ordinal, for the days from start to end only: that one walks
    every day from the first logged one, about 5 ms for a year, more than this chart may take.
    The trailing mean of the logged days among the last `window` calendar days, from the first
    logged day to the last, skipping a day with nothing in its window."""
    if not mood_by_ordinal:
        return {}
    first = max(start - window + 1, min(mood_by_ordinal))
    last = min(end, max(mood_by_ordinal))
    if last < first:
        return {}
    slots: list[float | None] = [None] * (last - first + 1)
    for ordinal, mood in mood_by_ordinal.items():
        if first <= ordinal <= last:
            slots[ordinal - first] = float(mood)
    # Whole (or half) moods sum exactly in floating point, so a running sum gives fmean's value
    # to the last bit; any other value takes fsum over each window, as statistics.fmean does.
    exact = all((2 * value).is_integer() for value in slots if value is not None)
    means: dict[int, float] = {}
    total, count = 0.0, 0
    for index, value in enumerate(slots):
        if value is not None:
            total += value
            count += 1
        leaving = slots[index - window] if index >= window else None
        if leaving is not None:
            total -= leaving
            count -= 1
        if count and first + index >= start:
            if exact:
                mean = total / count
            else:
                logged = [v for v in slots[max(index - window + 1, 0) : index + 1] if v is not None]
                mean = math.fsum(logged) / len(logged)
            means[first + index] = mean
    return means


_Key = tuple[str, str, str | None, float, bool]  # class, text, dash, stroke width, dot


def _legend_rows(keys: Sequence[_Key], width: int) -> list[list[tuple[float, _Key]]]:
    """The keys, each with its x, in rows from LEFT: a key that would pass the plot's right edge
    starts a new row."""
    rows: list[list[tuple[float, _Key]]] = [[]]
    x = float(LEFT)
    for key in keys:
        span = LEGEND_KEY + _text_width(key[1])
        if rows[-1] and x + span > width - RIGHT:
            rows.append([])
            x = float(LEFT)
        rows[-1].append((x, key))
        x += span + LEGEND_GAP
    return rows


def _legend(rows: Sequence[Sequence[tuple[float, _Key]]], height: int) -> str:
    """Rows of keys under the x axis; `height` is the chart's without the rows after the first."""
    parts = ['<g class="kc-legend">']
    for index, row in enumerate(rows):
        y = height - 12 + index * LEGEND_LINE
        for x, (classes, text, dash, width, dot) in row:
            dashes = f' stroke-dasharray="{dash}"' if dash else ""
            parts.append(
                f'<line class="{classes}" x1="{_num(x)}" y1="{y - 4}" x2="{_num(x + 20)}"'
                f' y2="{y - 4}" stroke-width="{width:g}"{dashes}/>'
            )
            if dot:
                parts.append(_dots([(_num(x + 10), _num(y - 4))], f"{classes}-dot"))
            parts.append(_text(x + LEGEND_KEY, y, text))
    parts.append("</g>")
    return "".join(parts)


def _infusion_keys(marks: Sequence[InfusionMark]) -> list[_Key]:
    keys: list[_Key] = []
    if any(not mark.planned for mark in marks):
        keys.append(("kc-infusion", "Infusion", INFUSION_DASH, 1.5, False))
    if any(mark.planned for mark in marks):
        keys.append(("kc-infusion kc-planned", "Planned infusion", PLANNED_DASH, 1.5, False))
    return keys


def _empty(height: int, width: int, avoid: Sequence[_Box] = ()) -> str:
    """EMPTY_TEXT in the middle of the plot, or as near it as the texts to `avoid` allow."""
    centre = (LEFT + width - RIGHT) / 2
    middle = (PLOT_TOP + _plot_bottom(height)) / 2 + EMPTY_FONT_SIZE / 3
    if avoid:
        half = _text_width(EMPTY_TEXT, EMPTY_FONT_SIZE) / 2
        blocked = _text_blocks(centre - half, centre + half, (), avoid, EMPTY_FONT_SIZE)
        low = PLOT_TOP + TEXT_ASCENT * EMPTY_FONT_SIZE
        high = _plot_bottom(height) - TEXT_DESCENT * EMPTY_FONT_SIZE
        free = _free_y(middle, low, high, blocked)
        middle = middle if free is None else free
    return _text(
        centre,
        middle,
        EMPTY_TEXT,
        "kc-label kc-empty",
        anchor="middle",
        size=EMPTY_FONT_SIZE,
    )


# --- charts --------------------------------------------------------------------------------------


def _mood_legend(marks: Sequence[InfusionMark], width: int) -> list[list[tuple[float, _Key]]]:
    keys: list[_Key] = [
        ("kc-mood", "Mood", None, 1.5, True),
        ("kc-mean", "7-day average", None, 3, False),
        *_infusion_keys(marks),
    ]
    return _legend_rows(keys, width)


def mood_svg_height(
    infusions: Sequence[InfusionMark], start: date, end: date, width: int = WIDTH
) -> int:
    """The height of mood_svg's viewBox for these infusions and width (its legend may wrap), so
    a page showing it as an image can reserve its space before it arrives."""
    start, end = _check_range(start, end)
    legend = _mood_legend(_infusions_in_range(infusions, start, end), _check_width(width))
    return MOOD_HEIGHT + (len(legend) - 1) * LEGEND_LINE


def mood_svg(
    points: Sequence[MoodPoint],
    infusions: Sequence[InfusionMark],
    start: date,
    end: date,
    *,
    title: str,
    summary: str,
    width: int = WIDTH,
    weekly_before: date | None = None,
) -> str:
    """Daily mood (0-10) as a thin line with dots, broken on days not logged; its 7-day trailing
    mean as a thick line; each infusion in [start, end] as a vertical line, labelled above.
    `width` is the viewBox's (MIN_WIDTH or more): text keeps its size in viewBox units, so a
    chart drawn 360 px wide on a phone reads best at width=360; the ids then carry the width.
    With weekly_before (after start), the days before it are one dot per week, that week's
    mean (as mood_chart draws them), and the 7-day mean starts there: ten years of days would
    be a smear of 3,650 dots under a unit apart, and a picture ten times the size."""
    start, end = _check_range(start, end)
    width = _check_width(width)
    # By day ordinal; later entries for the same day win, as in mood_chart.
    mood_by_day = {calendar_day(point.day).toordinal(): float(point.mood) for point in points}
    first, last = start.toordinal(), end.toordinal()
    by_week = weekly_before if weekly_before is not None and start < weekly_before <= end else None
    daily_from = by_week.toordinal() if by_week else first
    shown = {day: mood for day, mood in mood_by_day.items() if daily_from <= day <= last}
    # The mean uses the days before `start` too, so the first week's average is complete.
    average = _mean_by_ordinal(mood_by_day, daily_from, last)
    weeks: dict[int, float] = {}
    if by_week:
        by_date = {date.fromordinal(day): mood for day, mood in mood_by_day.items()}
        weeks = {
            middle.toordinal(): mean
            for middle, mean in weekly_means(by_date, start, by_week)
            if mean is not None
        }
    marks = _infusions_in_range(infusions, start, end)
    height = MOOD_HEIGHT
    legend = _mood_legend(marks, width)

    parts = _open(width, height + (len(legend) - 1) * LEGEND_LINE, title, summary)
    for tick in MOOD_TICKS:
        y = mood_y(tick)
        if tick:  # the x axis is the line at 0
            parts.append(_hline(y, "kc-grid", width))
        parts.append(_text(LEFT - 6, y + 4, str(tick), anchor="end"))
    parts.extend(_x_axis(start, end, height, width))
    parts.append(_infusion_parts(marks, start, end, height, width))
    plotter = _Plotter(start, end, MOOD_TOP, height, width)
    mean_runs = plotter.runs(average)
    if mean_runs:
        parts.append(_path(mean_runs, "kc-mean", 3))
    mood_runs = plotter.runs(shown)
    if weeks:
        week_runs = _in_runs(
            (day, (plotter.x(day), plotter.y(weeks[day])), WEEK) for day in sorted(weeks)
        )
        if week_runs and mood_runs and mood_runs[0][0][0] == plotter.x(daily_from):
            # The last week's mean runs on into the first day drawn by day.
            week_runs[-1].extend(mood_runs.pop(0))
        mood_runs = [*week_runs, *mood_runs]
    if mood_runs:
        parts.append(_path(mood_runs, "kc-mood", 1.5))
        parts.append(_dots([point for run in mood_runs for point in run], "kc-mood-dot"))
    else:
        parts.append(_empty(height, width))
    parts.append(_legend(legend, height))
    parts.append("</svg>")
    return "".join(parts)


def _in_runs(points: Iterable[tuple[float, _Point, float]]) -> list[list[_Point]]:
    """Points (each with its position and the span it stands for: 1 for a day, WEEK for a
    week's mean), in order, cut into runs: a point joins the run before it when it is no
    further from the last point than the larger of their spans, so a gap is never drawn."""
    runs: list[list[_Point]] = []
    previous, previous_span = -math.inf, 1.0
    for position, point, span in points:
        if position - previous <= max(span, previous_span):
            runs[-1].append(point)
        else:
            runs.append([point])
        previous, previous_span = position, span
    return runs


def _spread(wanted: Sequence[float], low: float, high: float, gap: float) -> list[float]:
    """Positions in the order given (top to bottom), each as near its wanted y as the others
    allow, at least `gap` apart and inside [low, high] (which must hold them all)."""
    ys = [min(max(y, low), high) for y in wanted]
    for n in range(1, len(ys)):
        ys[n] = max(ys[n], ys[n - 1] + gap)
    if ys and ys[-1] > high:
        ys[-1] = high
        for n in range(len(ys) - 2, -1, -1):
            ys[n] = min(ys[n], ys[n + 1] - gap)
    return ys


def guide_lines(baseline: int | None) -> list[tuple[str, float, str, str]]:
    """(class, value, label, dash) for the questionnaire chart's horizontal lines, top to bottom:
    the baseline, the 50% response line (when the baseline is above 0) and remission (always)."""
    lines: list[tuple[str, float, str, str]] = []
    if baseline is not None:
        lines.append(("kc-baseline", float(baseline), f"Baseline {baseline}", BASELINE_DASH))
        if baseline > 0:
            # Response: a fall of 50% or more from baseline.
            half = baseline / 2
            lines.append(("kc-response", half, f"Response ≤ {half:g}", RESPONSE_DASH))
    # Remission: a total below 5, back in the "minimal" band (Kroenke 2001; Spitzer 2006 for
    # GAD-7); drawn at 4.5, the band's top edge, as in questionnaire_chart.
    lines.append(("kc-remission", REMISSION_LINE, "Remission < 5", REMISSION_DASH))
    # Top to bottom; equal values keep the order above (sorted is stable).
    return sorted(lines, key=lambda line: -line[1])


def guide_label_ys(instrument: Instrument, baseline: int | None) -> list[float]:
    """The text baselines of the labels of guide_lines(baseline), in the same order: just above
    each line (remission just below, inside its band), moved apart to LABEL_GAP or more."""
    # To 0.1 unit before spreading, as the coordinates are written: rounding afterwards could
    # bring two labels 13.9 apart.
    wanted = [
        round(score_y(instrument, value) + (FONT_SIZE + 1 if name == "kc-remission" else -3), 1)
        for name, value, _, _ in guide_lines(baseline)
    ]
    low = PLOT_TOP + FONT_SIZE
    high = _plot_bottom(QUESTIONNAIRE_HEIGHT) - 4
    return [round(y, 1) for y in _spread(wanted, low, high, LABEL_GAP)]


def _band_names(
    instrument: Instrument,
    edges: Sequence[tuple[float, float]],
    lines: Sequence[float],
    avoid: Sequence[_Box],
    width: int,
) -> list[tuple[float, str]]:
    """(y, text) of each band's name, right-aligned at the plot's right edge: in the middle of its
    band, or as near it as keeps it inside the band and clear of the horizontal `lines`, of the
    texts to `avoid` and of the names above. A band with no such room (a baseline of 3 cuts
    PHQ-9's "minimal" into three strips 11 units high) has it in the middle of its widest strip,
    where it touches the lines least; its halo keeps it readable."""
    x = width - RIGHT - 4
    placed = list(avoid)
    names: list[tuple[float, str]] = []
    for band, (top, bottom) in zip(instrument.bands, edges, strict=True):
        text = band.severity
        left = x - _text_width(text)
        wanted = (top + bottom) / 2 + FONT_SIZE / 3
        blocked = _text_blocks(left, x, lines, placed, FONT_SIZE)
        low, high = top + TEXT_ASCENT * FONT_SIZE, bottom - TEXT_DESCENT * FONT_SIZE
        free = _free_y(wanted, low, high, blocked)
        if free is None:
            cuts = sorted([top, bottom, *(y for y in lines if top < y < bottom)])
            upper, lower = max(itertools.pairwise(cuts), key=lambda pair: pair[1] - pair[0])
            free = (upper + lower + (TEXT_ASCENT - TEXT_DESCENT) * FONT_SIZE) / 2
        y = round(free, 1)
        names.append((y, text))
        placed.append(_text_box(x, y, text, "end"))
    return names


def _questionnaire_legend(
    instrument: Instrument, marks: Sequence[InfusionMark], width: int
) -> list[list[tuple[float, _Key]]]:
    keys: list[_Key] = [
        ("kc-score", f"{instrument.name} total", None, 2, True),
        *_infusion_keys(marks),
    ]
    return _legend_rows(keys, width)


def questionnaire_svg_height(
    instrument: Instrument,
    infusions: Sequence[InfusionMark],
    start: date,
    end: date,
    width: int = WIDTH,
) -> int:
    """The height of questionnaire_svg's viewBox, so a page can reserve its space."""
    start, end = _check_range(start, end)
    marks = _infusions_in_range(infusions, start, end)
    legend = _questionnaire_legend(instrument, marks, _check_width(width))
    return QUESTIONNAIRE_HEIGHT + (len(legend) - 1) * LEGEND_LINE


def questionnaire_svg(
    instrument: Instrument,
    readings: Sequence[ScoreReading],
    baseline: int | None,
    infusions: Sequence[InfusionMark],
    start: date,
    end: date,
    *,
    title: str,
    summary: str,
    width: int = WIDTH,
) -> str:
    """Totals as a line with dots on the instrument's severity bands (named at the right), the
    baseline, response and remission lines (labelled at the left) and infusions as vertical
    lines, labelled above. `width` is the viewBox's, as for mood_svg."""
    start, end = _check_range(start, end)
    width = _check_width(width)
    height = QUESTIONNAIRE_HEIGHT
    shown = sorted(
        (reading for reading in readings if start <= calendar_day(reading.day) <= end),
        key=lambda reading: calendar_day(reading.day),
    )
    marks = _infusions_in_range(infusions, start, end)
    legend = _questionnaire_legend(instrument, marks, width)
    lines = guide_lines(baseline)
    # As written, to 0.1 unit, so the texts placed around them keep their distance.
    line_ys = [round(score_y(instrument, value), 1) for _, value, _, _ in lines]
    labels = [
        (y, label, f"kc-label kc-halo {name}-label")
        for (name, _, label, _), y in zip(lines, guide_label_ys(instrument, baseline), strict=True)
    ]
    label_boxes = [_text_box(LEFT + 4, y, label) for y, label, _ in labels]

    parts = _open(width, height + (len(legend) - 1) * LEGEND_LINE, title, summary)
    low_alpha, high_alpha = BAND_OPACITIES
    count = len(instrument.bands)
    step = (high_alpha - low_alpha) / (count - 1) if count > 1 else 0.0
    edges = []
    for index, band in enumerate(instrument.bands):
        top = score_y(instrument, band.high + 0.5)
        bottom = score_y(instrument, max(0.0, band.low - 0.5))
        edges.append((top, bottom))
        # Severity shows as strength: fill-opacity is not a colour, so the style still sets it.
        parts.append(
            f'<rect class="kc-band kc-band-{index}" x="{LEFT}" y="{_num(top)}"'
            f' width="{width - LEFT - RIGHT}" height="{_num(bottom - top)}"'
            f' fill-opacity="{round(low_alpha + step * index, 3):g}"/>'
        )
    # Clear of the guide lines and of the x axis, at the plot's bottom.
    names = _band_names(instrument, edges, [*line_ys, _plot_bottom(height)], label_boxes, width)
    for tick in range(0, instrument.max_total + 1, 5):
        parts.append(_text(LEFT - 6, score_y(instrument, tick) + 4, str(tick), anchor="end"))
    parts.extend(_x_axis(start, end, height, width))
    for (name, _, _, dash), y in zip(lines, line_ys, strict=True):
        parts.append(_hline(y, name, width, dash, 1.5))
    parts.append(_infusion_parts(marks, start, end, height, width))
    if shown:
        plotter = _Plotter(start, end, instrument.max_total + 0.5, height, width)
        xy = [
            (plotter.x(calendar_day(reading.day).toordinal()), plotter.y(float(reading.total)))
            for reading in shown
        ]
        if len(xy) > 1:
            parts.append(_path([xy], "kc-score", 2))
        parts.append(_dots(xy, "kc-score-dot"))
    else:
        name_boxes = [_text_box(width - RIGHT - 4, y, text, "end") for y, text in names]
        parts.append(_empty(height, width, [*label_boxes, *name_boxes]))
    # Text last, over the lines, each on a halo of the background.
    x = width - RIGHT - 4
    for y, text in names:
        parts.append(_text(x, y, text, "kc-label kc-halo kc-band-name", anchor="end"))
    for y, label, classes in labels:
        parts.append(_text(LEFT + 4, y, label, classes))
    parts.append(_legend(legend, height))
    parts.append("</svg>")
    return "".join(parts)


# --- Trends' other charts ------------------------------------------------------------------------

# A row under the tick labels for the x axis' title (the response chart's days) or for the second
# line of two-line labels (the side-effect chart's days).
EXTRA_ROW: Final = 16
RESPONSE_HEIGHT: Final = MOOD_HEIGHT + EXTRA_ROW
MEDIAN_DASH: Final = "6 4"
# Wellbeing: ratings in the top 55% of the plot, sleep bars in its bottom third.
WELLBEING_BOTH_HEIGHT: Final = 320
WELLBEING_RATINGS_SHARE: Final = 0.55
WELLBEING_SLEEP_SHARE: Final = 0.33
# Beyond about four months a day is under a unit wide: dots would be a smear, and the sleep
# bars close their gaps.
DOTS_UP_TO_DAYS: Final = 120
RATING_TOP: Final = 10.5
# Dashes tell the three ratings apart in print and without colour.
RATINGS: Final[tuple[tuple[str, str, str | None], ...]] = (
    ("Anxiety", "anxiety", None),
    ("Energy", "energy", "6 3"),
    ("Pain", "pain", "2 3"),
)
SIDE_EFFECTS_HEIGHT: Final = MOOD_HEIGHT + EXTRA_ROW
SEVERITY_TOP: Final = 3.2
SEVERITY_LEFT: Final = 58  # room for "Moderate" at 10 units
DISSOCIATION_RIGHT: Final = 30  # room for "10" on the right-hand axis
SMALL_FONT: Final = 10


def _numeric_x(
    low: float, high: float, width: int, left: float = LEFT, right: float = RIGHT
) -> Callable[[float], float]:
    """x for a value on an axis from `low` (at the plot's left edge) to `high` (its right)."""
    unit = (width - left - right) / (high - low)
    return lambda value: left + (value - low) * unit


def _placed_ticks(
    ticks: Sequence[tuple[float, str]], width: int, size: float = FONT_SIZE
) -> list[tuple[float, float, str]]:
    """(tick x, label x, label), leaving out a label that would come within TICK_LABEL_GAP of the
    one before it (the first and last pulled inside the viewBox)."""
    placed: list[tuple[float, float, str]] = []
    right_edge = -math.inf
    for x, label in ticks:
        half = _text_width(label, size) / 2
        label_x = min(max(x, half + 2), width - half - 2)
        if label_x - half < right_edge + TICK_LABEL_GAP:
            continue
        placed.append((x, label_x, label))
        right_edge = label_x + half
    return placed


def _vline(x: float, classes: str, top: float, bottom: float, dash: str, width: float = 1.5) -> str:
    return (
        f'<line class="{classes}" x1="{_num(x)}" y1="{_num(bottom)}" x2="{_num(x)}"'
        f' y2="{_num(top)}" stroke-width="{width:g}" stroke-dasharray="{dash}"/>'
    )


def _y_labels(
    ys: Iterable[tuple[float, str]], x: float, anchor: str, size: int | None = None
) -> list[str]:
    return [_text(x, y + 4, label, anchor=anchor, size=size) for y, label in ys]


def _response_legend(
    series: Sequence[ResponseSeries], width: int
) -> list[list[tuple[float, _Key]]]:
    """The latest infusion by its name, the earlier ones together (their lines fade with age)."""
    keys: list[_Key] = []
    if series:
        keys.append(("kc-mood", series[-1].label, None, 3, True))
    if len(series) > 1:
        keys.append(("kc-earlier", "Earlier (fainter: older)", None, 1.5, False))
    return _legend_rows(keys, width)


def response_svg_height(series: Sequence[ResponseSeries], width: int = WIDTH) -> int:
    """The height of response_svg's viewBox, so a page can reserve its space."""
    legend = _response_legend(series, _check_width(width))
    return RESPONSE_HEIGHT + (len(legend) - 1) * LEGEND_LINE


def response_svg(
    series: Sequence[ResponseSeries],
    median_days: float | None = None,
    *,
    title: str,
    summary: str,
    width: int = WIDTH,
) -> str:
    """Mood (0-10) by days since each infusion, one line per infusion, earliest first: the latest
    thick in the mood colour, the earlier ones thin and grey, fainter the older; the infusion day
    as a dotted line and, with median_days, the patient's median durability as a dashed one, the
    chart running past it when it is longer than 35 days (response_days). As response_chart."""
    width = _check_width(width)
    end = response_days(median_days)
    x = _numeric_x(RESPONSE_BEFORE, end, width)
    legend = _response_legend(series, width)
    height = MOOD_HEIGHT  # the plot's; the axis title's row and the legend's rows come below it
    bottom = _plot_bottom(height)
    parts = _open(width, RESPONSE_HEIGHT + (len(legend) - 1) * LEGEND_LINE, title, summary)
    for tick in MOOD_TICKS:
        y = mood_y(tick)
        if tick:
            parts.append(_hline(y, "kc-grid", width))
    parts.extend(_y_labels([(mood_y(tick), str(tick)) for tick in MOOD_TICKS], LEFT - 6, "end"))
    parts.append(
        f'<line class="kc-axis" x1="{LEFT}" y1="{bottom}" x2="{width - RIGHT}" y2="{bottom}"'
        ' stroke-width="1"/>'
    )
    step = WEEK if end <= 8 * WEEK else 2 * WEEK
    ticks = [
        (x(day), f"{day:g}".replace("-", "−"))
        for day in (RESPONSE_BEFORE, *range(0, end + 1, step))
    ]
    for tick_x, label_x, label in _placed_ticks(ticks, width):
        parts.append(
            f'<line class="kc-axis" x1="{_num(tick_x)}" y1="{bottom}" x2="{_num(tick_x)}"'
            f' y2="{bottom + 4}" stroke-width="1"/>'
        )
        parts.append(_text(label_x, bottom + TICK_ROW, label, anchor="middle"))
    parts.append(
        _text(
            (LEFT + width - RIGHT) / 2,
            bottom + TICK_ROW + EXTRA_ROW,
            "Days since infusion",
            anchor="middle",
        )
    )
    # The infusion day, labelled in the row above the plot; the median beside it when it fits.
    zero = x(0)
    parts.append(_vline(zero, "kc-infusion", PLOT_TOP - 2, bottom, INFUSION_DASH))
    infusion_label = "Infusion"
    infusion_half = _text_width(infusion_label) / 2
    infusion_x = max(zero, infusion_half + 2)
    parts.append(_text(infusion_x, PLOT_TOP - 8, infusion_label, "kc-label", anchor="middle"))
    if median_days is not None:
        days = whole_days(median_days)
        median_x = x(days)
        parts.append(_vline(median_x, "kc-mean", PLOT_TOP - 2, bottom, MEDIAN_DASH))
        text = f"Your median: {days_phrase(days)}"
        text_width = _text_width(text)
        # Right of its line, or left of it on the chart's right half; never over "Infusion".
        start = median_x + 4 if median_x < (LEFT + width - RIGHT) / 2 else median_x - 4 - text_width
        start = max(start, infusion_x + infusion_half + INFUSION_LABEL_GAP)
        if start + text_width <= width - 2:
            parts.append(_text(start, PLOT_TOP - 8, text))
        else:  # no room in the row: inside the plot's top, on a halo
            start = max(LEFT + 4, min(median_x + 4, width - RIGHT - 4 - text_width))
            parts.append(_text(start, PLOT_TOP + FONT_SIZE, text, "kc-label kc-halo"))
    alphas = theme.graded_alphas(
        len(series) - 1, theme.RESPONSE_EARLIER_ALPHA_MIN, theme.RESPONSE_EARLIER_ALPHA_MAX
    )
    for index, item in enumerate(series):
        latest = index == len(series) - 1
        points = sorted(p for p in item.points if RESPONSE_BEFORE <= p[0] <= end)
        if not points:
            continue
        runs = _in_runs(
            (offset, (_num(x(offset)), _num(mood_y(mood))), 1) for offset, mood in points
        )
        if latest:
            parts.append(_path(runs, "kc-mood", theme.RESPONSE_LATEST_WIDTH))
            parts.append(_dots([p for run in runs for p in run], "kc-mood-dot"))
        else:
            opacity = f"{alphas[index]:g}"
            parts.append(
                f'<g stroke-opacity="{opacity}" fill-opacity="{opacity}">'
                f"{_path(runs, 'kc-earlier', theme.RESPONSE_EARLIER_WIDTH)}</g>"
            )
    if not series:
        parts.append(_empty(height, width))
    parts.append(_legend(legend, height + EXTRA_ROW))
    parts.append("</svg>")
    return "".join(parts)


def _wellbeing_measures(
    days: Sequence[WellbeingDay], start: date, end: date
) -> tuple[dict[str, dict[date, float]], dict[date, float]]:
    """Each rating's values by day and the sleep hours by day, in [start, end]."""
    ratings: dict[str, dict[date, float]] = {}
    sleep: dict[date, float] = {}
    for entry in days:
        day = calendar_day(entry.day)
        if not start <= day <= end:
            continue
        for _, attribute, _ in RATINGS:
            value = getattr(entry, attribute)
            if value is not None:
                ratings.setdefault(attribute, {})[day] = float(value)
        if entry.sleep is not None:
            sleep[day] = float(entry.sleep)
    return ratings, sleep


def _wellbeing_legend(
    ratings: Mapping[str, object], slept: bool, width: int
) -> list[list[tuple[float, _Key]]]:
    keys: list[_Key] = [
        (f"kc-{attribute}", name, dash, 2, True)
        for name, attribute, dash in RATINGS
        if attribute in ratings
    ]
    if slept:
        keys.append(("kc-sleep-key", "Sleep (hours)", None, 8, False))
    return _legend_rows(keys, width)


def wellbeing_svg_height(
    days: Sequence[WellbeingDay], start: date, end: date, width: int = WIDTH
) -> int:
    """The height of wellbeing_svg's viewBox, so a page can reserve its space."""
    start, end = _check_range(start, end)
    ratings, sleep = _wellbeing_measures(days, start, end)
    legend = _wellbeing_legend(ratings, bool(sleep), _check_width(width))
    base = WELLBEING_BOTH_HEIGHT if ratings and sleep else MOOD_HEIGHT
    return base + (len(legend) - 1) * LEGEND_LINE


def _weekly_then_daily(
    values: Mapping[date, float], start: date, end: date, weekly_before: date | None
) -> list[tuple[int, float, int]]:
    """(day ordinal, value, days it stands for): the mean of each week before weekly_before (on
    its middle day), then every day to end; every day when weekly_before is None or not after
    start."""
    if weekly_before is None or weekly_before <= start:
        return [(day.toordinal(), value, 1) for day, value in sorted(values.items())]
    weeks = [
        (middle.toordinal(), mean, WEEK)
        for middle, mean in weekly_means(values, start, weekly_before)
        if mean is not None
    ]
    daily = [(d.toordinal(), v, 1) for d, v in sorted(values.items()) if d >= weekly_before]
    return [*weeks, *daily]


def wellbeing_svg(
    days: Sequence[WellbeingDay],
    start: date,
    end: date,
    weekly_before: date | None = None,
    *,
    title: str,
    summary: str,
    width: int = WIDTH,
) -> str:
    """Anxiety, energy and pain (0-10) as lines, broken where nothing was logged, with dots up to
    four months; sleep hours as bars in a panel of their own below; a measure with nothing
    logged in [start, end] is left out. With weekly_before, each measure before it is one point
    (a bar a week wide) per week, the mean of that week. As wellbeing_chart."""
    start, end = _check_range(start, end)
    width = _check_width(width)
    ratings, sleep = _wellbeing_measures(days, start, end)
    legend = _wellbeing_legend(ratings, bool(sleep), width)
    height = WELLBEING_BOTH_HEIGHT if ratings and sleep else MOOD_HEIGHT
    bottom = _plot_bottom(height)
    span = bottom - PLOT_TOP
    ratings_bottom = PLOT_TOP + span * WELLBEING_RATINGS_SHARE if sleep else bottom
    sleep_top = bottom - span * WELLBEING_SLEEP_SHARE if ratings else PLOT_TOP
    parts = _open(width, height + (len(legend) - 1) * LEGEND_LINE, title, summary)
    origin, x_unit = _x_scale(start, end, width)

    def x(ordinal: float) -> float:
        return LEFT + (ordinal - origin) * x_unit

    if ratings:
        unit = (ratings_bottom - PLOT_TOP) / RATING_TOP
        ticks = (0, 5, 10) if sleep else MOOD_TICKS
        for tick in ticks:
            y = ratings_bottom - tick * unit
            parts.append(_hline(y, "kc-grid" if tick else "kc-axis", width))
        labels = [(ratings_bottom - tick * unit, str(tick)) for tick in ticks]
        parts.extend(_y_labels(labels, LEFT - 6, "end"))
    if sleep:
        unit = (bottom - sleep_top) / SLEEP_TOP
        ticks = (0, 6, 12)
        for tick in ticks[1:]:
            parts.append(_hline(bottom - tick * unit, "kc-grid", width))
        labels = [(bottom - tick * unit, f"{tick} h" if tick else "0") for tick in ticks]
        # The rating axis' 0 and sleep's 12 would meet: sleep's top label goes when they do.
        if ratings and labels[-1][0] - ratings_bottom < LABEL_GAP:
            labels = labels[:-1]
        parts.extend(_y_labels(labels, LEFT - 6, "end"))
        daily_share = 1.0 if (end - start).days > DOTS_UP_TO_DAYS else 0.7
        bars = []
        for ordinal, hours, wide in _weekly_then_daily(sleep, start, end, weekly_before):
            bar = x_unit * wide * (1.0 if wide > 1 else daily_share)
            top = bottom - min(max(hours, 0.0), SLEEP_TOP) * unit
            bars.append(
                f'<rect x="{_num(x(ordinal) - bar / 2)}" y="{_num(top)}"'
                f' width="{_num(max(bar, 0.4))}" height="{_num(bottom - top)}"/>'
            )
        parts.append(f'<g class="kc-sleep">{"".join(bars)}</g>')
    parts.extend(_x_axis(start, end, height, width))
    dotted = (end - start).days <= DOTS_UP_TO_DAYS
    unit = (ratings_bottom - PLOT_TOP) / RATING_TOP
    for _, attribute, dash in RATINGS:
        values = ratings.get(attribute)
        if not values:
            continue
        runs = _in_runs(
            (
                ordinal,
                (_num(x(ordinal)), _num(ratings_bottom - min(value, RATING_TOP) * unit)),
                wide,
            )
            for ordinal, value, wide in _weekly_then_daily(values, start, end, weekly_before)
        )
        parts.append(_path(runs, f"kc-{attribute}", 2, dash))
        if dotted:
            parts.append(_dots([p for run in runs for p in run], f"kc-{attribute}-dot"))
    if not ratings and not sleep:
        parts.append(_empty(height, width))
    parts.append(_legend(legend, height))
    parts.append("</svg>")
    return "".join(parts)


def _side_effect_keys(rows: Sequence[SideEffectRow]) -> tuple[list[str], bool]:
    """The keys of the side effects felt (above none) at one of `rows`, in SIDE_EFFECTS order,
    and whether a dissociation rating is among them."""
    felt = [e.key for e in SIDE_EFFECTS if any(row.worst.get(e.key, 0) > 0 for row in rows)]
    return felt, any(row.dissociation is not None for row in rows)


def _side_effects_legend(
    felt: Sequence[str], dissociation: bool, width: int
) -> list[list[tuple[float, _Key]]]:
    labels = {effect.key: effect.label for effect in SIDE_EFFECTS}
    keys: list[_Key] = [(f"kc-se-{key}-key", labels[key], None, 8, False) for key in felt]
    if dissociation:
        keys.append(("kc-dissociation", "Dissociation (0–10, right)", None, 0, True))
    return _legend_rows(keys, width)


def side_effects_svg_height(rows: Sequence[SideEffectRow], width: int = WIDTH) -> int:
    """The height of side_effects_svg's viewBox, so a page can reserve its space."""
    felt, dissociation = _side_effect_keys(rows[-MAX_SIDE_EFFECT_INFUSIONS:])
    legend = _side_effects_legend(felt, dissociation, _check_width(width))
    return SIDE_EFFECTS_HEIGHT + (len(legend) - 1) * LEGEND_LINE


def side_effects_svg(
    rows: Sequence[SideEffectRow], *, title: str, summary: str, width: int = WIDTH
) -> str:
    """The worst severity of each side effect at each of the latest MAX_SIDE_EFFECT_INFUSIONS
    infusions as grouped bars (only effects felt at one of them), and dissociation (0-10) as a
    dot on a right-hand axis; rows come earliest first, and a note above the plot says when
    earlier ones are left out. As side_effects_chart."""
    width = _check_width(width)
    shown = list(rows[-MAX_SIDE_EFFECT_INFUSIONS:])
    felt, dissociation = _side_effect_keys(shown)
    legend = _side_effects_legend(felt, dissociation, width)
    height = MOOD_HEIGHT  # the plot's; the labels' second line and the legend come below it
    bottom = _plot_bottom(height)
    left, right = SEVERITY_LEFT, DISSOCIATION_RIGHT if dissociation else RIGHT
    parts = _open(width, SIDE_EFFECTS_HEIGHT + (len(legend) - 1) * LEGEND_LINE, title, summary)
    unit = (bottom - PLOT_TOP) / SEVERITY_TOP
    for level in (1, 2, 3):
        y = bottom - level * unit
        parts.append(
            f'<line class="kc-grid" x1="{left}" y1="{_num(y)}" x2="{width - right}"'
            f' y2="{_num(y)}" stroke-width="1"/>'
        )
        parts.append(
            _text(left - 6, y + 4, SEVERITIES[level].capitalize(), anchor="end", size=SMALL_FONT)
        )
    parts.append(
        f'<line class="kc-axis" x1="{left}" y1="{bottom}" x2="{width - right}" y2="{bottom}"'
        ' stroke-width="1"/>'
    )
    if dissociation:
        scale = (bottom - PLOT_TOP) / RATING_TOP
        for tick in (0, 5, 10):
            parts.append(
                _text(width - right + 4, bottom - tick * scale + 4, str(tick), size=SMALL_FONT)
            )
    left_out = len(rows) - len(shown)
    if left_out:
        parts.append(_text(left, PLOT_TOP - 8, f"Latest {len(shown)} of {len(rows)} infusions"))
    slot = (width - left - right) / max(len(shown), 1)
    lines = [row.label.split(" · ", 1) for row in shown]
    longest = max((len(line) for pair in lines for line in pair), default=1)
    # As large as lets each label keep within its slot, up to the small size.
    size = max(7, min(SMALL_FONT, int((slot - TICK_LABEL_GAP) / (longest * CHAR_WIDTH))))
    for index, (row, pair) in enumerate(zip(shown, lines, strict=True)):
        centre = left + slot * (index + 0.5)
        for line_index, line in enumerate(pair):
            parts.append(
                _text(
                    centre,
                    bottom + TICK_ROW + line_index * EXTRA_ROW,
                    line,
                    anchor="middle",
                    size=size,
                )
            )
        group = slot * 0.8
        bar = group / max(len(felt), 1)
        for key_index, key in enumerate(felt):
            level = min(max(row.worst.get(key, 0), 0), len(SEVERITIES) - 1)
            if not level:
                continue
            top = bottom - level * unit
            parts.append(
                f'<rect class="kc-se-{key}" x="{_num(centre - group / 2 + key_index * bar)}"'
                f' y="{_num(top)}" width="{_num(bar)}" height="{_num(bottom - top)}"/>'
            )
        if row.dissociation is not None:
            scale = (bottom - PLOT_TOP) / RATING_TOP
            y = bottom - min(max(row.dissociation, 0), 10) * scale
            parts.append(
                f'<circle class="kc-dissociation-dot kc-halo" cx="{_num(centre)}" cy="{_num(y)}"'
                ' r="5"/>'
            )
    if not shown:
        parts.append(_empty(height, width))
    parts.append(_legend(legend, height + EXTRA_ROW))
    parts.append("</svg>")
    return "".join(parts)
