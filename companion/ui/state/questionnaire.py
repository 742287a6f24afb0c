"""PHQ-9 and GAD-7: answers checked and scored on the server, stored, and a safety check."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import reflex as rx

from companion.clinical import INSTRUMENTS, format_short_date, score
from companion.data import questionnaires
from companion.data.db import as_utc, session_scope, utcnow
from companion.ui.state.base import NOT_ACTED, Acted, AppState

# A result is shown for the questionnaire saved this long ago at most (the page's refresh).
RESULT_FOR = timedelta(minutes=10)


class QuestionnaireState(AppState):
    instrument: str = "phq9"
    submitted: bool = False
    total: int = 0
    severity: str = ""
    meaning: str = ""
    self_harm: bool = False
    error: str = ""
    # "Taken on Tue 3 Nov, entered later." for one filed under an earlier day, else "".
    taken_line: str = ""
    result_reveal: int = 0
    # The websocket the result was shown over: a page opened anew (a reload, a link followed
    # from outside) has a new one, and starts blank however soon after.
    _submitted: Acted = NOT_ACTED

    @rx.var
    def result_line(self) -> str:
        name = INSTRUMENTS[self.instrument].name if self.instrument in INSTRUMENTS else ""
        return f"{name} score: {self.total}"

    @rx.event
    def start(self, key: Any):
        """On load of /questionnaires/<key>: an empty form (unless this very visit has just
        submitted it: Reflex may run the load after a fast submit, see AppState._same_visit; the
        same visit is the same websocket)."""
        if self._require_patient() is None:
            return self._to_login()
        if not isinstance(key, str) or key not in INSTRUMENTS:
            self.error = "That questionnaire does not exist."
            return None
        if key == self.instrument and self.submitted and self._same_visit(self._submitted):
            return None
        self.instrument = key
        self.submitted = False
        self.self_harm = False
        self.error = ""
        return None

    @rx.event
    def show_result(self):
        """After the phone's answers were saved: the result of the one just saved."""
        patient_id = self._require_patient()
        if patient_id is None:
            return self._to_login()
        with session_scope() as session:
            latest = questionnaires.list_responses(session, patient_id, self.instrument)
        # The one saved last, which an earlier day's (entered later) is not in day order.
        saved = max(latest, key=lambda row: as_utc(row.completed_at), default=None)
        if saved is None or utcnow() - as_utc(saved.completed_at) > RESULT_FOR:
            return None
        self.taken_line = (
            f"Taken on {format_short_date(saved.day)}, entered later."
            if saved.entered_later
            else ""
        )
        result = score(INSTRUMENTS[self.instrument], saved.answer_list)
        self.total = result.total
        self.severity = result.severity
        self.meaning = result.meaning
        self.self_harm = result.self_harm_flag
        self.submitted = True
        self._submitted = self._acted_now()
        self.error = ""
        # The result is shown at the top, scrolled into view by assets/js/actions.js.
        self.result_reveal += 1
        return None
