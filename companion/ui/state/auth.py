"""The state behind /login and /signup: a message to show, and nothing about any account.

The forms post to companion.api.auth_routes over plain HTTP; this state only sends a visitor
who is already signed in onwards, and shows what a redirect without JavaScript brought back.
"""

from __future__ import annotations

import reflex as rx

from companion import routes
from companion.security import auth
from companion.ui.state.base import AppState


class AuthFormState(AppState):
    error: str = ""
    notice: str = ""

    @rx.event
    def open_form(self):
        """On load: a signed-in visitor goes on; a message from the form's redirect shows."""
        query = self.router.url.query_parameters
        self.notice = (
            "Your account and all your data were deleted." if query.get("deleted") == "1" else ""
        )
        code = query.get("error", "")
        self.error = auth.MESSAGES_BY_CODE.get(code, "") if code else ""
        if self._require_patient() is not None:
            return rx.redirect(routes.safe_next(query.get("next")), replace=True)
        return None
