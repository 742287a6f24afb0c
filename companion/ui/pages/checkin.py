"""/checkin: mood in one tap, Save in the next; everything else optional, below."""

from __future__ import annotations

import reflex as rx

from companion import routes
from companion.clinical.checkin import NOTE_MAX, TAGS
from companion.clinical.safety import SUICIDAL_THOUGHTS
from companion.ui.components.crisis import crisis_panel
from companion.ui.components.rating import rating_row
from companion.ui.components.shell import page_shell
from companion.ui.state.checkin import CheckInState
from companion.ui.state.help import HelpState


def _day_strip() -> rx.Component:
    return rx.el.nav(
        rx.foreach(
            CheckInState.strip,
            lambda chip: rx.link(
                rx.el.span(chip["weekday"]),
                rx.el.span(chip["mark"], class_name="day-mark"),
                rx.el.span(chip["day"]),
                href=routes.CHECKIN + "?day=" + chip["iso"],
                on_click=CheckInState.open_day(chip["iso"]),
                underline="none",
                class_name="day-chip",
                aria_label=chip["label"],
                aria_current=rx.cond(chip["iso"] == CheckInState.day_iso, "date", "false"),
            ),
        ),
        class_name="day-strip",
        aria_label="The last seven days",
    )


def _other_day() -> rx.Component:
    return rx.el.div(
        rx.el.label("Fill in another day", html_for="field-day"),
        rx.el.input(
            id="field-day",
            type="date",
            max=CheckInState.today_iso,
            default_value=CheckInState.day_iso,
            key=CheckInState.form_key,
            class_name="native-input",
            on_change=CheckInState.open_day,
        ),
        class_name="field",
    )


def _suicidal_thoughts() -> rx.Component:
    return rx.el.div(
        rx.el.p("Suicidal thoughts today", id="suicidal-caption", class_name="field-caption"),
        rx.el.div(
            *[
                rx.el.label(
                    rx.el.input(
                        type="radio",
                        name="suicidal_thoughts",
                        value=value,
                        # Uncontrolled, so the tap shows at once; the server hears it too.
                        default_checked=CheckInState.suicidal_thoughts == value,
                        key=CheckInState.form_key.to(str) + value,
                        on_change=CheckInState.choose_suicidal_thoughts(value),
                    ),
                    label,
                    class_name="choice",
                )
                for value, label in SUICIDAL_THOUGHTS
            ],
            role="radiogroup",
            aria_labelledby="suicidal-caption",
            class_name="choice-list",
        ),
        rx.cond(
            CheckInState.show_crisis,
            rx.el.div(
                rx.text(
                    "Thank you for telling us. You don't have to carry this alone.",
                    weight="bold",
                    size="4",
                ),
                crisis_panel(HelpState.clinic_name, HelpState.clinic_phone),
                role="alert",
                id="crisis-alert",
                tab_index=-1,
                class_name="stack crisis-alert",
                margin_top="12px",
            ),
        ),
        class_name="field",
    )


def _tags() -> rx.Component:
    return rx.el.div(
        rx.el.p("Tags", id="tags-caption", class_name="field-caption"),
        rx.el.div(
            *[
                rx.button(
                    tag,
                    type="button",
                    size="2",
                    variant=rx.cond(CheckInState.tags.contains(tag), "solid", "soft"),
                    color_scheme=rx.cond(CheckInState.tags.contains(tag), "teal", "gray"),
                    aria_pressed=rx.cond(CheckInState.tags.contains(tag), "true", "false"),
                    on_click=CheckInState.toggle_tag(tag),
                )
                for tag in TAGS
            ],
            role="group",
            aria_labelledby="tags-caption",
            class_name="chips",
        ),
        class_name="field",
    )


def _optional() -> rx.Component:
    return rx.el.section(
        rx.heading("More about today (optional)", as_="h2", size="4"),
        rating_row(
            "Anxiety", "anxiety", CheckInState.anxiety, CheckInState.pick, "0 none", "10 worst"
        ),
        rating_row(
            "Energy", "energy", CheckInState.energy, CheckInState.pick, "0 none", "10 plenty"
        ),
        rx.el.div(
            rx.el.label("Sleep last night (hours)", html_for="field-sleep_hours"),
            rx.el.input(
                id="field-sleep_hours",
                name="sleep_hours",
                type="number",
                input_mode="decimal",
                min="0",
                max="24",
                step="0.5",
                default_value=CheckInState.sleep_hours,
                key=CheckInState.form_key,
                class_name="native-input",
                width="8em",
            ),
            class_name="field",
        ),
        rating_row("Pain", "pain", CheckInState.pain, CheckInState.pick, "0 none", "10 worst"),
        _suicidal_thoughts(),
        _tags(),
        rx.el.div(
            rx.el.label("Note", html_for="field-note"),
            rx.el.textarea(
                id="field-note",
                name="note",
                max_length=NOTE_MAX,
                default_value=CheckInState.note,
                key=CheckInState.form_key,
                class_name="textarea",
                aria_describedby="note-hint",
            ),
            rx.text(
                f"Up to {NOTE_MAX:,} characters. Only you, and clinicians you share notes with, "
                "can read it.",
                id="note-hint",
                size="2",
                class_name="muted",
            ),
            class_name="field",
        ),
        class_name="stack",
    )


def _save_bar() -> rx.Component:
    return rx.el.div(
        rx.el.div(
            rx.cond(
                CheckInState.error != "",
                rx.el.p(CheckInState.error, role="alert", class_name="form-error"),
                rx.el.p(CheckInState.status, role="status", class_name="form-status"),
            ),
            class_name="save-status",
        ),
        rx.button("Save", type="submit", size="3", min_width="120px"),
        class_name="save-bar",
    )


def checkin_page() -> rx.Component:
    return page_shell(
        rx.el.div(
            rx.text(
                CheckInState.day_title,
                rx.cond(CheckInState.editing, " · editing your check-in", ""),
                size="3",
                class_name="muted",
            ),
            rx.form(
                rx.el.div(
                    rating_row(
                        "Mood",
                        "mood",
                        CheckInState.mood,
                        CheckInState.pick,
                        "0 worst",
                        "10 best",
                    ),
                    # The uncontrolled fields wait for the day's saved values; the mood row and
                    # Save work at once (an early Save goes to today).
                    rx.cond(
                        CheckInState.loaded,
                        _optional(),
                        rx.text("Loading your day…", class_name="muted"),
                    ),
                    class_name="stack",
                ),
                _save_bar(),
                on_submit=CheckInState.save,
                reset_on_submit=False,
            ),
            rx.el.section(
                rx.heading("Other days", as_="h2", size="4"),
                _day_strip(),
                _other_day(),
                rx.link("Log an infusion", href=routes.INFUSIONS),
                class_name="stack",
            ),
            class_name="stack page-with-save-bar",
        ),
        title="Check-in",
        active=routes.CHECKIN,
    )
