"""Today: the check-in status, the phase, what is due, progress on the PHQ-9, and one article."""

from __future__ import annotations

import reflex as rx

from companion.clinical import format_short_date, signed
from companion.data.db import session_scope
from companion.summary import build_today
from companion.ui.state.base import AppState


class TodayState(AppState):
    # False until this patient's day is in: the page shows placeholder cards until then.
    loaded: bool = False
    date_line: str = ""
    checkin_done: bool = False
    checkin_line: str = ""
    phase_line: str = ""
    outlook_line: str = ""
    next_planned: str = ""
    due: list[dict[str, str]] = []
    has_outcome: bool = False
    baseline_line: str = ""
    latest_line: str = ""
    verdict: str = ""
    article_title: str = ""
    article_summary: str = ""
    article_reason: str = ""
    article_href: str = ""
    safety_recent: bool = False

    @rx.event
    def load(self):
        patient_id = self._require_patient()
        if patient_id is None:
            return self._to_login()
        with session_scope() as session:
            view = build_today(session, patient_id)
        self.date_line = format_short_date(view.today)
        self.checkin_done = view.checkin_mood is not None
        self.checkin_line = (
            f"Checked in today: mood {view.checkin_mood} of 10."
            if view.checkin_mood is not None
            else "You haven't checked in today."
        )
        self.safety_recent = view.safety_recent
        self.phase_line = view.phase_line
        self.outlook_line = view.outlook_line
        self.next_planned = (
            f"Next planned infusion: {view.next_planned}" if view.next_planned else ""
        )
        self.due = [
            {"title": d.title, "reason": d.reason, "href": d.href, "action": d.action}
            for d in view.due
        ]
        outcome = view.phq9
        self.has_outcome = outcome is not None
        if outcome is not None:
            marker = "" if outcome.pretreatment else " (no pre-treatment baseline)"
            self.baseline_line = (
                f"Baseline PHQ-9: {outcome.baseline_total} on "
                f"{format_short_date(outcome.baseline_day)}{marker}"
            )
            change = (
                f", {signed(outcome.percent_change, '%')}"
                if outcome.percent_change is not None
                else ""
            )
            self.latest_line = (
                f"Latest PHQ-9: {outcome.latest_total} ({outcome.latest_severity}) on "
                f"{format_short_date(outcome.latest_day)}: {signed(outcome.change)} points{change}"
            )
            self.verdict = outcome.verdict
        if view.article is not None:
            self.article_title = view.article.title
            self.article_summary = view.article.summary
            self.article_reason = view.article.reason
            self.article_href = f"/learn/{view.article.slug}"
        self.loaded = True
        return None
