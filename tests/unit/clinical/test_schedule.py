"""When PHQ-9/GAD-7 are due (baseline, after induction, fortnightly, pre-booster, never daily),
and which post-infusion checks are open."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from companion.clinical.schedule import (
    POST_CHECKS,
    Due,
    PostCheckTimepoint,
    post_checks_due,
    questionnaire_due,
    questionnaires_due,
)

START = date(2026, 1, 5)
INDUCTION = [0, 2, 4, 7, 9, 11]


def day(n: int) -> date:
    return START + timedelta(days=n)


def days(*offsets: int) -> list[date]:
    return [day(n) for n in offsets]


def due(today: int, done: list[int], planned: list[int], taken: list[int]) -> Due | None:
    return questionnaire_due("phq9", day(today), days(*done), days(*planned), days(*taken))


def kind(today: int, done: list[int], planned: list[int], taken: list[int]) -> str | None:
    result = due(today, done, planned, taken)
    return None if result is None else result.kind


# Baseline


def test_baseline_due_when_nothing_taken() -> None:
    assert due(0, [], [], []) == Due("phq9", "baseline", "Baseline before your first infusion")


def test_baseline_due_with_first_infusion_planned() -> None:
    assert kind(0, [], [1], []) == "baseline"


@pytest.mark.parametrize(("taken", "expected"), [(-14, "baseline"), (-13, None), (-2, None)])
def test_baseline_not_repeated_within_14_days(taken: int, expected: str | None) -> None:
    assert kind(0, [], [1], [taken]) == expected


# Never daily


def test_nothing_due_on_the_day_one_was_taken() -> None:
    assert kind(0, [], [], [0]) is None
    assert kind(40, INDUCTION, [42], [40]) is None


@pytest.mark.parametrize(
    ("since", "expected"), [(0, None), (1, None), (2, None), (3, "after_induction")]
)
def test_never_within_three_days_of_the_last_one(since: int, expected: str | None) -> None:
    # After-induction is due from day 12; last taken on the last induction day (day 11) does not
    # count as "after", so only the 3-day gap holds it back.
    assert kind(11 + since, INDUCTION, [], [-1, 11]) == expected


def test_three_day_gap_blocks_even_a_pre_booster() -> None:
    assert kind(38, INDUCTION, [40], [12, 36]) is None
    assert kind(38, INDUCTION, [40], [12, 35]) == "pre_booster"


# After induction


def test_after_induction_due_the_day_after_the_sixth() -> None:
    assert kind(11, INDUCTION, [], [-1]) is None  # the infusion day itself
    assert due(12, INDUCTION, [], [-1]) == Due(
        "phq9", "after_induction", "After your induction series"
    )


def test_after_induction_not_due_once_taken_after_the_last_induction_infusion() -> None:
    assert kind(15, INDUCTION, [], [-1, 12]) is None


def test_after_induction_taken_on_the_last_infusion_day_does_not_count() -> None:
    assert kind(14, INDUCTION, [], [-1, 11]) == "after_induction"


def test_short_induction_is_over_after_day_21() -> None:
    done = [0, 3, 7, 10]
    assert kind(21, done, [], [-1, 14]) is None
    assert kind(22, done, [], [-1, 9]) == "after_induction"


def test_induction_not_over_while_a_planned_infusion_is_in_its_window() -> None:
    assert kind(12, INDUCTION, [14], [-1]) is None
    assert kind(12, INDUCTION, [22], [-1]) == "after_induction"  # day 22 is outside the window


def test_planned_infusion_today_inside_the_window_keeps_induction_open() -> None:
    assert kind(13, [0, 2, 4, 7, 9, 11], [13], [1]) is None
    assert kind(14, [0, 2, 4, 7, 9, 11, 13], [], [1]) == "after_induction"


def test_after_induction_after_boosters_started() -> None:
    # Never taken since induction; the booster on day 30 does not hide that.
    assert kind(32, [*INDUCTION, 30], [], [-1, 20]) is None
    assert kind(32, [*INDUCTION, 30], [], [-1, 5]) == "after_induction"


def test_new_series_has_its_own_after_induction() -> None:
    done = [*INDUCTION, 200, 202, 204, 207, 209, 211]
    assert kind(212, done, [], [12, 205]) == "after_induction"
    assert kind(215, done, [], [12, 212]) is None


# Fortnightly


@pytest.mark.parametrize(
    ("today", "expected"), [(25, None), (26, "fortnightly"), (40, "fortnightly")]
)
def test_fortnightly_after_14_days(today: int, expected: str | None) -> None:
    assert kind(today, INDUCTION, [], [-1, 12]) == expected


def test_fortnightly_reason() -> None:
    assert due(26, INDUCTION, [], [-1, 12]) == Due("phq9", "fortnightly", "Every two weeks")


def test_not_fortnightly_during_a_long_induction() -> None:
    # Weekly induction: the one after it (day 22, the window ends on day 21) is next, not a
    # fortnightly one on day 14 and another a week later.
    assert kind(14, [0, 7, 14], [], [0]) is None
    assert kind(21, [0, 7, 14], [], [0]) is None
    assert kind(22, [0, 7, 14], [], [0]) == "after_induction"
    assert kind(13, [0, 7], [14], [0]) is None


def test_no_fortnightly_in_the_middle_of_an_induction_series() -> None:
    # Baseline the day before, infusions twice a week: nothing on day 13 (14 days after the
    # baseline), then the after-induction one the day after the sixth infusion.
    done, planned = [0, 3, 7, 10], [14, 17]
    assert kind(13, done, planned, [-1]) is None
    assert kind(18, [*done, *planned], [], [-1]) == "after_induction"
    # A new series after a 90-day gap is an induction too: no fortnightly inside it.
    later = [*INDUCTION, 200, 202, 204]
    assert kind(205, later, [207], [12, 190]) is None


def test_no_fortnightly_on_the_day_of_the_last_induction_infusion() -> None:
    # Fortnightly is over (last one 21 days ago), but the after-induction one is due tomorrow:
    # asking today as well would put two three days apart.
    assert kind(39, [21, 24, 28, 31, 35, 39], [], [4, 18]) is None
    assert kind(40, [21, 24, 28, 31, 35, 39], [], [4, 18]) == "after_induction"


def test_starting_point_when_never_taken_during_induction() -> None:
    assert due(3, [0, 2], [4], []) == Due(
        "phq9", "starting_point", "Your starting point: none taken yet"
    )


# Pre-booster


@pytest.mark.parametrize(
    ("today", "expected"),
    [(36, None), (37, "pre_booster"), (38, "pre_booster"), (39, "pre_booster"), (40, None)],
)
def test_pre_booster_window_is_one_to_three_days_before(today: int, expected: str | None) -> None:
    assert kind(today, INDUCTION, [40], [-1, 12, 30]) == expected


def test_pre_booster_reason_names_the_day() -> None:
    assert due(37, INDUCTION, [40], [-1, 12, 30]) == Due(
        "phq9", "pre_booster", "Before your booster on Sat 14 Feb"
    )


def test_pre_booster_not_repeated_after_taking_it() -> None:
    assert kind(40 - 1, INDUCTION, [40], [-1, 12, 37]) is None


def test_planned_induction_infusion_is_not_a_booster() -> None:
    # Day 8 is inside the induction window: no pre-booster questionnaire.
    assert kind(6, [0, 2, 4], [8], [-1, 3]) is None


def test_planned_infusion_after_a_long_gap_starts_a_series_not_a_booster() -> None:
    assert kind(130, INDUCTION, [132], [-1, 12, 120]) is None


def test_pre_booster_wins_over_after_induction_and_fortnightly() -> None:
    assert kind(23, INDUCTION, [25], [-1]) == "pre_booster"
    assert kind(38, INDUCTION, [40], [-1, 12]) == "pre_booster"


def test_baseline_wins_over_everything() -> None:
    assert kind(0, [], [1, 2], []) == "baseline"


def test_future_taken_and_done_are_ignored() -> None:
    assert kind(0, [5], [], [7]) == "baseline"


def test_unknown_instrument() -> None:
    with pytest.raises(ValueError, match="Unknown questionnaire"):
        questionnaire_due("madrs", day(0), [], [], [])


def test_gad7_follows_the_same_rules() -> None:
    assert questionnaire_due("gad7", day(12), days(*INDUCTION), [], days(-1)) == Due(
        "gad7", "after_induction", "After your induction series"
    )


def test_questionnaires_due_both_in_order() -> None:
    assert questionnaires_due(day(0), [], [], {}) == [
        Due("phq9", "baseline", "Baseline before your first infusion"),
        Due("gad7", "baseline", "Baseline before your first infusion"),
    ]


def test_questionnaires_due_per_instrument() -> None:
    result = questionnaires_due(
        day(26), days(*INDUCTION), [], {"phq9": days(-1, 12), "gad7": days(-1, 24)}
    )
    assert result == [Due("phq9", "fortnightly", "Every two weeks")]
    assert (
        questionnaires_due(day(26), days(*INDUCTION), [], {"phq9": days(25), "gad7": days(24)})
        == []
    )


# Post-infusion checks


def test_post_check_timepoints() -> None:
    checks = POST_CHECKS
    assert checks == (
        PostCheckTimepoint("evening", "The same evening", timedelta(hours=3), timedelta(hours=36)),
        PostCheckTimepoint("24h", "After 24 hours", timedelta(hours=20), timedelta(hours=48)),
        PostCheckTimepoint("48h", "After 48 hours", timedelta(hours=44), timedelta(hours=96)),
    )


T0 = datetime(2026, 1, 5, 10, 0, tzinfo=UTC)


def open_keys(hours: float, done: set[tuple[int, str]] | None = None) -> list[str]:
    now = T0 + timedelta(hours=hours)
    return [tp.key for _, tp in post_checks_due(now, [(1, T0)], done or set())]


@pytest.mark.parametrize(
    ("hours", "keys"),
    [
        (-1, []),
        (0, []),
        (2.99, []),
        (3, ["evening"]),
        (19.99, ["evening"]),
        (20, ["evening", "24h"]),
        (35.99, ["evening", "24h"]),
        (36, ["24h"]),
        (44, ["24h", "48h"]),
        (47.99, ["24h", "48h"]),
        (48, ["48h"]),
        (95.99, ["48h"]),
        (96, []),
    ],
)
def test_post_check_windows(hours: float, keys: list[str]) -> None:
    assert open_keys(hours) == keys


def test_done_checks_are_not_due() -> None:
    assert open_keys(21, {(1, "evening")}) == ["24h"]
    assert open_keys(21, {(2, "evening")}) == ["evening", "24h"]


def test_several_infusions_keep_their_ids() -> None:
    now = T0 + timedelta(hours=50)
    second = T0 + timedelta(hours=46)
    result = post_checks_due(now, [(1, T0), (2, second)], {(1, "48h")})
    assert [(infusion_id, tp.key) for infusion_id, tp in result] == [(2, "evening")]


def test_time_zones_are_compared_as_instants() -> None:
    start = datetime(2026, 1, 5, 2, 0, tzinfo=timezone(timedelta(hours=-8)))  # 10:00 UTC
    now = datetime(2026, 1, 5, 13, 0, tzinfo=UTC)
    assert [tp.key for _, tp in post_checks_due(now, [(7, start)], set())] == ["evening"]


def test_naive_datetimes_are_rejected() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        post_checks_due(datetime(2026, 1, 5, 13, 0), [(1, T0)], set())
    with pytest.raises(ValueError, match="timezone-aware"):
        post_checks_due(T0, [(1, datetime(2026, 1, 5, 10, 0))], set())


def test_no_infusions() -> None:
    assert post_checks_due(T0, [], set()) == []
