"""/checkin: mood in one tap, Save in the next; everything else optional, below.

Every answer is a native control (radios, checkboxes, fields), so a tap shows at once, works
before the page has heard from the server, and is kept on the phone as it is made
(assets/js/outbox.js) until the server has saved it."""

from __future__ import annotations

import reflex as rx

from companion import routes
from companion.clinical.checkin import NOTE_MAX, TAGS
from companion.clinical.safety import SUICIDAL_THOUGHTS
from companion.ui.components.crisis import crisis_panel
from companion.ui.components.delete_day import delete_day
from companion.ui.components.rating import rating_row
from companion.ui.components.shell import page_shell, refresh_button, save_bar
from companion.ui.state.checkin import CheckInState

# The version of the answers the server sent: assets/js/outbox.js resets the form to them when
# it changes (data-kc-version). Re-drawing every input instead (a key per version) cost a
# 1-second task on Lighthouse's phone (issue 12).
FORM = CheckInState.form_key


def _day_strip() -> rx.Component:
    return rx.el.nav(
        rx.foreach(
            CheckInState.strip,
            lambda chip: rx.link(
                rx.el.span(chip["weekday"]),
                rx.el.span(chip["mark"], class_name="day-mark"),
                rx.el.span(chip["day"]),
                href=routes.CHECKIN + "?day=" + chip["iso"],
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
            key=FORM,
            class_name="native-input",
            on_change=CheckInState.open_day,
        ),
        rx.cond(
            CheckInState.error != "",
            rx.el.p(CheckInState.error, role="alert", class_name="form-error"),
        ),
        class_name="field",
    )


def _crisis_box(kind: str, value: str) -> rx.Component:
    """Shown by the stylesheet the moment the answer is chosen (no server needed), and
    scrolled into view above the Save bar by assets/js/actions.js."""
    return rx.el.div(
        crisis_panel("urgent" if kind == "urgent" else "support", heading_level="h3"),
        role="alert",
        id=f"crisis-{kind}",
        tab_index=-1,
        class_name=f"stack crisis-alert crisis-when-{value}",
    )


def _suicidal_thoughts() -> rx.Component:
    """Starts unanswered: no answer is stored as not answered, never as "None"."""
    return rx.el.div(
        rx.el.p(
            rx.cond(CheckInState.is_today, "Suicidal thoughts today", "Suicidal thoughts that day"),
            id="suicidal-caption",
            class_name="field-caption",
        ),
        rx.el.div(
            *[
                rx.el.label(
                    rx.el.input(
                        type="radio",
                        name="suicidal_thoughts",
                        value=value,
                        default_checked=CheckInState.suicidal_thoughts == value,
                        custom_attrs=(
                            {"data-kc-shows": "crisis-urgent"}
                            if value == "intent"
                            else {"data-kc-shows": "crisis-support"}
                            if value == "passing"
                            else {}
                        ),
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
        _crisis_box("urgent", "intent"),
        _crisis_box("support", "passing"),
        class_name="field suicidal-field",
    )


def _tags() -> rx.Component:
    return rx.el.div(
        rx.el.p("Tags", id="tags-caption", class_name="field-caption"),
        rx.el.div(
            *[
                rx.el.label(
                    rx.el.input(
                        type="checkbox",
                        name="tags",
                        value=tag,
                        default_checked=CheckInState.tags.contains(tag),
                        # One Tab stop for all the tags; arrow keys move between them
                        # (assets/js/roving.js), so Save is a few Tabs from the top.
                        tab_index=0 if i == 0 else -1,
                        class_name="chip-input",
                    ),
                    rx.el.span(tag),
                    class_name="chip",
                )
                for i, tag in enumerate(TAGS)
            ],
            role="toolbar",
            aria_labelledby="tags-caption",
            class_name="chips",
            custom_attrs={"data-kc-roving": ""},
        ),
        class_name="field",
    )


def _worse_row(caption: str, key: str, selected: rx.Var[int]) -> rx.Component:
    """Anxiety and pain: 0 is none and 10 the worst, the other way round to mood."""
    return rating_row(
        caption,
        key,
        selected,
        "0 None",
        "10 Severe",
        mid_label="5 Moderate",
        higher="worse",
        optional=True,
    )


def _optional() -> rx.Component:
    return rx.el.section(
        rx.heading("More about the day (optional)", as_="h2", size="4"),
        _worse_row("Anxiety", "anxiety", CheckInState.anxiety),
        rating_row(
            "Energy",
            "energy",
            CheckInState.energy,
            "0 None",
            "10 Plenty",
            mid_label="5 Some",
            higher="better",
            optional=True,
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
                class_name="native-input",
                width="8em",
            ),
            class_name="field",
        ),
        _worse_row("Pain", "pain", CheckInState.pain),
        _suicidal_thoughts(),
        _tags(),
        rx.el.div(
            rx.el.label("Note", html_for="field-note"),
            rx.el.textarea(
                id="field-note",
                name="note",
                max_length=NOTE_MAX,
                default_value=CheckInState.note,
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


def checkin_page() -> rx.Component:
    return page_shell(
        rx.el.div(
            rx.text(
                CheckInState.day_title,
                rx.cond(CheckInState.editing, " · editing your check-in", ""),
                size="3",
                class_name="muted",
            ),
            rx.el.form(
                # "" for today: the server files the entry under the day it was made.
                rx.el.input(
                    type="hidden",
                    name="day",
                    default_value=rx.cond(CheckInState.is_today, "", CheckInState.day_iso),
                    key=CheckInState.draft_key,
                ),
                rx.el.div(
                    rating_row(
                        "Mood",
                        "mood",
                        CheckInState.mood,
                        "0 Very low",
                        "10 Very good",
                        mid_label="5 Okay",
                        higher="better",
                    ),
                    _optional(),
                    class_name="stack",
                ),
                save_bar("Save"),
                refresh_button(CheckInState.refresh, "checkin"),
                custom_attrs={
                    "data-kc-outbox": "checkin",
                    "data-kc-key": CheckInState.draft_key,
                    "data-kc-label": "your check-in",
                    "data-kc-nothing": rx.cond(
                        CheckInState.editing,
                        "Already saved. Change an answer, then Save.",
                        "Choose your mood first, then Save.",
                    ),
                    "data-kc-loading": rx.cond(CheckInState.loaded, None, ""),
                    "data-kc-param": "day",
                    "data-kc-for": CheckInState.loaded_for,
                    "data-kc-day": CheckInState.day_iso,
                    "data-kc-zone": CheckInState.zone,
                    "data-kc-version": FORM,
                },
                class_name="checkin-form",
            ),
            delete_day(),
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
