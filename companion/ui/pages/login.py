"""/login: email and password, one clear message for any mismatch."""

from __future__ import annotations

import reflex as rx

from companion import routes
from companion.ui.components.forms import form_error, submit_button, text_field
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
        rx.form(
            rx.vstack(
                text_field("Email", "email", type_="email", auto_complete="email", required=True),
                text_field(
                    "Password",
                    "password",
                    type_="password",
                    auto_complete="current-password",
                    required=True,
                ),
                rx.cond(AuthFormState.error != "", form_error(AuthFormState.error)),
                submit_button("Sign in"),
                spacing="4",
                width="100%",
            ),
            on_submit=AuthFormState.sign_in,
            reset_on_submit=False,
        ),
        rx.text(
            "New here? ",
            rx.link("Create an account", href=routes.SIGNUP),
            margin_top="24px",
        ),
        title="Sign in",
        signed_in=False,
    )
