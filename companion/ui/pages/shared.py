"""/s/<token>: the clinician summary, read-only, printable, safety first."""

from __future__ import annotations

import reflex as rx

from companion.charts import CONFIG
from companion.clinical import COPYRIGHT
from companion.security.sharing import NOT_VALID
from companion.ui.components.shell import page_shell
from companion.ui.state.shared import (
    InfusionItem,
    NoteItem,
    OutcomeItem,
    SafetyItem,
    SharedSummaryState,
)


def _table(caption: str, headers: list[str], body: rx.Component) -> rx.Component:
    return rx.el.div(
        rx.el.table(
            rx.el.caption(caption, class_name="visually-hidden"),
            rx.el.thead(rx.el.tr(*[rx.el.th(h, scope="col") for h in headers])),
            rx.el.tbody(body),
            class_name="data-table cards-on-phone",
        ),
        # Wide tables scroll inside this box on a phone; keyboard users can scroll it too.
        class_name="table-scroll",
        tab_index=0,
        role="group",
        aria_label=caption,
    )


def _cells(headers: list[str], *values: rx.Var) -> list[rx.Component]:
    """Table cells that carry their column's name: on a phone each row becomes a card of
    "name: value" lines (app.css), so no column is cut off."""
    return [
        rx.el.td(value, custom_attrs={"data-label": header})
        for header, value in zip(headers, values, strict=True)
    ]


OUTCOME_COLUMNS = ["Baseline", "Latest", "Change", "% change", "Response", "Remission"]
INFUSION_COLUMNS = [
    "Date",
    "Phase",
    "Route",
    "Dose",
    "Mood 3 days before",
    "Mood 3 days after",
    "Side effects",
    "Durability",
]


def _section(title: str, *children: rx.Component, name: str) -> rx.Component:
    return rx.el.section(
        rx.heading(title, as_="h2", size="5"),
        *children,
        class_name="summary-section",
        aria_label=title,
        id=name,
    )


def _safety() -> rx.Component:
    def row(item: SafetyItem) -> rx.Component:
        return rx.el.li(rx.el.strong(item.day), ": ", item.kind)

    return _section(
        "Safety events",
        rx.cond(
            SharedSummaryState.safety.length() > 0,
            rx.el.ul(rx.foreach(SharedSummaryState.safety, row), class_name="safety-list"),
            rx.text("None recorded in this period."),
        ),
        rx.cond(
            SharedSummaryState.safety_before != "",
            rx.text(SharedSummaryState.safety_before, weight="bold", id="safety-before"),
        ),
        rx.text(
            "Self-reported suicidal-thoughts answers and PHQ-9 item 9 above 0. Nobody monitors "
            "these entries in real time.",
            size="2",
            class_name="muted",
        ),
        name="safety",
    )


def _outcomes() -> rx.Component:
    def row(item: OutcomeItem) -> rx.Component:
        return rx.el.tr(
            rx.el.th(item.name, scope="row"),
            *_cells(
                OUTCOME_COLUMNS,
                item.baseline,
                item.latest,
                item.change,
                item.percent,
                item.response,
                item.remission,
            ),
        )

    return _section(
        "PHQ-9 and GAD-7",
        _table(
            "Questionnaire outcomes",
            ["", *OUTCOME_COLUMNS],
            rx.foreach(SharedSummaryState.outcomes, row),
        ),
        rx.text(
            "Response: at least 50% lower than baseline. Remission: below 5. A change of 5 "
            "points or more is clinically meaningful.",
            size="2",
            class_name="muted",
        ),
        name="outcomes",
    )


def _infusions() -> rx.Component:
    def row(item: InfusionItem) -> rx.Component:
        return rx.el.tr(
            *_cells(
                INFUSION_COLUMNS,
                item.when,
                item.phase,
                item.route,
                item.dose,
                item.before,
                item.after,
                item.side_effects,
                item.durability,
            )
        )

    return _section(
        "Infusions",
        rx.cond(
            SharedSummaryState.durability_line != "",
            rx.text(SharedSummaryState.durability_line, weight="bold"),
        ),
        rx.cond(
            SharedSummaryState.infusions.length() > 0,
            _table(
                "Infusions in the period",
                INFUSION_COLUMNS,
                rx.foreach(SharedSummaryState.infusions, row),
            ),
            rx.text("No infusions in this period."),
        ),
        rx.text(
            "Mood is self-rated 0–10 (10 best). Durability: days until the 3-day mean mood fell "
            "back to the mean of the 3 days before the infusion.",
            size="2",
            class_name="muted",
        ),
        name="infusions",
    )


def _chart(title: str, name: str, shown: rx.Var, figure: rx.Var, summary: rx.Var) -> rx.Component:
    return _section(
        title,
        rx.el.p(summary, id=f"{name}-summary"),
        rx.cond(
            shown,
            rx.el.div(
                rx.plotly.basic(data=figure, config=CONFIG, style={"width": "100%"}),
                class_name="chart",
                role="img",
                aria_labelledby=f"{name}-summary",
            ),
        ),
        name=name,
    )


def _notes() -> rx.Component:
    def row(item: NoteItem) -> rx.Component:
        return rx.el.li(rx.el.strong(item.day), rx.el.p(item.text, class_name="note-text"))

    return rx.cond(
        SharedSummaryState.include_notes,
        _section(
            "Notes",
            rx.cond(
                SharedSummaryState.notes.length() > 0,
                rx.el.ul(rx.foreach(SharedSummaryState.notes, row), class_name="notes-list"),
                rx.text("No notes in this period."),
            ),
            name="notes",
        ),
    )


def _name_form() -> rx.Component:
    return rx.form(
        rx.el.div(
            rx.el.label("Your name", html_for="viewer-name"),
            rx.el.div(
                rx.el.input(
                    id="viewer-name",
                    name="viewer_name",
                    max_length=80,
                    auto_complete="name",
                    class_name="native-input",
                ),
                rx.button("Add my name", type="submit", size="3", variant="soft"),
                class_name="inline-form",
            ),
            rx.text(
                "Optional: the patient sees who opened their summary.", size="2", class_name="muted"
            ),
            rx.cond(
                SharedSummaryState.name_status != "",
                rx.el.p(SharedSummaryState.name_status, role="status"),
            ),
            class_name="field",
        ),
        on_submit=SharedSummaryState.add_name,
        reset_on_submit=False,
        class_name="no-print",
    )


def _summary() -> rx.Component:
    return rx.el.div(
        rx.text(SharedSummaryState.whose, weight="bold", size="4", id="summary-whose"),
        rx.text(SharedSummaryState.period, weight="bold"),
        rx.text(SharedSummaryState.generated, size="2", class_name="muted"),
        _safety(),
        _section(
            "Treatment and booster outlook",
            rx.text(SharedSummaryState.status_line, weight="bold"),
            rx.cond(
                SharedSummaryState.booster_line != "",
                rx.text(SharedSummaryState.booster_line, id="booster-outlook"),
            ),
            name="treatment",
        ),
        _outcomes(),
        _infusions(),
        _chart(
            "Mood by day, with infusions",
            "mood",
            SharedSummaryState.has_mood,
            SharedSummaryState.mood_figure,
            SharedSummaryState.mood_summary,
        ),
        _chart(
            "PHQ-9 over time",
            "phq9",
            SharedSummaryState.has_phq9,
            SharedSummaryState.phq9_figure,
            SharedSummaryState.phq9_summary,
        ),
        _section("Adherence", rx.text(SharedSummaryState.adherence), name="adherence"),
        _notes(),
        _name_form(),
        rx.el.div(
            # Plain anchors: a download is an HTTP request, not a page of the app.
            rx.link(
                "Download CSV",
                href=SharedSummaryState.csv_url,
                download=True,
                reload_document=True,
                class_name="download",
            ),
            rx.link(
                "Download FHIR",
                href=SharedSummaryState.fhir_url,
                download=True,
                reload_document=True,
                class_name="download",
            ),
            rx.button(
                "Print",
                type="button",
                size="3",
                variant="soft",
                on_click=rx.call_script("window.print()"),
            ),
            class_name="downloads no-print",
        ),
        rx.text(
            "A read-only summary the patient chose to share from Ketamine Companion. Entries are "
            "self-reported and not monitored in real time. PHQ-9 and GAD-7: " + COPYRIGHT,
            size="1",
            class_name="muted",
        ),
        class_name="stack summary",
    )


def _passcode() -> rx.Component:
    return rx.form(
        rx.el.div(
            rx.text("This summary is protected by a passcode the patient gave you separately."),
            rx.el.div(
                rx.el.label("Passcode", html_for="share-passcode-entry"),
                rx.el.input(
                    id="share-passcode-entry",
                    name="passcode",
                    type="password",
                    auto_complete="off",
                    class_name="native-input",
                ),
                class_name="field",
            ),
            rx.el.div(
                rx.el.label("Your name", html_for="viewer-name-gate"),
                rx.el.input(
                    id="viewer-name-gate",
                    name="viewer_name",
                    max_length=80,
                    auto_complete="name",
                    class_name="native-input",
                ),
                rx.text("Optional: the patient sees who opened it.", size="2", class_name="muted"),
                class_name="field",
            ),
            rx.cond(
                SharedSummaryState.message != "",
                rx.el.p(SharedSummaryState.message, role="alert", class_name="form-error"),
            ),
            rx.button("Open summary", type="submit", size="3"),
            class_name="stack",
        ),
        on_submit=SharedSummaryState.submit_passcode,
        reset_on_submit=True,
    )


def shared_page() -> rx.Component:
    return page_shell(
        rx.match(
            SharedSummaryState.view,
            ("summary", _summary()),
            ("passcode", _passcode()),
            (
                "invalid",
                rx.el.div(
                    rx.heading(NOT_VALID, as_="h2", size="5"),
                    rx.text("Ask the person who sent it for a new link."),
                ),
            ),
            rx.text("Loading…", class_name="muted"),
        ),
        title="Clinician summary",
        signed_in=False,
        wide=True,
    )
