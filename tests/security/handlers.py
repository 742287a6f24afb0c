"""Every public event handler of every State, reviewed: what an attacker may send to each.

Any client can call any of these with any payload (companion/ui/state/base.py). A handler
added to the app without an entry here fails tests/security/test_handler_inventory.py until
someone has looked at it and said what a hostile payload for it is. The payloads carry the
victim's row ids wherever a handler takes an id, so a missing ownership check would show.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Victim:
    """What the attacker knows or guesses of the victim: their rows' ids."""

    infusion_id: int
    link_id: int
    day: str


Payload = Callable[[Victim], dict[str, Any]]


def _none(_: Victim) -> dict[str, Any]:
    return {}


# The page each state belongs to (what a client's router data says), for those off "/".
PAGES = {
    "CheckInState": "/checkin",
    "InfusionsState": "/infusions",
    "PostCheckState": "/infusions/check",
    "SettingsState": "/settings",
    "CalendarState": "/settings",
    "ShareState": "/share",
    "TrendsState": "/trends",
    "TodayState": "/",
    "QuestionnaireState": "/questionnaires/phq9",
    "SafetyPlanState": "/safety-plan",
    "SetupState": "/setup",
    "ZoneState": "/settings",
    "LearnState": "/learn/how-ketamine-works",
}

# "<class name>.<handler>" -> a hostile payload (the handler's own argument names).
REVIEWED: dict[str, Payload] = {
    # Reflex's own handlers: hydrate sends the whole state; setvar has no setters to reach
    # (state_auto_setters is off, so only set_is_hydrated exists).
    "State.hydrate": _none,
    "State.hydrate_and_load": _none,
    "State.set_is_hydrated": lambda v: {"value": True},
    "State.setvar": lambda v: {"var_name": "is_hydrated", "value": True},
    "UpdateVarsInternalState.setvar": lambda v: {"var_name": "router", "value": {}},
    "UpdateVarsInternalState.update_vars_internal": lambda v: {"vars": {"x": 1}},
    "SharedStateBaseInternal.setvar": lambda v: {"var_name": "x", "value": 1},
    "FrontendEventExceptionState.handle_frontend_exception": lambda v: {
        "info": "boom",
        "component_stack": "<script>",
    },
    "FrontendEventExceptionState.setvar": lambda v: {"var_name": "x", "value": 1},
    "OnLoadInternalState.on_load_internal": _none,
    "OnLoadInternalState.set_is_hydrated": lambda v: {"value": True},
    "OnLoadInternalState.setvar": lambda v: {"var_name": "is_hydrated", "value": True},
    # The app's handlers: each checks the session first (AppState._require_patient).
    "AppState.guard": _none,
    "AppState.setvar": lambda v: {"var_name": "x", "value": 1},
    "AuthFormState.open_form": _none,
    "AuthFormState.setvar": lambda v: {"var_name": "error", "value": "x"},
    "TodayState.load": _none,
    "TodayState.setvar": lambda v: {"var_name": "x", "value": 1},
    "CheckInState.load": _none,
    "CheckInState.open_day": lambda v: {"value": v.day},
    "CheckInState.refresh": _none,
    "CheckInState.setvar": lambda v: {"var_name": "day_iso", "value": v.day},
    # Deleting acts on the session's patient and the day its own page loaded, after a question
    # the same tab asked: no day or id comes from the client.
    "CheckInState.ask_delete_day": lambda v: {"asking": True},
    "CheckInState.delete_day": _none,
    "InfusionsState.load": _none,
    "InfusionsState.edit": lambda v: {"infusion_id": v.infusion_id},
    "InfusionsState.cancel_edit": _none,
    "InfusionsState.ask_delete": lambda v: {"infusion_id": v.infusion_id},
    "InfusionsState.delete": lambda v: {"infusion_id": v.infusion_id},
    "InfusionsState.refresh": _none,
    "InfusionsState.setvar": lambda v: {"var_name": "editing_id", "value": v.infusion_id},
    "PostCheckState.load": _none,
    "PostCheckState.saved": _none,
    # Typed blood pressure only decides whether the crisis message shows; nothing is saved.
    "PostCheckState.typed_systolic": lambda v: {"value": "<script>"},
    "PostCheckState.typed_diastolic": lambda v: {"value": 10**30},
    "PostCheckState.setvar": lambda v: {"var_name": "infusion_id", "value": v.infusion_id},
    "QuestionnaireState.start": lambda v: {"key": "phq9"},
    "QuestionnaireState.show_result": _none,
    "QuestionnaireState.setvar": lambda v: {"var_name": "instrument", "value": "phq9"},
    "TrendsState.load": _none,
    "TrendsState.choose_range": lambda v: {"key": "All"},
    "TrendsState.explore": lambda v: {"name": "mood"},
    "TrendsState.setvar": lambda v: {"var_name": "range_key", "value": "All"},
    "LearnState.load": _none,
    "LearnState.open_article": lambda v: {"slug": "how-ketamine-works"},
    "LearnState.setvar": lambda v: {"var_name": "x", "value": 1},
    "ShareState.load": _none,
    "ShareState.create": lambda v: {"form": {"expiry_days": "90", "period": "all"}},
    "ShareState.revoke": lambda v: {"link_id": v.link_id},
    "ShareState.unlock": lambda v: {"link_id": v.link_id},
    "ShareState.setvar": lambda v: {"var_name": "new_url", "value": "x"},
    "SettingsState.load": _none,
    "SettingsState.save_profile": lambda v: {
        "form": {"timezone": "Asia/Tokyo", "clinic_name": "ATTACKER", "clinic_phone": "1"}
    },
    "SettingsState.change_password": lambda v: {
        "form": {"current_password": "guess guess guess", "new_password": "owned owned owned"}
    },
    "SettingsState.setvar": lambda v: {"var_name": "email", "value": "x"},
    "HelpState.load": _none,
    "HelpState.setvar": lambda v: {"var_name": "signed_in", "value": True},
    "CalendarState.load": _none,
    "CalendarState.make_feed": lambda v: {"form": {"reminder_time": "03:00"}},
    "CalendarState.stop_feed": _none,
    "CalendarState.setvar": lambda v: {"var_name": "exists", "value": True},
    "SetupState.load": _none,
    "SetupState.go": lambda v: {"step": "../../settings"},
    "SetupState.save_clinic": lambda v: {
        "form": {"clinic_name": "ATTACKER", "clinic_phone": "<script>"}
    },
    "SetupState.add_infusion": lambda v: {
        "form": {"date": v.day, "time": "09:00", "route": "iv", "dose": "-1"}
    },
    "SetupState.setvar": lambda v: {"var_name": "step", "value": "baseline"},
    # This tab's own detected zone, for the pickers to offer first: nothing of the patient's is
    # read or written; anything but a known zone is dropped.
    "ZoneState.detect": lambda v: {"form": {"zone": "../../etc/passwd<script>"}},
    "ZoneState.setvar": lambda v: {"var_name": "detected", "value": "Asia/Tokyo"},
    "SafetyPlanState.load": _none,
    "SafetyPlanState.setvar": lambda v: {"var_name": "loaded", "value": True},
}


def public_handlers() -> dict[str, str]:
    """ "<class name>.<handler>" -> the full event name a client sends, for every handler."""
    import reflex as rx

    import companion.companion  # noqa: F401 - registers every page's state

    found: dict[str, str] = {}

    def walk(cls: type[rx.State]) -> None:
        for name in cls.event_handlers:
            found[f"{cls.__name__}.{name}"] = f"{cls.get_full_name()}.{name}"
        for sub in cls.get_substates():
            walk(sub)

    walk(rx.State)
    return found
