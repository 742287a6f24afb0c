"""The check-in: saved through the entries API as the phone's outbox sends it, and shown by
the page's state (called the way a possibly forged websocket event would call it)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from companion.data.checkins import CheckIn
from companion.data.safety import SafetyEvent
from companion.localtime import local_today
from companion.ui.state.checkin import CheckInState
from tests.conftest import send_entry
from tests.state_helpers import events_text, make_state


def rows(session):
    session.expire_all()
    return session.exec(select(CheckIn)).all()


def test_mood_then_save_stores_one_checkin_for_today(session, patient):
    status, answer = send_entry(patient, "checkin", {"day": "", "mood": "7"})
    assert status == 200 and answer["message"] == "Saved for today. You can change it any time."
    [row] = rows(session)
    assert (row.mood, row.day, row.patient_id) == (7, local_today("UTC"), patient.id)
    assert row.anxiety is None and row.note == "" and row.suicidal_thoughts is None


def test_saving_the_day_again_changes_only_what_was_changed(session, patient):
    send_entry(patient, "checkin", {"mood": 3, "note": "first thoughts"})
    send_entry(patient, "checkin", {"mood": 6, "anxiety": "4", "sleep_hours": "7.5"})
    [row] = rows(session)
    assert (row.mood, row.anxiety, row.sleep_hours, row.note) == (6, 4, 7.5, "first thoughts")
    # A phone showing older values sends only what its patient touched: the note stays.
    send_entry(patient, "checkin", {"anxiety": ""})
    [row] = rows(session)
    assert (row.mood, row.anxiety, row.note) == (6, None, "first thoughts")


def test_backfill_a_past_day_but_never_the_future(session, patient):
    today = local_today("UTC")
    past = (today - timedelta(days=3)).isoformat()
    assert send_entry(patient, "checkin", {"day": past, "mood": 5})[0] == 200
    assert [r.day for r in rows(session)] == [today - timedelta(days=3)]
    future = (today + timedelta(days=1)).isoformat()
    status, answer = send_entry(patient, "checkin", {"day": future, "mood": 5})
    assert (status, answer["message"]) == (400, "You can't log a day in the future.")
    assert len(rows(session)) == 1
    state = make_state(CheckInState, patient.token)
    state.load()
    state.open_day((today + timedelta(days=2)).isoformat())
    assert (
        state.error == "You can't log a day in the future." and state.day_iso == today.isoformat()
    )
    state.open_day(past)
    assert (state.day_iso, state.mood, state.editing, state.is_today) == (past, 5, True, False)
    assert state.draft_key == f"checkin:{past}"


def test_an_entry_made_before_midnight_is_that_days_wherever_it_is_sent(session, patient):
    yesterday = local_today("UTC") - timedelta(days=1)
    late = datetime.combine(yesterday, datetime.min.time(), tzinfo=UTC) + timedelta(hours=23.9)
    send_entry(patient, "checkin", {"day": "", "mood": 4}, made_at=late.timestamp() * 1000)
    assert [r.day for r in rows(session)] == [yesterday]
    # A made_at from the future, or from long ago, counts as now.
    for odd in (4_102_444_800_000, 0, "yesterday", True):
        send_entry(patient, "checkin", {"day": "", "mood": 6}, made_at=odd)
    assert {r.day: r.mood for r in rows(session)}[local_today("UTC")] == 6


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"mood": 11}, "Mood must be a whole number from 0 to 10."),
        ({"mood": "abc"}, "Mood must be a whole number from 0 to 10."),
        ({"mood": True}, "Mood must be a whole number from 0 to 10."),
        ({"mood": [5]}, "Mood must be a whole number from 0 to 10."),
        ({"mood": ""}, "Please choose today's mood."),
        ({"anxiety": -1}, "Anxiety must be a whole number from 0 to 10."),
        ({"sleep_hours": "25"}, "Sleep must be between 0 and 24 hours, in half hours."),
        ({"sleep_hours": "seven"}, "Sleep must be between 0 and 24 hours"),
        ({"note": "x" * 2001}, "The note can be at most 2,000 characters."),
        ({"note": "NUL \x00 byte"}, "characters that can't be saved"),
        ({"note": "half an emoji \ud83d"}, "characters that can't be saved"),
        ({"note": {"a": 1}}, "The note must be text."),
        ({"tags": ["work", {"x": 1}]}, "Tags must be text."),
        ({"tags": ["bad\ud800"]}, "Tags must be text."),
        ({"suicidal_thoughts": "maybe"}, "suicidal thoughts"),
        ({"suicidal_thoughts": ["none"]}, "suicidal thoughts"),
        ({"day": "yesterday"}, "The day must be a date like "),
        ({"day": 20260101}, "The day must be a date like "),
    ],
)
def test_bad_input_gets_a_message_and_changes_nothing(session, patient, fields, message):
    send_entry(patient, "checkin", {"mood": 4, "note": "first"})
    status, answer = send_entry(patient, "checkin", {"mood": 5, **fields})
    assert status == 400 and message in answer["message"]
    [row] = rows(session)
    assert (row.mood, row.note) == (4, "first")


def test_a_new_day_needs_its_mood(session, patient):
    status, answer = send_entry(patient, "checkin", {"note": "no mood yet"})
    assert (status, answer) == (400, {"message": "Please choose the day's mood.", "field": "mood"})
    assert rows(session) == []


def test_safety_events_are_recorded_from_the_answer_saved(session, patient):
    send_entry(patient, "checkin", {"mood": 2, "suicidal_thoughts": "passing"})
    session.expire_all()
    [event] = session.exec(select(SafetyEvent)).all()
    assert (event.kind, event.day, event.patient_id) == (
        "suicidal_thoughts_passing",
        local_today("UTC"),
        patient.id,
    )
    # Saving the same answer again is still one event; a worse answer adds one.
    send_entry(patient, "checkin", {"suicidal_thoughts": "passing"})
    _status, answer = send_entry(patient, "checkin", {"suicidal_thoughts": "intent"})
    assert answer["crisis"] == "urgent"
    session.expire_all()
    kinds = sorted(e.kind for e in session.exec(select(SafetyEvent)).all())
    assert kinds == ["suicidal_thoughts_intent", "suicidal_thoughts_passing"]
    # "None" is an answer, stored as "none"; no answer stays no answer (NULL).
    send_entry(patient, "checkin", {"suicidal_thoughts": "none"})
    assert rows(session)[0].suicidal_thoughts == "none"


def test_signed_out_nothing_is_saved_and_the_page_goes_to_login(session, patient):
    signed_out = type(patient)(patient.id, "x" * 43, patient.email)
    status, answer = send_entry(signed_out, "checkin", {"mood": 5})
    assert status == 401 and "kept on this phone" in answer["message"]
    state = make_state(CheckInState, None)
    for result in (state.load(), state.open_day("2026-01-01"), state.refresh()):
        assert "/login" in events_text(result)
    assert rows(session) == []


def test_patients_see_only_their_own_day(session, patient, other_patient):
    send_entry(patient, "checkin", {"mood": 9, "note": "private note"})
    theirs = make_state(CheckInState, other_patient.token)
    theirs.load()
    assert theirs.mood == -1 and theirs.note == "" and theirs.editing is False


def test_the_page_shows_the_day_as_saved_after_a_save(session, patient):
    state = make_state(CheckInState, patient.token)
    state.load()
    key = state.form_key
    assert (state.mood, state.draft_key, state.is_today) == (-1, "checkin:today", True)
    send_entry(patient, "checkin", {"mood": 8, "tags": ["work"], "note": "calm"})
    state.refresh()
    assert (state.mood, state.tags, state.note, state.editing) == (8, ["work"], "calm", True)
    assert state.form_key == key + 1  # the form takes the saved values
    assert state.strip[-1]["mark"] == "✓"
    state.refresh()
    assert state.form_key == key + 1  # nothing new: nothing re-drawn


def test_unsaved_taps_for_another_day_do_not_follow_to_a_new_day(session, patient):
    today = local_today("UTC")
    send_entry(patient, "checkin", {"mood": 2})
    state = make_state(CheckInState, patient.token)
    state.load()
    state.open_day((today - timedelta(days=1)).isoformat())
    assert state.mood == -1 and state.draft_key.endswith((today - timedelta(days=1)).isoformat())
