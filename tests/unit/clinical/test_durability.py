"""Durability per infusion, its median, and the mood series used by the charts."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from companion.clinical.durability import (
    FELL_BACK,
    NEXT_INFUSION_FIRST,
    NOT_ENOUGH_DATA,
    STILL_ABOVE,
    Durability,
    aligned_moods,
    booster_outlook,
    comparison_days,
    durability_days,
    durability_range,
    estimate_all,
    estimate_durability,
    median_durability,
    mood_around,
    mood_falling,
    patient_outlook,
    rolling_mean,
)

INFUSION = date(2026, 3, 10)


def at(n: int) -> date:
    return INFUSION + timedelta(days=n)


def moods(by_offset: Mapping[int, float]) -> dict[date, float]:
    return {at(n): value for n, value in by_offset.items()}


PRE_5 = {-3: 4, -2: 5, -1: 6}  # pre-infusion level 5.0


def test_falls_back_on_the_first_day_the_three_day_mean_reaches_the_pre_level() -> None:
    data = moods({**PRE_5, 1: 8, 2: 8, 3: 7, 4: 5, 5: 4})
    # Means: k1 8, k2 8, k3 7.67, k4 6.67, k5 5.33, k6 (5+4)/2 = 4.5 <= 5.
    assert estimate_durability(INFUSION, data, at(30)) == Durability(6, "fell back", 5.0)


def test_equal_to_the_pre_level_counts_as_fallen_back() -> None:
    data = moods({-3: 5, -2: 5, -1: 5, 1: 5, 2: 9})
    assert estimate_durability(INFUSION, data, at(30)) == Durability(1, "fell back", 5.0)


def test_boundary_is_exact_with_thirds() -> None:
    data = moods({-3: 7, -2: 7, -1: 6, 1: 7, 2: 7, 3: 6})  # pre 20/3; k3 mean 20/3
    result = estimate_durability(INFUSION, data, at(30))
    assert (result.days, result.status) == (3, "fell back")
    assert result.pre_level == pytest.approx(20 / 3)


def test_infusion_day_itself_is_not_counted() -> None:
    data = moods({**PRE_5, 0: 1, 1: 8, 2: 8})
    assert estimate_durability(INFUSION, data, at(2)) == Durability(2, "still above", 5.0)


def test_days_without_anything_in_the_window_are_skipped() -> None:
    data = moods({**PRE_5, 1: 8, 5: 3})
    # k2 and k3 see day 1 only; k4 sees nothing; k5 sees day 5.
    assert estimate_durability(INFUSION, data, at(30)) == Durability(5, "fell back", 5.0)


def test_two_pre_days_are_enough_one_is_not() -> None:
    two = moods({-3: 4, -1: 6, 1: 5})
    assert estimate_durability(INFUSION, two, at(30)) == Durability(1, "fell back", 5.0)
    one = moods({-1: 6, 1: 5})
    assert estimate_durability(INFUSION, one, at(30)) == Durability(None, "not enough data", None)


def test_pre_level_uses_only_the_three_days_before() -> None:
    data = moods({-4: 0, -3: 4, -2: 5, -1: 6, 0: 0, 1: 6})
    assert estimate_durability(INFUSION, data, at(1)).pre_level == 5.0


def test_still_above_counts_to_the_last_logged_day() -> None:
    data = moods({**PRE_5, 1: 8, 2: 8, 3: 7, 4: 8})
    assert estimate_durability(INFUSION, data, at(6)) == Durability(4, "still above", 5.0)


def test_days_after_today_are_ignored() -> None:
    data = moods({**PRE_5, 1: 8, 2: 8, 3: 1})
    assert estimate_durability(INFUSION, data, at(2)) == Durability(2, "still above", 5.0)


def test_next_infusion_first_is_a_lower_bound_of_the_gap() -> None:
    data = moods({**PRE_5, 1: 8, 2: 8, 3: 8, 6: 8, 7: 1, 8: 1})
    result = estimate_durability(INFUSION, data, at(20), next_infusion_day=at(7))
    assert result == Durability(7, "next infusion first", 5.0)


def test_next_infusion_today_arrived_first() -> None:
    data = moods({**PRE_5, 1: 8})
    result = estimate_durability(INFUSION, data, at(4), next_infusion_day=at(4))
    assert result == Durability(4, "next infusion first", 5.0)


def test_planned_next_infusion_after_today_is_not_reached() -> None:
    data = moods({**PRE_5, 1: 8, 2: 8, 3: 8})
    result = estimate_durability(INFUSION, data, at(5), next_infusion_day=at(10))
    assert result == Durability(3, "still above", 5.0)


def test_fall_before_the_next_infusion_wins() -> None:
    data = moods({**PRE_5, 1: 8, 2: 2, 3: 2})  # k2 mean (8 + 2) / 2 = 5
    result = estimate_durability(INFUSION, data, at(20), next_infusion_day=at(7))
    assert result == Durability(2, "fell back", 5.0)


def test_nothing_logged_after() -> None:
    assert estimate_durability(INFUSION, moods(PRE_5), at(10)) == Durability(
        None, "not enough data", 5.0
    )


def test_nothing_logged_before_the_next_infusion() -> None:
    data = moods({**PRE_5, 2: 1})
    result = estimate_durability(INFUSION, data, at(10), next_infusion_day=at(1))
    assert result == Durability(None, "not enough data", 5.0)


def test_infusion_today() -> None:
    assert estimate_durability(INFUSION, moods(PRE_5), INFUSION).status == "not enough data"


def test_next_infusion_before_this_one_is_an_error() -> None:
    with pytest.raises(ValueError, match="cannot be before"):
        estimate_durability(INFUSION, moods(PRE_5), at(10), next_infusion_day=at(-1))


# median_durability


def fell(days: int) -> Durability:
    return Durability(days, "fell back", 5.0)


def test_median_needs_two_fell_back_estimates() -> None:
    assert median_durability([]) is None
    assert median_durability([fell(4)]) is None
    assert median_durability([fell(4), Durability(20, "still above", 5.0)]) is None
    assert median_durability([fell(4), fell(8)]) == 6.0


def test_median_ignores_lower_bounds_and_missing() -> None:
    results = [
        fell(3),
        fell(10),
        fell(5),
        Durability(40, "next infusion first", 5.0),
        Durability(None, "not enough data", None),
    ]
    assert median_durability(results) == 5.0


# mood_around


def test_mood_around() -> None:
    data = moods({-4: 0, -3: 3, -1: 5, 0: 9, 1: 7, 2: 8, 3: 9, 4: 0})
    assert mood_around(INFUSION, data) == (4.0, 8.0)


def test_mood_around_none_when_nothing_logged() -> None:
    assert mood_around(INFUSION, moods({1: 6})) == (None, 6.0)
    assert mood_around(INFUSION, moods({-2: 6})) == (6.0, None)
    assert mood_around(INFUSION, {}) == (None, None)


def test_mood_around_custom_days() -> None:
    data = moods({-3: 0, -1: 4, 1: 6, 3: 10})
    assert mood_around(INFUSION, data, days=1) == (4.0, 6.0)
    with pytest.raises(ValueError):
        mood_around(INFUSION, data, days=0)


# aligned_moods


def test_aligned_moods() -> None:
    data = moods({-5: 1, -3: 2, 0: 3, 7: 4, 21: 5, 22: 6})
    assert aligned_moods(INFUSION, data) == [(-3, 2.0), (0, 3.0), (7, 4.0), (21, 5.0)]
    assert aligned_moods(INFUSION, data, before=5, after=7) == [
        (-5, 1.0),
        (-3, 2.0),
        (0, 3.0),
        (7, 4.0),
    ]
    assert aligned_moods(INFUSION, {}) == []


# rolling_mean


def test_rolling_mean_fills_calendar_days_with_something_in_the_window() -> None:
    d0 = date(2026, 1, 1)
    data = {d0: 4.0, d0 + timedelta(days=1): 6.0, d0 + timedelta(days=10): 8.0}
    result = rolling_mean(data)
    expected = {d0: 4.0}
    for n in range(1, 7):
        expected[d0 + timedelta(days=n)] = 5.0
    expected[d0 + timedelta(days=7)] = 6.0  # day 0 has left the 7-day window
    expected[d0 + timedelta(days=10)] = 8.0  # days 8 and 9 have nothing in their window
    assert result == expected


def test_rolling_mean_window_one_is_the_logged_days() -> None:
    data = {date(2026, 1, 1): 3.0, date(2026, 1, 3): 5.0}
    assert rolling_mean(data, window=1) == data


def test_rolling_mean_edge_cases() -> None:
    assert rolling_mean({}) == {}
    with pytest.raises(ValueError):
        rolling_mean({date(2026, 1, 1): 3.0}, window=0)


# mood_falling

TODAY = date(2026, 5, 20)


def falling(by_offset: dict[int, float]) -> bool:
    return mood_falling({TODAY + timedelta(days=n): v for n, v in by_offset.items()}, TODAY)


def test_falling_three_days_ending_today() -> None:
    assert falling({-3: 8, -2: 7, -1: 6, 0: 5})


def test_falling_three_days_ending_yesterday() -> None:
    assert falling({-4: 8, -3: 7, -2: 6, -1: 5})
    assert falling({-4: 8, -3: 7, -2: 6, -1: 5, 0: 9})


def test_not_falling_when_it_ended_two_days_ago() -> None:
    assert not falling({-5: 8, -4: 7, -3: 6, -2: 5})


def test_not_falling_with_a_flat_day() -> None:
    assert not falling({-3: 8, -2: 7, -1: 7, 0: 5})


def test_not_falling_with_a_gap() -> None:
    assert not falling({-3: 8, -1: 6, 0: 5})
    assert not falling({-2: 8, -1: 6, 0: 5})


def test_not_falling_when_rising() -> None:
    assert not falling({-3: 5, -2: 6, -1: 7, 0: 8})
    assert not falling({})


# --- When a booster may be due (for the clinician) ---------------------------------------------


def test_booster_outlook_when_the_last_infusion_fell_back() -> None:
    # INFUSION is Tue 10 Mar 2026.
    fell = Durability(9, "fell back", 5.0)
    assert booster_outlook(at(20), INFUSION, fell, 12.0, at(24)) == (
        "Mood fell back to its pre-infusion level 9 days after the last infusion (Tue 10 Mar). "
        "Next planned infusion: Fri 3 Apr."
    )


def test_booster_outlook_still_above_before_the_median() -> None:
    above = Durability(6, "still above", 5.0)
    # 10 Mar + 12.5 days rounded half up (13) = 23 Mar.
    assert booster_outlook(at(6), INFUSION, above, 12.5, None) == (
        "Mood is still above its pre-infusion level 6 days after the last infusion (Tue 10 Mar); "
        "at the median durability of 13 days a booster may be due around Mon 23 Mar. "
        "No infusion planned."
    )


def test_booster_outlook_still_above_past_the_median_or_without_one() -> None:
    above = Durability(15, "still above", 5.0)
    assert booster_outlook(at(15), INFUSION, above, 13.0, None) == (
        "Mood is still above its pre-infusion level 15 days after the last infusion "
        "(Tue 10 Mar), longer than the median of 13 days. No infusion planned."
    )
    assert booster_outlook(at(1), INFUSION, Durability(1, "still above", 5.0), None, None) == (
        "Mood is still above its pre-infusion level 1 day after the last infusion (Tue 10 Mar). "
        "No infusion planned."
    )


def test_booster_outlook_with_too_few_check_ins_and_before_any_infusion() -> None:
    unknown = Durability(None, "not enough data", None)
    assert booster_outlook(at(4), INFUSION, unknown, 10.0, at(5)) == (
        "Too few check-ins around the last infusion (Tue 10 Mar) to tell how long it lasted. "
        "Next planned infusion: Sun 15 Mar."
    )
    assert booster_outlook(at(4), None, None, None, at(5)) == ""


@pytest.mark.parametrize(
    ("median", "shown"), [(12.5, "13 days"), (12.4, "12 days"), (1.0, "1 day")]
)
def test_durability_days_rounds_half_up(median: float, shown: str) -> None:
    assert durability_days(median) == shown


# --- The fast comparison against the exact one it replaced (issue 12: no Fraction per day) ------


def _reference(
    infusion_day: date, mood: Mapping[date, float], today: date, next_day: date | None
) -> tuple[int | None, str]:
    """The rule as written before, in Fractions throughout: what estimate_durability must equal."""
    from fractions import Fraction

    def logged(days: list[date]) -> list[float]:
        return [mood[d] for d in days if d in mood]

    before = logged([infusion_day - timedelta(days=n) for n in (3, 2, 1)])
    if len(before) < 2:
        return None, NOT_ENOUGH_DATA
    pre = sum(map(Fraction, before), Fraction(0)) / len(before)
    last_day = today if next_day is None else min(today, next_day - timedelta(days=1))
    last_logged = None
    for k in range(1, (last_day - infusion_day).days + 1):
        if infusion_day + timedelta(days=k) in mood:
            last_logged = k
        values = logged([infusion_day + timedelta(days=j) for j in range(max(1, k - 2), k + 1)])
        if values and sum(map(Fraction, values), Fraction(0)) / len(values) <= pre:
            return k, FELL_BACK
    if last_logged is None:
        return None, NOT_ENOUGH_DATA
    if next_day is not None and next_day <= today:
        return (next_day - infusion_day).days, NEXT_INFUSION_FIRST
    return last_logged, STILL_ABOVE


@settings(max_examples=400, deadline=None)
@given(
    moods=st.lists(
        st.one_of(
            st.none(),
            st.integers(0, 10).map(float),
            # Values a mood never takes, which go the exact way: halves, thirds, tenths.
            st.sampled_from([0.5, 4.5, 7.5, 1 / 3, 2 / 3, 0.1, 0.2, 0.3]),
        ),
        min_size=4,
        max_size=40,
    ),
    next_offset=st.one_of(st.none(), st.integers(1, 45)),
    today_offset=st.integers(0, 45),
)
def test_the_whole_number_comparison_gives_the_exact_fraction_result(
    moods: list[float | None], next_offset: int | None, today_offset: int
) -> None:
    first = date(2026, 3, 1)
    series = {first + timedelta(days=n): m for n, m in enumerate(moods) if m is not None}
    infusion = first + timedelta(days=3)
    today = infusion + timedelta(days=today_offset)
    next_day = infusion + timedelta(days=next_offset) if next_offset is not None else None
    result = estimate_durability(infusion, series, today, next_day)
    assert (result.days, result.status) == _reference(infusion, series, today, next_day)


# estimate_all: one method for every view. Induction infusions are compared with the mood before
# their series began, boosters with the mood before themselves.

# A series of three (days 0, 3, 6) from a pre-series level of 3; each infusion lifts mood (5, then
# 7), and after the last it holds at 7 to day 25 and falls to 2 from day 26.
SERIES = {-3: 3, -2: 3, -1: 3, 1: 5, 2: 5, 4: 7, 5: 7}
SERIES |= {n: 7 for n in range(7, 26)} | {n: 2 for n in range(26, 40)}


def test_a_single_infusion_is_compared_with_the_mood_before_it() -> None:
    data = moods({**PRE_5, 1: 8, 2: 8, 3: 7, 4: 5, 5: 4})
    assert estimate_all([INFUSION], data, at(30)) == [Durability(6, "fell back", 5.0)]


def test_a_series_is_compared_with_the_mood_before_it_began() -> None:
    result = estimate_all([at(0), at(3), at(6)], moods(SERIES), at(45))
    # The first two are cut short by the next infusion (lower bounds). The last one lasts until
    # the 3-day mean reaches 3: day 26 (7+7+2)/3 = 5.3, day 27 (7+2+2)/3 = 3.7, day 28 2:
    # 28 - 6 = 22 days, not the 1 day it reads against the lift of the one before (7).
    assert result == [
        Durability(3, "next infusion first", 3.0),
        Durability(3, "next infusion first", 3.0),
        Durability(22, "fell back", 3.0),
    ]
    assert estimate_durability(at(6), moods(SERIES), at(45), None).days == 1


def test_a_booster_is_compared_with_the_mood_before_itself() -> None:
    # Day 40 is 40 days after the series began (past its 21 days): a booster, level (2+2+2)/3.
    data = moods({**SERIES, 40: 2, 41: 7, 42: 7, 43: 7, 44: 2, 45: 2, 46: 2})
    result = estimate_all([at(0), at(3), at(6), at(40)], data, at(60))
    assert comparison_days([at(0), at(3), at(6), at(40)]) == [at(0), at(0), at(0), at(40)]
    # Day 46 (2+2+2)/3 = 2 <= 2: 6 days.
    assert result[-1] == Durability(6, "fell back", 2.0)


def test_not_yet_fallen_back_is_at_least_the_days_logged() -> None:
    result = estimate_all([at(0), at(3), at(6)], moods(SERIES), at(20))
    assert result[-1] == Durability(14, "still above", 3.0)


def test_next_infusion_first_is_censored_and_left_out_of_the_median() -> None:
    # The booster on day 50 comes before the series' last infusion fell back to 3.
    data = moods({**SERIES, **{n: 7 for n in range(26, 50)}})
    result = estimate_all([at(0), at(3), at(6), at(50)], data, at(60))
    assert result[2] == Durability(44, "next infusion first", 3.0)
    assert median_durability(result) is None and durability_range(result) is None


def test_the_mood_compared_with_cannot_be_after_the_infusion() -> None:
    with pytest.raises(ValueError, match="cannot be after"):
        estimate_durability(INFUSION, moods(PRE_5), at(10), compared_with=at(1))


# patient_outlook: the patient's own line on Today and Trends.


def test_patient_outlook_with_a_range_a_median_and_a_booster_due() -> None:
    results = [fell(23), fell(26), fell(29), Durability(17, "still above", 4.0)]
    # 10 Mar + 26 days = Sun 5 Apr, still ahead on day 17.
    assert patient_outlook(at(17), INFUSION, results) == (
        "Day 17 since your last infusion. Yours have lasted 23–29 days (median 26). "
        "A booster may be due around Sun 5 Apr; talk to your clinic."
    )


def test_patient_outlook_says_no_booster_date_once_fallen_back_or_past_the_median() -> None:
    fallen = [fell(20), fell(30), fell(10)]
    assert patient_outlook(at(12), INFUSION, fallen) == (
        "Day 12 since your last infusion. Yours have lasted 10–30 days (median 20)."
    )
    past = [fell(20), fell(20), Durability(25, "still above", 4.0)]
    assert patient_outlook(at(25), INFUSION, past) == (
        "Day 25 since your last infusion. Yours have lasted 20 days (median 20)."
    )


def test_patient_outlook_without_a_median_or_an_infusion() -> None:
    assert patient_outlook(at(3), INFUSION, [Durability(3, "still above", 4.0)]) == (
        "Day 3 since your last infusion."
    )
    assert patient_outlook(at(3), None, []) == ""
