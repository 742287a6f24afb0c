"""First-run set-up: clinic, reminder and calendar, infusions so far and next, baseline PHQ-9.

Each step saves on its own or is skipped; Settings opens it again at any time.
"""

from __future__ import annotations

from typing import Any

import reflex as rx

from companion import routes
from companion.clinical import PHQ9, format_short_date, treatment_status
from companion.clinical.infusion_input import validate_infusion
from companion.clinical.validation import ValidationError
from companion.data import accounts, infusions, questionnaires
from companion.data.db import session_scope, utcnow
from companion.localtime import is_valid_timezone, readable_zone, zone
from companion.summary import instrument_outcome, load_timeline
from companion.ui.state.base import NOT_ACTED, Acted, AppState
from companion.ui.state.settings import clinic_problem

STEPS = ("Your clinic", "Daily reminder", "Your infusions", "Baseline PHQ-9")
# /setup?step=<key> opens that step (Today's "Add your infusion dates" opens "infusions").
STEP_KEYS = ("clinic", "reminder", "infusions", "baseline")


class SetupState(AppState):
    step: int = 0
    timezone: str = "UTC"
    clinic_name: str = ""
    clinic_phone: str = ""
    phase_line: str = ""
    infusions_logged: int = 0
    # "" until a PHQ-9 is taken; then its score and whether it is a pre-treatment baseline.
    baseline_line: str = ""
    baseline_before_treatment: bool = False
    error: str = ""
    message: str = ""
    loaded: bool = False
    _acted: Acted = NOT_ACTED

    @rx.var
    def step_title(self) -> str:
        return STEPS[self.step] if 0 <= self.step < len(STEPS) else ""

    @rx.var
    def timezone_label(self) -> str:
        return f"Your zone now: {readable_zone(self.timezone)}"

    @rx.var
    def step_line(self) -> str:
        return f"Step {self.step + 1} of {len(STEPS)}"

    def _refresh(self, patient_id: int) -> None:
        """The saved clinic, the phase the infusions logged give, and the baseline PHQ-9."""
        with session_scope() as session:
            patient = accounts.get_patient(session, patient_id)
            if patient is not None:
                self.clinic_name, self.clinic_phone = patient.clinic_name, patient.clinic_phone
                self.timezone = patient.timezone or "UTC"
            timeline = load_timeline(session, patient_id)
            phq9 = questionnaires.list_responses(session, patient_id, "phq9")
        status = treatment_status(timeline.today, timeline.done_days, timeline.planned_days)
        self.phase_line = status.line
        self.infusions_logged = len(timeline.done) + len(timeline.planned)
        first = timeline.done_days[0] if timeline.done_days else None
        outcome = instrument_outcome(PHQ9.name, phq9, first)
        self.baseline_before_treatment = bool(outcome.baseline_day and outcome.pretreatment)
        self.baseline_line = (
            f"Your baseline PHQ-9: {outcome.baseline_total}, "
            f"taken {format_short_date(outcome.baseline_day)}"
            + ("." if outcome.pretreatment else " (no pre-treatment baseline).")
            if outcome.baseline_day is not None
            else ""
        )
        self.loaded = True

    @rx.event
    def load(self):
        patient_id = self._require_patient()
        if patient_id is None:
            return self._to_login()
        # A step asked for by its address opens; else a late on_load of the visit that just
        # saved must not send it back to step 1.
        asked = self.router.url.query_parameters.get("step", "")
        if asked in STEP_KEYS or not self._same_visit(self._acted):
            self.step = STEP_KEYS.index(asked) if asked in STEP_KEYS else 0
            self.error = self.message = ""
        self._refresh(patient_id)
        return None

    @rx.event
    def go(self, step: Any):
        """Another step (Skip, Continue and Back all come here); past the last one: Today."""
        if self._require_patient() is None:
            return self._to_login()
        if isinstance(step, bool) or not isinstance(step, int) or not 0 <= step <= len(STEPS):
            return None
        self.error = self.message = ""
        if step == len(STEPS):
            # Done: opened again (from Settings), the set-up starts at its first step.
            self.step, self._acted = 0, NOT_ACTED
            return rx.redirect(routes.TODAY)
        self.step = step
        self._acted = self._acted_now()
        return None

    @rx.event
    def save_clinic(self, form: Any):
        patient_id = self._require_patient()
        if patient_id is None:
            return self._to_login()
        form = form if isinstance(form, dict) else {}
        name, phone = form.get("clinic_name", ""), form.get("clinic_phone", "")
        problem = clinic_problem(name, phone)
        if problem:
            self.error = problem
            return None
        chosen = form.get("timezone", "")
        if chosen and not is_valid_timezone(chosen):
            self.error = "Choose a time zone from the list, like New York (Eastern Time)."
            return None
        with session_scope() as session:
            tz = chosen or accounts.timezone_of(session, patient_id)
            accounts.update_profile(
                session,
                patient_id,
                timezone=tz,
                clinic_name=str(name).strip(),
                clinic_phone=str(phone).strip(),
            )
        self._refresh(patient_id)
        return SetupState.go(1)

    @rx.event
    def add_infusion(self, form: Any):
        """One infusion, given or planned: the same checks and writer as the Infusions page."""
        patient_id = self._require_patient()
        if patient_id is None:
            return self._to_login()
        form = form if isinstance(form, dict) else {}
        with session_scope() as session:
            tz = zone(accounts.timezone_of(session, patient_id))
            try:
                entry = validate_infusion(form, utcnow(), tz)
            except ValidationError as problem:
                self.error = problem.message
                return None
            infusions.add_infusion(session, patient_id, entry)
        self._refresh(patient_id)
        self.error = ""
        planned = entry.starts_at > utcnow()
        self.message = (
            f"{'Planned infusion' if planned else 'Infusion'} on "
            f"{format_short_date(entry.starts_at.date())} saved. {self.phase_line}."
        )
        self._acted = self._acted_now()
        return None
