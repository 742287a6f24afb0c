"""One plain sentence beside each chart, from the same inputs: for screen readers and for a quick
read, or a "what to log" sentence when there is too little to show."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from datetime import date, timedelta

from companion.charts.figures import (
    InfusionMark,
    MoodPoint,
    ResponseSeries,
    ScoreReading,
    SideEffectRow,
    WellbeingDay,
)
from companion.clinical import (
    SIDE_EFFECTS,
    Instrument,
    assess_outcome,
    calendar_day,
    describe_side_effects,
    durability_days,
    format_short_date,
    signed,
)

# The trend is mentioned when the 7-day average moved by a point or more between the first and
# the last week of the range, each week with at least two logged days.
TREND_MIN_CHANGE = 1.0
TREND_WEEK = 7
TREND_MIN_LOGGED = 2
# "Mood rose after an infusion": the mean of days +1..+3 above the mean of days -3..-1, the same
# comparison as the clinician summary's infusion table.
AROUND_DAYS = 3

MOOD_TOO_LITTLE = "Log your mood on at least two days to see this chart."
RESPONSE_TOO_LITTLE = (
    "Log an infusion and your mood on the days around it to see how each infusion worked."
)
MOOD_TOO_LITTLE_CLINICIAN = "Mood was logged on fewer than two days in this period."
WELLBEING_TOO_LITTLE = "Log sleep, anxiety, energy or pain in your check-in to see this chart."
SIDE_EFFECTS_TOO_LITTLE = "Answer a post-infusion check to see side effects here."


def _number(value: float) -> str:
    """3 for 3.0, 6.5 for 6.5: moods and hours without a needless ".0"."""
    rounded = round(value, 1)
    return str(int(rounded)) if rounded.is_integer() else f"{rounded:.1f}"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def _join(parts: Sequence[str]) -> str:
    """Join as "a", "a and b" or "a, b and c"."""
    if len(parts) <= 1:
        return "".join(parts)
    return f"{', '.join(parts[:-1])} and {parts[-1]}"


def _week_mean(mood_by_day: dict[date, float], first: date) -> float | None:
    values = [
        mood_by_day[day]
        for day in (first + timedelta(days=n) for n in range(TREND_WEEK))
        if day in mood_by_day
    ]
    return statistics.fmean(values) if len(values) >= TREND_MIN_LOGGED else None


def summarize_mood(
    points: Sequence[MoodPoint],
    infusions: Sequence[InfusionMark],
    start: date,
    end: date,
    *,
    for_clinician: bool = False,
) -> str:
    """Average, logged days, low and high, infusions given in the range, and the trend.
    `for_clinician` words it for the shared summary: no "your", no advice on what to log."""
    start, end = calendar_day(start), calendar_day(end)
    mood_by_day = {
        calendar_day(point.day): float(point.mood)
        for point in points
        if start <= calendar_day(point.day) <= end
    }
    if len(mood_by_day) < 2:
        return MOOD_TOO_LITTLE_CLINICIAN if for_clinician else MOOD_TOO_LITTLE
    span = (end - start).days + 1
    moods = list(mood_by_day.values())
    logged = "logged every day" if len(moods) == span else f"logged on {len(moods)}"
    low, high = min(moods), max(moods)
    spread = (
        f"steady at {_number(low)}"
        if low == high
        else f"from a low of {_number(low)} to a high of {_number(high)}"
    )
    text = (
        f"{'Mood' if for_clinician else 'Your mood'} averaged {statistics.fmean(moods):.1f} "
        f"over these {span} days ({logged}), {spread}"
    )
    # Planned infusions are not counted: they have not happened yet.
    given = sum(
        1 for mark in infusions if not mark.planned and start <= calendar_day(mark.day) <= end
    )
    if given:
        text += f", with {_plural(given, 'infusion')}"
    if span >= 2 * TREND_WEEK:
        first = _week_mean(mood_by_day, start)
        last = _week_mean(mood_by_day, end - timedelta(days=TREND_WEEK - 1))
        if first is not None and last is not None:
            # Compared as shown, to one decimal, so the words always match the numbers.
            change = round(round(last, 1) - round(first, 1), 1)
            if abs(change) >= TREND_MIN_CHANGE:
                direction = "rising" if change > 0 else "falling"
                text += (
                    f"; it was {direction}, from a 7-day average of {first:.1f} in the first "
                    f"week to {last:.1f} in the last"
                )
    return text + "."


def summarize_questionnaire(
    instrument: Instrument,
    readings: Sequence[ScoreReading],
    baseline: int | None,
    *,
    for_clinician: bool = False,
) -> str:
    """The latest total and its band, and its change from the baseline with response/remission.
    `for_clinician` words it for the shared summary: no "your", no advice on what to take."""
    name = instrument.name
    if not readings:
        if for_clinician:
            return f"No {name} in this period."
        return f"Take a {name} to see this chart."
    # Sorted by day, stable, so among readings on one day the later in the input is the latest.
    ordered = sorted(readings, key=lambda reading: calendar_day(reading.day))
    latest = ordered[-1]
    severity = instrument.band_for(latest.total).severity
    when = format_short_date(latest.day)
    if len(ordered) == 1:
        if for_clinician:
            return f"One {name} in this period: {latest.total} ({severity}) on {when}."
        return (
            f"Your {name} was {latest.total} ({severity}) on {when}. "
            "Take another in two weeks to see the trend."
        )
    text = f"{'Latest' if for_clinician else 'Your latest'} {name} is {latest.total} ({severity})"
    if baseline is None:
        return f"{text}, on {when}."
    outcome = assess_outcome(baseline, latest.total)
    whose = "the" if for_clinician else "your"
    if outcome.change == 0:
        text += f", the same as {whose} baseline of {baseline}"
    else:
        direction = "down" if outcome.change < 0 else "up"
        points = _plural(abs(outcome.change), "point")
        percent = ""
        if outcome.percent_change is not None:
            percent = f" ({signed(outcome.percent_change, '%')})"
        text += f", {direction} {points}{percent} from {whose} baseline of {baseline}"
    if outcome.response and outcome.remission:
        text += ": that is a response and remission"
    elif outcome.response:
        text += ": that is a response"
    elif outcome.remission:
        text += ": that is remission"
    return text + "."


def _mean_between(points: Sequence[tuple[int, float]], low: int, high: int) -> float | None:
    values = [mood for offset, mood in points if low <= offset <= high]
    return statistics.fmean(values) if values else None


def summarize_response(
    series: Sequence[ResponseSeries], median_days: float | None, left_out: int = 0
) -> str:
    """How many infusions are shown, after how many mood rose, and the median durability.
    `left_out`: older infusions in the range not drawn, so that the lines stay readable."""
    shown = [item for item in series if item.points]
    if not shown:
        return RESPONSE_TOO_LITTLE
    compared = 0
    rose = 0
    for item in shown:
        before = _mean_between(item.points, -AROUND_DAYS, -1)
        after = _mean_between(item.points, 1, AROUND_DAYS)
        if before is None or after is None:
            continue
        compared += 1
        if after > before:
            rose += 1
    head = f"{_plural(len(shown), 'infusion')} shown"
    if left_out:
        head = f"The latest {len(shown)} of {len(shown) + left_out} infusions shown"
    if compared == 0:
        text = (
            f"{head}; log your mood on the {AROUND_DAYS} days before and after an infusion "
            "to compare."
        )
    elif len(shown) == 1:
        text = f"{head}; mood {'rose' if rose else 'did not rise'} after it."
    elif compared == len(shown):
        text = f"{head}; mood rose after {rose} of them."
    else:
        text = (
            f"{head}; mood rose after {rose} of the {compared} with mood logged before and after."
        )
    if median_days is not None:
        text += f" Your infusions lasted about {durability_days(median_days)} (median)."
    return text


def summarize_wellbeing(days: Sequence[WellbeingDay]) -> str:
    """Average sleep, anxiety, energy and pain, of whichever were logged."""
    sleep = [day.sleep for day in days if day.sleep is not None]
    ratings: list[tuple[str, list[int]]] = [
        ("anxiety", [day.anxiety for day in days if day.anxiety is not None]),
        ("energy", [day.energy for day in days if day.energy is not None]),
        ("pain", [day.pain for day in days if day.pain is not None]),
    ]
    parts = [f"{name} {statistics.fmean(values):.1f}" for name, values in ratings if values]
    if not sleep and not parts:
        return WELLBEING_TOO_LITTLE
    clauses: list[str] = []
    if sleep:
        clauses.append(f"You slept {statistics.fmean(sleep):.1f} hours on average")
    if parts:
        first, _, value = parts[0].partition(" ")
        parts[0] = f"{first} averaged {value}"
        clauses.append(_join(parts))
    text = "; ".join(clauses)
    return text[0].upper() + text[1:] + "."


def summarize_side_effects(rows: Sequence[SideEffectRow]) -> str:
    """The strongest side effect over the infusions shown, and the highest dissociation."""
    if not rows:
        return SIDE_EFFECTS_TOO_LITTLE
    known = {effect.key for effect in SIDE_EFFECTS}
    strongest = max(
        (level for row in rows for key, level in row.worst.items() if key in known), default=0
    )
    dissociation = max(
        (row.dissociation for row in rows if row.dissociation is not None), default=0
    )
    peak = f"dissociation peaked at {dissociation}/10" if dissociation > 0 else ""
    infusions = _plural(len(rows), "infusion")
    if strongest == 0:
        text = f"No side effects reported after {infusions}"
        return f"{text}; {peak}." if peak else f"{text}."
    # Every side effect that reached the strongest level, in SIDE_EFFECTS order.
    top = [
        effect.key
        for effect in SIDE_EFFECTS
        if any(row.worst.get(effect.key, 0) == strongest for row in rows)
    ]
    # describe_side_effects gives the same wording as the clinician summary ("Moderate nausea").
    named = [describe_side_effects({key: strongest}, None).lower() for key in top]
    subject = (
        "the strongest side effect was" if len(named) == 1 else "the strongest side effects were"
    )
    lead = "After 1 infusion" if len(rows) == 1 else f"Across {infusions}"
    text = f"{lead} {subject} {_join(named)}"
    return f"{text}; {peak}." if peak else f"{text}."
