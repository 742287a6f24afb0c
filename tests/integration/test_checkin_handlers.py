"""The check-in handlers, called the way a (possibly forged) websocket event would call them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from companion.data.checkins import CheckIn
from companion.data.safety import SafetyEvent
from companion.localtime import local_today
from companion.ui.state.checkin import CheckInState
from tests.state_helpers import events_text, make_state


def rows(session):
    session.expire_all()
    return session.exec(select(CheckIn)).all()


def test_mood_then_save_stores_one_checkin_for_today(session, patient):
    state = make_state(CheckInState, patient.token, path="/checkin")
    state.load()
    state.pick("mood", 7)
    state.save({"note": "", "sleep_hours": ""})
    assert "Saved" in state.status
    [row] = rows(session)
    assert (row.mood, row.day, row.patient_id) == (7, local_today("UTC"), patient.id)
    assert row.anxiety is None and row.note == ""


def test_saving_the_day_again_updates_it(session, patient):
    state = make_state(CheckInState, patient.token)
    state.load()
    state.pick("mood", 3)
    state.save({})
    state.pick("mood", 6)
    state.pick("anxiety", 4)
    state.save({"note": "better after a walk", "sleep_hours": "7.5"})
    [row] = rows(session)
    assert (row.mood, row.anxiety, row.sleep_hours, row.note) == (6, 4, 7.5, "better after a walk")


def test_backfill_a_past_day_but_never_the_future(session, patient):
    today = local_today("UTC")
    state = make_state(CheckInState, patient.token)
    state.load()
    state.open_day((today - timedelta(days=3)).isoformat())
    state.pick("mood", 5)
    state.save({})
    assert [r.day for r in rows(session)] == [today - timedelta(days=3)]
    state.save({"day": (today + timedelta(days=1)).isoformat(), "mood": 5})
    assert state.error == "You can't log a day in the future."
    assert len(rows(session)) == 1
    state.open_day((today + timedelta(days=2)).isoformat())
    assert (
        state.error == "You can't log a day in the future." and state.day_iso == today.isoformat()
    )


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"mood": 11}, "Mood must be a whole number from 0 to 10."),
        ({"mood": "abc"}, "Mood must be a whole number from 0 to 10."),
        ({"mood": True}, "Mood must be a whole number from 0 to 10."),
        ({"mood": 5, "anxiety": -1}, "Anxiety must be a whole number from 0 to 10."),
        ({"mood": 5, "sleep_hours": "25"}, "Sleep must be between 0 and 24 hours, in half hours."),
        ({"mood": 5, "sleep_hours": "seven"}, "Sleep must be between 0 and 24 hours"),
        ({"mood": 5, "note": "x" * 2001}, "The note can be at most 2,000 characters."),
        ({"mood": 5, "suicidal_thoughts": "maybe"}, "suicidal thoughts"),
        ({"mood": 5, "day": "yesterday"}, "The day must be a date like "),
    ],
)
def test_bad_input_gets_a_message_and_changes_nothing(session, patient, form, message):
    state = make_state(CheckInState, patient.token)
    state.load()
    state.pick("mood", 4)
    state.save({"note": "first"})
    state.save(form)
    assert message in state.error
    [row] = rows(session)
    assert (row.mood, row.note) == (4, "first")


def test_mood_is_required(session, patient):
    state = make_state(CheckInState, patient.token)
    state.load()
    state.save({})
    assert state.error == "Please choose today's mood."
    assert rows(session) == []


@pytest.mark.parametrize(
    ("field", "value"), [("mood", 11), ("mood", "7"), ("mood", None), ("patient_id", 3)]
)
def test_forged_taps_are_refused(session, patient, field, value):
    state = make_state(CheckInState, patient.token)
    state.load()
    state.pick(field, value)
    assert state.error
    assert state.mood == -1


def test_crisis_screen_shows_before_saving_and_event_is_recorded_on_save(session, patient):
    state = make_state(CheckInState, patient.token)
    state.load()
    assert state.show_crisis is False
    state.choose_suicidal_thoughts("passing")
    assert state.show_crisis is True
    state.pick("mood", 2)
    state.save({})
    session.expire_all()
    [event] = session.exec(select(SafetyEvent)).all()
    assert (event.kind, event.day, event.patient_id) == (
        "suicidal_thoughts_passing",
        local_today("UTC"),
        patient.id,
    )
    # Saving the same answer again is still one event; a worse answer adds one.
    state.save({})
    state.choose_suicidal_thoughts("intent")
    state.save({})
    session.expire_all()
    kinds = sorted(e.kind for e in session.exec(select(SafetyEvent)).all())
    assert kinds == ["suicidal_thoughts_intent", "suicidal_thoughts_passing"]


def test_unknown_suicidal_answer_is_refused(session, patient):
    state = make_state(CheckInState, patient.token)
    state.load()
    state.choose_suicidal_thoughts("<script>")
    assert state.error and state.suicidal_thoughts == "none"


def test_signed_out_handlers_change_nothing(session, patient):
    state = make_state(CheckInState, None)
    for result in (state.load(), state.pick("mood", 5), state.save({"mood": 5})):
        assert "/login" in events_text(result)
    assert rows(session) == []


def test_patients_see_only_their_own_day(session, patient, other_patient):
    mine = make_state(CheckInState, patient.token)
    mine.load()
    mine.pick("mood", 9)
    mine.save({"note": "private note"})
    theirs = make_state(CheckInState, other_patient.token)
    theirs.load()
    assert theirs.mood == -1 and theirs.note == "" and theirs.editing is False


def test_a_save_before_the_page_loaded_goes_to_today(session, patient):
    state = make_state(CheckInState, patient.token)
    state.pick("mood", 6)
    state.save({})
    [row] = rows(session)
    assert (row.day, row.mood) == (local_today("UTC"), 6)


def test_a_tap_that_arrives_before_the_load_is_kept(session, patient):
    # On a slow connection the page's on_load can run after the first tap: the tap must win.
    state = make_state(CheckInState, patient.token)
    state.pick("mood", 8)
    state.choose_suicidal_thoughts("passing")
    state.load()
    assert state.mood == 8 and state.suicidal_thoughts == "passing" and state.show_crisis
    state.save({})
    assert rows(session)[0].mood == 8
    # After a save, the stored values are what a later load shows.
    state.load()
    assert state.mood == 8


def test_unsaved_taps_for_another_day_do_not_follow_to_a_new_day(session, patient):
    today = local_today("UTC")
    state = make_state(CheckInState, patient.token)
    state.load()
    state.pick("mood", 2)
    state.open_day((today - timedelta(days=1)).isoformat())
    assert state.mood == -1


def test_a_late_on_load_keeps_saved_and_a_later_visit_clears_it(session, patient, monkeypatch):
    clock = [1_000_000.0]
    monkeypatch.setattr("time.time", lambda: clock[0])
    state = make_state(CheckInState, patient.token)
    # Two quick taps can reach the server before the page's own on_load.
    state.pick("mood", 7)
    state.save({})
    assert state.status.startswith("Saved for today")
    clock[0] += 1
    state.load()
    assert state.status.startswith("Saved for today") and state.mood == 7
    clock[0] += 60
    state.load()
    assert state.status == "" and state.mood == 7
