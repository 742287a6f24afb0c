"""/login: email and password, one clear message for any mismatch."""

from __future__ import annotations

import reflex as rx

from companion import routes
from companion.ui.components.forms import posted_form, submit_button, text_field
from companion.ui.components.shell import page_shell
from companion.ui.state.auth import AuthFormState


def login_page() -> rx.Component:
    return page_shell(
        rx.text(
            "Ketamine Companion: your mood log, infusions and trends in one place.",
            weight="medium",
            margin_bottom="8px",
        ),
        rx.cond(
            AuthFormState.notice != "",
            rx.el.p(AuthFormState.notice, role="status", class_name="form-status"),
        ),
        posted_form(
            text_field("Email", "email", type_="email", auto_complete="email", required=True),
            text_field(
                "Password",
                "password",
                type_="password",
                auto_complete="current-password",
                required=True,
            ),
            # Filled by forms.js from this page's ?next= (checked again on the server).
            rx.el.input(type="hidden", name="next", default_value=""),
            submit=submit_button("Sign in"),
            action=routes.AUTH_SIGNIN,
            error=AuthFormState.error,
            busy="Signing in…",
        ),
        rx.text(
            "New here? ",
            rx.link("Create an account", href=routes.SIGNUP),
            margin_top="24px",
        ),
        title="Sign in",
        signed_in=False,
    )
