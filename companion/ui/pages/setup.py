"""/setup: the first-run set-up, one step at a time, each skippable (also opened from Settings)."""

from __future__ import annotations

import reflex as rx

from companion import routes
from companion.clinical.sideeffects import ROUTES
from companion.ui.components.forms import form_error, text_field
from companion.ui.components.shell import page_shell
from companion.ui.components.zone import zone_detector, zone_picker
from companion.ui.pages.settings import calendar_section
from companion.ui.state.setup import STEPS, SetupState


def _buttons(main: rx.Component, step: int) -> rx.Component:
    """The step's own action, then Skip (or Finish) and Back."""
    last = step == len(STEPS) - 1
    return rx.el.div(
        main,
        rx.button(
            "Finish" if last else "Skip this step",
            type="button",
            size="3",
            variant="soft",
            color_scheme="gray",
            on_click=SetupState.go(step + 1),
        ),
        rx.button(
            "Back",
            type="button",
            size="3",
            variant="ghost",
            on_click=SetupState.go(step - 1),
        )
        if step
        else rx.fragment(),
        class_name="setup-buttons",
    )


def _continue(step: int) -> rx.Component:
    return _buttons(
        rx.button("Continue", type="button", size="3", on_click=SetupState.go(step + 1)), step
    )


def _messages() -> rx.Component:
    return rx.fragment(
        rx.cond(SetupState.error != "", form_error(SetupState.error)),
        rx.cond(
            SetupState.message != "",
            rx.el.p(SetupState.message, role="status", class_name="form-status"),
        ),
    )


def _clinic() -> rx.Component:
    return rx.form(
        rx.text("Your clinic's number shows on every crisis screen and on Get help now."),
        text_field(
            "Clinic name",
            "clinic_name",
            default_value=SetupState.clinic_name,
            max_length=120,
        ),
        text_field(
            "Clinic phone",
            "clinic_phone",
            type_="tel",
            default_value=SetupState.clinic_phone,
            max_length=40,
        ),
        rx.el.div(
            rx.el.label("Time zone", html_for="field-timezone"),
            # This phone's zone first and picked: a sign-up sent before the page's scripts ran
            # (a slow phone) made the account UTC.
            zone_picker(SetupState.timezone, SetupState.timezone_label, True),
            rx.text('"Today" follows this time zone.', size="2", class_name="muted"),
            class_name="field",
        ),
        _messages(),
        _buttons(rx.button("Save and continue", type="submit", size="3"), 0),
        on_submit=SetupState.save_clinic,
        reset_on_submit=False,
        class_name="stack",
    )


def _reminder() -> rx.Component:
    return rx.el.div(
        calendar_section(),
        _continue(1),
        class_name="stack",
    )


def _infusions() -> rx.Component:
    return rx.el.div(
        rx.text(
            "Add your next infusion. Already had some? Add each one you've had, from the first: "
            "the phase and what is due follow from their dates."
        ),
        rx.text(SetupState.phase_line, weight="medium"),
        rx.form(
            rx.el.div(
                rx.el.label("Date of the infusion", html_for="field-date"),
                rx.el.input(id="field-date", name="date", type="date", class_name="native-input"),
                class_name="field",
            ),
            rx.el.div(
                rx.el.label("Time (optional)", html_for="field-time"),
                rx.el.input(id="field-time", name="time", type="time", class_name="native-input"),
                class_name="field",
            ),
            rx.el.div(
                rx.el.label("How it is given", html_for="field-route"),
                rx.el.select(
                    *[rx.el.option(label, value=key) for key, label in ROUTES],
                    id="field-route",
                    name="route",
                    default_value="iv",
                    class_name="native-select",
                ),
                class_name="field",
            ),
            _messages(),
            rx.button("Add this infusion", type="submit", size="3", variant="outline"),
            on_submit=SetupState.add_infusion,
            reset_on_submit=True,
            class_name="stack",
        ),
        _continue(2),
        class_name="stack",
    )


def _baseline() -> rx.Component:
    return rx.el.div(
        rx.text(
            "A PHQ-9 before your first infusion is the baseline every later score is compared "
            "with. It takes about two minutes."
        ),
        rx.cond(SetupState.baseline_line != "", rx.text(SetupState.baseline_line)),
        rx.cond(
            SetupState.baseline_before_treatment,
            rx.fragment(),
            rx.el.div(
                rx.link("Take the PHQ-9 now", href=routes.PHQ9, class_name="primary-link"),
                rx.text(
                    "Took one at your clinic? Open it and choose “Took it on an earlier day?”.",
                    size="2",
                    class_name="muted",
                ),
                class_name="stack-tight",
            ),
        ),
        _buttons(rx.fragment(), 3),
        class_name="stack",
    )


def setup_page() -> rx.Component:
    return page_shell(
        rx.cond(
            SetupState.loaded,
            rx.el.section(
                rx.text(SetupState.step_line, size="2", class_name="muted"),
                rx.heading(SetupState.step_title, as_="h2", size="5"),
                rx.match(
                    SetupState.step,
                    (0, rx.fragment(_clinic(), zone_detector())),
                    (1, _reminder()),
                    (2, _infusions()),
                    _baseline(),
                ),
                rx.link("Set up later: go to Today", href=routes.TODAY, size="2"),
                class_name="card stack",
                aria_label="Set-up",
            ),
        ),
        title="Set up",
        active="",
    )
