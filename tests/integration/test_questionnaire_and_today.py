"""PHQ-9/GAD-7 saved through the entries API and shown by their page, and the Today page
built from the patient's rows."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from companion.clinical import score_phq9
from companion.clinical.infusion_input import validate_infusion
from companion.data import infusions, questionnaires
from companion.data.questionnaires import QuestionnaireResponse
from companion.data.safety import SafetyEvent
from companion.localtime import zone
from companion.summary import build_today
from companion.ui.state.questionnaire import QuestionnaireState
from companion.ui.state.today import TodayState
from tests.conftest import send_entry
from tests.state_helpers import make_state, over_socket


def _form(answers, difficulty=None, instrument="phq9"):
    form = {"instrument": instrument, **{f"q{i}": str(a) for i, a in enumerate(answers, 1)}}
    if difficulty is not None:
        form["difficulty"] = str(difficulty)
    return form


def _submit(patient, state, form):
    """Sent as the form sends it, then the page refreshed as outbox.js does."""
    status, answer = send_entry(patient, "questionnaire", form)
    state.show_result()
    return status, answer


def test_phq9_is_scored_on_the_server_and_stored(session, patient):
    state = make_state(QuestionnaireState, patient.token)
    state.start("phq9")
    status, answer = _submit(patient, state, _form([2, 2, 1, 2, 1, 1, 1, 0, 0], difficulty=1))
    assert (status, answer["total"], answer["message"]) == (
        200,
        10,
        "PHQ-9 saved: score 10 (moderate).",
    )
    assert state.submitted and state.result_line == "PHQ-9 score: 10"
    assert state.severity == "moderate" and not state.self_harm
    [row] = session.exec(select(QuestionnaireResponse)).all()
    assert (row.total, row.severity, row.difficulty, row.answer_list) == (
        10,
        "moderate",
        1,
        [2, 2, 1, 2, 1, 1, 1, 0, 0],
    )
    assert session.exec(select(SafetyEvent)).all() == []


def test_item9_above_zero_shows_crisis_and_records_a_safety_event(session, patient):
    state = make_state(QuestionnaireState, patient.token)
    state.start("phq9")
    _status, answer = _submit(patient, state, _form([0, 0, 0, 0, 0, 0, 0, 0, 1]))
    assert answer["self_harm"] is True
    assert state.total == 1 and state.severity == "minimal" and state.self_harm
    [event] = session.exec(select(SafetyEvent)).all()
    assert event.kind == "phq9_item9" and event.patient_id == patient.id


def test_gad7_scores_its_seven_items(session, patient):
    state = make_state(QuestionnaireState, patient.token)
    state.start("gad7")
    _submit(patient, state, _form([3, 3, 3, 3, 3, 0, 0], instrument="gad7"))
    assert state.result_line == "GAD-7 score: 15" and state.severity == "severe"
    assert not state.self_harm


@pytest.mark.parametrize(
    ("form", "words"),
    [
        ({"instrument": "phq9"}, "Please answer question 1"),
        (_form([1] * 8), "Please answer question 9"),
        (_form([1] * 8 + [4]), "Question 9 needs one of the four answers"),
        (_form([1] * 8 + ["x"]), "Question 9"),
        (_form([1] * 8 + [[1]]), "Question 9"),
        (_form([1] * 9, difficulty=9), "difficulty"),
        (_form([1] * 9, instrument="madrs"), "does not exist"),
        ({"q1": "1"}, "does not exist"),
    ],
)
def test_bad_answers_change_nothing(session, patient, form, words):
    state = make_state(QuestionnaireState, patient.token)
    state.start("phq9")
    status, answer = _submit(patient, state, form)
    assert status == 400 and words in answer["message"] and not state.submitted
    assert session.exec(select(QuestionnaireResponse)).all() == []


def test_unknown_instrument_is_refused(session, patient):
    state = make_state(QuestionnaireState, patient.token)
    state.start("madrs")
    assert state.error and state.instrument == "phq9"


def _infusion(session, patient_id, when):
    entry = validate_infusion(
        {"date": when.date().isoformat(), "time": when.strftime("%H:%M"), "route": "iv"},
        when,
        zone("UTC"),
    )
    return infusions.add_infusion(session, patient_id, entry)


def test_today_before_treatment_asks_for_checkin_and_baselines(session, patient):
    view = build_today(session, patient.id)
    titles = [d.title for d in view.due]
    assert titles == ["Today's check-in", "PHQ-9", "GAD-7"]
    assert view.due[1].reason == "Baseline before your first infusion"
    assert view.phase_line == "Before treatment: no infusions yet"
    assert view.article is not None and view.article.reason.startswith("Because")
    assert view.phq9 is None


def test_today_in_induction_with_post_checks_and_outcome(session, patient):
    now = datetime.now(UTC)
    questionnaires.save_response(
        session,
        patient.id,
        score_phq9([3, 3, 2, 2, 2, 2, 2, 2, 1]),
        (now - timedelta(days=9)).date(),
    )
    for days in (8, 5):
        _infusion(session, patient.id, now - timedelta(days=days))
    _infusion(session, patient.id, now - timedelta(hours=26))
    questionnaires.save_response(
        session,
        patient.id,
        score_phq9([1, 1, 1, 1, 1, 1, 1, 1, 0]),
        (now - timedelta(hours=2)).date(),
    )
    session.commit()
    view = build_today(session, patient.id, now)
    assert view.phase_line == "Induction: infusion 3 of 6"
    checks = [d.title for d in view.due if d.title.startswith("Post-infusion")]
    assert checks == [
        "Post-infusion check: the same evening",
        "Post-infusion check: after 24 hours",
    ]
    assert view.phq9 is not None
    assert (view.phq9.baseline_total, view.phq9.latest_total) == (19, 8)
    assert view.phq9.response and not view.phq9.remission and view.phq9.pretreatment
    state = make_state(TodayState, patient.token)
    state.load()
    assert state.phase_line == "Induction: infusion 3 of 6"
    assert "Baseline PHQ-9: 19" in state.baseline_line
    assert "Latest PHQ-9: 8 (mild)" in state.latest_line and "−11 points, −58%" in state.latest_line
    assert state.verdict.startswith("Responding")


def test_a_page_opened_anew_right_after_a_submit_starts_blank(session, patient):
    """A load that Reflex runs just after a fast submit, on the same websocket, keeps the
    result; the same questionnaire opened again at once (a new page, a new websocket) starts
    blank."""
    state = make_state(QuestionnaireState, patient.token)
    over_socket(state, "first-visit")
    state.start("gad7")
    _submit(patient, state, _form([2, 2, 2, 2, 0, 0, 0], instrument="gad7"))
    assert state.submitted and state.result_line == "GAD-7 score: 8"
    state.start("gad7")
    assert state.submitted
    over_socket(state, "next-visit")
    state.start("gad7")
    assert not state.submitted
