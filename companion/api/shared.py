"""/s/<token>: the clinician's read-only summary, its passcode, its downloads. No account.

Served as plain HTTP (companion.api.summary_page builds the HTML), so no tab state holds the
token, a passcode or the summary anywhere on the server. A passcode, once right, gives this
browser a grant: a random cookie for this link's path only, stored as its hash, valid for two
hours, that the page and the downloads need. An unknown, expired, revoked or locked link gets
the same "not valid" page as any other, and nothing is logged for it.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from typing import Any

from sqlmodel import Session
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from companion import routes
from companion.api.auth_routes import cookie_header, read_form, same_origin
from companion.api.downloads import PRIVATE, attachment
from companion.api.summary_page import (
    NAME_MAX,
    NameForm,
    PageLinks,
    not_valid_page,
    passcode_page,
    summary_page,
)
from companion.charts.svg import mood_svg, questionnaire_svg
from companion.clinical import PHQ9
from companion.data import accounts, checkins, questionnaires, shares
from companion.data.db import session_scope, utcnow
from companion.exports import clinician_csv, fhir_bundle
from companion.security import secret, sharing
from companion.security.devices import coarse_device
from companion.security.passwords import off_the_loop
from companion.summary import (
    build_clinician_summary,
    durability_text,
    infusion_label,
    load_record,
)

GRANT_COOKIE = "kc_grant"
# (wide, narrow) viewBox widths of the summary charts: a desktop or a page, and a phone.
CHART_WIDTHS = (640, 360)


def _links(token: str) -> PageLinks:
    return PageLinks(
        page=routes.shared_summary(token),
        csv=routes.share_download(token, "summary.csv"),
        fhir=routes.share_download(token, "fhir.json"),
    )


def _html(body: str, status: int = 200) -> HTMLResponse:
    return HTMLResponse(body, status_code=status, headers=PRIVATE)


def _not_valid() -> HTMLResponse:
    return _html(not_valid_page(), 404)


def view_ref(link: shares.ShareLink, view_id: int) -> str:
    """Names one opening for the "add my name" form, signed so no other opening can be named."""
    return f"{view_id}.{secret.sign('share-view', f'{link.id}.{view_id}')}"


def _view_from_ref(link: shares.ShareLink, ref: object) -> int | None:
    if not isinstance(ref, str) or ref.count(".") != 1:
        return None
    number, signature = ref.split(".")
    if not number.isdigit() or not secret.verify("share-view", f"{link.id}.{number}", signature):
        return None
    return int(number)


def _device(request: Request) -> str:
    return coarse_device(request.headers.get("user-agent"))


def _granted_view(session: Session, link: shares.ShareLink, request: Request) -> int | None:
    """For a passcode link: the opening this browser's grant came from, while it is fresh."""
    grant = request.cookies.get(GRANT_COOKIE)
    if not sharing.grant_allows(session, link, grant):
        return None
    view = shares.find_grant(session, link, sharing.hash_grant(grant))
    return view.id if view is not None else None


def _render(session: Session, link: shares.ShareLink, token: str, form: NameForm) -> HTMLResponse:
    label, days = sharing.PERIODS[link.period]
    summary = build_clinician_summary(
        session,
        link.patient_id,
        label,
        days,
        link.include_notes,
        include_safety_plan=link.include_safety_plan,
    )
    charts = summary.charts

    def drawn(draw: Callable[[int], str], shown: bool) -> tuple[str, ...]:
        # Twice: wide for a desktop and for print, narrow (readable text) for a phone.
        return tuple(draw(width) for width in CHART_WIDTHS) if shown else ()

    mood = drawn(
        lambda width: mood_svg(
            charts.mood_points,
            charts.marks,
            summary.start,
            summary.end,
            title="Mood by day, with infusions",
            summary=summary.mood_summary,
            width=width,
        ),
        bool(charts.mood_points),
    )
    phq9 = drawn(
        lambda width: questionnaire_svg(
            PHQ9,
            charts.phq9_readings,
            charts.phq9_baseline,
            charts.marks,
            summary.start,
            summary.end,
            title="PHQ-9 over time",
            summary=summary.phq9_summary,
            width=width,
        ),
        bool(charts.phq9_readings),
    )
    return _html(summary_page(summary, _links(token), form, mood, phq9))


async def show(request: Request) -> Response:
    """GET /s/<token>: the summary, or the passcode form first."""
    token = request.path_params["token"]

    def work() -> Response:
        with session_scope() as session:
            link = sharing.find_usable(session, token)
            if link is None:
                return _not_valid()
            named = _view_from_ref(link, request.query_params.get("named"))
            if link.passcode_hash is not None:
                view_id = _granted_view(session, link, request)
                if view_id is None:
                    return _html(passcode_page(_links(token)))
            elif named is not None:
                view_id = named  # back from "add my name": the same opening, not a new one
            else:
                opening = sharing.open_link(session, link, _device(request))
                assert opening.view is not None and opening.view.id is not None
                view_id = opening.view.id
            thanks = ""
            if named is not None and named == view_id:
                name = shares.viewer_name(session, link, named)
                thanks = f"Thank you. The patient will see that {name} viewed this." if name else ""
            return _render(session, link, token, NameForm(view_ref(link, view_id), thanks))

    return await run_in_threadpool(work)


async def act(request: Request) -> Response:
    """POST /s/<token>: the passcode (then back to the page with a grant), or a name."""
    token = request.path_params["token"]
    if not same_origin(request):
        return Response("Forbidden", status_code=403, headers=PRIVATE)
    form = await read_form(request)

    def work() -> Response:
        with session_scope() as session:
            link = sharing.find_usable(session, token)
            if link is None:
                return _not_valid()
            if form.get("action") == "name":
                return _add_name(session, link, token, form)
            if link.passcode_hash is None:
                return RedirectResponse(routes.shared_summary(token), 303, headers=PRIVATE)
            name = form.get("viewer_name", "")
            opening = sharing.open_link(
                session, link, _device(request), name[:NAME_MAX], form.get("passcode")
            )
            if opening.view is None:
                return _html(passcode_page(_links(token), opening.message), 401)
            response = RedirectResponse(routes.shared_summary(token), 303, headers=PRIVATE)
            lifetime = int(sharing.GRANT_LIFETIME.total_seconds())
            response.headers.append(
                "set-cookie",
                cookie_header(GRANT_COOKIE, opening.grant, lifetime, routes.shared_summary(token)),
            )
            return response

    return await off_the_loop(work)


def _add_name(
    session: Session, link: shares.ShareLink, token: str, form: dict[str, str]
) -> Response:
    view_id = _view_from_ref(link, form.get("view"))
    name = form.get("viewer_name", "").strip()
    if view_id is None:
        return _not_valid()
    if not name or len(name) > NAME_MAX or not name.isprintable():
        problem = f"Type your name (up to {NAME_MAX} characters)."
        return _render(session, link, token, NameForm(view_ref(link, view_id), problem=problem))
    if not shares.set_viewer_name(session, link, view_id, name):
        return _not_valid()
    page = f"{routes.shared_summary(token)}?named={view_ref(link, view_id)}"
    return RedirectResponse(page, 303, headers=PRIVATE)


def _usable(session: Session, request: Request) -> shares.ShareLink | None:
    link = sharing.find_usable(session, request.path_params.get("token"))
    if link is None or not sharing.grant_allows(session, link, request.cookies.get(GRANT_COOKIE)):
        return None
    return link


def _shared_rows(session: Session, link: shares.ShareLink) -> tuple[object, ...]:
    """The check-ins, questionnaires, infusion labels and durability of the link's period."""
    period_days = sharing.PERIODS[link.period][1]
    record = load_record(session, link.patient_id, period_days=period_days)
    start, end = record.start(period_days), record.timeline.today
    given = [g for g in record.given if start <= g.day <= end]
    labels = {
        g.day: infusion_label(g.infusion.phase, g.infusion.number, g.infusion.row) for g in given
    }
    return (
        checkins.list_checkins(session, link.patient_id, start=start, end=end),
        questionnaires.list_responses(session, link.patient_id, start=start, end=end),
        labels,
        start,
        {g.day: durability_text(g.durability) for g in given},
    )


async def download_csv(request: Request) -> Response:
    def work() -> Response:
        with session_scope() as session:
            link = _usable(session, request)
            if link is None:
                return _not_valid()
            entries, responses, labels, start, durability = _shared_rows(session, link)
            body = clinician_csv(entries, responses, labels, link.include_notes, durability)
            shares.log_view(session, link, _device(request), "download_csv")
        return attachment(
            body, f"ketamine-companion-summary-{start}.csv", "text/csv; charset=utf-8"
        )

    return await run_in_threadpool(work)


async def download_fhir(request: Request) -> Response:
    def work() -> Response:
        with session_scope() as session:
            link = _usable(session, request)
            if link is None:
                return _not_valid()
            bundle, _start = shared_bundle(session, link)
            shares.log_view(session, link, _device(request), "download_fhir")
        return attachment(
            json.dumps(bundle, indent=2), "ketamine-companion-fhir.json", "application/fhir+json"
        )

    return await run_in_threadpool(work)


def shared_bundle(session: Session, link: shares.ShareLink) -> tuple[dict[str, Any], date]:
    """The link's FHIR Bundle and the first day of its period: one builder for the page's
    download and the SMART Health Link's file."""
    _entries, responses, _labels, start, _durability = _shared_rows(session, link)
    patient = accounts.get_patient(session, link.patient_id)
    assert patient is not None
    bundle = fhir_bundle(responses, patient_ref(patient), utcnow(), name=patient.summary_name)
    return bundle, start


def patient_ref(patient: accounts.Patient) -> str:
    """The patient's random export identifier: no email or row id leaves the app."""
    return patient.export_id
