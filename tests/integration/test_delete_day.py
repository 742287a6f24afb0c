"""Deleting a day's check-in from the check-in page: after a confirmation, once, and only the
patient's own; the day's safety event stays, and a resent entry does not bring the day back."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlmodel import select

from companion.clinical import format_short_date
from companion.data.checkins import CheckIn, delete_checkin
from companion.data.safety import SafetyEvent
from companion.localtime import local_today
from companion.ui.state.checkin import CheckInState
from tests.conftest import send_entry
from tests.state_helpers import events_text, make_state


def _days(session) -> list:
    session.expire_all()
    return [row.day for row in session.exec(select(CheckIn)).all()]


def _open(patient, day: str) -> CheckInState:
    state = make_state(CheckInState, patient.token, path="/checkin", query=f"day={day}")
    state.load()
    state.open_day(day)
    return state


def test_a_backfilled_day_is_deleted_after_confirming_and_its_safety_event_stays(session, patient):
    past = local_today("UTC") - timedelta(days=3)
    entry = {"day": past.isoformat(), "mood": "2", "suicidal_thoughts": "passing"}
    assert send_entry(patient, "checkin", entry, submission="entry-one-1234")[0] == 200
    state = _open(patient, past.isoformat())
    assert state.editing
    # Without the confirmation nothing goes.
    state.delete_day()
    assert _days(session) == [past]
    state.ask_delete_day(True)
    assert state.confirm_delete_day == past.isoformat()
    state.delete_day()
    assert _days(session) == []
    assert (state.editing, state.mood, state.deleted_day) == (False, -1, past.isoformat())
    assert [chip["state"] for chip in state.strip if chip["iso"] == past.isoformat()] == ["missing"]
    # The suicidal-thoughts answer is clinical history: the clinician still sees it.
    session.expire_all()
    assert [(e.day, e.kind) for e in session.exec(select(SafetyEvent)).all()] == [
        (past, "suicidal_thoughts_passing")
    ]
    # Again: nothing more happens. The same entry sent again (a retry) is not saved twice.
    state.ask_delete_day(True)
    state.delete_day()
    assert not delete_checkin(session, patient.id, past)
    assert send_entry(patient, "checkin", entry, submission="entry-one-1234")[0] == 200
    assert _days(session) == []


def test_today_can_be_deleted_and_logged_again(session, patient):
    today = local_today("UTC")
    send_entry(patient, "checkin", {"day": "", "mood": "8"})
    state = make_state(CheckInState, patient.token)
    state.load()
    state.ask_delete_day(True)
    state.delete_day()
    assert _days(session) == []
    send_entry(patient, "checkin", {"day": "", "mood": "6"})
    state.refresh()
    assert _days(session) == [today] and state.mood == 6 and state.editing


def test_only_the_patients_own_day_and_never_signed_out(session, patient, other_patient):
    day = (local_today("UTC") - timedelta(days=1)).isoformat()
    send_entry(patient, "checkin", {"day": day, "mood": "5"})
    intruder = _open(other_patient, day)
    intruder.ask_delete_day(True)
    intruder.delete_day()
    signed_out = make_state(CheckInState, None)
    signed_out.day_iso = signed_out.confirm_delete_day = day
    assert "/login" in events_text(signed_out.delete_day())
    assert len(_days(session)) == 1


def _ms(moment: datetime) -> int:
    """A moment as the phone's outbox sends made_at: milliseconds since 1970."""
    return int(moment.timestamp() * 1000)


def test_an_entry_made_before_the_day_was_deleted_does_not_bring_it_back(session, patient):
    """Another phone's unsent entry (or this phone's, on its way as the day was deleted) arrives
    after the deletion: the day stays deleted, the phone is told so, and help still shows."""
    past = local_today("UTC") - timedelta(days=2)
    made_before = _ms(datetime.now(UTC) - timedelta(minutes=5))
    send_entry(patient, "checkin", {"day": past.isoformat(), "mood": "3"})
    state = _open(patient, past.isoformat())
    state.ask_delete_day(True)
    state.delete_day()
    assert _days(session) == []

    late = {"day": past.isoformat(), "mood": "7", "suicidal_thoughts": "intent"}
    status, answer = send_entry(patient, "checkin", late, "phone-b-entry-1", made_before)
    assert status == 200 and answer["deleted"] is True
    assert answer["message"] == (
        f"Not saved: the check-in of {format_short_date(past)} was deleted after this entry "
        "was made."
    )
    assert answer["crisis"] == "urgent"
    # The answer of suicidal thoughts is kept for the clinician, though the day stays deleted.
    session.expire_all()
    kept = [(e.day, e.kind) for e in session.exec(select(SafetyEvent)).all()]
    assert kept == [(past, "suicidal_thoughts_intent")]
    # Sent again (no answer reached the phone): the same answer, still nothing saved.
    again = send_entry(patient, "checkin", late, "phone-b-entry-1", made_before)[1]
    assert again["repeat"] is True and again["message"] == answer["message"]
    # And sent as a new entry by a third phone: still one event for that day.
    send_entry(patient, "checkin", late, "phone-c-entry-1", made_before)
    session.expire_all()
    assert [(e.day, e.kind) for e in session.exec(select(SafetyEvent)).all()] == kept
    # An edit of only the note, made before: not saved either, and not a "choose a mood".
    note = {"day": past.isoformat(), "note": "slept badly"}
    assert send_entry(patient, "checkin", note, made_at=made_before)[1]["deleted"] is True
    assert _days(session) == []
    state.refresh()
    assert (state.editing, state.mood) == (False, -1)

    # Logged again afterwards (a new entry made now): saved as usual.
    now = _ms(datetime.now(UTC))
    status, answer = send_entry(
        patient, "checkin", {"day": past.isoformat(), "mood": "6"}, None, now
    )
    assert status == 200 and "deleted" not in answer and _days(session) == [past]


def test_deleting_one_day_leaves_entries_for_other_days_alone(session, patient):
    today = local_today("UTC")
    yesterday = today - timedelta(days=1)
    made_before = _ms(datetime.now(UTC) - timedelta(minutes=5))
    send_entry(patient, "checkin", {"day": yesterday.isoformat(), "mood": "3"})
    state = _open(patient, yesterday.isoformat())
    state.ask_delete_day(True)
    state.delete_day()
    late = {"day": today.isoformat(), "mood": "5"}
    answer = send_entry(patient, "checkin", late, made_at=made_before)[1]
    assert "deleted" not in answer and _days(session) == [today]
