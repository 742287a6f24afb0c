"""The base state: who is signed in, checked against the database on every event that needs it.

Any client can call any public event handler with any arguments, so every handler that reads
or writes patient data starts with `self._require_patient()`; the session token comes from
the HttpOnly cookie sent with the websocket handshake, never from anything the page sends.
"""

from __future__ import annotations

import time
from http.cookies import CookieError, SimpleCookie

import reflex as rx

from companion import routes
from companion.data.db import session_scope
from companion.security import auth
from companion.security.devices import coarse_device

SIGN_OUT_SCRIPT = (
    "fetch('" + routes.AUTH_SIGNOUT + "', {method: 'POST', credentials: 'same-origin'})"
    ".finally(() => { sessionStorage.removeItem('token'); "
    "window.location.replace('" + routes.LOGIN + "'); })"
)


# Reflex may run a page's on_load after the first event of that visit (a fast tap right after
# the page opens). A load this soon after an action belongs to the same visit, and must not
# wipe what the action just showed ("Saved", a new share link).
SAME_VISIT_SECONDS = 5.0


def acted_just_now(acted_at: float) -> bool:
    """True when an action (its time.time()) happened within SAME_VISIT_SECONDS."""
    return time.time() - acted_at <= SAME_VISIT_SECONDS


def whole_id(value: object) -> int | None:
    """A row id as sent by the browser: a plain int (never a bool, a string or a float)."""
    return value if isinstance(value, int) and not isinstance(value, bool) else None


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

    def _session_token(self) -> str | None:
        return self._cookie(auth.SESSION_COOKIE)

    def _require_patient(self) -> int | None:
        """The signed-in patient's id, or None: callers then change nothing and redirect."""
        token = self._session_token()
        if not token:
            return None
        with session_scope() as session:
            return auth.patient_for_token(session, token)

    def _client(self) -> str:
        return self.router.session.client_ip or "unknown"

    def _device(self) -> str:
        return coarse_device(self.router.headers.user_agent)

    @staticmethod
    def _to_login() -> rx.event.EventSpec:
        return rx.redirect(routes.LOGIN, replace=True)

    @rx.event
    def guard(self):
        """On load of a private page with nothing else to load: signed out goes to /login."""
        if self._require_patient() is None:
            return self._to_login()
        return None

    @rx.event
    def sign_out(self):
        """End the session on the server, clear the cookie and this tab's state."""
        with session_scope() as session:
            auth.sign_out(session, self._session_token())
        self._reset_tree()
        return rx.call_script(SIGN_OUT_SCRIPT)

    def _reset_tree(self) -> None:
        for substate in self.substates.values():
            _reset_recursive(substate)


def _reset_recursive(state: rx.State) -> None:
    state.reset()
    for child in state.substates.values():
        _reset_recursive(child)
