"""The help page adds the patient's clinic number when someone is signed in."""

from __future__ import annotations

import reflex as rx

from companion.data import accounts
from companion.data.db import session_scope
from companion.ui.state.base import AppState


class HelpState(AppState):
    clinic_name: str = ""
    clinic_phone: str = ""

    @rx.event
    def load(self):
        self.clinic_name = ""
        self.clinic_phone = ""
        patient_id = self._require_patient()
        if patient_id is None:
            return
        with session_scope() as session:
            patient = accounts.get_patient(session, patient_id)
            if patient is not None:
                self.clinic_name = patient.clinic_name
                self.clinic_phone = patient.clinic_phone
