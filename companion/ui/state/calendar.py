"""The private calendar feed: planned infusions, what is due and a daily check-in reminder.

Its address stays on Settings until the patient revokes it, yet is never stored: the token is
HMAC(server key, a random seed), so the database holds only the seed and the token's hash.
"""

from __future__ import annotations

import re
import secrets
from typing import Any

import reflex as rx

from companion import routes
from companion.clinical import format_short_date
from companion.data import calendar
from companion.data.db import session_scope
from companion.security import secret
from companion.security.tokens import hash_token
from companion.settings import settings
from companion.ui.state.base import NOT_ACTED, Acted, AppState, without_secrets

_TIME = re.compile(r"^([01][0-9]|2[0-3]):[0-5][0-9]$")
_PURPOSE = "calendar-feed"


def feed_url(token: str) -> str:
    return settings.public_url + routes.calendar_feed(token)


def feed_token(feed: calendar.CalendarFeed) -> str | None:
    """The feed's token again, or None when it cannot be rebuilt (a link made before seeds, or
    a server key that changed): then only a new link helps."""
    if not feed.token_seed:
        return None
    token = secret.sign(_PURPOSE, feed.token_seed)
    return token if hash_token(token) == feed.token_hash else None


class CalendarState(AppState):
    exists: bool = False
    created: str = ""
    reminder_time: str = "20:00"
    new_url: str = ""
    webcal_url: str = ""
    error: str = ""
    status: str = ""
    _made: Acted = NOT_ACTED

    def __getstate__(self) -> dict[str, object]:
        return without_secrets(super().__getstate__(), ("new_url", "webcal_url"))

    def _show(self, feed: calendar.CalendarFeed | None) -> None:
        self.exists = feed is not None
        token = feed_token(feed) if feed is not None else None
        self.new_url = feed_url(token) if token else ""
        self.webcal_url = "webcal://" + self.new_url.split("://", 1)[1] if token else ""
        if feed is not None:
            self.created = format_short_date(feed.created_at.date())
            self.reminder_time = feed.reminder_time

    @rx.event
    def load(self):
        patient_id = self._require_patient()
        if patient_id is None:
            return self._to_login()
        # A late on_load of the visit that made the link must not hide its "ready" line.
        if not self._same_visit(self._made):
            self.error = self.status = ""
        with session_scope() as session:
            self._show(calendar.get_feed(session, patient_id))
        return None

    @rx.event
    def make_feed(self, form: Any):
        """A new address (the old one stops working) with the chosen reminder time."""
        patient_id = self._require_patient()
        if patient_id is None:
            return self._to_login()
        value = form.get("reminder_time") if isinstance(form, dict) else None
        if not isinstance(value, str) or not _TIME.match(value.strip()):
            self.error = "Choose a reminder time like 20:00."
            return None
        seed = secrets.token_urlsafe(32)
        token = secret.sign(_PURPOSE, seed)
        with session_scope() as session:
            feed = calendar.replace_feed(
                session, patient_id, hash_token(token), value.strip(), token_seed=seed
            )
            self._show(feed)
        self.error = ""
        self.status = "Calendar link ready. Add it to your calendar with the steps below."
        self._made = self._acted_now()
        return None

    @rx.event
    def stop_feed(self):
        patient_id = self._require_patient()
        if patient_id is None:
            return self._to_login()
        with session_scope() as session:
            calendar.revoke_feed(session, patient_id)
        self._show(None)
        self.status = "Calendar feed stopped: its address no longer works."
        return None
