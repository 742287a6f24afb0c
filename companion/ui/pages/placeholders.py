"""Pages whose features arrive in later issues: a heading and what will be here, nothing fake."""

from __future__ import annotations

import reflex as rx

from companion import routes
from companion.ui.components.shell import page_shell


def _coming(title: str, active: str, text: str) -> rx.Component:
    return page_shell(rx.text(text, class_name="muted"), title=title, active=active)


def share_page() -> rx.Component:
    return _coming("Share", routes.SHARE, "Sharing with your clinician is not built yet.")
