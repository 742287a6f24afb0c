"""Infusions: log, edit and delete (past or planned), each with its phase and its checks."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import reflex as rx

from companion import routes
from companion.clinical import POST_CHECKS, ROUTES, format_short_date
from companion.data import accounts, infusions
from companion.data.db import session_scope
from companion.localtime import to_local
from companion.summary import labelled_infusions, load_timeline
from companion.ui.state.base import AppState, whole_id

ROUTE_LABELS = dict(ROUTES)
FORM_KEYS = ("date", "time", "route", "dose_value", "dose_unit", "clinic", "note")


@dataclass
class CheckLink:
    label: str = ""
    href: str = ""
    done: bool = False
    # "done", "due" (open now), "later" (not open yet) or "missed" (its window has closed).
    state: str = ""
    note: str = ""


CHECK_NOTES = {"due": " · due now", "missed": " · missed", "later": "", "done": ""}


@dataclass
class InfusionItem:
    id: int = 0
    when: str = ""
    phase: str = ""
    planned: bool = False
    route: str = ""
    dose: str = ""
    clinic: str = ""
    note: str = ""
    checks: list[CheckLink] = field(default_factory=list)


def dose_label(value: float | None, unit: str | None) -> str:
    return f"{value:g} {unit}" if value is not None and unit else ""


class InfusionsState(AppState):
    items: list[InfusionItem] = []
    editing_id: int = -1
    confirm_delete_id: int = -1
    form: dict[str, str] = {}
    form_key: int = 0
    error: str = ""
    status: str = ""
    today_iso: str = ""
    edit_reveal: int = 0
    # The clinic saved in Settings: a new infusion's clinic starts as it.
    _clinic: str = ""

    def _blank_form(self, today_iso: str) -> dict[str, str]:
        return {
            "date": today_iso,
            "time": "09:00",
            "route": "iv",
            "dose_value": "",
            "dose_unit": "mg/kg",
            "clinic": self._clinic,
            "note": "",
        }

    def _refresh(self, patient_id: int) -> None:
        with session_scope() as session:
            timeline = load_timeline(session, patient_id)
            done_checks: dict[int, set[str]] = {}
            for check in infusions.list_post_checks(session, patient_id):
                done_checks.setdefault(check.infusion_id, set()).add(check.timepoint)
            patient = accounts.get_patient(session, patient_id)
            self._clinic = patient.clinic_name if patient else ""
        self.today_iso = timeline.today.isoformat()
        items = []
        for labelled in reversed(labelled_infusions(timeline)):
            row = labelled.row
            local = to_local(row.start, timeline.timezone)
            planned = row.start > timeline.now
            checks: list[CheckLink] = []
            if not planned and row.id is not None:
                checks = []
                for t in POST_CHECKS:
                    done = t.key in done_checks.get(row.id, set())
                    state = t.status(timeline.now - row.start, done)
                    checks.append(
                        CheckLink(
                            label=t.label,
                            href=routes.post_check(row.id, t.key),
                            done=done,
                            state=state,
                            note=CHECK_NOTES[state],
                        )
                    )
            items.append(
                InfusionItem(
                    id=row.id or 0,
                    when=f"{format_short_date(local.date())} {local.year}, {local:%H:%M}",
                    phase=labelled.name,
                    planned=planned,
                    route=ROUTE_LABELS.get(row.route, row.route),
                    dose=dose_label(row.dose_value, row.dose_unit),
                    clinic=row.clinic,
                    note=row.note,
                    checks=checks,
                )
            )
        self.items = items

    @rx.event
    def load(self):
        patient_id = self._require_patient()
        if patient_id is None:
            return self._to_login()
        self.error = self.status = ""
        self.editing_id = self.confirm_delete_id = -1
        self._refresh(patient_id)
        blank = self._blank_form(self.today_iso)
        if blank != self.form:
            self.form = blank
            self.form_key += 1
        return None

    @rx.event
    def edit(self, infusion_id: Any):
        patient_id = self._require_patient()
        if patient_id is None:
            return self._to_login()
        with session_scope() as session:
            number = whole_id(infusion_id)
            row = (
                infusions.get_infusion(session, patient_id, number) if number is not None else None
            )
            timeline = load_timeline(session, patient_id)
        if row is None:
            self.error = "That infusion was not found."
            return None
        local = to_local(row.start, timeline.timezone)
        self.editing_id = row.id or -1
        self.form = {
            "date": local.date().isoformat(),
            "time": f"{local:%H:%M}",
            "route": row.route,
            "dose_value": "" if row.dose_value is None else f"{row.dose_value:g}",
            "dose_unit": row.dose_unit or "mg/kg",
            "clinic": row.clinic,
            "note": row.note,
        }
        self.form_key += 1
        self.error = self.status = ""
        # assets/js/actions.js scrolls the form into view when this changes.
        self.edit_reveal += 1
        return None

    @rx.event
    def cancel_edit(self):
        self.editing_id = -1
        self.form = self._blank_form(self.today_iso)
        self.form_key += 1
        self.error = ""

    @rx.event
    def refresh(self):
        """After the phone's infusion was saved: the list again, and a blank form."""
        patient_id = self._require_patient()
        if patient_id is None:
            return self._to_login()
        self.error = ""
        self.editing_id = -1
        self._refresh(patient_id)
        self.form = self._blank_form(self.today_iso)
        self.form_key += 1
        return None

    @rx.event
    def ask_delete(self, infusion_id: Any):
        if self._require_patient() is None:
            return self._to_login()
        number = whole_id(infusion_id)
        self.confirm_delete_id = number if number is not None else -1
        self.error = "" if number is not None else "That infusion was not found."
        return None

    @rx.event
    def delete(self, infusion_id: Any):
        patient_id = self._require_patient()
        if patient_id is None:
            return self._to_login()
        number = whole_id(infusion_id)
        with session_scope() as session:
            deleted = number is not None and infusions.delete_infusion(session, patient_id, number)
        if not deleted:
            self.error = "That infusion was not found."
            return None
        self.confirm_delete_id = -1
        self.status = "Infusion deleted."
        self._refresh(patient_id)
        return None
