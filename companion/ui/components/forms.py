"""Form pieces with real labels: every control is named for screen readers and tests."""

from __future__ import annotations

from typing import Any

import reflex as rx


def text_field(
    label: str,
    name: str,
    *,
    type_: str = "text",
    hint: str = "",
    name_override: str = "",
    **props: Any,
) -> rx.Component:
    """A labelled input; the label's html_for names the input's id."""
    field_id = f"field-{name}"
    hint_id = f"{field_id}-hint"
    return rx.el.div(
        rx.el.label(label, html_for=field_id),
        rx.input(
            id=field_id,
            name=name_override or name,
            type=type_,
            size="3",
            width="100%",
            aria_describedby=hint_id if hint else None,
            **props,
        ),
        rx.text(hint, id=hint_id, size="2", class_name="muted") if hint else rx.fragment(),
        class_name="field",
    )


def form_error(message: rx.Var[str]) -> rx.Component:
    """A message read out by screen readers as soon as it appears."""
    return rx.el.p(message, role="alert", class_name="form-error")


def submit_button(label: str, **props: Any) -> rx.Component:
    return rx.button(label, type="submit", size="3", width="100%", **props)


def posted_form(
    *fields: rx.Component,
    submit: rx.Component,
    action: str,
    error: rx.Var[str] | str = "",
    busy: str = "",
) -> rx.Component:
    """A form the server answers over plain HTTP (sign in, sign out, delete the account).

    assets/js/forms.js posts it with fetch and shows the message in its error line; without
    JavaScript the browser posts it and follows the redirect. The error line is always there
    (hidden while empty) so the script has a place for the message, read out as an alert.
    """
    hidden = (error == "") if isinstance(error, rx.Var) else not error
    return rx.el.form(
        *fields,
        rx.el.p(
            error,
            role="alert",
            class_name="form-error",
            hidden=hidden,
            custom_attrs={"data-kc-error": ""},
        ),
        submit,
        action=action,
        method="post",
        custom_attrs={"data-kc-post": "", **({"data-kc-busy": busy} if busy else {})},
        class_name="stack",
    )
