"""A post-infusion check: side effects, dissociation, blood pressure, and how it compares."""

from __future__ import annotations

import reflex as rx

from companion import routes
from companion.clinical import POST_CHECKS, format_short_date
from companion.clinical.infusion_input import TIMEPOINT_KEYS
from companion.clinical.validation import row_id
from companion.data import infusions
from companion.data.db import session_scope
from companion.localtime import to_local
from companion.summary import load_timeline
from companion.ui.state.base import AppState

TIMEPOINT_LABELS = {t.key: t.label for t in POST_CHECKS}


class PostCheckState(AppState):
    infusion_id: int = -1
    timepoint: str = ""
    heading: str = ""
    found: bool = False
    values: dict[str, str] = {}
    dissociation: int = -1
    form_key: int = 0
    error: str = ""
    status: str = ""

    @rx.event
    def saved(self):
        """Once the phone's check is saved: back to the list, where it shows as done."""
        if self._require_patient() is None:
            return self._to_login()
        return rx.redirect(routes.INFUSIONS)

    @rx.event
    def load(self):
        patient_id = self._require_patient()
        if patient_id is None:
            return self._to_login()
        params = self.router.url.query_parameters
        raw_id, when = params.get("infusion", ""), params.get("when", "")
        self.error = self.status = ""
        self.found = False
        number = row_id(raw_id, text=True)
        if number is None or when not in TIMEPOINT_KEYS:
            self.error = "This check was not found. Open it from your infusions."
            return None
        with session_scope() as session:
            row = infusions.get_infusion(session, patient_id, number)
            timeline = load_timeline(session, patient_id)
            existing = infusions.get_post_check(session, patient_id, number, when) if row else None
        if row is None:
            self.error = "This check was not found. Open it from your infusions."
            return None
        if row.start > timeline.now:
            self.error = "This infusion is still planned: its checks open once it has happened."
            return None
        local = to_local(row.start, timeline.timezone)
        self.infusion_id = number
        self.timepoint = when
        self.heading = f"{TIMEPOINT_LABELS[when]} · infusion on {format_short_date(local.date())}"
        self.found = True
        before = (self.values, self.dissociation)
        self.values = {}
        self.dissociation = -1
        if existing is not None:
            self.values = {k: str(v) for k, v in existing.side_effects().items()}
            for key in ("systolic", "diastolic", "compared_with_before"):
                value = getattr(existing, key)
                self.values[key] = "" if value is None else str(value)
            self.values["reflection"] = existing.reflection
            self.dissociation = -1 if existing.dissociation is None else existing.dissociation
            self.status = "You answered this check before; saving again updates it."
        if (self.values, self.dissociation) != before:
            self.form_key += 1
        return None
