"""The crisis screen: 988, 741741, 911, findahelpline.com and the patient's clinic."""

from __future__ import annotations

import reflex as rx

from companion.clinical.safety import CRISIS, NOBODY_WATCHING


def _contact(name: str, action: str, href: str) -> rx.Component:
    return rx.el.li(
        rx.link(
            rx.el.span(action, class_name="crisis-action"),
            rx.el.span(name, class_name="crisis-name"),
            href=href,
            underline="none",
            class_name="crisis-link",
        )
    )


def clinic_contact(clinic_name: rx.Var[str], clinic_phone: rx.Var[str]) -> rx.Component:
    """The patient's own clinic, when they saved its number in Settings."""
    return rx.cond(
        clinic_phone != "",
        rx.el.li(
            rx.link(
                rx.el.span("Call your clinic: ", clinic_phone, class_name="crisis-action"),
                rx.el.span(
                    rx.cond(clinic_name != "", clinic_name, "Your clinic"), class_name="crisis-name"
                ),
                href="tel:" + clinic_phone,
                underline="none",
                class_name="crisis-link",
            )
        ),
    )


def crisis_panel(
    clinic_name: rx.Var[str] | None = None,
    clinic_phone: rx.Var[str] | None = None,
    heading_level: str = "h2",
) -> rx.Component:
    """Every way to get help now, with the plain statement that nobody is watching."""
    return rx.el.section(
        rx.heading("If you might act on thoughts of suicide", as_=heading_level, size="5"),
        rx.text(NOBODY_WATCHING, weight="medium"),
        rx.el.ul(
            # Calling 988 first, then the patient's own clinic, then every other way.
            _contact(CRISIS[0].name, CRISIS[0].action, CRISIS[0].href),
            clinic_contact(clinic_name, clinic_phone)
            if clinic_name is not None and clinic_phone is not None
            else rx.fragment(),
            *[_contact(c.name, c.action, c.href) for c in CRISIS[1:]],
            class_name="crisis-list",
        ),
        class_name="crisis-panel",
        aria_label="Crisis help",
        id="crisis-panel",
    )
