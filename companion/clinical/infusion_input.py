"""Validation of an infusion entry and of a post-infusion check, from raw form input.

Times arrive as the patient's local date and clock time; the result is a timezone-aware moment.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from companion.clinical.checkin import NOTE_MAX, ValidationError
from companion.clinical.schedule import POST_CHECKS
from companion.clinical.sideeffects import (
    COMPARED_WITH_BEFORE,
    DISSOCIATION_MAX,
    DOSE_UNITS,
    ROUTES,
    SEVERITY_MAX,
    SIDE_EFFECT_KEYS,
)
from companion.clinical.validation import plain_text

ROUTE_KEYS = tuple(key for key, _ in ROUTES)
CLINIC_MAX = 120
REFLECTION_MAX = 1000
# Planned infusions up to a year ahead; past ones back to two years, like check-ins.
PLAN_AHEAD_DAYS = 366
BACKFILL_DAYS = 731
# Plausible dose limits, wide enough for every protocol in use and narrow enough to catch a
# slipped decimal (IV 0.5 mg/kg is typical; esketamine is 56 or 84 mg; Sanacora 2017).
DOSE_LIMITS: dict[str, tuple[float, float]] = {"mg/kg": (0.01, 5.0), "mg": (1.0, 1000.0)}
# Home blood pressure readings outside these ranges are typing errors, not measurements.
SYSTOLIC_RANGE = (60, 260)
DIASTOLIC_RANGE = (30, 160)
TIMEPOINT_KEYS = tuple(t.key for t in POST_CHECKS)
COMPARED_KEYS = tuple(value for value, _ in COMPARED_WITH_BEFORE)


@dataclass(frozen=True, slots=True)
class InfusionInput:
    """An infusion as entered: when (aware), route, optional dose, clinic, note."""

    starts_at: datetime
    route: str
    dose_value: float | None = None
    dose_unit: str | None = None
    clinic: str = ""
    note: str = ""


@dataclass(frozen=True, slots=True)
class PostCheckInput:
    """One post-infusion check: severities 0-3 per side effect, dissociation 0-10, and more."""

    timepoint: str
    side_effects: dict[str, int] = field(default_factory=dict)
    dissociation: int | None = None
    systolic: int | None = None
    diastolic: int | None = None
    compared_with_before: int | None = None
    reflection: str = ""


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _text(raw: Mapping[str, object], key: str, label: str, limit: int) -> str:
    return plain_text(raw.get(key), key, label, limit)


def _int(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().lstrip("-").isdigit() and len(value) < 8:
        return int(value.strip())
    return None


def _parse(kind: type[date] | type[time], value: object) -> date | time | None:
    if not isinstance(value, str):
        return None
    try:
        return kind.fromisoformat(value.strip())
    except ValueError:
        return None


def _when(raw: Mapping[str, object], now: datetime, zone: ZoneInfo) -> datetime:
    day_raw, time_raw = raw.get("date"), raw.get("time")
    if _blank(day_raw):
        raise ValidationError("date", "Please choose the date of the infusion.")
    day = _parse(date, day_raw)
    if not isinstance(day, date):
        raise ValidationError("date", "The date must look like 2026-11-27.")
    clock = time(9, 0) if _blank(time_raw) else _parse(time, time_raw)
    if not isinstance(clock, time):
        raise ValidationError("time", "The time must look like 09:30.")
    moment = datetime.combine(day, clock.replace(second=0, microsecond=0), tzinfo=zone)
    local_now = now.astimezone(zone)
    if moment.date() > local_now.date() + timedelta(days=PLAN_AHEAD_DAYS):
        raise ValidationError("date", "Planned infusions can be at most a year ahead.")
    if moment.date() < local_now.date() - timedelta(days=BACKFILL_DAYS):
        raise ValidationError("date", "You can only log infusions from the last two years.")
    return moment


def _dose(raw: Mapping[str, object]) -> tuple[float | None, str | None]:
    value, unit = raw.get("dose_value"), raw.get("dose_unit")
    if _blank(value):
        return None, None
    try:
        number = (
            float(str(value).strip().replace(",", ".")) if not isinstance(value, bool) else None
        )
    except ValueError:
        number = None
    if number is None or not math.isfinite(number):
        raise ValidationError("dose_value", "The dose must be a number, like 0.5.")
    if not isinstance(unit, str) or unit not in DOSE_UNITS:
        raise ValidationError("dose_unit", "Choose mg/kg or mg for the dose.")
    low, high = DOSE_LIMITS[unit]
    if not low <= number <= high:
        raise ValidationError(
            "dose_value", f"A dose in {unit} should be between {low:g} and {high:g}."
        )
    return round(number, 3), unit


def validate_infusion(raw: Mapping[str, object], now: datetime, zone: ZoneInfo) -> InfusionInput:
    """An InfusionInput from raw form values, or ValidationError naming the first bad field.

    Keys: date (YYYY-MM-DD, local), time (HH:MM, local; default 09:00), route (iv, im,
    esketamine, other), dose_value and dose_unit (optional together), clinic, note.
    """
    if not isinstance(raw, Mapping):
        raise ValidationError("date", "Please fill in the form.")
    starts_at = _when(raw, now, zone)
    route = raw.get("route")
    if not isinstance(route, str) or route not in ROUTE_KEYS:
        raise ValidationError("route", "Please choose how the ketamine was given.")
    dose_value, dose_unit = _dose(raw)
    return InfusionInput(
        starts_at=starts_at,
        route=route,
        dose_value=dose_value,
        dose_unit=dose_unit,
        clinic=_text(raw, "clinic", "The clinic", CLINIC_MAX),
        note=_text(raw, "note", "The note", NOTE_MAX),
    )


def _ranged(raw: Mapping[str, object], key: str, label: str, low: int, high: int) -> int | None:
    value = raw.get(key)
    if _blank(value):
        return None
    number = _int(value)
    if number is None or not low <= number <= high:
        raise ValidationError(key, f"{label} must be a whole number from {low} to {high}.")
    return number


def validate_post_check(raw: Mapping[str, object]) -> PostCheckInput:
    """A PostCheckInput from raw values; unanswered side effects count as none (0)."""
    if not isinstance(raw, Mapping):
        raise ValidationError("timepoint", "Please fill in the form.")
    timepoint = raw.get("timepoint")
    if not isinstance(timepoint, str) or timepoint not in TIMEPOINT_KEYS:
        raise ValidationError("timepoint", "Choose which check this is.")
    effects = {
        key: _ranged(raw, key, "Each side effect", 0, SEVERITY_MAX) or 0 for key in SIDE_EFFECT_KEYS
    }
    dissociation = _ranged(raw, "dissociation", "Dissociation", 0, DISSOCIATION_MAX)
    systolic = _ranged(raw, "systolic", "The top blood pressure number", *SYSTOLIC_RANGE)
    diastolic = _ranged(raw, "diastolic", "The bottom blood pressure number", *DIASTOLIC_RANGE)
    if (systolic is None) != (diastolic is None):
        raise ValidationError("systolic", "Enter both blood pressure numbers, or neither.")
    if systolic is not None and diastolic is not None and systolic <= diastolic:
        raise ValidationError("systolic", "The top blood pressure number should be the larger one.")
    compared = _ranged(
        raw, "compared_with_before", "The comparison", min(COMPARED_KEYS), max(COMPARED_KEYS)
    )
    return PostCheckInput(
        timepoint=timepoint,
        side_effects=effects,
        dissociation=dissociation,
        systolic=systolic,
        diastolic=diastolic,
        compared_with_before=compared,
        reflection=_text(raw, "reflection", "The reflection", REFLECTION_MAX),
    )
