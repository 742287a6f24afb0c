"""Scoring of PHQ-9 and GAD-7: totals, bands, the item 9 flag, and rejection of bad answers."""

from __future__ import annotations

from datetime import date

import pytest

from companion.clinical.instruments import GAD7, PHQ9
from companion.clinical.scoring import Score, score, score_gad7, score_phq9, taken_on_day
from companion.clinical.validation import ValidationError


def test_phq9_all_zero() -> None:
    result = score_phq9([0] * 9)
    assert result == Score(
        instrument="phq9",
        total=0,
        severity="minimal",
        meaning="Your answers suggest minimal depression symptoms over the last two weeks.",
        self_harm_flag=False,
        answers=(0,) * 9,
    )


def test_phq9_maximum() -> None:
    result = score_phq9([3] * 9)
    assert (result.total, result.severity, result.self_harm_flag) == (27, "severe", True)


@pytest.mark.parametrize(
    ("total", "severity"),
    [
        (4, "minimal"),
        (5, "mild"),
        (9, "mild"),
        (10, "moderate"),
        (14, "moderate"),
        (15, "moderately severe"),
        (19, "moderately severe"),
        (20, "severe"),
    ],
)
def test_phq9_band_boundaries(total: int, severity: str) -> None:
    # Fill items 1-8 only, so item 9 stays 0 and the flag stays off.
    answers = [0] * 9
    remaining = total
    for index in range(8):
        answers[index] = min(3, remaining)
        remaining -= answers[index]
    assert remaining == 0
    result = score_phq9(answers)
    assert (result.total, result.severity, result.self_harm_flag) == (total, severity, False)


def test_phq9_item9_flags_whatever_the_total() -> None:
    result = score_phq9([0, 0, 0, 0, 0, 0, 0, 0, 1])
    assert (result.total, result.severity, result.self_harm_flag) == (1, "minimal", True)


def test_phq9_other_items_never_flag() -> None:
    assert not score_phq9([3, 3, 3, 3, 3, 3, 3, 3, 0]).self_harm_flag


def test_answers_come_back_as_a_tuple() -> None:
    answers = [1, 2, 3, 0, 1, 2, 3, 0, 0]
    result = score_phq9(answers)
    assert result.answers == tuple(answers)
    assert result.total == 12
    assert score_phq9(tuple(answers)) == result


@pytest.mark.parametrize(
    ("answers", "total", "severity"),
    [
        ([0] * 7, 0, "minimal"),
        ([1, 1, 1, 1, 0, 0, 0], 4, "minimal"),
        ([1, 1, 1, 1, 1, 0, 0], 5, "mild"),
        ([3, 3, 3, 0, 0, 0, 0], 9, "mild"),
        ([3, 3, 3, 1, 0, 0, 0], 10, "moderate"),
        ([3, 3, 3, 3, 2, 0, 0], 14, "moderate"),
        ([3, 3, 3, 3, 3, 0, 0], 15, "severe"),
        ([3] * 7, 21, "severe"),
    ],
)
def test_gad7_scores(answers: list[int], total: int, severity: str) -> None:
    result = score_gad7(answers)
    assert (result.instrument, result.total, result.severity) == ("gad7", total, severity)
    assert result.self_harm_flag is False
    assert "anxiety" in result.meaning


def test_generic_score_matches_named_functions() -> None:
    answers = [2] * 9
    assert score(PHQ9, answers) == score_phq9(answers)
    assert score(GAD7, [2] * 7) == score_gad7([2] * 7)


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ([0] * 8, "PHQ-9 needs 9 answers, got 8"),
        ([0] * 10, "PHQ-9 needs 9 answers, got 10"),
        ([], "PHQ-9 needs 9 answers, got 0"),
        ([0, 0, 5, 0, 0, 0, 0, 0, 0], "PHQ-9 answer 3 must be 0, 1, 2 or 3, got 5"),
        ([0, 0, 0, 0, 0, 0, 0, 0, -1], "PHQ-9 answer 9 must be 0, 1, 2 or 3, got -1"),
        ([0, 0, 0, 0, 0, 0, 0, 0, 4], "PHQ-9 answer 9 must be 0, 1, 2 or 3, got 4"),
        ([True, 0, 0, 0, 0, 0, 0, 0, 0], "PHQ-9 answer 1 must be a whole number, got True"),
        ([0, False, 0, 0, 0, 0, 0, 0, 0], "PHQ-9 answer 2 must be a whole number, got False"),
        ([0, 0, None, 0, 0, 0, 0, 0, 0], "PHQ-9 answer 3 must be a whole number, got None"),
        ([0, 0, 0, 1.0, 0, 0, 0, 0, 0], "PHQ-9 answer 4 must be a whole number, got 1.0"),
        ([0, 0, 0, 0, "1", 0, 0, 0, 0], "PHQ-9 answer 5 must be a whole number, got '1'"),
    ],
)
def test_phq9_rejects_bad_answers(answers: list[object], message: str) -> None:
    with pytest.raises(ValueError) as raised:
        score_phq9(answers)
    assert str(raised.value) == message


@pytest.mark.parametrize(
    "answers",
    ["000000000", b"000000000", {i: 0 for i in range(9)}, None, 0, {0, 1, 2}],
)
def test_phq9_rejects_non_sequences(answers: object) -> None:
    with pytest.raises(ValueError, match="PHQ-9 answers must be a list of 9 whole numbers"):
        score_phq9(answers)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ([0] * 9, "GAD-7 needs 7 answers, got 9"),
        ([0, 0, 0, 0, 0, 0, 3.5], "GAD-7 answer 7 must be a whole number, got 3.5"),
        ([0, 0, 0, 0, 0, 0, 7], "GAD-7 answer 7 must be 0, 1, 2 or 3, got 7"),
    ],
)
def test_gad7_rejects_bad_answers(answers: list[object], message: str) -> None:
    with pytest.raises(ValueError) as raised:
        score_gad7(answers)
    assert str(raised.value) == message


TODAY = date(2026, 12, 5)


@pytest.mark.parametrize(
    ("value", "day"),
    [
        (None, TODAY),
        ("", TODAY),
        ("2026-11-20", date(2026, 11, 20)),
        ("2025-12-05", date(2025, 12, 5)),
    ],
)
def test_taken_on_is_today_or_a_past_day_up_to_a_year_back(value, day) -> None:
    assert taken_on_day(value, TODAY) == day


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("2026-12-06", "can't be in the future"),
        ("2025-12-04", "up to a year ago"),
        ("20/11/2026", "must look like"),
        (20261120, "must look like"),
    ],
)
def test_taken_on_out_of_range_says_why(value, words) -> None:
    with pytest.raises(ValidationError, match=words) as raised:
        taken_on_day(value, TODAY)
    assert raised.value.field == "taken_on"
