"""Infusions and post-infusion checks through their handlers: phases, ownership, validation."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlmodel import select

from companion.clinical import POST_CHECKS
from companion.data.infusions import Infusion, PostInfusionCheck
from companion.localtime import local_today
from companion.ui.state.infusions import InfusionsState
from companion.ui.state.postcheck import PostCheckState
from tests.state_helpers import events_text, make_state


def _log(state, day, time="09:30", **extra):
    state.save({"date": day.isoformat(), "time": time, "route": "iv", **extra})


def test_log_list_with_phase_edit_and_delete(session, patient):
    today = local_today("UTC")
    state = make_state(InfusionsState, patient.token)
    state.load()
    for offset in (20, 17, 14):
        _log(state, today - timedelta(days=offset), dose_value="0.5", dose_unit="mg/kg")
    assert state.status == "Infusion saved."
    _log(state, today + timedelta(days=3))
    assert state.status == "Planned infusion saved."
    phases = [item.phase for item in state.items]
    assert phases == ["Booster 1", "Induction 3", "Induction 2", "Induction 1"]
    assert state.items[0].planned and not state.items[1].planned
    assert state.items[1].dose == "0.5 mg/kg" and state.items[1].route == "IV infusion"
    assert [c.label for c in state.items[1].checks] == [
        "The same evening",
        "After 24 hours",
        "After 48 hours",
    ]
    assert state.items[0].checks == []

    planned_id = state.items[0].id
    state.edit(planned_id)
    assert state.editing_id == planned_id and state.form["route"] == "iv"
    state.save({"date": (today + timedelta(days=4)).isoformat(), "time": "10:00", "route": "im"})
    assert state.status == "Infusion updated."
    session.expire_all()
    assert session.get(Infusion, planned_id).route == "im"

    state.ask_delete(planned_id)
    state.delete(planned_id)
    assert state.status == "Infusion deleted." and len(state.items) == 3


def test_invalid_infusion_changes_nothing(session, patient):
    state = make_state(InfusionsState, patient.token)
    state.load()
    for form in (
        {"date": "", "route": "iv"},
        {"date": "2026-13-40", "route": "iv"},
        {"date": local_today("UTC").isoformat(), "route": "iv", "dose_value": "lots"},
        {"date": local_today("UTC").isoformat(), "route": "iv", "note": "x" * 2001},
        "not a form",
    ):
        state.save(form)
        assert state.error
    assert session.exec(select(Infusion)).all() == []


def test_someone_elses_infusion_cannot_be_edited_or_deleted(session, patient, other_patient):
    mine = make_state(InfusionsState, patient.token)
    mine.load()
    _log(mine, local_today("UTC"))
    my_id = mine.items[0].id
    theirs = make_state(InfusionsState, other_patient.token)
    theirs.load()
    assert theirs.items == []
    theirs.edit(my_id)
    assert theirs.error == "That infusion was not found."
    theirs.delete(my_id)
    assert theirs.error == "That infusion was not found."
    theirs.editing_id = my_id  # a forged state cannot reach it either
    theirs.save({"date": local_today("UTC").isoformat(), "route": "im"})
    session.expire_all()
    assert session.get(Infusion, my_id).route == "iv"


def test_signed_out_infusion_handlers_redirect(session, patient):
    state = make_state(InfusionsState, None)
    assert "/login" in events_text(state.save({"date": "2026-11-01", "route": "iv"}))
    assert "/login" in events_text(state.delete(1))
    assert session.exec(select(Infusion)).all() == []


def _post_state(token, infusion_id, when):
    return make_state(
        PostCheckState, token, path="/infusions/check", query=f"infusion={infusion_id}&when={when}"
    )


def test_post_infusion_check_saves_and_updates(session, patient):
    infusions = make_state(InfusionsState, patient.token)
    infusions.load()
    _log(infusions, local_today("UTC") - timedelta(days=1), time="00:00")
    infusion_id = infusions.items[0].id
    state = _post_state(patient.token, infusion_id, "24h")
    state.load()
    assert state.found, state.error
    state.pick("dissociation", 6)
    state.save({"nausea": "2", "systolic": "138", "diastolic": "88", "compared_with_before": "2"})
    assert not state.error
    session.expire_all()
    [check] = session.exec(select(PostInfusionCheck)).all()
    assert (check.nausea, check.dissociation, check.systolic, check.compared_with_before) == (
        2,
        6,
        138,
        2,
    )
    again = _post_state(patient.token, infusion_id, "24h")
    again.load()
    assert again.values["nausea"] == "2" and again.dissociation == 6
    again.save({"nausea": "0"})
    session.expire_all()
    assert [c.nausea for c in session.exec(select(PostInfusionCheck)).all()] == [0]
    infusions.load()
    assert [c.done for c in infusions.items[0].checks] == [False, True, False]


def test_post_check_rejects_bad_values_and_foreign_infusions(session, patient, other_patient):
    infusions = make_state(InfusionsState, patient.token)
    infusions.load()
    _log(infusions, local_today("UTC") - timedelta(days=2))
    infusion_id = infusions.items[0].id
    state = _post_state(patient.token, infusion_id, "48h")
    state.load()
    state.save({"systolic": "120"})
    assert "both" in state.error
    state.pick("dissociation", 12)
    assert "0 to 10" in state.error
    intruder = _post_state(other_patient.token, infusion_id, "48h")
    intruder.load()
    assert not intruder.found
    intruder.save({"nausea": "1"})
    assert intruder.error
    bad = _post_state(patient.token, infusion_id, "next-week")
    bad.load()
    assert not bad.found
    assert session.exec(select(PostInfusionCheck)).all() == []


def test_local_times_are_stored_as_the_right_moment(session):
    from datetime import UTC

    from tests.conftest import make_patient

    patient = make_patient(session, "ny@example.com", tz="America/New_York")
    state = make_state(InfusionsState, patient.token)
    state.load()
    state.save({"date": "2026-07-01", "time": "09:30", "route": "iv"})
    session.expire_all()
    [row] = session.exec(select(Infusion)).all()
    # 09:30 in New York in summer is 13:30 UTC, whatever the database keeps of offsets.
    assert row.starts_at.tzinfo is not None
    assert row.starts_at.astimezone(UTC).hour == 13 and row.starts_at.minute == 30
    state.edit(row.id)
    assert state.form["time"] == "09:30"


def test_each_check_says_done_due_not_yet_or_missed():
    start = datetime(2026, 3, 10, 9, 30, tzinfo=UTC)
    evening, after_24h, after_48h = POST_CHECKS
    # 30 hours after the infusion: the evening one is done, 24 h is open, 48 h not yet.
    now = start + timedelta(hours=30)
    assert evening.status(now - start, True) == "done"
    assert after_24h.status(now - start, False) == "due"
    assert after_48h.status(now - start, False) == "later"
    # Five days on, an unanswered check's window (96 h at most) has closed.
    later = start + timedelta(days=5)
    assert [c.status(later - start, False) for c in POST_CHECKS] == ["missed"] * 3


def test_the_list_marks_checks_due_and_missed(session, patient):
    state = make_state(InfusionsState, patient.token)
    state.load()
    _log(state, local_today("UTC") - timedelta(days=10))
    [item] = state.items
    assert [(c.state, c.note) for c in item.checks] == [("missed", " · missed")] * 3
