"""The daily check-in: one tap per answer, Save, and the crisis screen at once when needed."""

from __future__ import annotations

import time
from datetime import date, timedelta
from typing import Any

import reflex as rx

from companion.clinical import format_short_date
from companion.clinical.checkin import (
    TAGS,
    CheckInInput,
    ValidationError,
    validate_checkin,
)
from companion.clinical.safety import (
    needs_crisis_screen,
    safety_kind_for_checkin,
)
from companion.data import accounts, checkins, safety
from companion.data.db import session_scope
from companion.localtime import local_today
from companion.ui.state.base import AppState, acted_just_now

RATINGS = {"mood": "Mood", "anxiety": "Anxiety", "energy": "Energy", "pain": "Pain"}
# Only these keys of a submitted form are read; anything else a client sends is ignored.
FORM_KEYS = (
    "day",
    "mood",
    "anxiety",
    "energy",
    "pain",
    "sleep_hours",
    "suicidal_thoughts",
    "tags",
    "note",
)
STRIP_DAYS = 7


def day_label(day: date, today: date) -> str:
    if day == today:
        return f"Today, {format_short_date(day)}"
    if day == today - timedelta(days=1):
        return f"Yesterday, {format_short_date(day)}"
    return format_short_date(day)


SHOW_CRISIS_SCRIPT = (
    "requestAnimationFrame(() => { const panel = document.getElementById('crisis-alert');"
    " if (panel) { panel.scrollIntoView({block: 'start', behavior: 'instant'});"
    " panel.focus({preventScroll: true}); } })"
)


class CheckInState(AppState):
    """What the page shows: the day, the answers chosen so far, and a status line."""

    day_iso: str = ""
    today_iso: str = ""
    day_title: str = ""
    mood: int = -1
    anxiety: int = -1
    energy: int = -1
    pain: int = -1
    sleep_hours: str = ""
    suicidal_thoughts: str = "none"
    tags: list[str] = []
    note: str = ""
    editing: bool = False
    status: str = ""
    error: str = ""
    error_field: str = ""
    # Bumped when the loaded values differ, so uncontrolled fields (note, sleep) show them.
    form_key: int = 0
    loaded: bool = False
    # Answers tapped since the last load or save (names of the vars above).
    _touched: list[str] = []
    _saved_at: float = 0.0
    strip: list[dict[str, str]] = []

    @rx.var
    def show_crisis(self) -> bool:
        return self.suicidal_thoughts != "none"

    def _today(self, session: Any, patient_id: int) -> date:
        return local_today(accounts.timezone_of(session, patient_id))

    def _show(self, entry: checkins.CheckIn | None, day: date, today: date) -> None:
        before = (self.day_iso, self.note, self.sleep_hours, self.suicidal_thoughts)
        # Taps that reached the server before this load (a slow connection, a quick thumb)
        # are kept when they were for this same day, not overwritten by the stored values.
        same_day = self.day_iso in ("", day.isoformat())
        pending = {name: getattr(self, name) for name in self._touched} if same_day else {}
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
        self.suicidal_thoughts = entry.suicidal_thoughts if entry else "none"
        self.tags = list(entry.tag_list) if entry else []
        self.note = entry.note if entry else ""
        # Uncontrolled fields (note, sleep, the radios) only take new defaults on a remount;
        # remount only when they change, so nothing typed before a late load is wiped.
        for name, value in pending.items():
            setattr(self, name, value)
        self._touched = []
        if (self.day_iso, self.note, self.sleep_hours, self.suicidal_thoughts) != before:
            self.form_key += 1
        self.loaded = True

    def _load_day(self, patient_id: int, requested: object) -> None:
        with session_scope() as session:
            today = self._today(session, patient_id)
            day = today
            self.error = self.error_field = ""
            if requested not in (None, ""):
                try:
                    day = validate_checkin({"day": requested, "mood": 0}, today).day
                except ValidationError as problem:
                    self.error, self.error_field = problem.message, problem.field
            self._show(checkins.get_checkin(session, patient_id, day), day, today)
            start = today - timedelta(days=STRIP_DAYS - 1)
            logged = checkins.logged_days(session, patient_id, start, today)
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
        if not acted_just_now(self._saved_at):
            self.status = ""
        patient_id = self._require_patient()
        if patient_id is None:
            return self._to_login()
        self._load_day(patient_id, self.router.url.query_parameters.get("day"))
        return None

    @rx.event
    def open_day(self, value: Any):
        """Show another day to fill in or edit (never a future one)."""
        patient_id = self._require_patient()
        if patient_id is None:
            return self._to_login()
        self.status = ""
        # Anything but a date string gets the same clear message as a bad date, on today's form.
        self._load_day(patient_id, value)
        return None

    @rx.event
    def pick(self, field: Any, value: Any):
        """A tap on a 0-10 button; tapping an optional answer again clears it."""
        if self._require_patient() is None:
            return self._to_login()
        if field not in RATINGS:
            self.error, self.error_field = "That answer is not part of the check-in.", ""
            return None
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10:
            self.error = f"{RATINGS[field]} must be a whole number from 0 to 10."
            self.error_field = field
            return None
        current = getattr(self, field)
        setattr(self, field, -1 if field != "mood" and current == value else value)
        self._touch(field)
        self.status = ""
        if self.error_field in (field, ""):
            self.error = self.error_field = ""
        return None

    @rx.event
    def choose_suicidal_thoughts(self, value: Any):
        """Any answer but None shows the crisis screen at once, before anything is saved."""
        if self._require_patient() is None:
            return self._to_login()
        try:
            needs_crisis_screen(value)
        except ValueError:
            self.error = "Please choose one of the answers about suicidal thoughts."
            self.error_field = "suicidal_thoughts"
            return None
        showing = self.suicidal_thoughts != "none"
        self.suicidal_thoughts = value
        self._touch("suicidal_thoughts")
        self.status = ""
        if value != "none" and not showing:
            # The help must be on screen, not below the fold behind the Save bar.
            return rx.call_script(SHOW_CRISIS_SCRIPT)
        return None

    @rx.event
    def toggle_tag(self, tag: Any):
        if self._require_patient() is None:
            return self._to_login()
        if tag not in TAGS:
            self.error, self.error_field = "Choose one of the listed tags.", "tags"
            return None
        self.tags = [t for t in self.tags if t != tag] if tag in self.tags else [*self.tags, tag]
        self._touch("tags")
        self.status = ""
        return None

    def _touch(self, name: str) -> None:
        if name not in self._touched:
            self._touched = [*self._touched, name]

    def _answers(self) -> dict[str, object]:
        return {
            "day": self.day_iso,
            "mood": self.mood if self.mood >= 0 else None,
            "anxiety": self.anxiety if self.anxiety >= 0 else None,
            "energy": self.energy if self.energy >= 0 else None,
            "pain": self.pain if self.pain >= 0 else None,
            "sleep_hours": self.sleep_hours,
            "suicidal_thoughts": self.suicidal_thoughts,
            "tags": list(self.tags),
            "note": self.note,
        }

    @rx.event
    def save(self, form: Any):
        """Validate everything on the server, then insert or update the day's check-in."""
        patient_id = self._require_patient()
        if patient_id is None:
            return self._to_login()
        submitted = form if isinstance(form, dict) else {}
        raw = self._answers() | {k: v for k, v in submitted.items() if k in FORM_KEYS}
        with session_scope() as session:
            today = self._today(session, patient_id)
            if not raw.get("day"):
                raw["day"] = today.isoformat()  # saved before the page finished loading
            try:
                entry = validate_checkin(raw, today)
            except ValidationError as problem:
                self.error, self.error_field = problem.message, problem.field
                self.status = ""
                return None
            row, _created = checkins.save_checkin(session, patient_id, entry)
            kind = safety_kind_for_checkin(entry.suicidal_thoughts)
            if kind is not None and row.id is not None:
                safety.record_safety_event(session, patient_id, entry.day, kind, "checkin", row.id)
        self._after_save(entry, today)
        return None

    def _after_save(self, entry: CheckInInput, today: date) -> None:
        self._touched = []
        self.error = self.error_field = ""
        self.editing = True
        self.sleep_hours = "" if entry.sleep_hours is None else f"{entry.sleep_hours:g}"
        self.note = entry.note
        self.tags = list(entry.tags)
        self.suicidal_thoughts = entry.suicidal_thoughts
        when = "today" if entry.day == today else format_short_date(entry.day)
        self.status = f"Saved for {when}. You can change it any time."
        self._saved_at = time.time()
        for chip in self.strip:
            if chip["iso"] == entry.day.isoformat():
                chip["mark"], chip["state"] = "✓", "logged"
                chip["label"] = f"{format_short_date(entry.day)}: logged"
