"""What every crisis screen shows: the crisis lines of the patient's country (chosen in
Settings, else from their time zone), their clinic, and their own safety plan. A signed-out
visitor gets the lines in the signed-out frame; before anything loads, the US set shows."""

from __future__ import annotations

import reflex as rx

from companion.clinical import COUNTRIES, SAFETY_PLAN_STEPS, CrisisContact, help_for
from companion.data import accounts, safety_plans
from companion.data.db import session_scope
from companion.ui.state.base import AppState


def contact(line: CrisisContact) -> dict[str, str]:
    return {"name": line.name, "action": line.action, "href": line.href}


US = COUNTRIES["US"]


class HelpState(AppState):
    clinic_name: str = ""
    clinic_phone: str = ""
    # Only chooses which frame /help shows; every private page still checks the session itself.
    signed_in: bool = False
    country: str = US.name
    crisis_line: dict[str, str] = contact(US.crisis_line)
    emergency: dict[str, str] = contact(US.emergency)
    other_lines: list[dict[str, str]] = [contact(line) for line in US.others]
    # The patient's safety plan: its steps that have words, and the people to call.
    plan_steps: list[dict[str, str]] = []
    plan_helpers: list[dict[str, str]] = []

    @rx.var
    def has_plan(self) -> bool:
        return bool(self.plan_steps or self.plan_helpers)

    def _show_lines(self, chosen: str, zone: str) -> None:
        lines = help_for(chosen, zone)
        self.country = lines.name
        self.crisis_line = contact(lines.crisis_line)
        self.emergency = contact(lines.emergency)
        self.other_lines = [contact(line) for line in lines.others]

    @rx.event
    def load(self):
        self.clinic_name = self.clinic_phone = ""
        self.plan_steps, self.plan_helpers = [], []
        patient_id = self._require_patient()
        self.signed_in = patient_id is not None
        if patient_id is None:
            self._show_lines("", "")
            return
        with session_scope() as session:
            patient = accounts.get_patient(session, patient_id)
            plan = safety_plans.get_plan(session, patient_id)
        if patient is None:
            return
        self.clinic_name, self.clinic_phone = patient.clinic_name, patient.clinic_phone
        self._show_lines(patient.crisis_country, patient.timezone)
        self.plan_steps = [
            {"title": step.title, "text": getattr(plan, step.key)}
            for step in SAFETY_PLAN_STEPS
            if step.key != "helpers" and getattr(plan, step.key)
        ]
        self.plan_helpers = [
            {"name": h.name, "phone": h.phone, "href": "tel:" + h.phone.replace(" ", "")}
            for h in plan.helpers
        ]
