"""/questionnaires/phq9 and /questionnaires/gad7, built from the instrument declarations."""

from __future__ import annotations

import reflex as rx

from companion import routes
from companion.clinical import GAD7, PHQ9, Instrument
from companion.ui.components.crisis import crisis_panel
from companion.ui.components.shell import page_shell
from companion.ui.state.help import HelpState
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


def _form(instrument: Instrument) -> rx.Component:
    return rx.form(
        rx.el.div(
            rx.text(instrument.stem, weight="bold", size="4"),
            *[_question(instrument, item.number, item.text) for item in instrument.items],
            _difficulty(instrument),
            rx.cond(
                QuestionnaireState.error != "",
                rx.el.p(QuestionnaireState.error, role="alert", class_name="form-error"),
            ),
            rx.button("Submit", type="submit", size="3", width="100%"),
            rx.text(instrument.copyright, size="1", class_name="muted"),
            class_name="stack",
        ),
        on_submit=QuestionnaireState.submit,
        reset_on_submit=False,
    )


def _result(instrument: Instrument) -> rx.Component:
    return rx.el.section(
        rx.heading(QuestionnaireState.result_line, as_="h2", size="6"),
        rx.text("Severity: ", rx.text.strong(QuestionnaireState.severity), size="4"),
        rx.text(QuestionnaireState.meaning),
        rx.cond(
            QuestionnaireState.self_harm,
            rx.el.div(
                rx.text(
                    "You said you have had thoughts of being better off dead or of hurting "
                    "yourself. Please reach out now: you don't have to handle this alone. "
                    "This answer is flagged on the summary you share with your clinician.",
                    weight="bold",
                ),
                crisis_panel(HelpState.clinic_name, HelpState.clinic_phone),
                role="alert",
                class_name="stack",
            ),
        ),
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
