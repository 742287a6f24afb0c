"""How long each infusion's benefit lasted, from daily mood, and the mood series the charts use.

After a single infusion symptoms often return within days; after a six-infusion series relapse came
at a median of 18 days in one study (Murrough 2013), so the app estimates this per infusion.
"""

from __future__ import annotations

import itertools
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction

from companion.clinical.dates import days_phrase, format_short_date, whole_days
from companion.clinical.phases import INDUCTION, label_series

FELL_BACK = "fell back"
STILL_ABOVE = "still above"
NEXT_INFUSION_FIRST = "next infusion first"
NOT_ENOUGH_DATA = "not enough data"

# The pre-infusion level is the mean of the 3 days before, with at least 2 of them logged, so one
# unusually good or bad day does not set the bar alone.
PRE_DAYS = 3
PRE_MIN_LOGGED = 2
# Mood after the infusion is smoothed over 3 days for the same reason.
SMOOTHING_DAYS = 3
# A median of durations is shown only from two estimates or more.
MEDIAN_MIN_ESTIMATES = 2


@dataclass(frozen=True, slots=True)
class Durability:
    """Days the benefit lasted (a lower bound unless status is "fell back"), and the bar used."""

    days: int | None
    status: str
    pre_level: float | None


def _logged(mood_by_day: Mapping[date, float], days: Sequence[date]) -> list[float]:
    return [mood_by_day[day] for day in days if day in mood_by_day]


def _exact_sum(values: Sequence[float]) -> int | Fraction:
    """The exact sum: in integers for whole moods (every check-in's), which is fast; any other
    value through Fraction, exact for every float."""
    if all(float(value).is_integer() for value in values):
        return sum(int(value) for value in values)
    return sum(map(Fraction, values), Fraction(0))


def _first_fall(
    after: Sequence[float | None], pre_sum: int | Fraction, pre_count: int
) -> int | None:
    """The first day k whose 3-day mean (of days max(1, k-2)..k that are logged; after[k - 1] is
    day k) is at or below pre_sum / pre_count, compared without a division; None if none is."""
    if isinstance(pre_sum, int) and all(v is None or float(v).is_integer() for v in after):
        # Whole moods, as every check-in's: a running 3-day sum in integers.
        whole = [None if v is None else int(v) for v in after]
        total = count = 0
        for k, value in enumerate(whole, 1):
            if value is not None:
                total, count = total + value, count + 1
            dropped = whole[k - 1 - SMOOTHING_DAYS] if k > SMOOTHING_DAYS else None
            if dropped is not None:
                total, count = total - dropped, count - 1
            if count and total * pre_count <= pre_sum * count:
                return k
        return None
    for k in range(1, len(after) + 1):
        values = [value for value in after[max(0, k - SMOOTHING_DAYS) : k] if value is not None]
        if values and _exact_sum(values) * pre_count <= pre_sum * len(values):
            return k
    return None


def _mean_or_none(values: Sequence[float]) -> float | None:
    return statistics.fmean(values) if values else None


def estimate_durability(
    infusion_day: date,
    mood_by_day: Mapping[date, float],
    today: date,
    next_infusion_day: date | None = None,
    compared_with: date | None = None,
) -> Durability:
    """How many days mood stayed above its pre-infusion level.

    The pre-infusion level is the mean mood of the 3 days before `compared_with` (days -3, -2, -1;
    at least 2 of them logged, else "not enough data"): the infusion itself unless given, and
    comparison_days gives an induction infusion its series' first day. For each day k = 1, 2, ...
    after the infusion (up to the day before the next infusion, and up to today), the 3-day mean
    is the mean of the logged moods on days max(1, k-2)...k (days with no entry are skipped; if
    none of those days is logged, day k is skipped). Durability = the first k whose 3-day mean is
    at or below the pre-infusion level: status "fell back", days = k. If the next infusion
    arrives first: "next infusion first", days = days from this infusion to the next one (a lower
    bound). If today is reached first: "still above", days = days from the infusion to the last
    logged day (a lower bound). If no day after the infusion is logged: "not enough data", days
    None.
    """
    if next_infusion_day is not None and next_infusion_day < infusion_day:
        raise ValueError("The next infusion cannot be before this one")
    bar_day = infusion_day if compared_with is None else compared_with
    if bar_day > infusion_day:
        raise ValueError("The mood compared with cannot be after the infusion")
    before = _logged(mood_by_day, [bar_day - timedelta(days=n) for n in (3, 2, 1)])
    if len(before) < PRE_MIN_LOGGED:
        return Durability(None, NOT_ENOUGH_DATA, None)
    # Exact sums for the comparison, so "at or below" is exact at the boundary.
    pre_sum, pre_count = _exact_sum(before), len(before)
    pre_level = statistics.fmean(before)

    last_day = today
    if next_infusion_day is not None:
        last_day = min(today, next_infusion_day - timedelta(days=1))
    horizon = (last_day - infusion_day).days

    # after[k - 1] is day k's mood, or None: one lookup a day.
    after = [mood_by_day.get(infusion_day + timedelta(days=k)) for k in range(1, horizon + 1)]
    fell = _first_fall(after, pre_sum, pre_count)
    if fell is not None:
        return Durability(fell, FELL_BACK, pre_level)
    last_logged = max((k for k, value in enumerate(after, 1) if value is not None), default=None)

    if last_logged is None:
        return Durability(None, NOT_ENOUGH_DATA, pre_level)
    if next_infusion_day is not None and next_infusion_day <= today:
        return Durability((next_infusion_day - infusion_day).days, NEXT_INFUSION_FIRST, pre_level)
    return Durability(last_logged, STILL_ABOVE, pre_level)


def comparison_days(infusion_days: Sequence[date]) -> list[date]:
    """For each infusion day, the day whose 3 days before set its pre-infusion level: the series'
    first day for an induction infusion, the infusion's own day for a booster.

    Mood just before the 2nd to 6th infusion of a series still carries the lift of the one
    before, so against it a series' last infusion would seem to last days, not weeks."""
    starts = {i.day: i.series_start for i in label_series(infusion_days) if i.phase == INDUCTION}
    return [starts.get(day, day) for day in infusion_days]


def estimate_all(
    infusion_days: Sequence[date], mood_by_day: Mapping[date, float], today: date
) -> list[Durability]:
    """The durability of every infusion given (days in order), each ended by the next one:
    the one method behind Today, Trends, the clinician summary and its CSV."""
    bars = comparison_days(infusion_days)
    nexts = [*infusion_days[1:], None]
    return [
        estimate_durability(day, mood_by_day, today, after, bar)
        for day, after, bar in zip(infusion_days, nexts, bars, strict=True)
    ]


def durability_range(results: Sequence[Durability]) -> tuple[int, int] | None:
    """The shortest and longest of the estimates that "fell back"; None with fewer than two."""
    days = [r.days for r in results if r.status == FELL_BACK and r.days is not None]
    if len(days) < MEDIAN_MIN_ESTIMATES:
        return None
    return min(days), max(days)


def median_durability(results: Sequence[Durability]) -> float | None:
    """The median days of the estimates that "fell back"; None with fewer than two of them.

    Lower bounds ("still above", "next infusion first") are left out: they are not durations.
    """
    days = [r.days for r in results if r.status == FELL_BACK and r.days is not None]
    if len(days) < MEDIAN_MIN_ESTIMATES:
        return None
    return float(statistics.median(days))


def durability_days(median_days: float) -> str:
    """A median durability in words: "13 days" for 12.5, "1 day" for 1."""
    return days_phrase(whole_days(median_days))


def booster_due(
    today: date, last_day: date, last: Durability, median_days: float | None
) -> date | None:
    """The day the median durability would reach (last_day + median, rounded half up), while the
    last infusion is still holding and that day is still ahead; else None."""
    if median_days is None or last.status not in (STILL_ABOVE, NEXT_INFUSION_FIRST):
        return None
    reach = last_day + timedelta(days=whole_days(median_days))
    return reach if reach > today else None


def patient_outlook(today: date, last_day: date | None, results: Sequence[Durability]) -> str:
    """For the patient, where they are against their own durability: "Day 17 since your last
    infusion. Yours have lasted 23–29 days (median 26)." and, when booster_due says so, "A
    booster may be due around Sat 12 Dec; talk to your clinic." Empty before any infusion."""
    if last_day is None or not results:
        return ""
    text = f"Day {(today - last_day).days} since your last infusion."
    span, median = durability_range(results), median_durability(results)
    if span is None or median is None:
        return text
    low, high = span
    lasted = days_phrase(low) if low == high else f"{low}–{high} days"
    text += f" Yours have lasted {lasted} (median {whole_days(median)})."
    due = booster_due(today, last_day, results[-1], median)
    if due is not None:
        text += f" A booster may be due around {format_short_date(due)}; talk to your clinic."
    return text


def booster_outlook(
    today: date,
    last_day: date | None,
    last: Durability | None,
    median_days: float | None,
    next_planned: date | None,
) -> str:
    """For the clinician, "when a booster may be due": how the last infusion is holding up
    against the patient's own median durability, and the next planned infusion.

    - fell back: the day count of the last infusion, a fact from the mood log;
    - still above, with a median: the day the median would reach (last_day + median, rounded
      half up), or that the median is already passed;
    - too few check-ins around it: said so;
    then "Next planned infusion: <day>." or "No infusion planned." Empty before any infusion.
    """
    if last_day is None or last is None:
        return ""
    when = format_short_date(last_day)
    if last.status == FELL_BACK and last.days is not None:
        text = (
            f"Mood fell back to its pre-infusion level {days_phrase(last.days)} after the last "
            f"infusion ({when})."
        )
    elif last.status in (STILL_ABOVE, NEXT_INFUSION_FIRST):
        since = (today - last_day).days
        text = (
            f"Mood is still above its pre-infusion level {days_phrase(since)} after the last "
            f"infusion ({when})"
        )
        due = booster_due(today, last_day, last, median_days)
        if median_days is None:
            text += "."
        elif due is not None:
            text += (
                f"; at the median durability of {durability_days(median_days)} a booster "
                f"may be due around {format_short_date(due)}."
            )
        else:
            text += f", longer than the median of {durability_days(median_days)}."
    else:
        text = f"Too few check-ins around the last infusion ({when}) to tell how long it lasted."
    if next_planned is not None:
        return f"{text} Next planned infusion: {format_short_date(next_planned)}."
    return f"{text} No infusion planned."


def mood_around(
    infusion_day: date, mood_by_day: Mapping[date, float], days: int = 3
) -> tuple[float | None, float | None]:
    """Mean mood of the `days` days before (-days..-1) and after (+1..+days).

    Each side is None when none of its days is logged.
    """
    if days < 1:
        raise ValueError("days must be at least 1")
    before = [infusion_day - timedelta(days=n) for n in range(days, 0, -1)]
    after = [infusion_day + timedelta(days=n) for n in range(1, days + 1)]
    return (
        _mean_or_none(_logged(mood_by_day, before)),
        _mean_or_none(_logged(mood_by_day, after)),
    )


def aligned_moods(
    infusion_day: date, mood_by_day: Mapping[date, float], before: int = 3, after: int = 21
) -> list[tuple[int, float]]:
    """(day offset, mood) for each logged day from -before to +after, in offset order."""
    if before < 0 or after < 0:
        raise ValueError("before and after must be 0 or more")
    return [
        (offset, float(mood_by_day[infusion_day + timedelta(days=offset)]))
        for offset in range(-before, after + 1)
        if infusion_day + timedelta(days=offset) in mood_by_day
    ]


def rolling_mean(mood_by_day: Mapping[date, float], window: int = 7) -> dict[date, float]:
    """Trailing mean over the last `window` calendar days, for each day from the first logged
    day to the last; only logged days count, and a day with nothing in its window is skipped."""
    if window < 1:
        raise ValueError("window must be at least 1")
    if not mood_by_day:
        return {}
    first, last = min(mood_by_day), max(mood_by_day)
    result: dict[date, float] = {}
    for n in range((last - first).days + 1):
        day = first + timedelta(days=n)
        days = [day - timedelta(days=j) for j in range(window)]
        values = _logged(mood_by_day, days)
        if values:
            result[day] = statistics.fmean(values)
    return result


def mood_falling(mood_by_day: Mapping[date, float], today: date) -> bool:
    """Mood fell on each of three days in a row, ending today or yesterday: four consecutive
    logged days d-3..d with each lower than the day before."""
    for end in (today, today - timedelta(days=1)):
        days = [end - timedelta(days=n) for n in (3, 2, 1, 0)]
        if not all(day in mood_by_day for day in days):
            continue
        values = [mood_by_day[day] for day in days]
        if all(later < earlier for earlier, later in itertools.pairwise(values)):
            return True
    return False
