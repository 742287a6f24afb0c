"""/safety-plan: the six steps of a personal safety plan, in the patient's own words."""

from __future__ import annotations

import reflex as rx

from companion import routes
from companion.clinical import SAFETY_PLAN_HELPERS_MAX, SAFETY_PLAN_STEPS, SAFETY_PLAN_TEXT_MAX
from companion.ui.components.shell import page_shell, refresh_button, save_bar
from companion.ui.state.safety_plan import SafetyPlanState


def _step_text(key: str, title: str, prompt: str) -> rx.Component:
    field_id = f"plan-{key}"
    return rx.el.div(
        rx.el.label(title, html_for=field_id),
        rx.text(prompt, id=f"{field_id}-hint", size="2", class_name="muted"),
        rx.el.textarea(
            id=field_id,
            name=key,
            max_length=SAFETY_PLAN_TEXT_MAX,
            default_value=SafetyPlanState.texts[key],
            key=SafetyPlanState.form_key.to(str) + key,
            class_name="textarea",
            aria_describedby=f"{field_id}-hint",
        ),
        class_name="field",
    )


def _person_field(label: str, name: str, value: rx.Var, kind: str = "text") -> rx.Component:
    field_id = name.replace("_", "-")
    return rx.el.div(
        rx.el.label(label, html_for=field_id),
        rx.el.input(
            id=field_id,
            name=name,
            type=kind,
            default_value=value,
            key=SafetyPlanState.form_key.to(str) + name,
            max_length=80 if kind == "text" else 40,
            auto_complete="off",
            class_name="native-input",
        ),
        class_name="field",
    )


def _helpers(title: str, prompt: str) -> rx.Component:
    rows = [
        rx.el.div(
            _person_field(f"Name {n}", f"helper_name_{n}", SafetyPlanState.helpers[n - 1]["name"]),
            _person_field(
                f"Phone {n}", f"helper_phone_{n}", SafetyPlanState.helpers[n - 1]["phone"], "tel"
            ),
            class_name="two-up",
        )
        for n in range(1, SAFETY_PLAN_HELPERS_MAX + 1)
    ]
    return rx.el.fieldset(
        rx.el.legend(title, class_name="question-text"),
        rx.text(prompt, size="2", class_name="muted"),
        *rows,
        class_name="question stack-tight",
    )


def _form() -> rx.Component:
    parts = []
    for step in SAFETY_PLAN_STEPS:
        if step.key == "helpers":
            parts.append(_helpers(step.title, step.prompt))
        else:
            parts.append(_step_text(step.key, step.title, step.prompt))
    return rx.el.form(
        rx.el.div(
            *parts,
            rx.text(
                "Your clinic's number (from Settings) and the crisis line for where you live "
                "show with your plan on every crisis screen.",
                size="2",
                class_name="muted",
            ),
            save_bar("Save my plan", class_name="save-row"),
            class_name="stack",
        ),
        refresh_button(SafetyPlanState.load, "safety_plan"),
        # Kept on the phone and sent whole by assets/js/outbox.js.
        custom_attrs={
            "data-kc-outbox": "safety_plan",
            "data-kc-key": "safety_plan",
            "data-kc-send": "all",
            "data-kc-label": "your safety plan",
            "data-kc-nothing": "Nothing has changed in your plan since it was saved.",
        },
    )


def safety_plan_page() -> rx.Component:
    return page_shell(
        rx.text(
            "Write this when you feel steady, in your own words. It shows on every crisis screen "
            "and on the help page, even without a connection. It stays private: it is only on a "
            "summary for your clinician if you choose that when you make the link.",
            margin_bottom="8px",
        ),
        rx.text(
            "Based on the Safety Planning Intervention (Stanley and Brown, 2012).",
            size="2",
            class_name="muted",
            margin_bottom="16px",
        ),
        rx.cond(SafetyPlanState.loaded, _form(), rx.text("Loading your plan…", class_name="muted")),
        rx.link("Get help now", href=routes.HELP, margin_top="16px"),
        title="My safety plan",
        active=routes.SETTINGS,
    )
