"""The one-sentence summaries beside each chart, including the "what to log" sentences."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from companion.charts.figures import (
    InfusionMark,
    MoodPoint,
    ResponseSeries,
    ScoreReading,
    SideEffectRow,
    WellbeingDay,
)
from companion.charts.summaries import (
    summarize_mood,
    summarize_questionnaire,
    summarize_response,
    summarize_side_effects,
    summarize_wellbeing,
)
from companion.clinical import GAD7, PHQ9

START = date(2026, 3, 1)


def day(n: int) -> date:
    return START + timedelta(days=n)


# --- mood ----------------------------------------------------------------------------------------


def test_mood_too_little_data() -> None:
    expected = "Log your mood on at least two days to see this chart."
    assert summarize_mood([], [], START, day(29)) == expected
    assert summarize_mood([MoodPoint(day(0), 5)], [], START, day(29)) == expected
    # Two entries on the same day are one logged day; days outside the range do not count.
    same_day = [MoodPoint(day(0), 5), MoodPoint(day(0), 6), MoodPoint(day(40), 6)]
    assert summarize_mood(same_day, [], START, day(29)) == expected


def test_mood_average_low_high_and_infusions() -> None:
    points = [MoodPoint(day(0), 3), MoodPoint(day(1), 9), MoodPoint(day(5), 6.5)]
    infusions = [
        InfusionMark(day(1), "Induction 1"),
        InfusionMark(day(4), "Induction 2"),
        InfusionMark(day(7), "Induction 3", planned=True),  # not given yet
        InfusionMark(day(30), "Outside"),
    ]
    assert summarize_mood(points, infusions, START, day(9)) == (
        "Your mood averaged 6.2 over these 10 days (logged on 3), from a low of 3 to a high of 9, "
        "with 2 infusions."
    )


def test_mood_one_infusion_every_day_and_steady() -> None:
    points = [MoodPoint(day(n), 5) for n in range(3)]
    assert summarize_mood(points, [InfusionMark(day(1), "Booster")], START, day(2)) == (
        "Your mood averaged 5.0 over these 3 days (logged every day), steady at 5, with 1 infusion."
    )


def test_mood_rising_trend() -> None:
    # First week: 3, 4 (mean 3.5); last week: 5, 6 (mean 5.5).
    points = [MoodPoint(day(0), 3), MoodPoint(day(1), 4), MoodPoint(day(12), 5)]
    points.append(MoodPoint(day(13), 6))
    assert summarize_mood(points, [], START, day(13)) == (
        "Your mood averaged 4.5 over these 14 days (logged on 4), from a low of 3 to a high of 6; "
        "it was rising, from a 7-day average of 3.5 in the first week to 5.5 in the last."
    )


def test_mood_falling_trend_with_infusions() -> None:
    points = [
        MoodPoint(day(0), 7),
        MoodPoint(day(3), 7),
        MoodPoint(day(25), 6),
        MoodPoint(day(29), 5),
    ]
    infusions = [InfusionMark(day(10), "Induction 1")]
    assert summarize_mood(points, infusions, START, day(29)) == (
        "Your mood averaged 6.2 over these 30 days (logged on 4), from a low of 5 to a high of 7, "
        "with 1 infusion; it was falling, from a 7-day average of 7.0 in the first week to 5.5 "
        "in the last."
    )


def test_mood_trend_needs_a_whole_point() -> None:
    # 7.0 then 6.1: a change of 0.9 is not mentioned.
    points = [MoodPoint(day(0), 7), MoodPoint(day(1), 7), MoodPoint(day(12), 6.2)]
    points.append(MoodPoint(day(13), 6))
    assert "falling" not in summarize_mood(points, [], START, day(13))
    # Exactly one point is enough.
    points[-1] = MoodPoint(day(13), 5.8)
    assert "falling, from a 7-day average of 7.0" in summarize_mood(points, [], START, day(13))


def test_mood_trend_needs_two_logged_days_in_each_week_and_two_weeks() -> None:
    points = [MoodPoint(day(0), 2), MoodPoint(day(12), 8), MoodPoint(day(13), 8)]
    assert "rising" not in summarize_mood(points, [], START, day(13))
    short = [MoodPoint(day(0), 2), MoodPoint(day(1), 2), MoodPoint(day(11), 8)]
    short.append(MoodPoint(day(12), 8))
    assert "rising" not in summarize_mood(short, [], START, day(12))


# --- questionnaires ------------------------------------------------------------------------------


def test_questionnaire_none() -> None:
    assert summarize_questionnaire(PHQ9, [], None) == "Take a PHQ-9 to see this chart."
    assert summarize_questionnaire(GAD7, [], None) == "Take a GAD-7 to see this chart."


def test_questionnaire_one_reading() -> None:
    readings = [ScoreReading(date(2026, 11, 3), 19)]
    assert summarize_questionnaire(PHQ9, readings, 19) == (
        "Your PHQ-9 was 19 (moderately severe) on Tue 3 Nov. "
        "Take another in two weeks to see the trend."
    )


def test_questionnaire_response_and_remission() -> None:
    readings = [ScoreReading(day(20), 4), ScoreReading(day(0), 19)]
    assert summarize_questionnaire(PHQ9, readings, 19) == (
        "Your latest PHQ-9 is 4 (minimal), down 15 points (−79%) from your baseline of 19: "
        "that is a response and remission."
    )


def test_questionnaire_response_only() -> None:
    readings = [ScoreReading(day(0), 20), ScoreReading(day(14), 10)]
    assert summarize_questionnaire(PHQ9, readings, 20) == (
        "Your latest PHQ-9 is 10 (moderate), down 10 points (−50%) from your baseline of 20: "
        "that is a response."
    )


def test_questionnaire_remission_only() -> None:
    readings = [ScoreReading(day(0), 6), ScoreReading(day(14), 4)]
    assert summarize_questionnaire(GAD7, readings, 6) == (
        "Your latest GAD-7 is 4 (minimal), down 2 points (−33%) from your baseline of 6: "
        "that is remission."
    )


def test_questionnaire_worse() -> None:
    readings = [ScoreReading(day(0), 12), ScoreReading(day(14), 13)]
    assert summarize_questionnaire(PHQ9, readings, 12) == (
        "Your latest PHQ-9 is 13 (moderate), up 1 point (+8%) from your baseline of 12."
    )


def test_questionnaire_unchanged_and_from_zero() -> None:
    same = [ScoreReading(day(0), 12), ScoreReading(day(14), 12)]
    assert summarize_questionnaire(PHQ9, same, 12) == (
        "Your latest PHQ-9 is 12 (moderate), the same as your baseline of 12."
    )
    from_zero = [ScoreReading(day(0), 0), ScoreReading(day(14), 3)]
    assert summarize_questionnaire(PHQ9, from_zero, 0) == (
        "Your latest PHQ-9 is 3 (minimal), up 3 points from your baseline of 0: that is remission."
    )


def test_questionnaire_latest_among_same_day_is_the_later_in_the_input() -> None:
    readings = [ScoreReading(day(0), 19), ScoreReading(day(14), 12), ScoreReading(day(14), 9)]
    assert summarize_questionnaire(PHQ9, readings, 19).startswith(
        "Your latest PHQ-9 is 9 (mild), down 10 points (−53%)"
    )


def test_questionnaire_several_readings_without_baseline() -> None:
    readings = [ScoreReading(date(2026, 11, 3), 19), ScoreReading(date(2026, 11, 17), 14)]
    assert summarize_questionnaire(PHQ9, readings, None) == (
        "Your latest PHQ-9 is 14 (moderate), on Tue 17 Nov."
    )


# --- response ------------------------------------------------------------------------------------

ROSE = ((-3, 4.0), (-1, 4.0), (1, 7.0), (2, 6.0))
FELL = ((-2, 6.0), (1, 5.0))
UNCOMPARED = ((1, 7.0), (5, 6.0))


def test_response_none() -> None:
    expected = (
        "Log an infusion and your mood on the days around it to see how each infusion worked."
    )
    assert summarize_response([], None) == expected
    assert summarize_response([ResponseSeries("Induction 1", (), None)], 9.0) == expected


def test_response_counts_and_median() -> None:
    series = [ResponseSeries(f"Infusion {n}", ROSE, 9) for n in range(4)]
    series.append(ResponseSeries("Infusion 5", FELL, 2))
    assert summarize_response(series, 9.0) == (
        "5 infusions shown; mood rose after 4 of them. Your infusions lasted about 9 days (median)."
    )


def test_response_without_median() -> None:
    series = [ResponseSeries("A", ROSE, None), ResponseSeries("B", FELL, None)]
    assert summarize_response(series, None) == "2 infusions shown; mood rose after 1 of them."


@pytest.mark.parametrize(("median", "shown"), [(8.5, 9), (9.4, 9), (10.5, 11), (1.0, 1)])
def test_response_median_rounds_half_up(median: float, shown: int) -> None:
    text = summarize_response([ResponseSeries("A", ROSE, None)], median)
    unit = "day" if shown == 1 else "days"
    assert text.endswith(f" Your infusions lasted about {shown} {unit} (median).")


def test_response_single_infusion() -> None:
    assert summarize_response([ResponseSeries("A", ROSE, None)], None) == (
        "1 infusion shown; mood rose after it."
    )
    assert summarize_response([ResponseSeries("A", FELL, None)], None) == (
        "1 infusion shown; mood did not rise after it."
    )


def test_response_some_without_mood_on_both_sides() -> None:
    series = [
        ResponseSeries("A", ROSE, None),
        ResponseSeries("B", FELL, None),
        ResponseSeries("C", UNCOMPARED, None),
    ]
    assert summarize_response(series, None) == (
        "3 infusions shown; mood rose after 1 of the 2 with mood logged before and after."
    )


def test_response_none_comparable() -> None:
    assert summarize_response([ResponseSeries("C", UNCOMPARED, None)], None) == (
        "1 infusion shown; log your mood on the 3 days before and after an infusion to compare."
    )


# --- wellbeing -----------------------------------------------------------------------------------


def test_wellbeing_nothing_logged() -> None:
    expected = "Log sleep, anxiety, energy or pain in your check-in to see this chart."
    assert summarize_wellbeing([]) == expected
    assert summarize_wellbeing([WellbeingDay(day(0), None, None, None, None)]) == expected


def test_wellbeing_everything() -> None:
    days = [
        WellbeingDay(day(0), 7.0, 4, 5, 1),
        WellbeingDay(day(1), 6.8, 5, 6, 2),
        WellbeingDay(day(2), None, 4, None, 1),
    ]
    assert summarize_wellbeing(days) == (
        "You slept 6.9 hours on average; anxiety averaged 4.3, energy 5.5 and pain 1.3."
    )


def test_wellbeing_sleep_only() -> None:
    assert summarize_wellbeing([WellbeingDay(day(0), 8.0, None, None, None)]) == (
        "You slept 8.0 hours on average."
    )


def test_wellbeing_ratings_only() -> None:
    days = [WellbeingDay(day(0), None, None, 6, 2)]
    assert summarize_wellbeing(days) == "Energy averaged 6.0 and pain 2.0."
    assert summarize_wellbeing([WellbeingDay(day(0), None, 3, None, None)]) == (
        "Anxiety averaged 3.0."
    )


# --- side effects --------------------------------------------------------------------------------


def test_side_effects_none_answered() -> None:
    assert summarize_side_effects([]) == "Answer a post-infusion check to see side effects here."


def test_side_effects_strongest_and_dissociation() -> None:
    rows = [SideEffectRow(f"Induction {n}", {"nausea": 1, "headache": 1}, n) for n in range(1, 6)]
    rows.append(SideEffectRow("Induction 6", {"nausea": 2, "dizziness": 1}, 7))
    assert summarize_side_effects(rows) == (
        "Across 6 infusions the strongest side effect was moderate nausea; "
        "dissociation peaked at 7/10."
    )


def test_side_effects_ties_are_all_named() -> None:
    rows = [
        SideEffectRow("A", {"bladder": 3, "nausea": 1}, None),
        SideEffectRow("B", {"blurred_vision": 3}, 0),
    ]
    assert summarize_side_effects(rows) == (
        "Across 2 infusions the strongest side effects were severe blurred vision and "
        "severe bladder discomfort."
    )


def test_side_effects_one_infusion() -> None:
    rows = [SideEffectRow("A", {"drowsiness": 1}, None)]
    assert summarize_side_effects(rows) == (
        "After 1 infusion the strongest side effect was mild drowsiness."
    )


def test_side_effects_none_reported() -> None:
    rows = [SideEffectRow(f"I{n}", {"nausea": 0}, None if n else 0) for n in range(3)]
    assert summarize_side_effects(rows) == "No side effects reported after 3 infusions."
    assert summarize_side_effects([SideEffectRow("A", {}, None)]) == (
        "No side effects reported after 1 infusion."
    )


def test_side_effects_dissociation_only() -> None:
    rows = [SideEffectRow("A", {}, 4), SideEffectRow("B", {"nausea": 0}, 2)]
    assert summarize_side_effects(rows) == (
        "No side effects reported after 2 infusions; dissociation peaked at 4/10."
    )


# --- worded for the clinician's summary ----------------------------------------------------------


def test_clinician_wording_has_no_your_and_no_advice() -> None:
    points = [MoodPoint(day(0), 4), MoodPoint(day(1), 6)]
    mood = summarize_mood(points, [], START, day(1), for_clinician=True)
    assert (
        mood
        == "Mood averaged 5.0 over these 2 days (logged every day), from a low of 4 to a high of 6."
    )
    assert summarize_mood(points[:1], [], START, day(1), for_clinician=True) == (
        "Mood was logged on fewer than two days in this period."
    )
    assert summarize_questionnaire(PHQ9, [], None, for_clinician=True) == "No PHQ-9 in this period."
    one = [ScoreReading(date(2026, 11, 3), 19)]
    assert summarize_questionnaire(PHQ9, one, 19, for_clinician=True) == (
        "One PHQ-9 in this period: 19 (moderately severe) on Tue 3 Nov."
    )
    two = [ScoreReading(day(20), 4), ScoreReading(day(0), 19)]
    assert summarize_questionnaire(PHQ9, two, 19, for_clinician=True) == (
        "Latest PHQ-9 is 4 (minimal), down 15 points (−79%) from the baseline of 19: "
        "that is a response and remission."
    )
    same = [ScoreReading(day(0), 12), ScoreReading(day(14), 12)]
    assert "the same as the baseline of 12" in summarize_questionnaire(
        PHQ9, same, 12, for_clinician=True
    )


def test_response_says_when_older_infusions_are_left_out() -> None:
    series = [ResponseSeries(f"Booster {n}", ROSE, None) for n in range(1, 9)]
    assert summarize_response(series, None, left_out=4) == (
        "The latest 8 of 12 infusions shown; mood rose after 8 of them."
    )
