"""The base state: who is signed in, checked against the database on every event that needs it.

Any client can call any public event handler with any arguments, so every handler that reads
or writes patient data starts with `self._require_patient()`. Who is signed in comes from the
websocket handshake, never from anything the page sends: companion.security.tabs replaces the
HttpOnly session cookie there with its SHA-256 (`kc_sid`), which is all a tab's state keeps.
"""

from __future__ import annotations

import time
from http.cookies import CookieError, SimpleCookie

import reflex as rx

from companion import routes
from companion.clinical.validation import row_id
from companion.data.db import transaction
from companion.security import auth
from companion.security.devices import coarse_device
from companion.security.tabs import SESSION_HASH_COOKIE

# Reflex may run a page's on_load after the first event of that visit (a fast tap right after
# the page opens). A load this soon after an action, over the same websocket, belongs to the
# same visit and must not wipe what the action just showed ("Saved", a new share link). A page
# opened anew (a reload, a link, another tab) has a new websocket and starts clean, however soon.
SAME_VISIT_SECONDS = 5.0
# When and over which websocket an action showed something: (time.time(), socket id).
Acted = tuple[float, str]
NOT_ACTED: Acted = (0.0, "")


def without_secrets(fields: dict[str, object], names: tuple[str, ...]) -> dict[str, object]:
    """A state's fields as Reflex stores them between events (in Redis with several workers),
    less the vars holding a link's secret: those live only in the worker's memory and in the
    browser that was shown them, never in Redis (a state's __getstate__ calls this)."""
    return {name: value for name, value in fields.items() if name not in names}


def whole_id(value: object) -> int | None:
    """A row id as sent by the browser: a plain int in a row id's range (never a bool, a
    string or a float)."""
    return row_id(value)


class AppState(rx.State):
    """Root of the app's states. Holds nothing about the patient itself."""

    def _cookie(self, name: str) -> str | None:
        """A cookie as sent with this tab's websocket handshake."""
        raw = self.router.headers.cookie
        if not raw:
            return None
        jar: SimpleCookie = SimpleCookie()
        try:
            jar.load(raw)
        except CookieError:
            return None
        morsel = jar.get(name)
        return morsel.value if morsel else None

    def _session_hash(self) -> str | None:
        """The SHA-256 of this tab's session cookie, if it was a live session at connect."""
        return self._cookie(SESSION_HASH_COOKIE)

    def _require_patient(self) -> int | None:
        """The signed-in patient's id, or None: callers then change nothing and redirect."""
        token_hash = self._session_hash()
        if not token_hash:
            return None
        # On a bare connection (every handler asks this first): see db.transaction.
        with transaction() as db:
            return auth.patient_for_session_hash(db, token_hash)

    def _client(self) -> str:
        return self.router.session.client_ip or "unknown"

    def _device(self) -> str:
        return coarse_device(self.router.headers.user_agent)

    def _acted_now(self) -> Acted:
        """Stamp an action whose result a late on_load of this visit must keep."""
        return (time.time(), self.router.session.session_id)

    def _same_visit(self, acted: Acted) -> bool:
        """This event comes over the websocket that acted, within SAME_VISIT_SECONDS."""
        at, socket = acted
        return (
            bool(socket)
            and socket == self.router.session.session_id
            and time.time() - at <= SAME_VISIT_SECONDS
        )

    def _to_login(self) -> rx.event.EventSpec:
        """To /login, which leads back to this page after signing in."""
        url = self.router.url
        return rx.redirect(routes.login_for(url.path.rstrip("/") or "/", url.query), replace=True)

    @rx.event
    def guard(self):
        """On load of a private page with nothing else to load: signed out goes to /login."""
        if self._require_patient() is None:
            return self._to_login()
        return None
