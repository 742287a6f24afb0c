"""Daily check-in rules: the ranges of each answer and validation of raw form input.

Input may come from a web form or a forged event, so every value is checked, whatever its type.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

from companion.clinical.safety import SUICIDAL_THOUGHTS
from companion.clinical.validation import ValidationError as ValidationError
from companion.clinical.validation import plain_text, unreadable

# 0-10 rating rows, one tap each (PRODUCT.md "Daily check-in"). Mood and energy: 0 worst,
# 10 best. Anxiety and pain: 0 none, 10 worst.
MOOD_MIN, MOOD_MAX = 0, 10
ANXIETY_MIN, ANXIETY_MAX = 0, 10
ENERGY_MIN, ENERGY_MAX = 0, 10
PAIN_MIN, PAIN_MAX = 0, 10
# Hours slept, in half hours.
SLEEP_MIN, SLEEP_MAX, SLEEP_STEP = 0.0, 24.0, 0.5
NOTE_MAX = 2000
# Suggested tags: things that commonly move mood and that a clinician may ask about.
TAGS: tuple[str, ...] = (
    "infusion day",
    "work",
    "social",
    "exercise",
    "alcohol",
    "poor sleep",
    "stress",
    "therapy",
    "period",
    "illness",
    "pain flare",
    "medication change",
)
TAGS_MAX = 10
TAG_MAX_CHARS = 30
# Backfill is allowed for up to two calendar years back; older entries are more likely typos.
BACKFILL_YEARS = 2

_SUICIDAL_THOUGHT_KEYS = tuple(key for key, _ in SUICIDAL_THOUGHTS)
# A few digits only: int() of a very long digit string is slow or refused outright.
_WHOLE_NUMBER = re.compile(r"[0-9]{1,6}")


@dataclass(frozen=True, slots=True)
class CheckInInput:
    """One day's check-in, validated."""

    day: date
    mood: int
    anxiety: int | None = None
    energy: int | None = None
    pain: int | None = None
    sleep_hours: float | None = None
    # None: not answered. Never read as "none": an unanswered question is not a "no".
    suicidal_thoughts: str | None = None
    tags: tuple[str, ...] = ()
    note: str = ""


def _is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _whole_number(value: object) -> int | None:
    """An int from an int, an integral float or a string of digits; None if it is none of those."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    if isinstance(value, str) and _WHOLE_NUMBER.fullmatch(value.strip()):
        return int(value.strip())
    return None


def _rating(raw: Mapping[str, object], key: str, label: str, low: int, high: int) -> int | None:
    value = raw.get(key)
    if _is_blank(value):
        return None
    number = _whole_number(value)
    if number is None or not low <= number <= high:
        raise ValidationError(key, f"{label} must be a whole number from {low} to {high}.")
    return number


def _two_years_before(today: date) -> date:
    try:
        return today.replace(year=today.year - BACKFILL_YEARS)
    except ValueError:  # 29 February
        return today.replace(year=today.year - BACKFILL_YEARS, day=28)


def _not_a_day(today: date) -> str:
    return f"The day must be a date like {today.isoformat()}."


def _day(value: object, today: date) -> date:
    if _is_blank(value):
        raise ValidationError("day", "Please choose a day.")
    day: date
    if isinstance(value, datetime):
        day = value.date()
    elif isinstance(value, date):
        day = value
    elif isinstance(value, str):
        try:
            day = date.fromisoformat(value.strip())
        except ValueError:
            raise ValidationError("day", _not_a_day(today)) from None
    else:
        raise ValidationError("day", _not_a_day(today))
    if day > today:
        raise ValidationError("day", "You can't log a day in the future.")
    if day < _two_years_before(today):
        raise ValidationError("day", "You can only log days from the last two years.")
    return day


def _sleep(value: object) -> float | None:
    if _is_blank(value):
        return None
    message = "Sleep must be between 0 and 24 hours, in half hours."
    hours: float
    if isinstance(value, bool):
        raise ValidationError("sleep_hours", message)
    if isinstance(value, int | float):
        hours = float(value)
    elif isinstance(value, str):
        try:
            # Accept a decimal comma too ("7,5"), as many phones' keypads offer it.
            hours = float(value.strip().replace(",", "."))
        except ValueError:
            raise ValidationError("sleep_hours", message) from None
    else:
        raise ValidationError("sleep_hours", message)
    valid = math.isfinite(hours) and SLEEP_MIN <= hours <= SLEEP_MAX
    if not valid or not (hours / SLEEP_STEP).is_integer():
        raise ValidationError("sleep_hours", message)
    return hours


def _suicidal_thoughts(value: object) -> str | None:
    if _is_blank(value):
        return None
    if isinstance(value, str) and value.strip() in _SUICIDAL_THOUGHT_KEYS:
        return value.strip()
    raise ValidationError(
        "suicidal_thoughts", "Please choose one of the answers about suicidal thoughts."
    )


def _tags(value: object) -> tuple[str, ...]:
    if _is_blank(value):
        return ()
    items: list[object]
    if isinstance(value, str):
        items = list(value.split(","))
    elif isinstance(value, list | tuple):
        items = list(value)
    else:
        raise ValidationError("tags", "Tags must be text.")
    tags: list[str] = []
    for item in items:
        if not isinstance(item, str) or unreadable(item):
            raise ValidationError("tags", "Tags must be text.")
        # Stripped, inner spaces collapsed and lower-cased, so "Work " and "work" are one tag.
        tag = " ".join(item.split()).lower()
        if not tag or tag in tags:
            continue
        if len(tag) > TAG_MAX_CHARS:
            raise ValidationError("tags", f"Each tag can be at most {TAG_MAX_CHARS} characters.")
        tags.append(tag)
    if len(tags) > TAGS_MAX:
        raise ValidationError("tags", f"You can add at most {TAGS_MAX} tags.")
    return tuple(tags)


def _note(value: object) -> str:
    return plain_text(value, "note", "The note", NOTE_MAX)


def validate_day(value: object, today: date) -> date:
    """The day a check-in is for (ISO string or date; blank is today), never in the future."""
    return _day(value, today)


def validate_checkin(raw: Mapping[str, object], today: date) -> CheckInInput:
    """A valid whole check-in from raw input, or ValidationError naming the first bad field.

    Keys: day (ISO string or date), mood (required), anxiety, energy, pain, sleep_hours,
    suicidal_thoughts ("none", "passing", "intent"; blank means not answered), tags (list or
    comma-separated string), note. Numbers may be ints or strings; blank optional ones are None;
    bools are never numbers. Unknown keys are ignored. Every answer not sent is blank.
    """
    whole = {key: None for key in CHANGEABLE} | dict(raw)
    changes = validate_checkin_changes(whole, today)
    return CheckInInput(day=changes.day, **changes.fields)  # type: ignore[arg-type]


# What a saved day's check-in can change, as sent from the phone.
CHANGEABLE = (
    "mood",
    "anxiety",
    "energy",
    "pain",
    "sleep_hours",
    "suicidal_thoughts",
    "tags",
    "note",
)


@dataclass(frozen=True, slots=True)
class CheckInChanges:
    """The answers a patient changed for one day: only these are written, so a phone showing
    older values never overwrites what another device saved for the fields it did not touch."""

    day: date
    fields: Mapping[str, object]

    @property
    def has_mood(self) -> bool:
        return "mood" in self.fields


def validate_checkin_changes(raw: Mapping[str, object], today: date) -> CheckInChanges:
    """The day and the changed answers, each validated as validate_checkin does; keys not
    sent are not changed, a blank optional answer clears it, and mood can't be cleared."""
    if not isinstance(raw, Mapping):
        raise ValidationError("mood", "Please choose today's mood.")
    day = _day(raw.get("day"), today)
    fields: dict[str, object] = {}
    if "mood" in raw:
        mood = _rating(raw, "mood", "Mood", MOOD_MIN, MOOD_MAX)
        if mood is None:
            raise ValidationError("mood", "Please choose today's mood.")
        fields["mood"] = mood
    for key, label, low, high in (
        ("anxiety", "Anxiety", ANXIETY_MIN, ANXIETY_MAX),
        ("energy", "Energy", ENERGY_MIN, ENERGY_MAX),
        ("pain", "Pain", PAIN_MIN, PAIN_MAX),
    ):
        if key in raw:
            fields[key] = _rating(raw, key, label, low, high)
    if "sleep_hours" in raw:
        fields["sleep_hours"] = _sleep(raw.get("sleep_hours"))
    if "suicidal_thoughts" in raw:
        fields["suicidal_thoughts"] = _suicidal_thoughts(raw.get("suicidal_thoughts"))
    if "tags" in raw:
        fields["tags"] = _tags(raw.get("tags"))
    if "note" in raw:
        fields["note"] = _note(raw.get("note"))
    return CheckInChanges(day, fields)
