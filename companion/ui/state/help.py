"""The help page adds the patient's clinic number and the app's navigation when someone is
signed in; a signed-out visitor gets the crisis lines in the signed-out frame."""

from __future__ import annotations

import reflex as rx

from companion.data import accounts
from companion.data.db import session_scope
from companion.ui.state.base import AppState


class HelpState(AppState):
    clinic_name: str = ""
    clinic_phone: str = ""
    # Only chooses which frame /help shows; every private page still checks the session itself.
    signed_in: bool = False

    @rx.event
    def load(self):
        self.clinic_name = ""
        self.clinic_phone = ""
        patient_id = self._require_patient()
        self.signed_in = patient_id is not None
        if patient_id is None:
            return
        with session_scope() as session:
            patient = accounts.get_patient(session, patient_id)
            if patient is not None:
                self.clinic_name = patient.clinic_name
                self.clinic_phone = patient.clinic_phone
