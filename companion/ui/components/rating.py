"""A row of 0-10 answers, one tap each: a radio group (one Tab stop, arrow keys move the
choice), drawn as buttons. Native radios, so a tap shows at once and is kept on the phone by
assets/js/outbox.js whether or not the server has answered yet."""

from __future__ import annotations

import reflex as rx


def rating_row(
    caption: str,
    key: str,
    selected: rx.Var[int],
    low_label: str,
    high_label: str,
    *,
    remount: rx.Var[int] | int = 0,
    highest: int = 10,
    hint: str = "",
    optional: bool = False,
) -> rx.Component:
    """Answers "0".."highest" in a radio group named by caption and described by the words at
    its ends; `selected` is the saved answer (-1: none), re-applied when `remount` changes.
    An optional row clears when its chosen answer is tapped again."""
    caption_id = f"{key}-caption"
    ends_id = f"{key}-ends"
    return rx.el.div(
        rx.el.p(
            caption,
            rx.el.span(hint, class_name="muted caption-hint") if hint else rx.fragment(),
            id=caption_id,
            class_name="field-caption",
        ),
        rx.el.div(
            *[
                rx.el.label(
                    rx.el.input(
                        type="radio",
                        name=key,
                        value=str(value),
                        default_checked=selected == value,
                        key=rx.Var.create(remount).to(str) + f"-{key}-{value}",
                        class_name="rating-input",
                    ),
                    rx.el.span(str(value), class_name="rating-number"),
                    class_name="rating-option",
                )
                for value in range(highest + 1)
            ],
            role="radiogroup",
            aria_labelledby=caption_id,
            aria_describedby=ends_id,
            class_name="rating-row",
            custom_attrs={"data-kc-clearable": ""} if optional else {},
        ),
        rx.el.div(
            rx.el.span(low_label),
            rx.el.span(high_label),
            id=ends_id,
            class_name="rating-ends muted",
        ),
        class_name="field rating-field",
    )
