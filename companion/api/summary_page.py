"""The clinician summary as one self-contained HTML page, built on the server.

A clinician opens a share link on a desktop with half a minute to spare, or prints it: the
page is plain HTML and CSS (assets/summary.css) with its two charts as inline SVG, no
websocket and no framework, so it is readable in a second, prints cleanly, and keeps no tab
state anywhere on the server. Every piece of text is escaped here; nothing is raw but the
chart SVG, which companion.charts.svg escapes itself.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from html import escape
from typing import NamedTuple

from companion.clinical import (
    COPYRIGHT,
    SAFETY_PLAN_STEPS,
    durability_days,
    format_short_date,
    signed,
)
from companion.localtime import to_local
from companion.settings import PROJECT_ROOT
from companion.summary import ClinicianSummary, InstrumentOutcome

TITLE = "Clinician summary · Ketamine Companion"
NOT_VALID = "This link is not valid"
NAME_MAX = 80
ASSETS = PROJECT_ROOT / "assets"

# Beside a questionnaire reading the patient took on an earlier day and entered later.
LATER_MARK = " (entered later)"
OUTCOME_COLUMNS = ("Baseline", "Latest", "Change", "% change", "Response", "Remission")
INFUSION_COLUMNS = (
    "Date",
    "Phase",
    "Route",
    "Dose",
    "Mood 3 days before",
    "Mood 3 days after",
    "Side effects",
    "Durability",
)


def _versioned(path: str) -> str:
    digest = hashlib.sha256((ASSETS / path.lstrip("/")).read_bytes()).hexdigest()[:12]
    return f"{path}?v={digest}"


def day_text(value: date | None) -> str:
    return f"{format_short_date(value)} {value.year}" if value else "—"


def _e(value: object) -> str:
    return escape(str(value), quote=True)


def css_string(text: str) -> str:
    """text as a CSS string literal, safe inside a <style> element (for the print header)."""
    out = []
    for ch in text:
        if ch in '"\\' or ch in "<>&" or ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\{ord(ch):x} ")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


@dataclass(frozen=True, slots=True)
class PageLinks:
    """Where the page's forms and downloads go (the token's own URLs)."""

    page: str
    csv: str
    fhir: str


@dataclass(frozen=True, slots=True)
class NameForm:
    """The optional "add my name" form: which opening it names, signed by the server."""

    view_ref: str
    thanks: str = ""
    problem: str = ""


def _page_boxes(running: str) -> str:
    """The printed page's margin boxes, inline so they hold whatever happens to the stylesheet.
    Chrome leaves out its own header (date, title) wherever a page has a top box and its own
    footer (the address: token and #shlink key) wherever it has a bottom box, even with
    "Headers and footers" ticked, so every page gets both. Pages after the first name whose
    summary and which period (`running`); the first says it in its text."""
    font = "font: 9pt system-ui, sans-serif; color: #444;"
    return (
        "<style>@page { size: auto; margin: 16mm 14mm;"
        f" @top-left {{ content: {css_string(running)}; {font} }}"
        f' @bottom-left {{ content: "Ketamine Companion · clinician summary"; {font} }}'
        f' @bottom-right {{ content: "Page " counter(page) " of " counter(pages); {font} }} }}'
        ' @page :first { @top-left { content: ""; } }</style>'
    )


def _document(main: str, *, print_header: str = "") -> str:
    return (
        "<!doctype html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta name="robots" content="noindex, nofollow">'
        '<meta name="referrer" content="same-origin">'
        '<meta name="color-scheme" content="light dark">'
        f"<title>{_e(TITLE)}</title>"
        '<link rel="icon" href="/favicon.ico" sizes="any">'
        f'<link rel="stylesheet" href="{_versioned("/summary.css")}">'
        f"{_page_boxes(print_header)}"
        f'<script src="{_versioned("/js/actions.js")}" defer></script>'
        "</head><body>"
        '<a class="skip-link" href="#main">Skip to content</a>'
        '<header class="app-header">'
        '<span class="app-brand"><img src="/icon-192.png" alt="" width="28" height="28">'
        "<span>Ketamine Companion</span></span>"
        '<a class="help-link" href="/help">Get help now</a>'
        "</header>"
        f'<main id="main" tabindex="-1"><h1>Clinician summary</h1>{main}</main>'
        "</body></html>\n"
    )


def _section(name: str, title: str, *parts: str) -> str:
    return (
        f'<section class="summary-section" id="{name}" aria-labelledby="{name}-h">'
        f'<h2 id="{name}-h">{_e(title)}</h2>{"".join(parts)}</section>'
    )


def _p(text: str, cls: str = "", id_: str = "") -> str:
    attrs = (f' class="{cls}"' if cls else "") + (f' id="{id_}"' if id_ else "")
    return f"<p{attrs}>{_e(text)}</p>"


def _table(
    caption: str, headers: Sequence[str], rows: Iterable[Sequence[str]], row_head: bool
) -> str:
    head = "".join(f'<th scope="col">{_e(h)}</th>' for h in headers)
    body = []
    for row in rows:
        cells = []
        for i, value in enumerate(row):
            if row_head and i == 0:
                cells.append(f'<th scope="row">{_e(value)}</th>')
            else:
                label = headers[i]
                cells.append(f'<td data-label="{_e(label)}">{_e(value)}</td>')
        body.append("<tr>" + "".join(cells) + "</tr>")
    return (
        f'<div class="table-scroll" role="group" aria-label="{_e(caption)}" tabindex="0">'
        f'<table class="data-table cards-on-phone"><caption class="visually-hidden">'
        f"{_e(caption)}</caption><thead><tr>{head}</tr></thead>"
        f"<tbody>{''.join(body)}</tbody></table></div>"
    )


def whose(name: str, clinic: str) -> str:
    """Whose summary this is, in the patient's words: the name they chose to show, if any."""
    patient = f"Patient: {name}" if name else "Patient: no name given (shared without a name)"
    return f"{patient} · Clinic: {clinic}" if clinic else patient


def entered_later_line(summary: ClinicianSummary) -> str:
    """The questionnaires taken on an earlier day and entered later, in words."""
    if not summary.entered_later:
        return ""
    listed = "; ".join(f"{r.name} {r.total} on {day_text(r.day)}" for r in summary.entered_later)
    return (
        "Entered later (taken on that day, e.g. at the clinic, and typed in by the patient "
        f"afterwards): {listed}."
    )


def _yes_no(value: bool | None) -> str:
    return "—" if value is None else ("Yes" if value else "No")


class OutcomeCells(NamedTuple):
    name: str
    baseline: str
    latest: str
    change: str
    percent: str
    response: str
    remission: str


def outcome_cells(outcome: InstrumentOutcome) -> OutcomeCells:
    """One instrument's row of the outcomes table, as printed."""
    if outcome.baseline_total is None:
        return OutcomeCells(outcome.name, "None taken", "—", "—", "—", "—", "—")
    marker = "" if outcome.pretreatment else " (no pre-treatment baseline)"
    base_later = LATER_MARK if outcome.baseline_entered_later else ""
    latest_later = LATER_MARK if outcome.latest_entered_later else ""
    return OutcomeCells(
        outcome.name,
        f"{outcome.baseline_total} on {day_text(outcome.baseline_day)}{base_later}{marker}",
        f"{outcome.latest_total} ({outcome.latest_severity}) on {day_text(outcome.latest_day)}"
        f"{latest_later}",
        "—" if outcome.change is None else signed(outcome.change),
        "—" if outcome.percent_change is None else signed(outcome.percent_change, "%"),
        _yes_no(outcome.response),
        _yes_no(outcome.remission),
    )


def _mood(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"


def answered_line(summary: ClinicianSummary) -> str:
    """How often the suicidal-thoughts question was answered: an unanswered day is not a "no"."""
    answered, days = summary.safety_answered_days, summary.days_in_period
    if answered == 0:
        return f"The suicidal-thoughts question was not answered on any of the {days} days."
    plural = "day" if answered == 1 else "days"
    if not summary.safety:
        return f"No safety events on the {answered} {plural} answered of {days}."
    return f"The suicidal-thoughts question was answered on {answered} {plural} of {days}."


def _safety(summary: ClinicianSummary) -> str:
    listed = ""
    if summary.safety:
        items = "".join(
            (
                f'<li class="urgent"><strong>{_e(day_text(s.day))}: with intent or plan.</strong>'
                f" {_e(s.label)}</li>"
            )
            if s.urgent
            else f"<li><strong>{_e(day_text(s.day))}</strong>: {_e(s.label)}</li>"
            for s in summary.safety
        )
        listed = f'<ul class="safety-list">{items}</ul>'
    listed += _p(answered_line(summary), "strong" if not summary.safety else "", "safety-answered")
    before = _p(summary.safety_before, "strong", "safety-before") if summary.safety_before else ""
    note = _p(
        "Self-reported suicidal-thoughts answers and PHQ-9 item 9 above 0. Nobody monitors these "
        "entries in real time.",
        "muted small",
    )
    return _section("safety", "Safety events", listed, before, note)


def _chart(name: str, title: str, summary_text: str, svgs: Sequence[str]) -> str:
    """The sentence first: quicker to read than the chart. Then the chart drawn wide (desktop
    and print) and narrow (a phone), one shown at a time by summary.css."""
    figure = ""
    if svgs:
        wide, narrow = svgs
        figure = (
            f'<figure class="chart"><div class="chart-wide">{wide}</div>'
            f'<div class="chart-narrow">{narrow}</div></figure>'
        )
    return _section(name, title, _p(summary_text, id_=f"{name}-summary"), figure)


def _notes(summary: ClinicianSummary) -> str:
    if summary.notes is None:
        return ""
    if not summary.notes:
        return _section("notes", "Notes", _p("No notes in this period."))
    items = "".join(
        f'<li><strong>{_e(day_text(n.day))}</strong><p class="note-text">{_e(n.text)}</p></li>'
        for n in summary.notes
    )
    return _section("notes", "Notes", f'<ul class="notes-list">{items}</ul>')


def _safety_plan(summary: ClinicianSummary) -> str:
    plan = summary.safety_plan
    if plan is None:
        return ""
    if plan.empty:
        return _section("safety-plan", "Safety plan", _p("The patient has not written one yet."))
    parts = []
    for step in SAFETY_PLAN_STEPS:
        if step.key == "helpers":
            people = "; ".join(f"{h.name} {h.phone}".strip() for h in plan.helpers)
            text = people
        else:
            text = getattr(plan, step.key)
        if text:
            parts.append(f'<dt>{_e(step.title)}</dt><dd class="note-text">{_e(text)}</dd>')
    return _section(
        "safety-plan",
        "Safety plan (the patient's own words)",
        f'<dl class="plan-steps">{"".join(parts)}</dl>',
    )


def _name_form(links: PageLinks, form: NameForm) -> str:
    if form.thanks:
        return f'<p class="form-status no-print" role="status">{_e(form.thanks)}</p>'
    problem = f'<p class="form-error" role="alert">{_e(form.problem)}</p>' if form.problem else ""
    return (
        f'<form class="no-print name-form" method="post" action="{_e(links.page)}">'
        '<input type="hidden" name="action" value="name">'
        f'<input type="hidden" name="view" value="{_e(form.view_ref)}">'
        '<label for="viewer-name">Your name</label>'
        '<div class="inline-form">'
        f'<input id="viewer-name" name="viewer_name" maxlength="{NAME_MAX}" autocomplete="name"'
        ' class="native-input">'
        '<button type="submit" class="button soft">Add my name</button></div>'
        '<p class="muted small">Optional: the patient sees who opened their summary.</p>'
        f"{problem}</form>"
    )


def summary_page(
    summary: ClinicianSummary,
    links: PageLinks,
    name_form: NameForm,
    mood_svgs: Sequence[str],
    phq9_svgs: Sequence[str],
) -> str:
    """The summary, safety first, then status, outcomes, infusions, charts, adherence, notes."""
    generated = to_local(summary.generated_at, summary.timezone)
    period = f"{summary.period_label}: {day_text(summary.start)} to {day_text(summary.end)}"
    who = whose(summary.patient_name, summary.clinic_name)
    median = summary.median_durability
    durability = (
        _p(f"Median durability: about {durability_days(median)}.", "strong")
        if median is not None
        else ""
    )
    infusions = (
        _table(
            "Infusions in the period",
            INFUSION_COLUMNS,
            (
                (
                    r.when,
                    r.phase,
                    r.route,
                    r.dose or "—",
                    _mood(r.mood_before),
                    _mood(r.mood_after),
                    r.side_effects,
                    r.durability,
                )
                for r in summary.infusions
            ),
            row_head=False,
        )
        if summary.infusions
        else _p("No infusions in this period.")
    )
    percent = round(100 * summary.days_logged / max(1, summary.days_in_period))
    adherence = f"Check-ins on {summary.days_logged} of {summary.days_in_period} days ({percent}%)."
    main = "".join(
        [
            _p(who, "whose", "summary-whose"),
            _p(period, "strong"),
            _p(
                f"Generated {day_text(generated.date())} at {generated:%H:%M} ({summary.timezone})",
                "muted small",
            ),
            _safety(summary),
            _section(
                "treatment",
                "Treatment and booster outlook",
                _p(summary.status_line, "strong"),
                _p(summary.booster_line, id_="booster-outlook") if summary.booster_line else "",
            ),
            _section(
                "outcomes",
                "PHQ-9 and GAD-7",
                _table(
                    "Questionnaire outcomes",
                    ("", *OUTCOME_COLUMNS),
                    (outcome_cells(o) for o in summary.outcomes),
                    row_head=True,
                ),
                _p(entered_later_line(summary), id_="entered-later")
                if summary.entered_later
                else "",
                _p(
                    "Response: at least 50% lower than baseline. Remission: below 5. A change "
                    "of 5 points or more is clinically meaningful.",
                    "muted small",
                ),
            ),
            _section(
                "infusions",
                "Infusions",
                durability,
                infusions,
                _p(
                    "Mood is self-rated 0–10 (10 best). Durability: days until the 3-day mean "
                    "mood fell back to the mean of the 3 days before the infusion (before the "
                    "series began, for an induction infusion). Median of every infusion given.",
                    "muted small",
                ),
            ),
            _chart("mood", "Mood by day, with infusions", summary.mood_summary, mood_svgs),
            _chart("phq9", "PHQ-9 over time", summary.phq9_summary, phq9_svgs),
            _section("adherence", "Adherence", _p(adherence)),
            _notes(summary),
            _safety_plan(summary),
            _name_form(links, name_form),
            '<div class="downloads no-print">'
            f'<a class="download" href="{_e(links.csv)}" download>Download CSV</a>'
            f'<a class="download" href="{_e(links.fhir)}" download>Download FHIR</a>'
            '<button type="button" class="button soft" data-kc-print>Print</button>'
            "</div>",
            _p(
                "A read-only summary the patient chose to share from Ketamine Companion. Entries "
                "are self-reported and not monitored in real time. PHQ-9 and GAD-7: " + COPYRIGHT,
                "muted tiny",
            ),
        ]
    )
    return _document(f'<div class="summary">{main}</div>', print_header=f"{who} · {period}")


def passcode_page(links: PageLinks, message: str = "") -> str:
    problem = f'<p class="form-error" role="alert">{_e(message)}</p>' if message else ""
    return _document(
        f'<form class="stack" method="post" action="{_e(links.page)}">'
        '<input type="hidden" name="action" value="passcode">'
        "<p>This summary is protected by a passcode the patient gave you separately.</p>"
        '<div class="field"><label for="share-passcode-entry">Passcode</label>'
        '<input id="share-passcode-entry" name="passcode" type="password" autocomplete="off"'
        ' class="native-input" required></div>'
        '<div class="field"><label for="viewer-name-gate">Your name</label>'
        f'<input id="viewer-name-gate" name="viewer_name" maxlength="{NAME_MAX}"'
        ' autocomplete="name" class="native-input">'
        '<p class="muted small">Optional: the patient sees who opened it.</p></div>'
        f"{problem}"
        '<button type="submit" class="button">Open summary</button></form>'
    )


def not_valid_page() -> str:
    """The one page for every bad link: unknown, expired, revoked or locked alike."""
    return _document(f"<h2>{_e(NOT_VALID)}</h2><p>Ask the person who sent it for a new link.</p>")
