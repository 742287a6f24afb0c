"""/questionnaires/phq9 and /questionnaires/gad7, built from the instrument declarations."""

from __future__ import annotations

import reflex as rx

from companion import routes
from companion.clinical import GAD7, PHQ9, Instrument
from companion.ui.components.crisis import crisis_panel
from companion.ui.components.shell import page_shell, refresh_button
from companion.ui.state.questionnaire import QuestionnaireState


def _question(instrument: Instrument, number: int, text: str) -> rx.Component:
    legend_id = f"{instrument.key}-q{number}"
    return rx.el.fieldset(
        rx.el.legend(
            rx.el.span(f"{number}. ", class_name="muted", aria_hidden="true"),
            rx.el.span(text, id=legend_id),
            class_name="question-text",
        ),
        rx.el.div(
            *[
                rx.el.label(
                    rx.el.input(
                        type="radio", name=f"q{number}", value=str(option.value), required=True
                    ),
                    option.text,
                    class_name="choice",
                )
                for option in instrument.options
            ],
            role="radiogroup",
            aria_labelledby=legend_id,
            class_name="choice-list",
        ),
        role="group",
        aria_labelledby=legend_id,
        class_name="question",
    )


def _difficulty(instrument: Instrument) -> rx.Component:
    legend_id = f"{instrument.key}-difficulty"
    return rx.el.fieldset(
        rx.el.legend(
            rx.el.span(instrument.difficulty_question, id=legend_id),
            rx.el.span(" (optional)", class_name="muted"),
            class_name="question-text",
        ),
        rx.el.div(
            *[
                rx.el.label(
                    rx.el.input(type="radio", name="difficulty", value=str(index)),
                    text,
                    class_name="choice",
                )
                for index, text in enumerate(instrument.difficulty_options)
            ],
            role="radiogroup",
            aria_labelledby=legend_id,
            class_name="choice-list",
        ),
        class_name="question",
    )


def _taken_on(instrument: Instrument) -> rx.Component:
    # Folded away: most are taken here and now; one taken at the clinic is filed under its day.
    field_id = f"{instrument.key}-taken-on"
    return rx.el.details(
        rx.el.summary("Took it on an earlier day?"),
        rx.el.div(
            rx.el.label("I took this at my clinic on", html_for=field_id),
            rx.el.input(
                id=field_id,
                name="taken_on",
                type="date",
                class_name="native-input",
                aria_describedby=f"{field_id}-hint",
            ),
            rx.text(
                "Leave empty if you are taking it now. Up to a year back; it counts for that "
                "day, and is marked as entered later.",
                id=f"{field_id}-hint",
                size="2",
                class_name="muted",
            ),
            class_name="field",
        ),
    )


def _form(instrument: Instrument) -> rx.Component:
    return rx.el.form(
        rx.el.input(type="hidden", name="instrument", default_value=instrument.key),
        rx.el.div(
            rx.text(instrument.stem, weight="bold", size="4"),
            *[_question(instrument, item.number, item.text) for item in instrument.items],
            _difficulty(instrument),
            _taken_on(instrument),
            rx.cond(
                QuestionnaireState.error != "",
                rx.el.p(QuestionnaireState.error, role="alert", class_name="form-error"),
            ),
            rx.el.p(role="status", class_name="form-status", custom_attrs={"data-kc-status": ""}),
            rx.button("Submit", type="submit", size="3", width="100%"),
            rx.text(instrument.copyright, size="1", class_name="muted"),
            class_name="stack",
        ),
        refresh_button(QuestionnaireState.show_result, "questionnaire"),
        # Kept on the phone as the answers are chosen and sent by assets/js/outbox.js: leaving
        # for help, or losing the connection, does not mean starting again.
        custom_attrs={
            "data-kc-outbox": "questionnaire",
            "data-kc-key": "questionnaire:" + instrument.key,
            "data-kc-send": "all",
            "data-kc-label": f"your {instrument.name}",
            "data-kc-nothing": "Answer the questions first, then submit.",
        },
    )


def _result(instrument: Instrument) -> rx.Component:
    # Item 9 above 0: help comes first, above the score (whatever the total).
    return rx.el.section(
        rx.cond(
            QuestionnaireState.self_harm,
            rx.el.div(
                rx.text(
                    "You said you have had thoughts of being better off dead or of hurting "
                    "yourself. You don't have to handle this alone: please reach out now. "
                    "The answer is flagged on the summary you share with your clinician.",
                    weight="bold",
                ),
                crisis_panel("help", heading_level="h3"),
                role="alert",
                class_name="stack",
            ),
        ),
        rx.heading(QuestionnaireState.result_line, as_="h2", size="6"),
        rx.cond(QuestionnaireState.taken_line != "", rx.text(QuestionnaireState.taken_line)),
        rx.text("Severity: ", rx.text.strong(QuestionnaireState.severity), size="4"),
        rx.text(QuestionnaireState.meaning),
        rx.text(
            "A score is a snapshot of the last two weeks, not a diagnosis. "
            "Share it with your clinician.",
            size="2",
            class_name="muted",
        ),
        rx.link("Back to Today", href=routes.TODAY),
        rx.text(instrument.copyright, size="1", class_name="muted"),
        class_name="card stack",
        role="status",
        tab_index=-1,
        custom_attrs={"data-kc-reveal": QuestionnaireState.result_reveal.to(str)},
    )


def questionnaire_page(instrument: Instrument) -> rx.Component:
    return page_shell(
        rx.cond(QuestionnaireState.submitted, _result(instrument), _form(instrument)),
        title=instrument.name,
        active="",
    )


def phq9_page() -> rx.Component:
    return questionnaire_page(PHQ9)


def gad7_page() -> rx.Component:
    return questionnaire_page(GAD7)
