"""Treatment phases: labels each infusion induction or booster, and says where the patient is now.

A series starts with an induction of infusions within 21 days of its first; later ones are
boosters; a gap of more than 90 days starts a new series (PRODUCT.md "Infusions").
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import TypeVar

from companion.clinical.dates import calendar_day, days_phrase, format_short_date

# A typical IV induction is about six infusions over two to three weeks (Murrough 2013;
# PRODUCT.md). Infusions up to and including day 21 after a series' first belong to it.
INDUCTION_WINDOW_DAYS = 21
TYPICAL_INDUCTION_INFUSIONS = 6
# More than 90 days without an infusion and the next one starts a new series (PRODUCT.md).
NEW_SERIES_GAP_DAYS = 90

INDUCTION = "induction"
BOOSTER = "booster"
BEFORE = "before"
MAINTENANCE = "maintenance"

D = TypeVar("D", bound=date)


@dataclass(frozen=True, slots=True)
class LabelledInfusion:
    """An infusion with its phase, its number within that phase, and its series (from 1)."""

    when: date
    day: date
    phase: str
    number: int
    series: int
    series_start: date


def _order_key(value: date) -> tuple[date, time]:
    # Calendar date first; same-day datetimes by their wall-clock time; plain dates first.
    clock = value.time() if isinstance(value, datetime) else time.min
    return (calendar_day(value), clock)


def label_series(dates: Iterable[date]) -> list[LabelledInfusion]:
    """The full labelling behind label_infusions, with series numbers and series starts."""
    given = tuple(dates)
    # Aware datetimes compare equal across zones yet fall on their own wall-clock days: each
    # one's zone is part of the key.
    return list(_label_series(given, tuple(getattr(when, "tzinfo", None) for when in given)))


# One view labels the same infusions several times (durability, the schedule, the chart
# marks): ten years of them cost the 90-day summary as much as a year's whole view. Labels are
# immutable and depend only on the dates (and their zones), so the last few sets are kept.
@lru_cache(maxsize=128)
def _label_series(
    dates: tuple[date, ...], zones: tuple[object, ...]
) -> tuple[LabelledInfusion, ...]:
    labelled: list[LabelledInfusion] = []
    series = 0
    series_start: date | None = None
    previous: date | None = None
    induction_count = 0
    booster_count = 0
    for when in sorted(dates, key=_order_key):
        day = calendar_day(when)
        if (
            previous is None
            or series_start is None
            or ((day - previous).days > NEW_SERIES_GAP_DAYS)
        ):
            series += 1
            series_start = day
            induction_count = 0
            booster_count = 0
        # Inclusive: an infusion exactly 21 days after the first is still induction.
        if (day - series_start).days <= INDUCTION_WINDOW_DAYS:
            induction_count += 1
            labelled.append(
                LabelledInfusion(when, day, INDUCTION, induction_count, series, series_start)
            )
        else:
            booster_count += 1
            labelled.append(
                LabelledInfusion(when, day, BOOSTER, booster_count, series, series_start)
            )
        previous = day
    return tuple(labelled)


def label_infusions(dates: Iterable[D]) -> list[tuple[D, str, int]]:
    """Each infusion in date order as (the input date or datetime, phase, number in phase).

    phase is "induction" (on or within 21 days after the first infusion of its series) or
    "booster"; number counts from 1 within the phase and the series ("Induction 3", "Booster 2").
    Datetimes are placed on their own calendar date. Duplicate dates get a label each.
    """
    # Sort here (stable, same key as label_series) so each label pairs with the caller's own
    # object, typed as it came in.
    ordered = sorted(dates, key=_order_key)
    return [
        (original, entry.phase, entry.number)
        for original, entry in zip(ordered, label_series(ordered), strict=True)
    ]


@dataclass(frozen=True, slots=True)
class TreatmentStatus:
    """Where the patient is in treatment today, with the line shown on Today."""

    phase: str
    line: str
    series_number: int
    induction_done: int
    induction_total: int
    days_since_last: int | None
    next_planned: date | None

    @property
    def clinician_line(self) -> str:
        """The same line for the clinician's summary: "the" last infusion, not "your"."""
        if self.phase == MAINTENANCE and self.days_since_last:
            return f"Maintenance: {days_phrase(self.days_since_last)} since the last infusion"
        return self.line


def treatment_status(today: date, done: Sequence[date], planned: Sequence[date]) -> TreatmentStatus:
    """The phase today: "before", "induction" or "maintenance".

    done: infusions that happened (any after today are ignored); planned: planned infusions (only
    those today or later count). Induction lasts while today is within 21 days of the current
    series' first infusion and its last infusion was an induction one; the induction total is
    max(6, infusions done plus planned inside that 21-day window). After that, or more than 90
    days after the last infusion, the phase is "maintenance" until a new infusion starts a series.
    """
    today = calendar_day(today)
    done_days = sorted(calendar_day(d) for d in done if calendar_day(d) <= today)
    upcoming = sorted(calendar_day(p) for p in planned if calendar_day(p) >= today)
    next_planned = upcoming[0] if upcoming else None

    if not done_days:
        # The first planned series' own window sets the total shown once it starts.
        first_series = [e for e in label_series(upcoming) if e.series == 1 and e.phase == INDUCTION]
        line = (
            f"Before treatment: first infusion planned for {format_short_date(next_planned)}"
            if next_planned is not None
            else "Before treatment: no infusions yet"
        )
        return TreatmentStatus(
            phase=BEFORE,
            line=line,
            series_number=0,
            induction_done=0,
            induction_total=max(TYPICAL_INDUCTION_INFUSIONS, len(first_series)),
            days_since_last=None,
            next_planned=next_planned,
        )

    labelled = label_series(done_days)
    last = labelled[-1]
    current = [e for e in labelled if e.series == last.series]
    induction_done = sum(1 for e in current if e.phase == INDUCTION)
    window_end = last.series_start + timedelta(days=INDUCTION_WINDOW_DAYS)
    # A planned infusion today that is already logged as done is the same infusion: count once.
    done_today = sum(1 for d in done_days if d == today)
    planned_in_window = [p for p in upcoming if p <= window_end]
    planned_today = sum(1 for p in planned_in_window if p == today)
    planned_count = len(planned_in_window) - min(planned_today, done_today)
    induction_total = max(TYPICAL_INDUCTION_INFUSIONS, induction_done + planned_count)
    days_since_last = (today - last.day).days

    in_induction = last.phase == INDUCTION and today <= window_end
    if in_induction:
        phase = INDUCTION
        line = f"Induction: infusion {induction_done} of {induction_total}"
    else:
        phase = MAINTENANCE
        if days_since_last == 0:
            line = "Maintenance: infusion today"
        else:
            line = f"Maintenance: {days_phrase(days_since_last)} since your last infusion"
    return TreatmentStatus(
        phase=phase,
        line=line,
        series_number=last.series,
        induction_done=induction_done,
        induction_total=induction_total,
        days_since_last=days_since_last,
        next_planned=next_planned,
    )
