"""A PHQ-9 taken at the clinic and entered later counts for its own day (and as the baseline),
and the first-run set-up saves the clinic and the infusions so far, step by step."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from companion.clinical.infusion_input import validate_infusion
from companion.data import accounts, infusions
from companion.data.everything import load_everything
from companion.data.infusions import Infusion
from companion.data.questionnaires import QuestionnaireResponse
from companion.exports.personal import personal_json
from companion.localtime import zone
from companion.summary import build_today
from companion.ui.state.questionnaire import QuestionnaireState
from companion.ui.state.setup import SetupState
from tests.conftest import send_entry
from tests.state_helpers import events_text, make_state

MILD = [1, 1, 1, 1, 1, 1, 1, 1, 0]  # 8
SEVERE = [3, 3, 3, 3, 2, 2, 2, 2, 0]  # 20


def _phq9(answers, taken_on=None):
    form = {"instrument": "phq9", **{f"q{i}": str(a) for i, a in enumerate(answers, 1)}}
    if taken_on is not None:
        form["taken_on"] = taken_on
    return form


def _days_ago(days: int) -> str:
    return (datetime.now(UTC).date() - timedelta(days=days)).isoformat()


def _given(session, patient_id, days_ago: int) -> None:
    when = datetime.now(UTC) - timedelta(days=days_ago)
    entry = validate_infusion(
        {"date": when.date().isoformat(), "route": "iv"}, datetime.now(UTC), zone("UTC")
    )
    infusions.add_infusion(session, patient_id, entry)
    session.commit()


def test_a_clinic_phq9_entered_later_becomes_the_pretreatment_baseline(session, patient):
    _given(session, patient.id, 10)
    send_entry(patient, "questionnaire", _phq9(MILD))
    # Without it the only PHQ-9 is its own baseline: nothing to compare yet.
    assert build_today(session, patient.id).phq9 is None
    state = make_state(QuestionnaireState, patient.token)
    state.start("phq9")
    status, answer = send_entry(patient, "questionnaire", _phq9(SEVERE, _days_ago(12)))
    state.show_result()
    assert status == 200 and answer["message"].startswith("PHQ-9 saved for ")
    # The result shown is the one just entered, though an earlier day's.
    assert state.result_line == "PHQ-9 score: 20" and state.taken_line.endswith("entered later.")
    rows = session.exec(select(QuestionnaireResponse).order_by("day")).all()
    assert [(r.total, r.entered_later) for r in rows] == [(20, True), (8, False)]
    outcome = build_today(session, patient.id).phq9
    assert outcome is not None and outcome.pretreatment
    assert (outcome.baseline_total, outcome.latest_total, outcome.response) == (20, 8, True)
    # The patient's own export says which was entered later.
    export = json.loads(personal_json(load_everything(session, patient.id), datetime.now(UTC)))
    assert [q["entered_later"] for q in export["questionnaires"]] == [False, True]


@pytest.mark.parametrize(
    ("taken_on", "words"),
    [
        (_days_ago(-1), "can't be in the future"),
        (_days_ago(366), "up to a year ago"),
        ("12/11/2026", "must look like 2026-11-27"),
    ],
)
def test_a_date_out_of_range_is_refused_and_saves_nothing(session, patient, taken_on, words):
    status, answer = send_entry(patient, "questionnaire", _phq9(MILD, taken_on))
    assert status == 400 and answer["field"] == "taken_on" and words in answer["message"]
    assert session.exec(select(QuestionnaireResponse)).all() == []


def test_setup_saves_the_clinic_and_skips_or_refuses_step_by_step(session, patient):
    state = make_state(SetupState, patient.token)
    state.load()
    assert (state.step, state.step_line) == (0, "Step 1 of 4")
    state.save_clinic({"clinic_name": "Bright Clinic", "clinic_phone": "letters"})
    assert "digits" in state.error and state.step == 0
    assert accounts.get_patient(session, patient.id).clinic_phone == ""
    state.save_clinic({"clinic_name": " Bright Clinic ", "clinic_phone": "+1 555 0100"})
    session.expire_all()
    saved = accounts.get_patient(session, patient.id)
    assert (saved.clinic_name, saved.clinic_phone) == ("Bright Clinic", "+1 555 0100")
    state.go(2)
    state.go("9")
    assert state.step_title == "Your infusions"
    # Finish: on to Today, and opened again later it starts from the first step.
    assert "_redirect" in events_text(state.go(4)) and state.step_title == "Your clinic"


def test_setup_joins_mid_series_with_each_past_infusion_then_the_next(session, patient):
    state = make_state(SetupState, patient.token)
    state.load()
    assert state.phase_line == "Before treatment: no infusions yet"
    for days in (9, 6, 2):
        state.add_infusion({"date": _days_ago(days), "route": "iv"})
    assert state.phase_line == "Induction: infusion 3 of 6"
    state.add_infusion({"date": _days_ago(-2), "time": "10:00", "route": "iv"})
    assert state.message.startswith("Planned infusion on ")
    state.add_infusion({"date": _days_ago(800), "route": "iv"})
    assert "last two years" in state.error
    assert len(session.exec(select(Infusion)).all()) == 4
    assert state.baseline_line == ""
    send_entry(patient, "questionnaire", _phq9(SEVERE, _days_ago(10)))
    state.load()
    assert state.baseline_before_treatment and "Your baseline PHQ-9: 20" in state.baseline_line


def test_setup_handlers_refuse_without_a_session(session, patient):
    state = make_state(SetupState, None)
    for result in (
        state.load(),
        state.save_clinic({"clinic_name": "Evil", "clinic_phone": "1"}),
        state.add_infusion({"date": _days_ago(1), "route": "iv"}),
        state.go(1),
    ):
        assert "/login" in events_text(result)
    assert accounts.get_patient(session, patient.id).clinic_name == ""
    assert session.exec(select(Infusion)).all() == []
