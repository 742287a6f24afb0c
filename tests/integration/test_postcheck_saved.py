"""After a post-infusion check is saved: what comes next, and the 180/120 blood-pressure message."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from companion.data import accounts
from companion.ui.state.infusions import InfusionsState
from companion.ui.state.postcheck import PostCheckState
from tests.conftest import send_entry
from tests.state_helpers import make_state


def _infusion(patient, hours_ago: int) -> tuple[int, datetime]:
    """An infusion given hours_ago (to the minute; the patient's zone is UTC), and its start."""
    start = (datetime.now(UTC) - timedelta(hours=hours_ago)).replace(second=0, microsecond=0)
    state = make_state(InfusionsState, patient.token)
    state.load()
    fields = {"date": start.date().isoformat(), "time": f"{start:%H:%M}", "route": "iv"}
    send_entry(patient, "infusion", fields)
    state.refresh()
    return state.items[0].id, start


def _check(patient, infusion_id: int, when: str) -> PostCheckState:
    state = make_state(
        PostCheckState,
        patient.token,
        path="/infusions/check",
        query=f"infusion={infusion_id}&when={when}",
    )
    state.load()
    assert state.found, state.error
    return state


def test_saved_says_what_is_next_and_flags_a_crisis_reading(session, patient):
    # Four hours ago: the evening check is open, the 24-hour one opens 20 h after the start.
    infusion_id, start = _infusion(patient, 4)
    state = _check(patient, infusion_id, "evening")
    assert state.next_step == "" and not state.bp_crisis
    fields = {"infusion": str(infusion_id), "when": "evening"}
    send_entry(patient, "postcheck", {**fields, "systolic": "182", "diastolic": "100"})
    state.saved()
    assert state.next_step.startswith("Next: the check after 24 hours, from ")
    opens = start + timedelta(hours=20)
    assert state.next_step.endswith(f" at {opens:%H:%M}. It shows on Today then.")
    assert state.bp_crisis

    send_entry(patient, "postcheck", {**fields, "systolic": "150", "diastolic": "95"})
    state.saved()
    assert not state.bp_crisis


def test_an_open_check_is_next_now_and_the_last_check_says_so(session, patient):
    infusion_id, _ = _infusion(patient, 30)
    evening = _check(patient, infusion_id, "evening")
    send_entry(patient, "postcheck", {"infusion": str(infusion_id), "when": "evening"})
    evening.saved()
    assert evening.next_step == "Next: the check after 24 hours is open now."
    state = _check(patient, infusion_id, "48h")
    send_entry(patient, "postcheck", {"infusion": str(infusion_id), "when": "48h"})
    state.saved()
    assert state.next_step.startswith("That was the last check of this infusion.")


def test_the_message_shows_as_the_numbers_are_typed(session, patient):
    # The browser sends a number field's value as a number (an empty field as 0).
    state = _check(patient, _infusion(patient, 30)[0], "24h")
    state.typed_systolic(17)
    assert not state.bp_crisis
    state.typed_systolic(175)
    state.typed_diastolic(121)
    assert state.bp_crisis
    state.typed_diastolic(12)
    assert not state.bp_crisis
    state.typed_systolic(180.0)
    assert state.bp_crisis
    # Anything else a client may send changes nothing but the message: no reading, no alarm.
    for odd in (None, 5000, 180.5, True, "180", ["180"], float("nan"), float("inf")):
        state.typed_systolic(odd)
        assert not state.bp_crisis, odd


def test_a_new_infusion_starts_with_the_clinic_from_settings(session, patient):
    accounts.update_profile(
        session, patient.id, timezone="UTC", clinic_name="Lakeside", clinic_phone=""
    )
    session.commit()
    state = make_state(InfusionsState, patient.token)
    state.load()
    assert state.form["clinic"] == "Lakeside"
