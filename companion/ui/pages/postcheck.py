"""/infusions/check: side effects (none to severe), dissociation 0-10, blood pressure; after
Save, "Saved" with what is next."""

from __future__ import annotations

import reflex as rx

from companion import routes
from companion.clinical import (
    COMPARED_WITH_BEFORE,
    COMPARED_WITH_BEFORE_LABEL,
    DISSOCIATION_LABEL,
    DISSOCIATION_NOTE,
    SEVERITIES,
    SIDE_EFFECTS,
)
from companion.clinical.blood_pressure import CRISIS_EMERGENCY, CRISIS_MESSAGE
from companion.ui.components.rating import rating_row
from companion.ui.components.shell import page_shell, refresh_button, save_bar
from companion.ui.state.help import HelpState
from companion.ui.state.postcheck import PostCheckState


def _value(name: str, default: str) -> rx.Var:
    """The saved answer for name, or default when there is none yet."""
    return rx.cond(PostCheckState.values.contains(name), PostCheckState.values[name], default)


def _radios(
    name: str,
    caption: str,
    options: list[tuple[str, str]],
    default: str,
    layout: str = "choice-grid",
) -> rx.Component:
    caption_id = f"{name}-caption"
    return rx.el.div(
        rx.el.p(caption, id=caption_id, class_name="field-caption"),
        rx.el.div(
            *[
                rx.el.label(
                    rx.el.input(
                        type="radio",
                        name=name,
                        value=value,
                        default_checked=_value(name, default) == value,
                    ),
                    label,
                    class_name="choice",
                )
                for value, label in options
            ],
            role="radiogroup",
            aria_labelledby=caption_id,
            class_name=layout,
        ),
        class_name="field",
    )


def _number(name: str, label: str, typed: rx.event.EventHandler) -> rx.Component:
    return rx.el.div(
        rx.el.label(label, html_for=f"check-{name}"),
        rx.el.input(
            id=f"check-{name}",
            name=name,
            type="number",
            input_mode="numeric",
            default_value=_value(name, ""),
            class_name="native-input",
            on_change=typed,
        ),
        class_name="field",
    )


def _clinic_call() -> rx.Component:
    return rx.cond(
        HelpState.clinic_phone != "",
        rx.link(
            "Call your clinic: ",
            HelpState.clinic_phone,
            href="tel:" + HelpState.clinic_phone,
            class_name="urgent-link",
        ),
    )


def _bp_message() -> rx.Component:
    """A reading of 180/120 or higher: measure again, call the clinic, or the emergency number
    with signs of organ damage (American Heart Association; companion.clinical.blood_pressure)."""
    return rx.el.div(
        rx.text(CRISIS_MESSAGE, weight="bold"),
        rx.text(
            rx.link(HelpState.emergency["action"], href=HelpState.emergency["href"]),
            " " + CRISIS_EMERGENCY,
        ),
        rx.el.div(_clinic_call(), class_name="urgent-links"),
        role="alert",
        class_name="urgent-box stack-tight",
    )


def _saved() -> rx.Component:
    """After Save: said plainly, with what comes next; scrolled into view above the Save bar
    (data-kc-reveal, assets/js/actions.js)."""
    return rx.el.section(
        rx.heading("Saved", as_="h2", size="5", id="check-saved"),
        rx.text(PostCheckState.next_step),
        rx.cond(PostCheckState.bp_crisis, _bp_message()),
        rx.el.div(
            rx.link("Back to your infusions", href=routes.INFUSIONS),
            rx.link("Today", href=routes.TODAY),
            class_name="urgent-links",
        ),
        aria_labelledby="check-saved",
        tab_index=-1,
        class_name="note stack-tight",
        custom_attrs={"data-kc-reveal": PostCheckState.saved_count.to(str)},
    )


def _urgent() -> rx.Component:
    """What to do about a severe reaction, first on the page, with numbers to tap."""
    return rx.el.div(
        rx.text(
            "Severe side effects, chest pain, or trouble breathing? Don't wait to log it:",
            weight="bold",
        ),
        rx.el.div(
            _clinic_call(),
            # The emergency number where the patient is (911 in the US and Canada).
            rx.link(
                HelpState.emergency["action"],
                " in an emergency",
                href=HelpState.emergency["href"],
                class_name="urgent-link",
            ),
            class_name="urgent-links",
        ),
        class_name="urgent-box",
        role="note",
        aria_label="Severe side effects",
    )


def _form() -> rx.Component:
    severity_options = [(str(i), s.capitalize()) for i, s in enumerate(SEVERITIES)]
    return rx.el.form(
        rx.el.input(
            type="hidden", name="infusion", default_value=PostCheckState.infusion_id.to(str)
        ),
        rx.el.input(type="hidden", name="when", default_value=PostCheckState.timepoint),
        rx.el.div(
            rx.heading("Side effects", as_="h2", size="4"),
            *[_radios(e.key, e.label, severity_options, "0") for e in SIDE_EFFECTS],
            rating_row(
                DISSOCIATION_LABEL,
                "dissociation",
                PostCheckState.dissociation,
                "0 none",
                "10 strongest",
                remount=PostCheckState.form_key,
                hint="(optional)",
                optional=True,
            ),
            rx.text(DISSOCIATION_NOTE, size="2", class_name="muted"),
            rx.heading("Blood pressure at home (optional)", as_="h2", size="4"),
            rx.el.div(
                _number("systolic", "Top number (systolic)", PostCheckState.typed_systolic),
                _number("diastolic", "Bottom number (diastolic)", PostCheckState.typed_diastolic),
                class_name="two-up",
            ),
            # At once as typed; after Save it is part of the "Saved" panel below.
            rx.cond(PostCheckState.bp_crisis & (PostCheckState.next_step == ""), _bp_message()),
            _radios(
                "compared_with_before",
                COMPARED_WITH_BEFORE_LABEL,
                [(str(v), label) for v, label in COMPARED_WITH_BEFORE],
                "",
                # A scale from much worse to much better reads top to bottom, in one column.
                layout="choice-list",
            ),
            rx.el.div(
                rx.el.label(
                    "What stood out about this infusion? (optional)", html_for="check-reflection"
                ),
                rx.el.textarea(
                    id="check-reflection",
                    name="reflection",
                    max_length=1000,
                    default_value=_value("reflection", ""),
                    class_name="textarea",
                ),
                class_name="field",
            ),
            rx.cond(PostCheckState.next_step != "", _saved()),
            class_name="stack page-with-save-bar",
        ),
        save_bar("Save check"),
        rx.el.div(rx.link("Back to your infusions", href=routes.INFUSIONS), class_name="field"),
        refresh_button(PostCheckState.saved, "postcheck"),
        key=PostCheckState.form_key,
        # Kept on the phone and sent whole by assets/js/outbox.js.
        custom_attrs={
            "data-kc-outbox": "postcheck",
            "data-kc-key": "postcheck:"
            + PostCheckState.infusion_id.to(str)
            + ":"
            + PostCheckState.timepoint,
            "data-kc-send": "all",
            "data-kc-label": "your post-infusion check",
            "data-kc-nothing": "Answer the check first, then save it.",
        },
    )


def postcheck_page() -> rx.Component:
    return page_shell(
        rx.cond(
            PostCheckState.found,
            rx.el.div(
                rx.text(PostCheckState.heading, weight="medium", class_name="muted"),
                _urgent(),
                rx.cond(
                    PostCheckState.status != "",
                    rx.el.p(PostCheckState.status, role="status"),
                ),
                _form(),
                class_name="stack",
            ),
            rx.el.div(
                rx.text(PostCheckState.error),
                rx.link("Your infusions", href=routes.INFUSIONS),
                class_name="stack",
            ),
        ),
        title="Post-infusion check",
        active="",
    )
