"""/signup: an account needs an email and a password of at least 10 characters."""

from __future__ import annotations

import reflex as rx

from companion import routes
from companion.security.passwords import MIN_PASSWORD_LENGTH
from companion.ui.components.forms import posted_form, submit_button, text_field
from companion.ui.components.shell import page_shell
from companion.ui.state.auth import AuthFormState


def signup_page() -> rx.Component:
    return page_shell(
        rx.text(
            "Track your mood between infusions, see whether treatment is working, and share "
            "a summary with your clinician. Your entries stay on this server.",
            margin_bottom="16px",
        ),
        posted_form(
            text_field("Email", "email", type_="email", auto_complete="email", required=True),
            text_field(
                "Password",
                "password",
                type_="password",
                auto_complete="new-password",
                hint=f"At least {MIN_PASSWORD_LENGTH} characters. A short sentence works well.",
                required=True,
            ),
            # Filled by forms.js with this browser's time zone: "today" follows it.
            rx.el.input(type="hidden", name="timezone", default_value=""),
            submit=submit_button("Create account"),
            action=routes.AUTH_SIGNUP,
            error=AuthFormState.error,
            busy="Creating your account…",
        ),
        rx.text(
            "Already have an account? ",
            rx.link("Sign in", href=routes.LOGIN),
            margin_top="24px",
        ),
        title="Create your account",
        signed_in=False,
    )
