"""Induction/booster labels, series, and the treatment status line on Today."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from companion.clinical.phases import (
    BOOSTER,
    INDUCTION,
    LabelledInfusion,
    TreatmentStatus,
    label_infusions,
    label_series,
    treatment_status,
)

START = date(2026, 1, 5)  # a Monday


def day(n: int) -> date:
    return START + timedelta(days=n)


def test_empty() -> None:
    assert label_infusions([]) == []
    assert label_series([]) == []


def test_single_infusion_is_induction_1() -> None:
    assert label_infusions([START]) == [(START, "induction", 1)]


def test_day_21_is_still_induction_day_22_is_booster() -> None:
    assert label_infusions([day(0), day(21), day(22)]) == [
        (day(0), "induction", 1),
        (day(21), "induction", 2),
        (day(22), "booster", 1),
    ]


def test_typical_course() -> None:
    infusions = [day(n) for n in (0, 2, 4, 7, 9, 11, 40, 75)]
    assert [(phase, number) for _, phase, number in label_infusions(infusions)] == [
        ("induction", 1),
        ("induction", 2),
        ("induction", 3),
        ("induction", 4),
        ("induction", 5),
        ("induction", 6),
        ("booster", 1),
        ("booster", 2),
    ]


def test_any_order_in_date_order_out() -> None:
    infusions = [day(30), day(0), day(9), day(2)]
    assert label_infusions(infusions) == [
        (day(0), "induction", 1),
        (day(2), "induction", 2),
        (day(9), "induction", 3),
        (day(30), "booster", 1),
    ]


def test_gap_of_90_days_continues_the_series_91_starts_a_new_one() -> None:
    assert [lab[1:] for lab in label_infusions([day(0), day(30), day(120)])] == [
        ("induction", 1),
        ("booster", 1),
        ("booster", 2),  # exactly 90 days after the previous one
    ]
    assert [lab[1:] for lab in label_infusions([day(0), day(30), day(121), day(125)])] == [
        ("induction", 1),
        ("booster", 1),
        ("induction", 1),  # 91 days: a new series
        ("induction", 2),
    ]


def test_new_series_has_its_own_window_and_booster_count() -> None:
    infusions = [day(0), day(25), day(200), day(221), day(222)]
    assert [lab[1:] for lab in label_infusions(infusions)] == [
        ("induction", 1),
        ("booster", 1),
        ("induction", 1),
        ("induction", 2),
        ("booster", 1),
    ]
    series = label_series(infusions)
    assert [entry.series for entry in series] == [1, 1, 2, 2, 2]
    assert series[4] == LabelledInfusion(day(222), day(222), "booster", 1, 2, day(200))


def test_gap_counts_from_the_previous_infusion_not_the_series_start() -> None:
    infusions = [day(0), day(80), day(160), day(240)]
    assert [lab[1:] for lab in label_infusions(infusions)] == [
        ("induction", 1),
        ("booster", 1),
        ("booster", 2),
        ("booster", 3),
    ]


def test_duplicate_dates_get_two_labels() -> None:
    assert label_infusions([day(0), day(0), day(3)]) == [
        (day(0), "induction", 1),
        (day(0), "induction", 2),
        (day(3), "induction", 3),
    ]


def test_datetimes_are_kept_and_placed_on_their_calendar_date() -> None:
    morning = datetime(2026, 1, 26, 9, 0, tzinfo=UTC)  # day 21
    late = datetime(2026, 1, 26, 23, 59, tzinfo=UTC)  # still day 21
    next_day = datetime(2026, 1, 27, 0, 1, tzinfo=UTC)  # day 22
    first = datetime(2026, 1, 5, 10, 0, tzinfo=UTC)
    result = label_infusions([next_day, late, first, morning])
    assert result == [
        (first, "induction", 1),
        (morning, "induction", 2),
        (late, "induction", 3),
        (next_day, "booster", 1),
    ]
    assert all(isinstance(entry[0], datetime) for entry in result)


def test_mixed_dates_and_datetimes() -> None:
    at_ten = datetime(2026, 1, 7, 10, 0)
    result = label_infusions([at_ten, day(0), day(2)])
    assert result == [(day(0), "induction", 1), (day(2), "induction", 2), (at_ten, "induction", 3)]


def test_generator_input() -> None:
    assert label_infusions(day(n) for n in (3, 0)) == [
        (day(0), "induction", 1),
        (day(3), "induction", 2),
    ]


# treatment_status


def test_before_with_nothing_planned() -> None:
    assert treatment_status(day(0), [], []) == TreatmentStatus(
        phase="before",
        line="Before treatment: no infusions yet",
        series_number=0,
        induction_done=0,
        induction_total=6,
        days_since_last=None,
        next_planned=None,
    )


def test_before_with_first_infusion_planned() -> None:
    status = treatment_status(date(2024, 11, 28), [], [date(2024, 12, 5), date(2024, 12, 3)])
    assert status.phase == "before"
    assert status.line == "Before treatment: first infusion planned for Tue 3 Dec"
    assert status.next_planned == date(2024, 12, 3)


def test_before_ignores_past_plans_and_future_done() -> None:
    status = treatment_status(day(10), [day(11)], [day(2)])
    assert (status.phase, status.line, status.next_planned) == (
        "before",
        "Before treatment: no infusions yet",
        None,
    )


def test_before_counts_a_planned_long_series() -> None:
    planned = [day(n) for n in range(1, 17, 2)]  # eight planned within 21 days
    assert treatment_status(day(0), [], planned).induction_total == 8


def test_first_infusion_today_is_induction() -> None:
    status = treatment_status(day(0), [day(0)], [])
    assert (status.phase, status.line) == ("induction", "Induction: infusion 1 of 6")
    assert (status.series_number, status.days_since_last) == (1, 0)


def test_induction_in_progress() -> None:
    done = [day(0), day(2), day(4)]
    planned = [day(7), day(9), day(11)]
    status = treatment_status(day(5), done, planned)
    assert status == TreatmentStatus(
        phase="induction",
        line="Induction: infusion 3 of 6",
        series_number=1,
        induction_done=3,
        induction_total=6,
        days_since_last=1,
        next_planned=day(7),
    )


def test_induction_total_grows_with_planned_infusions_inside_the_window() -> None:
    done = [day(0), day(2), day(4), day(7), day(9)]
    planned = [day(11), day(14), day(21), day(22), day(40)]  # day 22 and 40 are outside
    status = treatment_status(day(10), done, planned)
    assert status.line == "Induction: infusion 5 of 8"


def test_induction_total_when_more_done_than_six() -> None:
    done = [day(n) for n in range(0, 16, 2)]  # eight done
    assert treatment_status(day(15), done, []).line == "Induction: infusion 8 of 8"


def test_planned_today_already_done_counts_once() -> None:
    done = [day(0), day(2), day(4), day(7), day(9), day(11)]
    planned = [day(11)]
    assert treatment_status(day(11), done, planned).line == "Induction: infusion 6 of 6"


def test_day_21_is_induction_day_22_is_maintenance() -> None:
    done = [day(n) for n in (0, 2, 4, 7, 9, 11)]
    assert treatment_status(day(21), done, []).line == "Induction: infusion 6 of 6"
    status = treatment_status(day(22), done, [])
    assert (status.phase, status.line) == (
        "maintenance",
        "Maintenance: 11 days since your last infusion",
    )
    assert (status.induction_done, status.days_since_last) == (6, 11)


def test_maintenance_after_a_booster() -> None:
    done = [day(n) for n in (0, 2, 4, 7, 9, 11, 30)]
    assert treatment_status(day(48), done, [day(60)]) == TreatmentStatus(
        phase="maintenance",
        line="Maintenance: 18 days since your last infusion",
        series_number=1,
        induction_done=6,
        induction_total=6,
        days_since_last=18,
        next_planned=day(60),
    )


def test_maintenance_one_day_and_today() -> None:
    done = [day(0), day(30)]
    assert treatment_status(day(31), done, []).line == "Maintenance: 1 day since your last infusion"
    assert treatment_status(day(30), done, []).line == "Maintenance: infusion today"


def test_more_than_90_days_is_still_maintenance() -> None:
    status = treatment_status(day(200), [day(0), day(2)], [])
    assert (status.phase, status.line) == (
        "maintenance",
        "Maintenance: 198 days since your last infusion",
    )


def test_new_series_restarts_induction() -> None:
    done = [day(0), day(2), day(30), day(150), day(152)]
    status = treatment_status(day(153), done, [])
    assert (status.phase, status.line, status.series_number) == (
        "induction",
        "Induction: infusion 2 of 6",
        2,
    )


def test_done_infusions_after_today_are_ignored() -> None:
    status = treatment_status(day(3), [day(0), day(2), day(5)], [])
    assert status.line == "Induction: infusion 2 of 6"


def test_datetimes_are_accepted() -> None:
    done = [datetime(2026, 1, 5, 9, 0, tzinfo=UTC)]
    status = treatment_status(day(1), done, [datetime(2026, 1, 8, 9, 0, tzinfo=UTC)])
    assert (status.line, status.next_planned) == ("Induction: infusion 1 of 6", day(3))


def test_clinician_line_speaks_of_the_patient_not_to_them() -> None:
    done = [day(n) for n in (0, 2, 4, 7, 9, 11, 30)]
    assert treatment_status(day(48), done, []).clinician_line == (
        "Maintenance: 18 days since the last infusion"
    )
    assert treatment_status(day(31), done, []).clinician_line == (
        "Maintenance: 1 day since the last infusion"
    )
    # Lines without "your" are the same for both readers.
    assert treatment_status(day(30), done, []).clinician_line == "Maintenance: infusion today"
    assert treatment_status(day(9), done[:5], []).clinician_line == "Induction: infusion 5 of 6"


def test_labels_kept_for_the_same_dates_are_the_same_and_cannot_be_changed_by_a_caller():
    """label_series keeps the last sets it labelled (one view asks several times): a caller that
    changes the list it got changes nothing for the next, and a date more is labelled afresh."""
    days = [date(2026, 9, 1), date(2026, 9, 4), date(2026, 9, 8), date(2026, 10, 20)]
    first = label_series(days)
    assert [(e.phase, e.number) for e in first] == [
        (INDUCTION, 1),
        (INDUCTION, 2),
        (INDUCTION, 3),
        (BOOSTER, 1),
    ]
    first.clear()
    assert label_series(iter(days)) == label_series(days) and len(label_series(days)) == 4
    later = label_series([*days, date(2027, 3, 1)])
    assert (later[-1].phase, later[-1].number, later[-1].series) == (INDUCTION, 1, 2)


def test_the_same_moment_in_two_zones_is_labelled_on_each_ones_own_day():
    """Labels are kept per set of dates: a moment given in UTC and then in New York compares
    equal, yet falls on a different calendar day in each, and each caller gets its own."""
    from zoneinfo import ZoneInfo

    utc = [datetime(2026, 9, 2, 3, 30, tzinfo=UTC), datetime(2026, 9, 25, 3, 30, tzinfo=UTC)]
    new_york = [when.astimezone(ZoneInfo("America/New_York")) for when in utc]
    assert new_york == utc  # the same moments
    in_utc = label_series(utc)
    in_new_york = label_series(new_york)
    assert [e.day for e in in_utc] == [date(2026, 9, 2), date(2026, 9, 25)]
    assert [e.day for e in in_new_york] == [date(2026, 9, 1), date(2026, 9, 24)]
    assert [e.when.tzinfo for e in in_new_york] == [when.tzinfo for when in new_york]
    assert in_new_york[0].series_start == date(2026, 9, 1)
