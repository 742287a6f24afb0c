"""Infusions and post-infusion checks: saved through the entries API as the phone sends them,
listed and edited through the page's handlers; phases, ownership, validation."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlmodel import select

from companion.clinical import POST_CHECKS
from companion.data.infusions import Infusion, PostInfusionCheck
from companion.localtime import local_today
from companion.ui.state.infusions import InfusionsState
from companion.ui.state.postcheck import PostCheckState
from tests.conftest import send_entry
from tests.state_helpers import events_text, make_state


def _log(state, patient, day, time="09:30", **extra):
    """An infusion sent as the form sends it, then the page refreshed as outbox.js does."""
    answer = send_entry(
        patient, "infusion", {"date": day.isoformat(), "time": time, "route": "iv", **extra}
    )
    state.refresh()
    return answer


def test_log_list_with_phase_edit_and_delete(session, patient):
    today = local_today("UTC")
    state = make_state(InfusionsState, patient.token)
    state.load()
    for offset in (20, 17, 14):
        status, answer = _log(
            state, patient, today - timedelta(days=offset), dose_value="0.5", dose_unit="mg/kg"
        )
    assert (status, answer["message"]) == (200, "Infusion saved.")
    assert (
        _log(state, patient, today + timedelta(days=3))[1]["message"] == "Planned infusion saved."
    )
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
    status, answer = send_entry(
        patient,
        "infusion",
        {
            "infusion_id": str(planned_id),
            "date": (today + timedelta(days=4)).isoformat(),
            "time": "10:00",
            "route": "im",
        },
    )
    assert answer["message"] == "Infusion updated."
    state.refresh()
    assert state.editing_id == -1 and state.form["date"] == today.isoformat()
    session.expire_all()
    assert session.get(Infusion, planned_id).route == "im"

    state.ask_delete(planned_id)
    state.delete(planned_id)
    assert state.status == "Infusion deleted." and len(state.items) == 3


def test_invalid_infusion_changes_nothing(session, patient):
    today = local_today("UTC").isoformat()
    for form in (
        {"date": "", "route": "iv"},
        {"date": "2026-13-40", "route": "iv"},
        {"date": today, "route": "iv", "dose_value": "lots"},
        {"date": today, "route": "iv", "dose_value": "NaN"},
        {"date": today, "route": "iv", "dose_value": "1e309"},
        {"date": today, "route": "iv", "note": "x" * 2001},
        {"date": today, "route": "iv", "clinic": "clinic \x00"},
        {"date": today, "route": ["iv"]},
        {"date": today, "route": "iv", "infusion_id": "999999"},
    ):
        status, answer = send_entry(patient, "infusion", form)
        assert status == 400 and answer["message"], form
    assert send_entry(patient, "infusion", "not a form")[0] == 400  # type: ignore[arg-type]
    assert session.exec(select(Infusion)).all() == []


def test_someone_elses_infusion_cannot_be_edited_or_deleted(session, patient, other_patient):
    mine = make_state(InfusionsState, patient.token)
    mine.load()
    _log(mine, patient, local_today("UTC"))
    my_id = mine.items[0].id
    theirs = make_state(InfusionsState, other_patient.token)
    theirs.load()
    assert theirs.items == []
    theirs.edit(my_id)
    assert theirs.error == "That infusion was not found."
    theirs.delete(my_id)
    assert theirs.error == "That infusion was not found."
    # Their own form naming my infusion cannot reach it either.
    status, answer = send_entry(
        other_patient,
        "infusion",
        {"infusion_id": my_id, "date": local_today("UTC").isoformat(), "route": "im"},
    )
    assert (status, answer["message"]) == (400, "That infusion was not found.")
    session.expire_all()
    assert session.get(Infusion, my_id).route == "iv"


def test_signed_out_infusion_handlers_redirect(session, patient):
    state = make_state(InfusionsState, None)
    assert "/login" in events_text(state.refresh())
    assert "/login" in events_text(state.delete(1))
    assert session.exec(select(Infusion)).all() == []


def _post_state(token, infusion_id, when):
    return make_state(
        PostCheckState, token, path="/infusions/check", query=f"infusion={infusion_id}&when={when}"
    )


def test_post_infusion_check_saves_and_updates(session, patient):
    infusions = make_state(InfusionsState, patient.token)
    infusions.load()
    _log(infusions, patient, local_today("UTC") - timedelta(days=1), time="00:00")
    infusion_id = infusions.items[0].id
    state = _post_state(patient.token, infusion_id, "24h")
    state.load()
    assert state.found, state.error
    which = {"infusion": str(infusion_id), "when": "24h"}
    status, answer = send_entry(
        patient,
        "postcheck",
        {
            **which,
            "dissociation": "6",
            "nausea": "2",
            "systolic": "138",
            "diastolic": "88",
            "compared_with_before": "2",
        },
    )
    assert status == 200 and answer["message"].startswith("Saved.")
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
    send_entry(patient, "postcheck", {**which, "nausea": "0"})
    session.expire_all()
    assert [c.nausea for c in session.exec(select(PostInfusionCheck)).all()] == [0]
    infusions.load()
    assert [c.done for c in infusions.items[0].checks] == [False, True, False]


def test_post_check_rejects_bad_values_and_foreign_infusions(session, patient, other_patient):
    infusions = make_state(InfusionsState, patient.token)
    infusions.load()
    _log(infusions, patient, local_today("UTC") - timedelta(days=2))
    infusion_id = infusions.items[0].id
    check = {"infusion": str(infusion_id), "when": "48h"}
    status, answer = send_entry(patient, "postcheck", {**check, "systolic": "120"})
    assert status == 400 and "both" in answer["message"]
    status, answer = send_entry(patient, "postcheck", {**check, "dissociation": "12"})
    assert status == 400 and "0 to 10" in answer["message"]
    intruder = _post_state(other_patient.token, infusion_id, "48h")
    intruder.load()
    assert not intruder.found
    status, answer = send_entry(other_patient, "postcheck", {**check, "nausea": "1"})
    assert status == 400 and "not found" in answer["message"]
    assert (
        send_entry(patient, "postcheck", {"infusion": str(infusion_id), "when": "soon"})[0] == 400
    )
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
    send_entry(patient, "infusion", {"date": "2026-07-01", "time": "09:30", "route": "iv"})
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
    _log(state, patient, local_today("UTC") - timedelta(days=10))
    [item] = state.items
    assert [(c.state, c.note) for c in item.checks] == [("missed", " · missed")] * 3
