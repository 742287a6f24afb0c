"""When a PHQ-9 or GAD-7 is due, and which post-infusion checks are open now.

Both questionnaires ask about the last two weeks, so they are never offered daily.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from companion.clinical.dates import calendar_day, format_short_date
from companion.clinical.instruments import INSTRUMENTS
from companion.clinical.phases import (
    BOOSTER,
    INDUCTION,
    INDUCTION_WINDOW_DAYS,
    TYPICAL_INDUCTION_INFUSIONS,
    label_series,
)

BASELINE = "baseline"
AFTER_INDUCTION = "after_induction"
FORTNIGHTLY = "fortnightly"
PRE_BOOSTER = "pre_booster"
STARTING_POINT = "starting_point"

# PHQ-9 and GAD-7 ask about the last 2 weeks (Kroenke 2001; Spitzer 2006), so repeat them every
# 14 days, not more often.
RECALL_DAYS = 14
# Never daily: nothing is due within 3 days of the last one taken, whatever the rule.
MIN_GAP_DAYS = 3
# The pre-booster questionnaire is offered 1 to 3 days before a planned booster (PRODUCT.md).
PRE_BOOSTER_DAYS = 3


@dataclass(frozen=True, slots=True)
class Due:
    """A questionnaire due today: which one, under which rule, and the reason shown."""

    instrument: str
    kind: str
    reason: str


def _next_booster(today: date, done: list[date], upcoming: list[date]) -> date | None:
    """The first planned infusion 1-3 days ahead that would be a booster, if any."""
    for entry in label_series([*done, *upcoming]):
        # Done infusions are on or before today, so anything 1-3 days ahead is a planned one.
        ahead = (entry.day - today).days
        if entry.phase == BOOSTER and 1 <= ahead <= PRE_BOOSTER_DAYS:
            return entry.day
    return None


def questionnaire_due(
    instrument: str,
    today: date,
    done: Sequence[date],
    planned: Sequence[date],
    taken: Sequence[date],
) -> Due | None:
    """Whether `instrument` ("phq9" or "gad7") is due today, and why (PRODUCT.md "Questionnaires").

    done: infusions that happened; planned: planned infusions; taken: days this instrument was
    completed. Entries after today in done and taken, and before today in planned, are ignored.
    Rules, first match wins:
      0. Never daily: nothing is due if one was taken less than 3 days ago (today - last < 3).
      1. baseline: no infusion yet and none taken in the last 14 days.
      2. pre_booster: a planned infusion that would be a booster is 1-3 days away, and none was
         taken from 3 days before it up to today.
      3. after_induction: the current series' induction is over (6 or more induction infusions, or
         more than 21 days since its first, and no planned infusion left in its 21-day window),
         today is after its last induction infusion, and none was taken strictly after that day
         (on the day of that infusion itself nothing is due: this one follows tomorrow).
      4. starting_point: the induction series is still going and none was ever taken (no
         baseline): one now, so that later ones have something to be compared with.
      5. fortnightly: the induction series is over and none was taken in the last 14 days.
         "Then every 14 days" follows the after-induction one: during induction the next one is
         the after-induction one, at most three weeks away, and two in a few days would overlap
         the same two weeks of recall.
    """
    if instrument not in INSTRUMENTS:
        raise ValueError(f"Unknown questionnaire {instrument!r}")
    today = calendar_day(today)
    done_days = sorted(calendar_day(d) for d in done if calendar_day(d) <= today)
    upcoming = sorted(calendar_day(p) for p in planned if calendar_day(p) >= today)
    taken_days = sorted(calendar_day(t) for t in taken if calendar_day(t) <= today)
    last_taken = taken_days[-1] if taken_days else None
    days_since_taken = None if last_taken is None else (today - last_taken).days

    if days_since_taken is not None and days_since_taken < MIN_GAP_DAYS:
        return None
    recall_over = days_since_taken is None or days_since_taken >= RECALL_DAYS

    if not done_days:
        # Before any infusion no other rule can apply: planned infusions are today or later, so
        # none 1-3 days ahead can be more than 21 days after the first (i.e. a booster).
        if recall_over:
            return Due(instrument, BASELINE, "Baseline before your first infusion")
        return None

    booster = _next_booster(today, done_days, upcoming)
    if booster is not None:
        window_start = booster - timedelta(days=PRE_BOOSTER_DAYS)
        # Already implied by the 3-day gap above today, but stated so the rule reads whole.
        if not any(t >= window_start for t in taken_days):
            reason = f"Before your booster on {format_short_date(booster)}"
            return Due(instrument, PRE_BOOSTER, reason)

    labelled = label_series(done_days)
    last = labelled[-1]
    induction = [e for e in labelled if e.series == last.series and e.phase == INDUCTION]
    last_induction_day = induction[-1].day
    window_end = last.series_start + timedelta(days=INDUCTION_WINDOW_DAYS)
    induction_over = (
        len(induction) >= TYPICAL_INDUCTION_INFUSIONS or today > window_end
    ) and not any(p <= window_end for p in upcoming)
    taken_since = last_taken is not None and last_taken > last_induction_day
    if induction_over and not taken_since:
        if today > last_induction_day:
            return Due(instrument, AFTER_INDUCTION, "After your induction series")
        # The day of the last induction infusion: the after-induction one is due tomorrow.
        return None

    if not induction_over:
        if last_taken is None:
            return Due(instrument, STARTING_POINT, "Your starting point: none taken yet")
        return None
    if recall_over:
        return Due(instrument, FORTNIGHTLY, "Every two weeks")
    return None


def questionnaires_due(
    today: date,
    done: Sequence[date],
    planned: Sequence[date],
    taken_by_instrument: Mapping[str, Sequence[date]],
) -> list[Due]:
    """What is due today for the PHQ-9 then the GAD-7 (an instrument never taken may be absent)."""
    due: list[Due] = []
    for key in ("phq9", "gad7"):
        result = questionnaire_due(key, today, done, planned, taken_by_instrument.get(key, ()))
        if result is not None:
            due.append(result)
    return due


@dataclass(frozen=True, slots=True)
class PostCheckTimepoint:
    """A post-infusion check, open from opens_after to closes_after the infusion's start."""

    key: str
    label: str
    opens_after: timedelta
    closes_after: timedelta

    def status(self, elapsed: timedelta, done: bool) -> str:
        """ "done", else "later" (not open yet), "due" (open now: opens_after <= elapsed <
        closes_after) or "missed" (its window has closed), `elapsed` since the infusion began."""
        if done:
            return "done"
        if elapsed < self.opens_after:
            return "later"
        return "due" if elapsed < self.closes_after else "missed"


# Effects begin within hours and peak around a day; dissociation, nausea and drowsiness fade
# within hours to a day (PRODUCT.md), so check that evening, at 24 h and at 48 h. The windows
# overlap so a check missed at night can still be done the next morning.
POST_CHECKS: tuple[PostCheckTimepoint, ...] = (
    PostCheckTimepoint("evening", "The same evening", timedelta(hours=3), timedelta(hours=36)),
    PostCheckTimepoint("24h", "After 24 hours", timedelta(hours=20), timedelta(hours=48)),
    PostCheckTimepoint("48h", "After 48 hours", timedelta(hours=44), timedelta(hours=96)),
)


def _require_aware(value: datetime, what: str) -> None:
    if not isinstance(value, datetime):
        raise ValueError(f"{what} must be a datetime, got {value!r}")
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{what} must be timezone-aware, got {value!r}")


def post_checks_due(
    now: datetime,
    infusions: Sequence[tuple[int, datetime]],
    done: set[tuple[int, str]],
) -> list[tuple[int, PostCheckTimepoint]]:
    """Each (infusion id, timepoint) open now and not yet done, in the order given, then by time.

    A check is open when opens_after <= now - start < closes_after. Infusions in the future are
    never open. Naive datetimes are rejected: the answer would depend on the server's zone.
    """
    _require_aware(now, "now")
    open_checks: list[tuple[int, PostCheckTimepoint]] = []
    for infusion_id, start in infusions:
        _require_aware(start, f"The start of infusion {infusion_id}")
        elapsed = now - start
        for timepoint in POST_CHECKS:
            if timepoint.status(elapsed, (infusion_id, timepoint.key) in done) == "due":
                open_checks.append((infusion_id, timepoint))
    return open_checks
