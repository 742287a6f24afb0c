"""The clinician summary computed from made cases, with a fixed `now` and every figure by hand.

NOW is 2026-06-30 15:00 UTC, 11:00 in New York (EDT, UTC-4), so the patients' today is Tue 30 Jun
2026. A 30-day period is then 1 Jun to 30 Jun (30 - 29 = 1), a 90-day one 2 Apr to 30 Jun.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from companion.api.summary_page import answered_line
from companion.api.summary_page import outcome_cells as outcome_item
from companion.api.summary_page import whose as _whose
from companion.clinical import (
    INSTRUMENTS,
    safety_kind_for_checkin,
    safety_kind_for_phq9,
    score,
)
from companion.clinical.checkin import validate_checkin
from companion.clinical.infusion_input import validate_infusion, validate_post_check
from companion.data import accounts, checkins, infusions, questionnaires, safety
from companion.localtime import zone
from companion.summary import SafetyRow, build_clinician_summary
from tests.conftest import make_patient

NOW = datetime(2026, 6, 30, 15, 0, tzinfo=UTC)
TODAY = date(2026, 6, 30)
NY = "America/New_York"

PASSING = "Passing suicidal thoughts (daily check-in)"
INTENT = "Suicidal thoughts with intent or plan (daily check-in)"
ITEM9 = "PHQ-9 item 9 answered above 0 (thoughts of being better off dead or of self-harm)"


def _d(text: str) -> date:
    return date.fromisoformat(text)


def _checkin(session, patient_id, day, mood, note="", thoughts="none"):
    """Saved as the check-in handler saves it, safety event included."""
    raw = {"day": day, "mood": mood, "note": note, "suicidal_thoughts": thoughts}
    entry = validate_checkin(raw, TODAY)
    row = checkins.save_checkin(session, patient_id, entry)
    kind = safety_kind_for_checkin(entry.suicidal_thoughts)
    if kind is not None:
        safety.record_safety_event(session, patient_id, entry.day, kind, "checkin", row.id)
    return row


def _moods(session, patient_id, moods: dict[str, int]) -> None:
    for day, mood in moods.items():
        _checkin(session, patient_id, day, mood)


def _infusion(session, patient_id, tz, day, time="09:30", route="iv", dose=None, unit=None):
    """`day` and `time` are the patient's local ones, as typed in the form."""
    raw = {"date": day, "time": time, "route": route}
    if dose is not None:
        raw |= {"dose_value": dose, "dose_unit": unit}
    return infusions.add_infusion(session, patient_id, validate_infusion(raw, NOW, zone(tz)))


def _post_check(session, patient_id, infusion, timepoint, **ratings):
    entry = validate_post_check({"timepoint": timepoint, **ratings})
    assert infusions.save_post_check(session, patient_id, infusion.id, entry) is not None


def _answers(count: int, total: int, item9: int | None) -> list[int]:
    """`count` answers adding up to `total`, 3s from the front; a PHQ-9's item 9 set apart."""
    fixed = [] if item9 is None else [item9]
    left = total - sum(fixed)
    free = []
    for _ in range(count - len(fixed)):
        free.append(min(3, left))
        left -= free[-1]
    assert left == 0
    return free + fixed


def _questionnaire(session, patient_id, key, day, total, item9=0):
    """Saved as the questionnaire handler saves it, the item-9 safety event included."""
    instrument = INSTRUMENTS[key]
    answers = _answers(len(instrument.items), total, item9 if key == "phq9" else None)
    result = score(instrument, answers)
    row = questionnaires.save_response(session, patient_id, result, _d(day))
    if key == "phq9" and safety_kind_for_phq9(answers):
        safety.record_safety_event(session, patient_id, _d(day), "phq9_item9", "phq9", row.id)
    return row


def _summary(session, patient_id, days=30, notes=False, label="Last 30 days"):
    return build_clinician_summary(session, patient_id, label, days, notes, now=NOW)


def _june_series(session, patient_id):
    """Four infusions in New York with moods around each; the arithmetic is in the test below.

    Infusions (local): Mon 1 Jun 09:30, Wed 10 Jun 09:30, Mon 22 Jun 09:30, Fri 26 Jun 14:15.
    """
    _moods(
        session,
        patient_id,
        {
            # Before 1 Jun, then after it.
            "2026-05-29": 3,
            "2026-05-30": 4,
            "2026-05-31": 5,
            "2026-06-02": 7,
            "2026-06-03": 8,
            "2026-06-04": 6,
            "2026-06-05": 4,
            "2026-06-06": 2,
            # Before 10 Jun (8 Jun not logged), then after it (13 Jun not logged).
            "2026-06-07": 3,
            "2026-06-09": 4,
            "2026-06-11": 8,
            "2026-06-12": 9,
            "2026-06-14": 5,
            "2026-06-15": 4,
            "2026-06-16": 1,
            # Before 22 Jun (20 Jun not logged), then after it = before 26 Jun.
            "2026-06-19": 5,
            "2026-06-21": 5,
            "2026-06-23": 6,
            "2026-06-24": 7,
            "2026-06-25": 8,
            # After 26 Jun, up to today.
            "2026-06-27": 9,
            "2026-06-28": 9,
            "2026-06-29": 9,
            "2026-06-30": 9,
        },
    )
    first = _infusion(session, patient_id, NY, "2026-06-01", dose="0.5", unit="mg/kg")
    second = _infusion(session, patient_id, NY, "2026-06-10", dose="0.75", unit="mg/kg")
    third = _infusion(session, patient_id, NY, "2026-06-22")
    fourth = _infusion(
        session, patient_id, NY, "2026-06-26", "14:15", route="esketamine", dose="56", unit="mg"
    )
    # First infusion: two checks; the worst of each side effect over both, the highest
    # dissociation (6 of 6 and 2).
    _post_check(session, patient_id, first, "evening", nausea=2, headache=1, dissociation=6)
    _post_check(session, patient_id, first, "24h", nausea=1, dizziness=1, dissociation=2)
    # Second infusion: a check with nothing above none.
    _post_check(session, patient_id, second, "evening", dissociation=0)
    return first, second, third, fourth


# --- 1. Period limits ------------------------------------------------------------------------


def test_the_period_keeps_only_its_own_days_on_the_patients_calendar(session):
    patient = make_patient(session, "ny@example.com", NY)
    # The day before the period (31 May) and days inside it (1 Jun is its first day).
    _checkin(session, patient.id, "2026-05-31", 2, note="before the period")
    _checkin(session, patient.id, "2026-06-01", 5, note="first day")
    _checkin(session, patient.id, "2026-06-15", 6)
    _checkin(session, patient.id, "2026-06-20", 7, note="mid month")
    _checkin(session, patient.id, "2026-06-30", 8, note="today")
    # 31 May 22:30 in New York is 1 Jun 02:30 UTC: still the patient's 31 May, so outside.
    _infusion(session, patient.id, NY, "2026-05-31", time="22:30")
    # 1 Jun 00:30 in New York (04:30 UTC): the period's first day, inside.
    _infusion(session, patient.id, NY, "2026-06-01", time="00:30")
    # Today 18:00 in New York is 22:00 UTC, after NOW (15:00 UTC): planned, not given.
    _infusion(session, patient.id, NY, "2026-06-30", time="18:00")
    # A PHQ-9 before the period only.
    _questionnaire(session, patient.id, "phq9", "2026-05-31", 18)

    summary = _summary(session, patient.id, days=30)
    assert (summary.start, summary.end) == (_d("2026-06-01"), _d("2026-06-30"))
    assert summary.timezone == NY and summary.generated_at == NOW
    # 1 Jun .. 30 Jun inclusive = 30 days; logged 1, 15, 20 and 30 Jun = 4 (31 May is out).
    assert (summary.days_logged, summary.days_in_period) == (4, 30)
    assert [row.day for row in summary.infusions] == [_d("2026-06-01")]
    [row] = summary.infusions
    assert row.when == "Mon 1 Jun 2026 00:30"
    # Of 29-31 May only 31 May (mood 2) is logged: before = 2 / 1 = 2.0 (the day before the
    # period still counts for an infusion in it), and one day is fewer than the two the
    # pre-infusion level needs, so durability is "not enough data".
    assert (row.mood_before, row.durability) == (2.0, "not enough data")
    assert summary.notes is None
    # Notes newest first, only in the period and only non-empty ones (15 Jun has none).
    with_notes = _summary(session, patient.id, days=30, notes=True)
    assert [(n.day, n.text) for n in with_notes.notes] == [
        (_d("2026-06-30"), "today"),
        (_d("2026-06-20"), "mid month"),
        (_d("2026-06-01"), "first day"),
    ]
    # Mood in the period: 5, 6, 7, 8 -> mean 26 / 4 = 6.5, low 5, high 8; one infusion given
    # (the planned one does not count); no trend: the first week (1-7 Jun) has one logged day.
    assert summary.mood_summary == (
        "Mood averaged 6.5 over these 30 days (logged on 4), "
        "from a low of 5 to a high of 8, with 1 infusion."
    )
    assert summary.phq9_summary == "No PHQ-9 in this period."
    assert summary.charts.phq9_readings == [] and summary.charts.mood_points != []

    # All data starts at the first logged day, 31 May: 31 days, 5 logged, both infusions given.
    everything = _summary(session, patient.id, days=None, label="All data")
    assert (everything.start, everything.days_in_period, everything.days_logged) == (
        _d("2026-05-31"),
        31,
        5,
    )
    assert [row.day for row in everything.infusions] == [_d("2026-05-31"), _d("2026-06-01")]


# --- 2 and 3. The infusion table and the median durability -----------------------------------


def test_infusion_rows_moods_phases_doses_side_effects_and_durability(session):
    patient = make_patient(session, "series@example.com", NY)
    _june_series(session, patient.id)

    summary = _summary(session, patient.id, days=90, label="Last 90 days")
    rows = summary.infusions
    assert [r.when for r in rows] == [
        "Mon 1 Jun 2026 09:30",
        "Wed 10 Jun 2026 09:30",
        "Mon 22 Jun 2026 09:30",
        # 14:15 in New York (18:15 UTC): the local clock is shown.
        "Fri 26 Jun 2026 14:15",
    ]
    # 1 Jun starts the series; 10 Jun is day 9 and 22 Jun day 21 (the last day of induction,
    # inclusive); 26 Jun is day 25, past 21: the first booster.
    assert [r.phase for r in rows] == ["Induction 1", "Induction 2", "Induction 3", "Booster 1"]
    assert [r.route for r in rows] == ["IV infusion"] * 3 + ["Intranasal esketamine"]
    assert [r.dose for r in rows] == ["0.5 mg/kg", "0.75 mg/kg", "", "56 mg"]
    # Before = mean of days -3..-1, after = mean of days +1..+3, logged days only:
    # 1 Jun:  (3 + 4 + 5) / 3 = 4.0;   (7 + 8 + 6) / 3 = 7.0
    # 10 Jun: (3 + 4) / 2 = 3.5;        (8 + 9) / 2 = 8.5
    # 22 Jun: (5 + 5) / 2 = 5.0;        (6 + 7 + 8) / 3 = 7.0
    # 26 Jun: (6 + 7 + 8) / 3 = 7.0;    (9 + 9 + 9) / 3 = 9.0
    assert [(r.mood_before, r.mood_after) for r in rows] == [
        (4.0, 7.0),
        (3.5, 8.5),
        (5.0, 7.0),
        (7.0, 9.0),
    ]
    # Worst over the two checks: nausea 2 (moderate), dizziness 1, headache 1 (mild, in the
    # side-effect order), dissociation max(6, 2) = 6. All zero reads "None reported".
    assert [r.side_effects for r in rows] == [
        "Moderate nausea, mild dizziness, mild headache; dissociation 6/10",
        "None reported",
        "No check answered",
        "No check answered",
    ]
    # Durability, the 3-day mean of days max(1, k-2)..k against the pre-infusion level:
    # 1 Jun (level 4): k=4 (8+6+4)/3 = 6; k=5 (6+4+2)/3 = 4 <= 4 -> fell back, 5 days.
    # 10 Jun (level 3.5): k=5 (5+4)/2 = 4.5; k=6 (5+4+1)/3 = 3.33 <= 3.5 -> 6 days.
    # 22 Jun (level 5): 6, 6.5, 7 on days 1-3, then 26 Jun came: lower bound 4 days.
    # 26 Jun (level 7): 9 on each of days 1-4 up to today: still above, 4 days logged.
    assert [r.durability for r in rows] == [
        "5 days",
        "6 days",
        "next infusion came first (4+ days)",
        "still above (4+ days)",
    ]
    # Median of the fell-back ones only: (5 + 6) / 2 = 5.5.
    assert summary.median_durability == 5.5


def test_median_durability_is_the_patients_own_over_every_infusion(session):
    patient = make_patient(session, "older@example.com", NY)
    _june_series(session, patient.id)
    # An older infusion on Wed 1 Apr whose benefit lasted 20 days: level (3 + 3 + 3) / 3 = 3;
    # days 1-17 at 8, days 18-20 at 3: k=19 (8+3+3)/3 = 4.67 > 3, k=20 (3+3+3)/3 = 3 -> 20 days.
    _moods(session, patient.id, {f"2026-03-{d}": 3 for d in (29, 30, 31)})
    _moods(session, patient.id, {f"2026-04-{d:02d}": 8 for d in range(2, 19)})
    _moods(session, patient.id, {f"2026-04-{d:02d}": 3 for d in range(19, 22)})
    _infusion(session, patient.id, NY, "2026-04-01")

    # 90 days back from 30 Jun is 2 Apr: 1 Apr is one day outside the table, but the median is
    # the patient's own, as on Today, Trends and the CSV: of 5, 6 and 20 = 6.0.
    last_90 = _summary(session, patient.id, days=90, label="Last 90 days")
    assert last_90.start == _d("2026-04-02")
    assert [r.durability for r in last_90.infusions][:2] == ["5 days", "6 days"]
    assert len(last_90.infusions) == 4 and last_90.median_durability == 6.0
    # The older infusion still sets the phases: 1 Jun is 61 days after 1 Apr (one series, as
    # the gap is under 90 days, and past day 21), so the June ones are boosters 1-4.
    assert [r.phase for r in last_90.infusions] == [f"Booster {n}" for n in (1, 2, 3, 4)]
    everything = _summary(session, patient.id, days=None, label="All data")
    assert everything.infusions[0].durability == "20 days"
    assert everything.median_durability == 6.0
    # When a booster may be due: the last infusion (26 Jun) is still above its level after
    # 4 days; 26 Jun + 6 days is Thu 2 Jul.
    assert last_90.booster_line == (
        "Mood is still above its pre-infusion level 4 days after the last infusion (Fri 26 Jun); "
        "at the median durability of 6 days a booster may be due around Thu 2 Jul. "
        "No infusion planned."
    )


# --- 4 and 5. Outcomes and the wording ---------------------------------------------------------


def _treated_patient(session):
    """First infusion Mon 1 Jun; PHQ-9s 20, 18, 16 up to it, then 10 and 8; GAD-7s 12 and 4."""
    patient = make_patient(session, "treated@example.com", NY)
    _infusion(session, patient.id, NY, "2026-06-01", dose="0.5", unit="mg/kg")
    for day, total in [
        ("2026-05-20", 20),
        ("2026-05-31", 18),
        ("2026-06-01", 16),  # the infusion day counts as before it
        ("2026-06-15", 10),
        ("2026-06-29", 8),
    ]:
        _questionnaire(session, patient.id, "phq9", day, total)
    _questionnaire(session, patient.id, "gad7", "2026-05-30", 12)
    _questionnaire(session, patient.id, "gad7", "2026-06-20", 4)
    return patient


def test_outcomes_baseline_latest_change_response_and_remission(session):
    patient = _treated_patient(session)
    phq9, gad7 = _summary(session, patient.id).outcomes

    assert phq9.name == "PHQ-9"
    # Baseline: the last PHQ-9 on or before the first infusion day (1 Jun) = 16 on 1 Jun.
    assert (phq9.baseline_total, phq9.baseline_day, phq9.pretreatment) == (
        16,
        _d("2026-06-01"),
        True,
    )
    assert (phq9.latest_total, phq9.latest_day, phq9.latest_severity) == (
        8,
        _d("2026-06-29"),
        "mild",
    )
    # 8 - 16 = -8; -8 / 16 = -50.0%; response: 8 * 2 = 16 <= 16 (exactly half counts);
    # remission: 8 is not below 5.
    assert (phq9.change, phq9.percent_change, phq9.response, phq9.remission) == (
        -8,
        -50.0,
        True,
        False,
    )
    assert phq9.meaningful is True

    assert gad7.name == "GAD-7"
    assert (gad7.baseline_total, gad7.baseline_day, gad7.pretreatment) == (
        12,
        _d("2026-05-30"),
        True,
    )
    assert (gad7.latest_total, gad7.latest_severity) == (4, "minimal")
    # 4 - 12 = -8; -8 / 12 = -66.67 -> -66.7%; 4 * 2 = 8 <= 12: response; 4 < 5: remission.
    assert (gad7.change, gad7.percent_change, gad7.response, gad7.remission) == (
        -8,
        -66.7,
        True,
        True,
    )

    shown = outcome_item(phq9)
    assert shown.baseline == "16 on Mon 1 Jun 2026"
    assert shown.latest == "8 (mild) on Mon 29 Jun 2026"
    assert (shown.change, shown.percent, shown.response, shown.remission) == (
        "−8",  # a true minus sign, as in print
        "−50%",
        "Yes",
        "No",
    )


def test_baseline_after_the_first_infusion_is_not_pretreatment(session):
    patient = make_patient(session, "late@example.com", NY)
    _infusion(session, patient.id, NY, "2026-06-01")
    _questionnaire(session, patient.id, "phq9", "2026-06-10", 15)
    _questionnaire(session, patient.id, "phq9", "2026-06-24", 9)

    phq9, gad7 = _summary(session, patient.id).outcomes
    # No PHQ-9 on or before 1 Jun: the first one (15 on 10 Jun) stands in.
    assert (phq9.baseline_total, phq9.baseline_day, phq9.pretreatment) == (
        15,
        _d("2026-06-10"),
        False,
    )
    # 9 - 15 = -6; -6 / 15 = -40.0%; 9 * 2 = 18 > 15: no response; 9 >= 5: no remission.
    assert (phq9.change, phq9.percent_change, phq9.response, phq9.remission) == (
        -6,
        -40.0,
        False,
        False,
    )
    assert outcome_item(phq9).baseline == "15 on Wed 10 Jun 2026 (no pre-treatment baseline)"
    assert gad7.baseline_total is None and outcome_item(gad7).baseline == "None taken"


def test_before_any_infusion_the_baseline_is_pretreatment(session):
    patient = make_patient(session, "waiting@example.com", NY)
    # Only a planned infusion (Tue 7 Jul): not given, so treatment has not started.
    _infusion(session, patient.id, NY, "2026-07-07")
    _questionnaire(session, patient.id, "phq9", "2026-06-05", 14)
    _questionnaire(session, patient.id, "phq9", "2026-06-19", 12)

    summary = _summary(session, patient.id)
    phq9 = summary.outcomes[0]
    # With no infusion yet the latest is the baseline: 12 on 19 Jun, nothing to compare.
    assert (phq9.baseline_total, phq9.baseline_day, phq9.pretreatment) == (
        12,
        _d("2026-06-19"),
        True,
    )
    assert (phq9.change, phq9.percent_change, phq9.response, phq9.remission) == (
        None,
        None,
        None,
        None,
    )
    shown = outcome_item(phq9)
    assert shown.baseline == "12 on Fri 19 Jun 2026"
    assert "pre-treatment" not in shown.baseline
    assert (shown.change, shown.percent, shown.response) == ("—", "—", "—")
    assert summary.infusions == [] and summary.median_durability is None
    # Not "the same as the baseline of 12": before treatment nothing is compared.
    assert summary.phq9_summary == "Latest PHQ-9 is 12 (moderate), on Fri 19 Jun."


def test_summaries_are_worded_for_the_clinician(session):
    patient = _treated_patient(session)
    _moods(session, patient.id, {"2026-06-02": 6, "2026-06-03": 7})

    summary = _summary(session, patient.id)
    # In the period (1-30 Jun): PHQ-9s 16, 10, 8; baseline 16: 8 - 16 = -8 points, -50%.
    assert summary.phq9_summary == (
        "Latest PHQ-9 is 8 (mild), down 8 points (−50%) from the baseline of 16: "
        "that is a response."
    )
    # (6 + 7) / 2 = 6.5; the infusion on 1 Jun is in the period.
    assert summary.mood_summary == (
        "Mood averaged 6.5 over these 30 days (logged on 2), "
        "from a low of 6 to a high of 7, with 1 infusion."
    )
    # The last 7 days (24-30 Jun) hold one PHQ-9 and no mood.
    week = _summary(session, patient.id, days=7, label="Last 7 days")
    assert week.phq9_summary == "One PHQ-9 in this period: 8 (mild) on Mon 29 Jun."
    assert week.mood_summary == "Mood was logged on fewer than two days in this period."
    # One infusion on 1 Jun, 29 days before 30 Jun: past the 21-day induction, so maintenance.
    assert summary.status_line == "Maintenance: 29 days since the last infusion"
    for text in (summary.phq9_summary, summary.mood_summary, week.phq9_summary):
        assert "your" not in text.lower()


# --- 6. Safety events --------------------------------------------------------------------------


def test_safety_events_with_their_labels_newest_first_in_the_period_only(session):
    patient = make_patient(session, "safety@example.com", NY)
    _checkin(session, patient.id, "2026-05-31", 3, thoughts="intent")  # the day before
    _checkin(session, patient.id, "2026-06-01", 4, thoughts="passing")
    _checkin(session, patient.id, "2026-06-20", 6, thoughts="none")  # no event
    _questionnaire(session, patient.id, "phq9", "2026-06-12", 11, item9=1)
    _questionnaire(session, patient.id, "phq9", "2026-06-25", 9, item9=0)  # no event

    assert _summary(session, patient.id).safety == [
        SafetyRow(_d("2026-06-12"), ITEM9),
        SafetyRow(_d("2026-06-01"), PASSING),
    ]
    # The 30-day period never reads as a clean record: the event before it is named.
    assert _summary(session, patient.id).safety_before == (
        f"Before this period: 1 safety event. Most recent: Sun 31 May 2026, {INTENT}."
    )
    everything = _summary(session, patient.id, days=None, label="All data")
    # Thoughts with intent or plan come first and are marked, then the rest newest first.
    assert everything.safety == [
        SafetyRow(_d("2026-05-31"), INTENT, urgent=True),
        SafetyRow(_d("2026-06-12"), ITEM9),
        SafetyRow(_d("2026-06-01"), PASSING),
    ]
    assert everything.safety_before == ""


def test_the_summary_says_how_often_the_question_was_answered(session):
    patient = make_patient(session, "answered@example.com", NY)
    # 30 days (1-30 Jun): mood only on three days, "none" on two.
    for day in ("2026-06-02", "2026-06-03", "2026-06-04"):
        _checkin(session, patient.id, day, 6, thoughts=None)
    summary = _summary(session, patient.id)
    assert summary.safety_answered_days == 0 and summary.safety == []
    assert answered_line(summary) == (
        "The suicidal-thoughts question was not answered on any of the 30 days."
    )
    _checkin(session, patient.id, "2026-06-10", 6, thoughts="none")
    _checkin(session, patient.id, "2026-06-11", 5, thoughts="none")
    summary = _summary(session, patient.id)
    # Never "None recorded" when most days went unanswered.
    assert answered_line(summary) == "No safety events on the 2 days answered of 30."
    _checkin(session, patient.id, "2026-06-12", 3, thoughts="passing")
    summary = _summary(session, patient.id)
    assert answered_line(summary) == (
        "The suicidal-thoughts question was answered on 3 days of 30."
    )


# --- 7. Another patient's rows -----------------------------------------------------------------


def _visible(summary):
    """Every part of the summary that comes from rows, figures included."""
    return (
        summary.start,
        summary.status_line,
        summary.safety,
        summary.safety_before,
        summary.outcomes,
        summary.infusions,
        summary.median_durability,
        summary.days_logged,
        summary.notes,
        summary.mood_summary,
        summary.phq9_summary,
        summary.charts,
    )


def test_another_patients_rows_never_appear(session):
    patient = make_patient(session, "mine@example.com", NY)
    _june_series(session, patient.id)
    _checkin(session, patient.id, "2026-06-17", 6, note="my note")
    _questionnaire(session, patient.id, "phq9", "2026-05-31", 17)
    _questionnaire(session, patient.id, "phq9", "2026-06-28", 7)
    before = _visible(_summary(session, patient.id, notes=True))

    # Someone else, on the same days: moods, notes, infusions, checks, questionnaires, events.
    other = make_patient(session, "theirs@example.com", "UTC")
    for day in ("2026-05-30", "2026-06-02", "2026-06-08", "2026-06-13", "2026-06-18"):
        _checkin(session, other.id, day, 1, note="their note", thoughts="intent")
    given = _infusion(session, other.id, "UTC", "2026-06-05", dose="1", unit="mg/kg")
    _post_check(session, other.id, given, "evening", bladder=3, dissociation=9)
    _infusion(session, other.id, "UTC", "2026-06-12")
    _questionnaire(session, other.id, "phq9", "2026-06-04", 27, item9=3)
    _questionnaire(session, other.id, "phq9", "2026-06-29", 25, item9=1)
    _questionnaire(session, other.id, "gad7", "2026-06-29", 21)

    mine = _summary(session, patient.id, notes=True)
    assert _visible(mine) == before
    assert "their note" not in [n.text for n in mine.notes]
    # The other patient's own summary does see their rows: the test data is in the period.
    theirs = _summary(session, other.id, notes=True)
    assert theirs.days_logged == 4 and len(theirs.safety) == 6
    assert theirs.infusions[0].side_effects == "Severe bladder discomfort; dissociation 9/10"


def test_the_summary_says_whose_it_is_only_as_the_patient_chose(session):
    patient = make_patient(session, "named@example.com", NY)
    summary = _summary(session, patient.id)
    assert (summary.patient_name, summary.clinic_name) == ("", "")
    assert _whose(summary.patient_name, summary.clinic_name) == (
        "Patient: no name given (shared without a name)"
    )
    accounts.update_profile(
        session,
        patient.id,
        timezone=NY,
        clinic_name="Lakeside Ketamine Clinic",
        clinic_phone="",
        summary_name="Alex M.",
    )
    summary = _summary(session, patient.id)
    assert _whose(summary.patient_name, summary.clinic_name) == (
        "Patient: Alex M. · Clinic: Lakeside Ketamine Clinic"
    )
