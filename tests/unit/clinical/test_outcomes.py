"""Outcome against baseline (response, remission, meaningful change) and baseline choice."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from companion.clinical.outcomes import (
    Baseline,
    Outcome,
    Reading,
    assess_outcome,
    choose_baseline,
)


def test_full_outcome() -> None:
    assert assess_outcome(20, 8) == Outcome(
        baseline=20,
        latest=8,
        change=-12,
        percent_change=-60.0,
        response=True,
        remission=False,
        meaningful=True,
    )


def test_worse_is_positive() -> None:
    result = assess_outcome(10, 16)
    assert (result.change, result.percent_change) == (6, 60.0)
    assert (result.response, result.meaningful) == (False, True)


@pytest.mark.parametrize(
    ("baseline", "latest", "response"),
    [
        (20, 10, True),  # exactly 50% lower
        (20, 11, False),
        (21, 10, True),  # 10 <= 10.5
        (21, 11, False),  # 11 > 10.5
        (1, 0, True),
        (2, 1, True),
        (3, 2, False),
        (0, 0, False),  # no baseline symptoms: no response to speak of
    ],
)
def test_response_boundary(baseline: int, latest: int, response: bool) -> None:
    assert assess_outcome(baseline, latest).response is response


@pytest.mark.parametrize(("latest", "remission"), [(0, True), (4, True), (5, False), (27, False)])
def test_remission_below_five(latest: int, remission: bool) -> None:
    assert assess_outcome(27, latest).remission is remission


@pytest.mark.parametrize(
    ("baseline", "latest", "meaningful"),
    [(15, 10, True), (15, 11, False), (10, 15, True), (10, 14, False), (7, 7, False)],
)
def test_meaningful_change_is_five_points_either_way(
    baseline: int, latest: int, meaningful: bool
) -> None:
    assert assess_outcome(baseline, latest).meaningful is meaningful


def test_percent_change_rounds_to_one_decimal() -> None:
    assert assess_outcome(3, 2).percent_change == -33.3
    assert assess_outcome(3, 1).percent_change == -66.7
    assert assess_outcome(7, 7).percent_change == 0.0


def test_percent_change_is_none_for_zero_baseline() -> None:
    result = assess_outcome(0, 6)
    assert result.percent_change is None
    assert (result.change, result.meaningful, result.remission) == (6, True, False)


@pytest.mark.parametrize(
    ("baseline", "latest"), [(-1, 0), (0, -1), (True, 0), (0, False), (1.0, 0), ("5", 0), (None, 0)]
)
def test_rejects_bad_totals(baseline: object, latest: object) -> None:
    with pytest.raises(ValueError, match="whole number of 0 or more"):
        assess_outcome(baseline, latest)  # type: ignore[arg-type]


D = date(2026, 3, 10)


def r(day: int, total: int) -> Reading:
    return Reading(date(2026, 3, day), total)


def test_no_readings() -> None:
    assert choose_baseline([], D) is None
    assert choose_baseline([], None) is None


def test_last_reading_on_or_before_first_infusion() -> None:
    readings = [r(1, 18), r(5, 20), r(12, 9)]
    assert choose_baseline(readings, D) == Baseline(r(5, 20), pretreatment=True)


def test_same_day_as_infusion_counts_as_pretreatment() -> None:
    readings = [r(1, 18), r(10, 21), r(12, 9)]
    assert choose_baseline(readings, D) == Baseline(r(10, 21), pretreatment=True)


def test_order_of_input_does_not_matter() -> None:
    readings = [r(12, 9), r(5, 20), r(1, 18)]
    assert choose_baseline(readings, D) == Baseline(r(5, 20), pretreatment=True)


def test_no_pretreatment_reading_falls_back_to_first() -> None:
    readings = [r(20, 9), r(11, 15), r(25, 4)]
    assert choose_baseline(readings, D) == Baseline(r(11, 15), pretreatment=False)


def test_no_infusion_yet_uses_latest_reading() -> None:
    readings = [r(1, 18), r(5, 20)]
    assert choose_baseline(readings, None) == Baseline(r(5, 20), pretreatment=True)


def test_same_day_readings_later_in_input_wins() -> None:
    readings = [r(5, 20), r(5, 17)]
    assert choose_baseline(readings, D) == Baseline(r(5, 17), pretreatment=True)


def test_first_infusion_as_datetime() -> None:
    readings = [r(10, 21), r(11, 15)]
    result = choose_baseline(readings, datetime(2026, 3, 10, 23, 0))
    assert result == Baseline(r(10, 21), pretreatment=True)


def test_a_reading_entered_later_for_a_day_before_the_first_infusion_is_the_baseline() -> None:
    # Entered in this order: a PHQ-9 after the first infusion, then one taken at the clinic
    # before it and entered later. The day it was taken decides, not the order of entry.
    after = Reading(date(2026, 11, 30), 9)
    clinic = Reading(date(2026, 11, 10), 21)
    chosen = choose_baseline([after, clinic], date(2026, 11, 12))
    assert chosen == Baseline(clinic, pretreatment=True)
