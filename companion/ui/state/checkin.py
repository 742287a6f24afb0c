"""The daily check-in page: which day, what was saved for it, and the last seven days.

Answers are not sent through this state: the form is kept on the phone and sent by
assets/js/outbox.js to companion.api.entries, so nothing tapped depends on this tab's server
state. This state only shows what is saved, and refreshes once an entry is."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import reflex as rx

from companion import routes
from companion.clinical import format_short_date
from companion.clinical.checkin import ValidationError, validate_day
from companion.data import accounts, checkins
from companion.data.db import session_scope, transaction
from companion.localtime import local_today
from companion.ui.state.base import AppState

STRIP_DAYS = 7


def day_label(day: date, today: date) -> str:
    if day == today:
        return f"Today, {format_short_date(day)}"
    if day == today - timedelta(days=1):
        return f"Yesterday, {format_short_date(day)}"
    return format_short_date(day)


class CheckInState(AppState):
    """What the page shows: the day and what was saved for it."""

    day_iso: str = ""
    today_iso: str = ""
    day_title: str = "Today"
    mood: int = -1
    anxiety: int = -1
    energy: int = -1
    pain: int = -1
    sleep_hours: str = ""
    suicidal_thoughts: str = ""
    tags: list[str] = []
    note: str = ""
    editing: bool = False
    error: str = ""
    # Bumped when the saved values differ from those shown, so the form takes them.
    form_key: int = 0
    strip: list[dict[str, str]] = []
    # False until this visit's day is known: taps made before are held by the phone for the
    # day that then loads (assets/js/outbox.js, data-kc-loading), never filed under another.
    loaded: bool = False
    # The ?day= of the page address the shown day was loaded for: a tab's state outlives the
    # page, so a new page briefly gets the last one's day; the phone holds taps until this
    # matches its own address (data-kc-for), so none is ever filed under the last page's day.
    loaded_for: str = ""
    # The patient's time zone: the phone files a draft or entry kept past midnight under the
    # day it was made on there (assets/js/outbox.js), not under the new "today".
    zone: str = ""

    @rx.var
    def is_today(self) -> bool:
        return self.day_iso in ("", self.today_iso)

    @rx.var
    def draft_key(self) -> str:
        """Where the phone keeps this form's answers: today's under "today", so a tap made
        before the page knows the date lands in the same place as one made after."""
        return (
            "checkin:today" if self.day_iso in ("", self.today_iso) else f"checkin:{self.day_iso}"
        )

    def _shown(self) -> tuple[object, ...]:
        return (
            self.mood,
            self.anxiety,
            self.energy,
            self.pain,
            self.sleep_hours,
            self.suicidal_thoughts,
            list(self.tags),
            self.note,
            self.day_iso,
        )

    def _show(
        self, found: tuple[checkins.DayEntry, tuple[str, ...]] | None, day: date, today: date
    ) -> None:
        shown = self._shown()
        entry, tags = found if found is not None else (None, ())
        self.day_iso = day.isoformat()
        self.today_iso = today.isoformat()
        self.day_title = day_label(day, today)
        self.editing = entry is not None
        self.mood = entry.mood if entry else -1
        self.anxiety = entry.anxiety if entry and entry.anxiety is not None else -1
        self.energy = entry.energy if entry and entry.energy is not None else -1
        self.pain = entry.pain if entry and entry.pain is not None else -1
        self.sleep_hours = (
            f"{entry.sleep_hours:g}" if entry and entry.sleep_hours is not None else ""
        )
        self.suicidal_thoughts = (entry.suicidal_thoughts or "") if entry else ""
        self.tags = list(tags)
        self.note = entry.note if entry else ""
        self.loaded = True
        if self._shown() != shown:
            self.form_key += 1

    def _load_day(self, patient_id: int, requested: object) -> None:
        # Core reads, no ORM session: this runs after every Save (refresh), on the event loop
        # the next Save's answer waits for.
        with transaction() as db:
            self.zone = accounts.timezone_of(db, patient_id)
            today = local_today(self.zone)
            day = today
            self.error = ""
            if requested not in (None, ""):
                try:
                    day = validate_day(requested, today)
                except ValidationError as problem:
                    self.error = problem.message
            self._show(checkins.day_answers(db, patient_id, day), day, today)
            start = today - timedelta(days=STRIP_DAYS - 1)
            logged = checkins.logged_days(db, patient_id, start, today)
        self.strip = [
            {
                "iso": d.isoformat(),
                "weekday": format_short_date(d).split(" ")[0],
                "day": str(d.day),
                "mark": "✓" if d in logged else "·",
                "state": "logged" if d in logged else "missing",
                "label": f"{format_short_date(d)}: {'logged' if d in logged else 'not logged'}",
            }
            for d in (start + timedelta(days=i) for i in range(STRIP_DAYS))
        ]

    @rx.event
    def load(self):
        patient_id = self._require_patient()
        if patient_id is None:
            return self._to_login()
        requested = self.router.url.query_parameters.get("day")
        self._load_day(patient_id, requested)
        self.loaded_for = str(requested or "")
        return None

    @rx.event
    def open_day(self, value: Any):
        """Show another day to fill in or edit (never a future one), at its own address, so the
        address always says which day the form is for."""
        patient_id = self._require_patient()
        if patient_id is None:
            return self._to_login()
        # Anything but a date string gets the same clear message as a bad date, on today's form.
        self._load_day(patient_id, value)
        if self.error:
            return None
        self.loaded_for = self.day_iso
        return rx.redirect(f"{routes.CHECKIN}?day={self.day_iso}")

    @rx.event
    def refresh(self):
        """After the phone's entry was saved: the day as saved, and the strip's marks."""
        patient_id = self._require_patient()
        if patient_id is None:
            return self._to_login()
        self._load_day(patient_id, self.day_iso or None)
        return None

    # Deleting a saved day, the shown one, after a confirmation: the day asked about and the
    # day just deleted (both ISO), so neither shows on another day's page.
    confirm_delete_day: str = ""
    deleted_day: str = ""

    @rx.event
    def ask_delete_day(self, asking: Any = True):
        """Ask "Delete this day?" (asking is True), or take the question back."""
        self.confirm_delete_day = self.day_iso if asking is True else ""

    @rx.event
    def delete_day(self):
        """Delete the shown day's check-in, today's or a past day's: a mistaken entry is
        otherwise only ever overwritten. Deleting it again changes nothing. The phone drops
        that day's unsent entry first (data-kc-forget, assets/js/outbox.js), so no resend
        brings it back; entries already sent are never saved twice (the submission ledger)."""
        patient_id = self._require_patient()
        if patient_id is None:
            return self._to_login()
        asked, self.confirm_delete_day = self.confirm_delete_day, ""
        if not asked or asked != self.day_iso:
            return None
        with session_scope() as session:
            today = local_today(accounts.timezone_of(session, patient_id))
            try:
                day = validate_day(asked, today)
            except ValidationError:
                return None
            checkins.delete_checkin(session, patient_id, day)
        self._load_day(patient_id, asked)
        self.deleted_day = asked
        return None
