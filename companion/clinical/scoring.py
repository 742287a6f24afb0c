"""Scores a completed PHQ-9 or GAD-7: checks every answer, sums them, finds the severity band.

Also raises the PHQ-9 item 9 flag, which shows the crisis screen whatever the total.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from companion.clinical.instruments import GAD7, PHQ9, Instrument
from companion.clinical.validation import ValidationError


@dataclass(frozen=True, slots=True)
class Score:
    """A scored questionnaire; `instrument` is the instrument's key ("phq9" or "gad7")."""

    instrument: str
    total: int
    severity: str
    meaning: str
    self_harm_flag: bool
    answers: tuple[int, ...]


def _allowed_values(instrument: Instrument) -> str:
    """ "0, 1, 2 or 3", from the instrument's own answer options."""
    values = [str(option.value) for option in instrument.options]
    return f"{', '.join(values[:-1])} or {values[-1]}"


def validate_answers(instrument: Instrument, answers: Sequence[object]) -> tuple[int, ...]:
    """The answers as a tuple of ints, or ValueError saying exactly what is wrong."""
    name = instrument.name
    count = len(instrument.items)
    # A string is a sequence too, and "012..." must not pass as nine answers.
    if isinstance(answers, str | bytes | bytearray) or not isinstance(answers, Sequence):
        raise ValueError(
            f"{name} answers must be a list of {count} whole numbers, got {type(answers).__name__}"
        )
    if len(answers) != count:
        raise ValueError(f"{name} needs {count} answers, got {len(answers)}")
    allowed = {option.value for option in instrument.options}
    checked: list[int] = []
    for number, answer in enumerate(answers, start=1):
        # bool is a subclass of int; True is not an answer anyone gave.
        if isinstance(answer, bool) or not isinstance(answer, int):
            raise ValueError(f"{name} answer {number} must be a whole number, got {answer!r}")
        if answer not in allowed:
            raise ValueError(
                f"{name} answer {number} must be {_allowed_values(instrument)}, got {answer}"
            )
        checked.append(answer)
    return tuple(checked)


def score(instrument: Instrument, answers: Sequence[object]) -> Score:
    """Score any declared instrument: the total is the plain sum of the item values."""
    checked = validate_answers(instrument, answers)
    total = sum(checked)
    band = instrument.band_for(total)
    # Any answer above 0 to PHQ-9 item 9 calls for a safety follow-up whatever the total: the
    # total can be low while item 9 is not (Kroenke 2001; PRODUCT.md "Questionnaires").
    self_harm_flag = (
        instrument.self_harm_item is not None and checked[instrument.self_harm_item - 1] > 0
    )
    return Score(
        instrument=instrument.key,
        total=total,
        severity=band.severity,
        meaning=band.meaning,
        self_harm_flag=self_harm_flag,
        answers=checked,
    )


def score_phq9(answers: Sequence[object]) -> Score:
    """Score a PHQ-9: nine answers 0-3, total 0-27."""
    return score(PHQ9, answers)


def score_gad7(answers: Sequence[object]) -> Score:
    """Score a GAD-7: seven answers 0-3, total 0-21; never a self-harm flag."""
    return score(GAD7, answers)


@dataclass(frozen=True, slots=True)
class FormAnswers:
    """A questionnaire as sent from its form: the item answers in order, and the optional
    difficulty answer (an index into the instrument's difficulty options)."""

    answers: tuple[int, ...]
    difficulty: int | None


def answers_from_form(instrument: Instrument, form: Mapping[str, object]) -> FormAnswers:
    """The answers in item order (fields q1..qN), or ValidationError for the first question
    unanswered or answered with anything but one of its four values."""
    if not isinstance(form, Mapping):
        raise ValidationError("q1", "Please answer every question.")
    allowed = {str(option.value): option.value for option in instrument.options}
    answers: list[int] = []
    for item in instrument.items:
        value = form.get(f"q{item.number}")
        if value in (None, ""):
            raise ValidationError(
                f"q{item.number}", f"Please answer question {item.number}: {item.text}"
            )
        if isinstance(value, bool) or str(value) not in allowed:
            raise ValidationError(
                f"q{item.number}", f"Question {item.number} needs one of the four answers."
            )
        answers.append(allowed[str(value)])
    raw = form.get("difficulty")
    difficulty = None
    if raw not in (None, ""):
        choices = {str(i): i for i in range(len(instrument.difficulty_options))}
        if isinstance(raw, bool) or str(raw) not in choices:
            raise ValidationError(
                "difficulty", "Please choose one of the answers about difficulty."
            )
        difficulty = choices[str(raw)]
    return FormAnswers(tuple(answers), difficulty)


# A questionnaire taken elsewhere (at the clinic) may be entered later, up to a year back: older
# readings no longer say where treatment started, and a typed year is the likelier slip.
ENTERED_LATER_MAX_DAYS = 365


def taken_on_day(value: object, today: date) -> date:
    """The day a questionnaire was taken: today when `value` is empty, else the ISO date given,
    or ValidationError when it is unreadable, in the future or more than a year back."""
    if value in (None, ""):
        return today
    try:
        day = date.fromisoformat(value.strip()) if isinstance(value, str) else None
    except ValueError:
        day = None
    if day is None:
        raise ValidationError("taken_on", "The date must look like 2026-11-27.")
    if day > today:
        raise ValidationError("taken_on", "The date you took it can't be in the future.")
    if day < today - timedelta(days=ENTERED_LATER_MAX_DAYS):
        raise ValidationError(
            "taken_on", "You can enter a questionnaire taken up to a year ago, not earlier."
        )
    return day
