"""Grey cards where a page's data will appear, so nothing shown first moves when they arrive."""

from __future__ import annotations

import reflex as rx


def placeholder_cards(*heights: str) -> rx.Component:
    """One empty card per height, announced once as loading; the page swaps the whole block
    for its content, so what arrives is drawn in place rather than pushing anything down."""
    return rx.el.div(
        rx.el.span("Loading…", class_name="visually-hidden"),
        *[
            rx.el.div(class_name="card placeholder-card", aria_hidden="true", min_height=h)
            for h in heights
        ],
        role="status",
        class_name="stack",
    )
