"""/infusions: the list (planned ones first), each with its phase, and the log/edit form."""

from __future__ import annotations

import reflex as rx

from companion import routes
from companion.clinical import DOSE_UNITS, ROUTES
from companion.clinical.checkin import NOTE_MAX
from companion.ui.components.shell import page_shell, refresh_button
from companion.ui.state.infusions import InfusionsState


def _labelled(label: str, control: rx.Component, field_id: str) -> rx.Component:
    return rx.el.div(rx.el.label(label, html_for=field_id), control, class_name="field")


def _input(name: str, type_: str = "text", **props) -> rx.Component:
    return rx.el.input(
        id=f"infusion-{name}",
        name=name,
        type=type_,
        default_value=InfusionsState.form[name],
        class_name="native-input",
        **props,
    )


def _select(name: str, options: list[tuple[str, str]]) -> rx.Component:
    return rx.el.select(
        *[rx.el.option(label, value=value) for value, label in options],
        id=f"infusion-{name}",
        name=name,
        default_value=InfusionsState.form[name],
        class_name="native-select",
    )


def _form() -> rx.Component:
    return rx.el.section(
        rx.heading(
            rx.cond(InfusionsState.editing_id >= 0, "Edit infusion", "Log an infusion"),
            as_="h2",
            size="5",
        ),
        rx.text(
            "Past or planned: a date in the future is saved as a planned infusion.",
            size="2",
            class_name="muted",
        ),
        rx.el.form(
            rx.el.div(
                rx.cond(
                    InfusionsState.editing_id >= 0,
                    rx.el.input(
                        type="hidden",
                        name="infusion_id",
                        default_value=InfusionsState.editing_id.to(str),
                    ),
                ),
                rx.el.div(
                    _labelled("Date", _input("date", "date", required=True), "infusion-date"),
                    _labelled("Time", _input("time", "time"), "infusion-time"),
                    class_name="two-up",
                ),
                _labelled("Route", _select("route", list(ROUTES)), "infusion-route"),
                rx.el.div(
                    _labelled(
                        "Dose (optional)",
                        # A hint beside the field, not a placeholder: a greyed "0.5" in the
                        # field reads as a dose already entered.
                        rx.fragment(
                            _input(
                                "dose_value",
                                "text",
                                input_mode="decimal",
                                aria_describedby="dose-hint",
                            ),
                            rx.text(
                                "A number, e.g. 0.5", id="dose-hint", size="2", class_name="muted"
                            ),
                        ),
                        "infusion-dose_value",
                    ),
                    _labelled(
                        "Dose unit",
                        _select("dose_unit", [(u, u) for u in DOSE_UNITS]),
                        "infusion-dose_unit",
                    ),
                    class_name="two-up",
                ),
                _labelled("Clinic", _input("clinic", max_length=120), "infusion-clinic"),
                _labelled(
                    "Infusion note",
                    rx.el.textarea(
                        id="infusion-note",
                        name="note",
                        default_value=InfusionsState.form["note"],
                        max_length=NOTE_MAX,
                        class_name="textarea",
                    ),
                    "infusion-note",
                ),
                rx.el.p(
                    role="status",
                    class_name="form-status",
                    custom_attrs={"data-kc-status": ""},
                ),
                rx.hstack(
                    rx.button(
                        rx.cond(InfusionsState.editing_id >= 0, "Save changes", "Save infusion"),
                        type="submit",
                        size="3",
                    ),
                    rx.cond(
                        InfusionsState.editing_id >= 0,
                        rx.button(
                            "Cancel",
                            type="button",
                            size="3",
                            variant="soft",
                            color_scheme="gray",
                            on_click=InfusionsState.cancel_edit,
                        ),
                    ),
                    wrap="wrap",
                ),
                class_name="stack",
            ),
            refresh_button(InfusionsState.refresh, "infusion"),
            key=InfusionsState.form_key,
            # Kept on the phone and sent by assets/js/outbox.js, the whole form at once; after
            # a save it is blank again, and a blank form saves nothing.
            custom_attrs={
                "data-kc-outbox": "infusion",
                "data-kc-key": "infusion:" + InfusionsState.editing_id.to(str),
                "data-kc-send": "all",
                "data-kc-label": "your infusion",
                "data-kc-nothing": "Fill in the infusion first, then save it.",
            },
        ),
        id="infusion-form",
        class_name="card stack",
        custom_attrs={"data-kc-reveal": InfusionsState.edit_reveal.to(str)},
    )


def _check_link(check: rx.Var) -> rx.Component:
    """Done, due now, not open yet or missed: said in words as well as by the chip's look."""
    return rx.link(
        rx.cond(check.done, "✓ ", ""),
        check.label,
        check.note,
        href=check.href,
        class_name="check-link check-" + check.state,
        underline="none",
    )


def _item(item: rx.Var) -> rx.Component:
    return rx.el.li(
        rx.el.div(
            rx.el.span(item.phase, class_name="phase-badge"),
            rx.cond(item.planned, rx.el.span("Planned", class_name="planned-badge")),
            class_name="badges",
        ),
        rx.text(item.when, weight="bold"),
        rx.text(
            item.route,
            rx.cond(item.dose != "", rx.el.span(" · ", item.dose)),
            rx.cond(item.clinic != "", rx.el.span(" · ", item.clinic)),
        ),
        rx.cond(item.note != "", rx.text(item.note, size="2", class_name="muted")),
        rx.cond(
            item.checks.length() > 0,
            rx.el.div(
                rx.text("Post-infusion checks", size="2", weight="medium"),
                rx.el.div(rx.foreach(item.checks, _check_link), class_name="chips"),
            ),
        ),
        rx.cond(
            InfusionsState.confirm_delete_id == item.id,
            rx.hstack(
                rx.text("Delete this infusion and its checks?", weight="medium"),
                rx.button(
                    "Yes, delete",
                    size="2",
                    color_scheme="red",
                    on_click=InfusionsState.delete(item.id),
                ),
                rx.button(
                    "Keep it",
                    size="2",
                    variant="soft",
                    color_scheme="gray",
                    on_click=InfusionsState.ask_delete(-1),
                ),
                wrap="wrap",
                role="alert",
            ),
            rx.hstack(
                rx.button(
                    "Edit",
                    size="2",
                    variant="soft",
                    on_click=InfusionsState.edit(item.id),
                    aria_label="Edit infusion of " + item.when,
                ),
                rx.button(
                    "Delete",
                    size="2",
                    variant="soft",
                    color_scheme="gray",
                    on_click=InfusionsState.ask_delete(item.id),
                    aria_label="Delete infusion of " + item.when,
                ),
            ),
        ),
        class_name="card stack-tight",
    )


def infusions_page() -> rx.Component:
    return page_shell(
        rx.el.div(
            rx.cond(
                InfusionsState.status != "",
                rx.el.p(InfusionsState.status, role="status", class_name="form-status"),
            ),
            rx.cond(InfusionsState.today_iso != "", _form()),
            rx.heading("Your infusions", as_="h2", size="5"),
            rx.cond(
                InfusionsState.items.length() > 0,
                rx.el.ul(rx.foreach(InfusionsState.items, _item), class_name="plain-list"),
                rx.text(
                    "No infusions yet. Log your first one above, or plan the next.",
                    class_name="muted",
                ),
            ),
            rx.link("Back to Today", href=routes.TODAY),
            class_name="stack",
        ),
        title="Infusions",
        active="",
    )
