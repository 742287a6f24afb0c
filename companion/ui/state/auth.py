"""Sign-up and sign-in forms. On success the browser trades a one-time ticket for the cookie."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import unquote

import reflex as rx

from companion import routes
from companion.data.db import session_scope
from companion.security import auth
from companion.ui.state.base import AppState


def safe_next(value: object) -> str:
    """Only a path of this app may follow sign-in: never another site."""
    if (
        isinstance(value, str)
        and value.startswith("/")
        and not value.startswith("//")
        and "\\" not in value
        and not routes.is_public(value.split("?", 1)[0])
    ):
        return value
    return routes.TODAY


def exchange_script(ticket: str, next_path: str) -> str:
    """JavaScript that trades the ticket for the HttpOnly cookie, then loads the app afresh."""
    return (
        f"fetch({json.dumps(routes.AUTH_SESSION)}, {{method: 'POST', credentials: 'same-origin',"
        f" headers: {{'Content-Type': 'application/json'}},"
        f" body: JSON.stringify({{ticket: {json.dumps(ticket)},"
        " timezone: Intl.DateTimeFormat().resolvedOptions().timeZone})})"
        ".then(r => { if (r.ok) { sessionStorage.removeItem('token');"
        f" window.location.replace({json.dumps(next_path)}); }}"
        f" else {{ window.location.replace({json.dumps(routes.LOGIN)}); }} }})"
    )


class AuthFormState(AppState):
    """The state behind /login and /signup: a message, and nothing about any account."""

    error: str = ""
    error_field: str = ""
    notice: str = ""
    _timezone: str = ""

    @rx.event
    def open_form(self):
        """On load: a signed-in visitor goes home; otherwise ask the browser its time zone."""
        self.error = ""
        self.error_field = ""
        deleted = self.router.url.query_parameters.get("deleted") == "1"
        self.notice = "Your account and all your data were deleted." if deleted else ""
        if self._require_patient() is not None:
            return rx.redirect(routes.TODAY, replace=True)
        return rx.call_script(
            "Intl.DateTimeFormat().resolvedOptions().timeZone",
            callback=AuthFormState.remember_timezone,
        )

    @rx.event
    def remember_timezone(self, zone: Any):
        if isinstance(zone, str) and len(zone) <= 64:
            self._timezone = zone

    def _page_asked_for(self) -> str:
        """The page a signed-out visit was sent to this form from, if this very page load of
        the form was that visit (see companion.api.middleware)."""
        wanted = self._cookie(auth.RETURN_COOKIE) or ""
        ready = wanted.startswith(auth.RETURN_READY)
        return unquote(wanted[len(auth.RETURN_READY) :]) if ready else ""

    def _finish(self, result: auth.AuthResult):
        if not result.ok:
            self.error = result.message
            self.error_field = result.field
            return None
        self.error = ""
        self.error_field = ""
        assert result.ticket is not None
        next_path = safe_next(
            self.router.url.query_parameters.get("next") or self._page_asked_for()
        )
        return rx.call_script(exchange_script(result.ticket, next_path))

    @rx.event
    def sign_in(self, form: dict[str, Any]):
        form = form if isinstance(form, dict) else {}
        with session_scope() as session:
            result = auth.sign_in(
                session,
                form.get("email"),
                form.get("password"),
                client=self._client(),
                device=self._device(),
            )
        return self._finish(result)

    @rx.event
    def sign_up(self, form: dict[str, Any]):
        form = form if isinstance(form, dict) else {}
        with session_scope() as session:
            result = auth.sign_up(
                session,
                form.get("email"),
                form.get("password"),
                timezone=self._timezone,
                client=self._client(),
                device=self._device(),
            )
        return self._finish(result)
