"""Check-in validation of raw form input: every field, its blanks, types and boundaries."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from companion.clinical.checkin import (
    NOTE_MAX,
    TAG_MAX_CHARS,
    TAGS,
    TAGS_MAX,
    CheckInInput,
    ValidationError,
    validate_checkin,
)

TODAY = date(2026, 11, 27)


def valid(**changes: object) -> CheckInInput:
    raw: dict[str, object] = {"day": "2026-11-27", "mood": "7"}
    raw.update(changes)
    return validate_checkin(raw, TODAY)


def error(**changes: object) -> ValidationError:
    with pytest.raises(ValidationError) as raised:
        valid(**changes)
    return raised.value


def test_mood_only() -> None:
    assert valid() == CheckInInput(
        day=TODAY,
        mood=7,
        anxiety=None,
        energy=None,
        pain=None,
        sleep_hours=None,
        suicidal_thoughts=None,
        tags=(),
        note="",
    )


def test_everything_filled_in() -> None:
    result = valid(
        mood=3,
        anxiety="8",
        energy=2,
        pain="0",
        sleep_hours="6.5",
        suicidal_thoughts="passing",
        tags=["Work", " poor sleep "],
        note="  Rough day.  ",
    )
    assert result == CheckInInput(
        day=TODAY,
        mood=3,
        anxiety=8,
        energy=2,
        pain=0,
        sleep_hours=6.5,
        suicidal_thoughts="passing",
        tags=("work", "poor sleep"),
        note="Rough day.",
    )


def test_validation_error_is_a_value_error_with_a_field() -> None:
    err = error(mood="11")
    assert isinstance(err, ValueError)
    assert err.field == "mood"
    assert str(err) == err.message == "Mood must be a whole number from 0 to 10."


# Mood


@pytest.mark.parametrize("mood", [None, "", "   "])
def test_mood_is_required(mood: object) -> None:
    err = error(mood=mood)
    assert (err.field, err.message) == ("mood", "Please choose today's mood.")


def test_missing_mood_key() -> None:
    with pytest.raises(ValidationError, match="Please choose today's mood"):
        validate_checkin({"day": "2026-11-27"}, TODAY)


@pytest.mark.parametrize(("mood", "expected"), [(0, 0), (10, 10), ("0", 0), (" 10 ", 10), (7.0, 7)])
def test_mood_boundaries_accepted(mood: object, expected: int) -> None:
    assert valid(mood=mood).mood == expected


@pytest.mark.parametrize(
    "mood", [-1, 11, "-1", "11", "abc", "7.5", 7.5, True, False, [7], "1e1", "٣", float("nan")]
)
def test_mood_rejected(mood: object) -> None:
    err = error(mood=mood)
    assert (err.field, err.message) == ("mood", "Mood must be a whole number from 0 to 10.")


def test_huge_digit_string_is_rejected_quickly() -> None:
    assert error(mood="9" * 5000).field == "mood"


# Optional ratings


@pytest.mark.parametrize(
    ("field", "label"), [("anxiety", "Anxiety"), ("energy", "Energy"), ("pain", "Pain")]
)
def test_optional_ratings(field: str, label: str) -> None:
    assert getattr(valid(**{field: None}), field) is None
    assert getattr(valid(**{field: ""}), field) is None
    assert getattr(valid(**{field: "0"}), field) == 0
    assert getattr(valid(**{field: 10}), field) == 10
    for bad in (11, -1, "x", True, 2.5):
        err = error(**{field: bad})
        assert (err.field, err.message) == (field, f"{label} must be a whole number from 0 to 10.")


# Sleep


@pytest.mark.parametrize(
    ("sleep", "expected"),
    [
        (None, None),
        ("", None),
        ("0", 0.0),
        (0, 0.0),
        ("7.5", 7.5),
        ("7,5", 7.5),
        (8, 8.0),
        (6.5, 6.5),
        ("24", 24.0),
        (" 23.5 ", 23.5),
    ],
)
def test_sleep_accepted(sleep: object, expected: float | None) -> None:
    assert valid(sleep_hours=sleep).sleep_hours == expected


@pytest.mark.parametrize(
    "sleep", [-0.5, "24.5", 25, "7.25", 7.3, "abc", True, "nan", "inf", float("inf"), [7]]
)
def test_sleep_rejected(sleep: object) -> None:
    err = error(sleep_hours=sleep)
    assert (err.field, err.message) == (
        "sleep_hours",
        "Sleep must be between 0 and 24 hours, in half hours.",
    )


# Day


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        ("2026-11-27", TODAY),
        (" 2026-11-26 ", date(2026, 11, 26)),
        (date(2026, 11, 1), date(2026, 11, 1)),
        (datetime(2026, 11, 27, 8, 0), TODAY),
        ("2024-11-27", date(2024, 11, 27)),  # exactly two years back
    ],
)
def test_day_accepted(day: object, expected: date) -> None:
    assert valid(day=day).day == expected


def test_future_day_rejected() -> None:
    err = error(day="2026-11-28")
    assert (err.field, err.message) == ("day", "You can't log a day in the future.")


def test_more_than_two_years_back_rejected() -> None:
    err = error(day="2024-11-26")
    assert (err.field, err.message) == ("day", "You can only log days from the last two years.")


def test_two_years_back_from_29_february() -> None:
    leap = date(2028, 2, 29)
    assert validate_checkin({"day": "2026-02-28", "mood": 5}, leap).day == date(2026, 2, 28)
    with pytest.raises(ValidationError, match="last two years"):
        validate_checkin({"day": "2026-02-27", "mood": 5}, leap)


@pytest.mark.parametrize("day", ["27/11/2026", "yesterday", "2026-13-01", 20261127, ["2026-11-27"]])
def test_bad_day_rejected(day: object) -> None:
    err = error(day=day)
    assert (err.field, err.message) == ("day", "The day must be a date like 2026-11-27.")


@pytest.mark.parametrize("day", [None, ""])
def test_missing_day(day: object) -> None:
    err = error(day=day)
    assert (err.field, err.message) == ("day", "Please choose a day.")


# Suicidal thoughts


@pytest.mark.parametrize(
    ("answer", "expected"),
    # Unanswered stays unanswered: never read as "none".
    [
        (None, None),
        ("", None),
        ("  ", None),
        ("none", "none"),
        ("passing", "passing"),
        ("intent", "intent"),
    ],
)
def test_suicidal_thoughts_accepted(answer: object, expected: str | None) -> None:
    assert valid(suicidal_thoughts=answer).suicidal_thoughts == expected


@pytest.mark.parametrize("answer", ["yes", "Intent", 1, True])
def test_suicidal_thoughts_rejected(answer: object) -> None:
    assert error(suicidal_thoughts=answer).field == "suicidal_thoughts"


# Tags


def test_tags_are_stripped_lowercased_and_deduplicated() -> None:
    tags = ["Work", "work ", "  Poor   Sleep", "", "stress", "WORK"]
    assert valid(tags=tags).tags == ("work", "poor sleep", "stress")


def test_tags_as_comma_separated_text() -> None:
    assert valid(tags="Work, social,,exercise").tags == ("work", "social", "exercise")
    assert valid(tags=("therapy",)).tags == ("therapy",)
    assert valid(tags=None).tags == ()


def test_ten_tags_allowed_eleven_rejected() -> None:
    ten = [f"tag {n}" for n in range(TAGS_MAX)]
    assert len(valid(tags=ten).tags) == 10
    err = error(tags=[*ten, "one more"])
    assert (err.field, err.message) == ("tags", "You can add at most 10 tags.")


def test_duplicates_do_not_count_towards_the_limit() -> None:
    assert len(valid(tags=[f"t{n % 5}" for n in range(20)]).tags) == 5


def test_tag_length() -> None:
    assert valid(tags=["x" * TAG_MAX_CHARS]).tags == ("x" * 30,)
    err = error(tags=["x" * (TAG_MAX_CHARS + 1)])
    assert (err.field, err.message) == ("tags", "Each tag can be at most 30 characters.")


@pytest.mark.parametrize("tags", [[1], ["ok", None], {"work": True}, 5])
def test_tags_must_be_text(tags: object) -> None:
    assert error(tags=tags).message == "Tags must be text."


def test_suggested_tags_are_valid() -> None:
    assert 8 <= len(TAGS) <= 12
    assert valid(tags=list(TAGS[:10])).tags == TAGS[:10]
    assert all(tag == tag.strip().lower() and len(tag) <= TAG_MAX_CHARS for tag in TAGS)


# Note


def test_note_length_boundary() -> None:
    assert valid(note="x" * NOTE_MAX).note == "x" * 2000
    assert valid(note="  " + "x" * NOTE_MAX + "  ").note == "x" * 2000  # stripped first
    err = error(note="x" * (NOTE_MAX + 1))
    assert (err.field, err.message) == ("note", "The note can be at most 2,000 characters.")


def test_note_blank() -> None:
    assert valid(note=None).note == ""
    assert valid(note="   \n ").note == ""


def test_note_must_be_text() -> None:
    assert error(note=5).field == "note"


def test_unknown_keys_are_ignored() -> None:
    assert valid(patient_id=99, is_admin=True).mood == 7


def test_first_bad_field_is_reported() -> None:
    assert error(day="2027-01-01", mood="x").field == "day"
