"""A row of 0-10 buttons, one tap each: a named group whose pressed button is the answer."""

from __future__ import annotations

from typing import Any

import reflex as rx


def rating_row(
    caption: str,
    key: str,
    selected: rx.Var[int],
    on_pick: Any,
    low_label: str,
    high_label: str,
    *,
    highest: int = 10,
    hint: str = "",
) -> rx.Component:
    """Buttons "0".."highest" in a group named by caption; on_pick(key, value) is the event."""
    caption_id = f"{key}-caption"
    return rx.el.div(
        rx.el.p(
            caption,
            rx.el.span(hint, class_name="muted caption-hint") if hint else rx.fragment(),
            id=caption_id,
            class_name="field-caption",
        ),
        rx.el.div(
            *[
                rx.button(
                    str(value),
                    type="button",
                    size="3",
                    class_name="rating-button",
                    variant=rx.cond(selected == value, "solid", "soft"),
                    color_scheme=rx.cond(selected == value, "teal", "gray"),
                    aria_pressed=rx.cond(selected == value, "true", "false"),
                    on_click=on_pick(key, value),
                )
                for value in range(highest + 1)
            ],
            role="group",
            aria_labelledby=caption_id,
            class_name="rating-row",
        ),
        rx.el.div(
            rx.el.span(low_label),
            rx.el.span(high_label),
            class_name="rating-ends muted",
            aria_hidden="true",
        ),
        class_name="field rating-field",
    )
