"""PHQ-9 and GAD-7: answers checked and scored on the server, stored, and a safety check."""

from __future__ import annotations

from typing import Any

import reflex as rx

from companion.clinical import INSTRUMENTS, safety_kind_for_phq9, score
from companion.data import accounts, questionnaires, safety
from companion.data.db import session_scope
from companion.localtime import local_today
from companion.ui.state.base import AppState


def answers_from_form(key: str, form: dict[str, Any]) -> tuple[list[object], str | None]:
    """The answers in item order, or the message for the first unanswered or invalid item."""
    instrument = INSTRUMENTS[key]
    allowed = {str(o.value): o.value for o in instrument.options}
    answers: list[object] = []
    for item in instrument.items:
        value = form.get(f"q{item.number}")
        if value in (None, ""):
            return [], f"Please answer question {item.number}: {item.text}"
        if isinstance(value, bool) or str(value) not in allowed:
            return [], f"Question {item.number} needs one of the four answers."
        answers.append(allowed[str(value)])
    return answers, None


class QuestionnaireState(AppState):
    instrument: str = "phq9"
    submitted: bool = False
    total: int = 0
    severity: str = ""
    meaning: str = ""
    self_harm: bool = False
    error: str = ""

    @rx.var
    def result_line(self) -> str:
        name = INSTRUMENTS[self.instrument].name if self.instrument in INSTRUMENTS else ""
        return f"{name} score: {self.total}"

    @rx.event
    def start(self, key: Any):
        """On load of /questionnaires/<key>: an empty form."""
        if self._require_patient() is None:
            return self._to_login()
        if key not in INSTRUMENTS:
            self.error = "That questionnaire does not exist."
            return None
        self.instrument = key
        self.submitted = False
        self.self_harm = False
        self.error = ""
        return None

    @rx.event
    def submit(self, form: Any):
        patient_id = self._require_patient()
        if patient_id is None:
            return self._to_login()
        if not isinstance(form, dict):
            self.error = "Please answer every question."
            return None
        answers, problem = answers_from_form(self.instrument, form)
        if problem:
            self.error = problem
            return None
        difficulty_raw = form.get("difficulty")
        options = INSTRUMENTS[self.instrument].difficulty_options
        difficulty = None
        if difficulty_raw not in (None, ""):
            if str(difficulty_raw) not in {str(i) for i in range(len(options))}:
                self.error = "Please choose one of the answers about difficulty."
                return None
            difficulty = int(str(difficulty_raw))
        result = score(INSTRUMENTS[self.instrument], answers)
        with session_scope() as session:
            today = local_today(accounts.timezone_of(session, patient_id))
            row = questionnaires.save_response(
                session, patient_id, result, today, difficulty=difficulty
            )
            if self.instrument == "phq9" and safety_kind_for_phq9(answers) and row.id:
                safety.record_safety_event(session, patient_id, today, "phq9_item9", "phq9", row.id)
        self.total = result.total
        self.severity = result.severity
        self.meaning = result.meaning
        self.self_harm = result.self_harm_flag
        self.submitted = True
        self.error = ""
        return rx.call_script("window.scrollTo(0, 0)")
