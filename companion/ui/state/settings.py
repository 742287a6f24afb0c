"""Settings: time zone, clinic contact, password change and sign-out."""

from __future__ import annotations

from typing import Any

import reflex as rx

from companion.clinical import COUNTRY_CHOICES, help_for
from companion.clinical.validation import unreadable
from companion.data import accounts
from companion.data.db import session_scope
from companion.localtime import is_valid_timezone, readable_zone
from companion.security import auth, tabs
from companion.security.passwords import off_the_loop
from companion.ui.state.base import NOT_ACTED, Acted, AppState

CLINIC_NAME_MAX = 120
CLINIC_PHONE_MAX = 40
SUMMARY_NAME_MAX = 80
_PHONE_CHARS = set("0123456789+-() .")
PASSWORD_CHANGED = "Password changed. Other devices have been signed out."  # noqa: S105


def clinic_problem(name: object, phone: object) -> str:
    """What is wrong with a clinic name and phone as typed ("" when both can be saved)."""
    if not isinstance(name, str) or len(name.strip()) > CLINIC_NAME_MAX:
        return f"The clinic name can be at most {CLINIC_NAME_MAX} characters."
    if unreadable(name):
        return "The clinic name has characters that can't be saved."
    if (
        not isinstance(phone, str)
        or len(phone.strip()) > CLINIC_PHONE_MAX
        or not set(phone.strip()) <= _PHONE_CHARS
    ):
        return "Enter the clinic's phone number with digits, spaces, + - ( )."
    return ""


class SettingsState(AppState):
    """The patient's details and the forms of Settings (password, and the crisis country)."""

    email: str = ""
    timezone: str = "UTC"
    clinic_name: str = ""
    clinic_phone: str = ""
    summary_name: str = ""
    # "" follows the time zone; a country code; or "other".
    crisis_country: str = ""
    _acted: Acted = NOT_ACTED
    profile_message: str = ""
    profile_error: str = ""
    password_message: str = ""
    password_error: str = ""

    @rx.var
    def timezone_label(self) -> str:
        return f"Your zone now: {readable_zone(self.timezone)}"

    @rx.var
    def zone_country(self) -> str:
        """The country the time zone is in, as the crisis-country picker names it."""
        return help_for("", self.timezone).name

    @rx.event
    def load(self):
        # A late on_load of the visit that saved must not wipe "Saved." or "Password changed."
        if not self._same_visit(self._acted):
            self.profile_message = self.profile_error = ""
            self.password_message = self.password_error = ""
        # "Delete my account" posted without JavaScript comes back with ?error=<code>.
        self.delete_error = auth.MESSAGES_BY_CODE.get(
            self.router.url.query_parameters.get("error", ""), ""
        )
        patient_id = self._require_patient()
        if patient_id is None:
            return self._to_login()
        with session_scope() as session:
            patient = accounts.get_patient(session, patient_id)
            if patient is None:
                return self._to_login()
            self.email = patient.email
            self.timezone = patient.timezone or "UTC"
            self.clinic_name = patient.clinic_name
            self.clinic_phone = patient.clinic_phone
            self.summary_name = patient.summary_name
            self.crisis_country = patient.crisis_country
        return None

    @rx.event
    def save_profile(self, form: dict[str, Any]):
        patient_id = self._require_patient()
        if patient_id is None:
            return self._to_login()
        form = form if isinstance(form, dict) else {}
        self.profile_message = ""
        zone = form.get("timezone")
        name = form.get("clinic_name", "")
        phone = form.get("clinic_phone", "")
        shown_name = form.get("summary_name", "")
        country = form.get("crisis_country", self.crisis_country)
        if not isinstance(country, str) or country not in {"", *(c for c, _ in COUNTRY_CHOICES)}:
            self.profile_error = "Choose where the crisis numbers are for from the list."
            return None
        if not is_valid_timezone(zone):
            self.profile_error = "Choose a time zone from the list, like New York (Eastern Time)."
            return None
        problem = clinic_problem(name, phone)
        if problem:
            self.profile_error = problem
            return None
        if (
            not isinstance(shown_name, str)
            or len(shown_name.strip()) > SUMMARY_NAME_MAX
            or any(not ch.isprintable() for ch in shown_name)
        ):
            self.profile_error = (
                f"The name on shared summaries can be at most {SUMMARY_NAME_MAX} characters "
                "of plain text."
            )
            return None
        assert isinstance(zone, str) and isinstance(name, str) and isinstance(phone, str)
        with session_scope() as session:
            accounts.update_profile(
                session,
                patient_id,
                timezone=zone,
                clinic_name=name.strip(),
                clinic_phone=phone.strip(),
                summary_name=shown_name.strip(),
                crisis_country=country,
            )
        self.timezone, self.clinic_name, self.clinic_phone = zone, name.strip(), phone.strip()
        self.summary_name = shown_name.strip()
        self.crisis_country = country
        self.profile_error = ""
        self.profile_message = "Saved."
        self._acted = self._acted_now()
        return None

    @rx.event
    async def change_password(self, form: dict[str, Any]):
        """Check the current password and set the new one (hashing runs off the event loop);
        every other signed-in browser is signed out and its tabs' state dropped."""
        patient_id = self._require_patient()
        token_hash = self._session_hash()
        if patient_id is None or token_hash is None:
            return self._to_login()
        form = form if isinstance(form, dict) else {}
        self.password_message = ""

        def work() -> str | None:
            with session_scope() as session:
                return auth.change_password(
                    session,
                    patient_id,
                    token_hash,
                    form.get("current_password"),
                    form.get("new_password"),
                )

        problem = await off_the_loop(work)
        if problem:
            self.password_error = problem
            return None
        await tabs.drop_other_sessions(patient_id, token_hash)
        self.password_error = ""
        self.password_message = PASSWORD_CHANGED
        self._acted = self._acted_now()
        return None

    # Shown by the delete form (companion.api.auth_routes answers it).
    delete_error: str = ""
