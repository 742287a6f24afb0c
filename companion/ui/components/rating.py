"""A row of 0-10 answers, one tap each: a radio group (one Tab stop, arrow keys move the
choice), drawn as buttons. Native radios, so a tap shows at once and is kept on the phone by
assets/js/outbox.js whether or not the server has answered yet."""

from __future__ import annotations

from typing import Literal

import reflex as rx

# Which end is good, said in words and an icon (never by colour alone); "" for a scale with
# no better end, such as the strength of dissociation after an infusion.
Direction = Literal["better", "worse", ""]
_DIRECTION = {
    "better": ("smile", "Higher is better"),
    "worse": ("frown", "Higher is worse"),
}


def _direction(key: str, higher: Direction) -> rx.Component:
    if not higher:
        return rx.fragment()
    icon, words = _DIRECTION[higher]
    return rx.el.span(
        rx.icon(icon, size=16, aria_hidden="true"),
        words,
        id=f"{key}-direction",
        class_name=f"rating-direction rating-direction-{higher}",
    )


def rating_row(
    caption: str,
    key: str,
    selected: rx.Var[int],
    low_label: str,
    high_label: str,
    *,
    mid_label: str = "",
    higher: Direction = "",
    remount: rx.Var[int] | int = 0,
    highest: int = 10,
    hint: str = "",
    optional: bool = False,
) -> rx.Component:
    """Answers "0".."highest" in a radio group named by caption and described by which end is
    better and the words at its ends (and middle); `selected` is the saved answer (-1: none),
    re-applied when `remount` changes. An optional row clears when its answer is tapped again."""
    caption_id = f"{key}-caption"
    ends_id = f"{key}-ends"
    described_by = f"{key}-direction {ends_id}" if higher else ends_id
    ends: list[rx.Component] = []
    for label in (low_label, mid_label, high_label):
        if label:
            # Commas for a screen reader reading the description; the layout shows the gaps.
            comma = [rx.el.span(",", class_name="visually-hidden")] if ends else []
            ends += [*comma, rx.el.span(label)]
    return rx.el.div(
        rx.el.div(
            rx.el.p(
                caption,
                rx.el.span(hint, class_name="muted caption-hint") if hint else rx.fragment(),
                id=caption_id,
                class_name="field-caption",
            ),
            _direction(key, higher),
            class_name="rating-head",
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
            aria_describedby=described_by,
            class_name=f"rating-row rating-higher-{higher or 'neutral'}",
            custom_attrs={"data-kc-clearable": ""} if optional else {},
        ),
        rx.el.div(
            *ends,
            id=ends_id,
            class_name="rating-ends muted",
        ),
        class_name="field rating-field",
    )
