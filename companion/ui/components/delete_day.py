"""Delete the check-in page's saved day, after a confirmation (CheckInState.delete_day)."""

from __future__ import annotations

import reflex as rx

from companion.ui.state.checkin import CheckInState


def _confirm() -> rx.Component:
    return rx.el.div(
        rx.text("Delete the check-in of ", CheckInState.day_title, "?", weight="medium"),
        rx.text(
            "Its mood and answers are removed. A suicidal-thoughts answer stays on record for "
            "your clinician.",
            size="2",
        ),
        rx.hstack(
            rx.button(
                "Yes, delete",
                color_scheme="red",
                on_click=CheckInState.delete_day,
                # The phone forgets that day's unsent entry first (assets/js/outbox.js).
                custom_attrs={"data-kc-forget": CheckInState.draft_key},
            ),
            rx.button(
                "Keep it",
                variant="soft",
                color_scheme="gray",
                on_click=CheckInState.ask_delete_day(False),
            ),
            wrap="wrap",
        ),
        role="alert",
        class_name="stack-tight",
    )


def delete_day() -> rx.Component:
    """Only for a day with a saved check-in; "Deleted" once it is gone."""
    return rx.el.div(
        rx.cond(
            CheckInState.editing,
            rx.cond(
                CheckInState.confirm_delete_day == CheckInState.day_iso,
                _confirm(),
                rx.button(
                    "Delete this day's check-in",
                    variant="soft",
                    color_scheme="red",
                    on_click=CheckInState.ask_delete_day(True),
                ),
            ),
            rx.cond(
                CheckInState.deleted_day == CheckInState.day_iso,
                rx.el.p("Deleted. This day has no check-in now.", role="status"),
            ),
        ),
        class_name="field",
    )
