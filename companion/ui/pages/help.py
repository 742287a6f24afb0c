"""/help: the crisis page, open to everyone; a signed-in patient keeps the app's navigation."""

from __future__ import annotations

import reflex as rx

from companion.ui.components.crisis import crisis_panel
from companion.ui.components.shell import page_shell
from companion.ui.state.help import HelpState


def help_page() -> rx.Component:
    return page_shell(
        rx.text(
            "You deserve support right now. Reaching out is a strong thing to do.",
            size="4",
            margin_bottom="16px",
        ),
        crisis_panel("help"),
        rx.el.section(
            rx.heading("If you are not in immediate danger", as_="h2", size="4"),
            rx.el.ul(
                rx.el.li("Tell someone you trust how you are feeling, today."),
                rx.el.li("Move away from anything you could use to hurt yourself."),
                rx.el.li("Call your clinic and tell them your mood has changed."),
                rx.el.li("Stay with other people if you can, until the feeling eases."),
                class_name="bullets",
            ),
            margin_top="24px",
        ),
        title="Get help now",
        signed_in=HelpState.signed_in,
    )
