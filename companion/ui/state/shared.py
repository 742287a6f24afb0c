"""The clinician's read-only summary behind /s/<token>: no account, and no way any further.

The token is checked on every event; nothing about the patient or the link is sent before
the link is known to be valid (and its passcode right, when it has one).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import plotly.graph_objects as go  # type: ignore[import-untyped]
import reflex as rx

from companion import routes
from companion.clinical import durability_days, format_short_date, signed
from companion.data import shares
from companion.data.db import session_scope
from companion.localtime import to_local
from companion.security import sharing
from companion.summary import ClinicianSummary, InstrumentOutcome, build_clinician_summary
from companion.ui.state.base import AppState

NAME_MAX = 80


@dataclass
class SafetyItem:
    day: str = ""
    kind: str = ""


@dataclass
class OutcomeItem:
    name: str = ""
    baseline: str = ""
    latest: str = ""
    change: str = ""
    percent: str = ""
    response: str = ""
    remission: str = ""


@dataclass
class InfusionItem:
    when: str = ""
    route: str = ""
    dose: str = ""
    phase: str = ""
    before: str = ""
    after: str = ""
    side_effects: str = ""
    durability: str = ""


@dataclass
class NoteItem:
    day: str = ""
    text: str = ""


def _day(value: Any) -> str:
    return f"{format_short_date(value)} {value.year}" if value else "—"


def _whose(name: str, clinic: str) -> str:
    """Whose summary this is, in the patient's words: the name they chose to show, if any."""
    patient = f"Patient: {name}" if name else "Patient: no name given (shared without a name)"
    return f"{patient} · Clinic: {clinic}" if clinic else patient


def _mood(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"


def _yes_no(value: bool | None) -> str:
    return "—" if value is None else ("Yes" if value else "No")


def outcome_item(outcome: InstrumentOutcome) -> OutcomeItem:
    if outcome.baseline_total is None:
        return OutcomeItem(
            name=outcome.name,
            baseline="None taken",
            latest="—",
            change="—",
            percent="—",
            response="—",
            remission="—",
        )
    marker = "" if outcome.pretreatment else " (no pre-treatment baseline)"
    return OutcomeItem(
        name=outcome.name,
        baseline=f"{outcome.baseline_total} on {_day(outcome.baseline_day)}{marker}",
        latest=f"{outcome.latest_total} ({outcome.latest_severity}) on {_day(outcome.latest_day)}",
        change="—" if outcome.change is None else signed(outcome.change),
        percent="—" if outcome.percent_change is None else signed(outcome.percent_change, "%"),
        response=_yes_no(outcome.response),
        remission=_yes_no(outcome.remission),
    )


class SharedSummaryState(AppState):
    """What the page shows; `view` is "loading", "invalid", "passcode" or "summary"."""

    view: str = "loading"
    message: str = ""
    name_status: str = ""
    period: str = ""
    generated: str = ""
    whose: str = ""
    status_line: str = ""
    booster_line: str = ""
    safety: list[SafetyItem] = []
    safety_before: str = ""
    outcomes: list[OutcomeItem] = []
    infusions: list[InfusionItem] = []
    durability_line: str = ""
    adherence: str = ""
    include_notes: bool = False
    notes: list[NoteItem] = []
    mood_figure: go.Figure = go.Figure()
    phq9_figure: go.Figure = go.Figure()
    has_mood: bool = False
    has_phq9: bool = False
    mood_summary: str = ""
    phq9_summary: str = ""
    csv_url: str = ""
    fhir_url: str = ""
    _token: str = ""
    _view_id: int = 0

    def _token_from_url(self) -> str:
        path = self.router.url.path.rstrip("/")
        prefix = "/s/"
        return path[len(prefix) :] if path.startswith(prefix) else ""

    def _invalid(self) -> None:
        """The one page for every bad link: nothing about a patient or a link."""
        self.reset()
        self.view = "invalid"

    @rx.event
    def load(self):
        self.reset()
        token = self._token_from_url()
        with session_scope() as session:
            link = sharing.find_usable(session, token)
            if link is None:
                self._invalid()
                return
            self._token = token
            if link.passcode_hash is not None:
                self.view = "passcode"
                return
            opening = sharing.open_link(session, link, self._device())
            self._show(session, link, opening)

    @rx.event
    def submit_passcode(self, form: Any):
        form = form if isinstance(form, dict) else {}
        with session_scope() as session:
            link = sharing.find_usable(session, self._token)
            if link is None:
                self._invalid()
                return
            name = form.get("viewer_name", "")
            opening = sharing.open_link(
                session,
                link,
                self._device(),
                name if isinstance(name, str) else "",
                form.get("passcode"),
            )
            if opening.view is None:
                self.message = opening.message
                return
            self._show(session, link, opening)

    @rx.event
    def add_name(self, form: Any):
        """Let the patient see who opened the link, when the viewer chooses to say."""
        form = form if isinstance(form, dict) else {}
        name = form.get("viewer_name", "")
        if not isinstance(name, str) or not name.strip() or len(name.strip()) > NAME_MAX:
            self.name_status = f"Type your name (up to {NAME_MAX} characters)."
            return
        with session_scope() as session:
            link = sharing.find_usable(session, self._token)
            if link is None or not shares.set_viewer_name(
                session, link, self._view_id, name.strip()
            ):
                self._invalid()
                return
        self.name_status = f"Thank you. The patient will see that {name.strip()} viewed this."

    def _show(self, session: Any, link: shares.ShareLink, opening: sharing.Opening) -> None:
        label, days = sharing.PERIODS[link.period]
        summary = build_clinician_summary(session, link.patient_id, label, days, link.include_notes)
        self._view_id = opening.view.id if opening.view and opening.view.id else 0
        self._fill(summary)
        grant = opening.grant if link.passcode_hash is not None else ""
        self.csv_url = routes.share_download(self._token, "summary.csv", grant)
        self.fhir_url = routes.share_download(self._token, "fhir.json", grant)
        self.message = ""
        self.view = "summary"

    def _fill(self, summary: ClinicianSummary) -> None:
        generated = to_local(summary.generated_at, summary.timezone)
        self.period = f"{summary.period_label}: {_day(summary.start)} to {_day(summary.end)}"
        self.whose = _whose(summary.patient_name, summary.clinic_name)
        self.generated = (
            f"Generated {_day(generated.date())} at {generated:%H:%M} ({summary.timezone})"
        )
        self.status_line = summary.status_line
        self.booster_line = summary.booster_line
        self.safety = [SafetyItem(_day(s.day), s.label) for s in summary.safety]
        self.safety_before = summary.safety_before
        self.outcomes = [outcome_item(o) for o in summary.outcomes]
        self.infusions = [
            InfusionItem(
                when=r.when,
                route=r.route,
                dose=r.dose or "—",
                phase=r.phase,
                before=_mood(r.mood_before),
                after=_mood(r.mood_after),
                side_effects=r.side_effects,
                durability=r.durability,
            )
            for r in summary.infusions
        ]
        median = summary.median_durability
        self.durability_line = (
            f"Median durability: about {durability_days(median)}." if median is not None else ""
        )
        percent = round(100 * summary.days_logged / max(1, summary.days_in_period))
        self.adherence = (
            f"Check-ins on {summary.days_logged} of {summary.days_in_period} days ({percent}%)."
        )
        self.include_notes = summary.notes is not None
        self.notes = [NoteItem(_day(n.day), n.text) for n in summary.notes or []]
        self.has_mood = summary.mood_figure is not None
        self.has_phq9 = summary.phq9_figure is not None
        self.mood_figure = summary.mood_figure or go.Figure()
        self.phq9_figure = summary.phq9_figure or go.Figure()
        self.mood_summary = summary.mood_summary
        self.phq9_summary = summary.phq9_summary
