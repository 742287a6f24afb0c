"""/safety-plan: the patient's own plan as saved (the form itself is kept on the phone and sent
by assets/js/outbox.js)."""

from __future__ import annotations

import reflex as rx

from companion.clinical import SAFETY_PLAN_HELPERS_MAX, SAFETY_PLAN_STEPS
from companion.data import safety_plans
from companion.data.db import session_scope
from companion.ui.state.base import AppState

TEXT_KEYS = tuple(step.key for step in SAFETY_PLAN_STEPS if step.key != "helpers")


def _blank_helpers() -> list[dict[str, str]]:
    return [{"name": "", "phone": ""} for _ in range(SAFETY_PLAN_HELPERS_MAX)]


class SafetyPlanState(AppState):
    texts: dict[str, str] = {key: "" for key in TEXT_KEYS}
    helpers: list[dict[str, str]] = _blank_helpers()
    loaded: bool = False
    form_key: int = 0

    def _show(self, plan: safety_plans.PlanView) -> None:
        self.texts = {key: getattr(plan, key) for key in TEXT_KEYS}
        people = [{"name": h.name, "phone": h.phone} for h in plan.helpers]
        self.helpers = (people + _blank_helpers())[:SAFETY_PLAN_HELPERS_MAX]
        self.form_key += 1
        self.loaded = True

    @rx.event
    def load(self):
        patient_id = self._require_patient()
        if patient_id is None:
            return self._to_login()
        with session_scope() as session:
            self._show(safety_plans.get_plan(session, patient_id))
        return None
