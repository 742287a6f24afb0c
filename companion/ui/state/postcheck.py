"""A post-infusion check: side effects, dissociation, blood pressure, and how it compares;
once saved, what comes next, and what to do about a blood pressure of 180/120 or higher."""

from __future__ import annotations

import math
from datetime import datetime
from typing import Any

import reflex as rx

from companion.clinical import POST_CHECKS, format_short_date
from companion.clinical.blood_pressure import is_hypertensive_crisis
from companion.clinical.infusion_input import DIASTOLIC_RANGE, SYSTOLIC_RANGE, TIMEPOINT_KEYS
from companion.clinical.validation import row_id
from companion.data import infusions
from companion.data.db import session_scope
from companion.localtime import to_local
from companion.summary import load_timeline
from companion.ui.state.base import AppState

TIMEPOINT_LABELS = {t.key: t.label for t in POST_CHECKS}


def next_check(when: str, start: datetime, now: datetime, done: set[str], tz: str) -> str:
    """What follows the check `when` of an infusion given at `start`: the next check still to
    come or open now, with when it opens, or that none is left."""
    keys = [t.key for t in POST_CHECKS]
    for later in POST_CHECKS[keys.index(when) + 1 :]:
        status = later.status(now - start, later.key in done)
        if status == "due":
            return f"Next: the check {later.label.lower()} is open now."
        if status == "later":
            opens = to_local(start + later.opens_after, tz)
            return (
                f"Next: the check {later.label.lower()}, from "
                f"{format_short_date(opens.date())} at {opens:%H:%M}. It shows on Today then."
            )
    return "That was the last check of this infusion. Your daily check-in carries on as usual."


def _reading(value: Any, allowed: tuple[int, int]) -> int | None:
    """A typed blood pressure number (the browser sends a number field's value as a number),
    or None while it is not a whole number in the range a reading is saved in."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if not math.isfinite(value) or value != int(value):
        return None
    low, high = allowed
    return int(value) if low <= value <= high else None


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
    # After Save: what comes next; and whether the reading shown reaches 180/120.
    next_step: str = ""
    saved_count: int = 0
    bp_crisis: bool = False
    _systolic: int | None = None
    _diastolic: int | None = None

    def _show_bp(self) -> None:
        # A number changed after Save is not saved yet: "Saved" would no longer be true.
        self.next_step = ""
        self.bp_crisis = is_hypertensive_crisis(self._systolic, self._diastolic)

    @rx.event
    def typed_systolic(self, value: Any):
        """As the top number is typed: the blood-pressure message at once when it reaches 180."""
        self._systolic = _reading(value, SYSTOLIC_RANGE)
        self._show_bp()

    @rx.event
    def typed_diastolic(self, value: Any):
        self._diastolic = _reading(value, DIASTOLIC_RANGE)
        self._show_bp()

    @rx.event
    def saved(self):
        """Once the phone's check is saved: "Saved", what comes next, and the saved reading's
        message if it reaches 180/120."""
        patient_id = self._require_patient()
        if patient_id is None:
            return self._to_login()
        if not self.found:
            return None
        with session_scope() as session:
            row = infusions.get_infusion(session, patient_id, self.infusion_id)
            check = infusions.get_post_check(session, patient_id, self.infusion_id, self.timepoint)
            if row is None or check is None:
                return None
            done = {c.timepoint for c in infusions.list_post_checks(session, patient_id, row.id)}
            timeline = load_timeline(session, patient_id)
            self._systolic, self._diastolic = check.systolic, check.diastolic
            next_step = next_check(self.timepoint, row.start, timeline.now, done, timeline.timezone)
        self._show_bp()
        self.next_step = next_step
        self.status = ""
        self.saved_count += 1
        return None

    @rx.event
    def load(self):
        patient_id = self._require_patient()
        if patient_id is None:
            return self._to_login()
        params = self.router.url.query_parameters
        raw_id, when = params.get("infusion", ""), params.get("when", "")
        self.error = self.status = self.next_step = ""
        self.found = self.bp_crisis = False
        self._systolic = self._diastolic = None
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
            self._systolic, self._diastolic = existing.systolic, existing.diastolic
            self._show_bp()
            self.status = "You answered this check before; saving again updates it."
        if (self.values, self.dissociation) != before:
            self.form_key += 1
        return None
