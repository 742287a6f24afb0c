"""File downloads: the clinician's CSV and FHIR through a share link, the patient's own
export (session cookie), and the private calendar feed (its own revocable token)."""

from __future__ import annotations

import hashlib
import json
from datetime import timedelta

from sqlmodel import Session
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from companion.data import accounts, calendar, shares
from companion.data.db import session_scope, utcnow
from companion.data.everything import load_everything
from companion.exports import calendar_ics, clinician_csv, fhir_bundle, personal_csv, personal_json
from companion.localtime import zone
from companion.security import auth, sharing
from companion.security.devices import coarse_device
from companion.security.tokens import hash_token, looks_like_token
from companion.settings import settings
from companion.summary import infusion_label, labelled_infusions, load_record, load_timeline

PRIVATE = {"cache-control": "no-store", "x-robots-tag": "noindex, nofollow"}


def _not_valid() -> Response:
    return PlainTextResponse(sharing.NOT_VALID, status_code=404, headers=PRIVATE)


def _attachment(body: str, filename: str, media_type: str) -> Response:
    headers = {**PRIVATE, "content-disposition": f'attachment; filename="{filename}"'}
    return Response(body, media_type=media_type, headers=headers)


def patient_ref(patient: accounts.Patient) -> str:
    """A stable pseudonym for FHIR subjects: no email or row id leaves the app."""
    seed = f"{patient.id}:{patient.created_at.isoformat()}"
    return hashlib.sha256(seed.encode()).hexdigest()[:24]


def _shared_rows(session: Session, link: shares.ShareLink) -> tuple[object, ...]:
    """The check-ins, questionnaires and infusion labels of the link's period."""
    record = load_record(session, link.patient_id)
    start, end = record.start(sharing.PERIODS[link.period][1]), record.timeline.today
    labels = {
        g.day: infusion_label(g.infusion.phase, g.infusion.number, g.infusion.row)
        for g in record.given
        if start <= g.day <= end
    }
    return (
        [e for e in record.entries if start <= e.day <= end],
        [r for r in record.responses if start <= r.day <= end],
        labels,
        start,
    )


def _usable_link(session: Session, request: Request) -> shares.ShareLink | None:
    link = sharing.find_usable(session, request.path_params.get("token"))
    if link is None or not sharing.grant_allows(session, link, request.query_params.get("grant")):
        return None
    return link


async def share_csv(request: Request) -> Response:
    with session_scope() as session:
        link = _usable_link(session, request)
        if link is None:
            return _not_valid()
        entries, responses, labels, start = _shared_rows(session, link)
        body = clinician_csv(entries, responses, labels, link.include_notes)
        shares.log_view(
            session, link, coarse_device(request.headers.get("user-agent")), "download_csv"
        )
    return _attachment(body, f"ketamine-companion-summary-{start}.csv", "text/csv; charset=utf-8")


async def share_fhir(request: Request) -> Response:
    with session_scope() as session:
        link = _usable_link(session, request)
        if link is None:
            return _not_valid()
        _entries, responses, _labels, _start = _shared_rows(session, link)
        patient = accounts.get_patient(session, link.patient_id)
        assert patient is not None
        bundle = fhir_bundle(responses, patient_ref(patient), utcnow())
        shares.log_view(
            session, link, coarse_device(request.headers.get("user-agent")), "download_fhir"
        )
    return _attachment(
        json.dumps(bundle, indent=2), "ketamine-companion-fhir.json", "application/fhir+json"
    )


def _patient_from_cookie(session: Session, request: Request) -> int | None:
    return auth.patient_for_token(session, request.cookies.get(auth.SESSION_COOKIE))


async def export_mine(request: Request) -> Response:
    """Everything stored about the signed-in patient, as JSON or CSV."""
    fmt = request.path_params.get("fmt")
    with session_scope() as session:
        patient_id = _patient_from_cookie(session, request)
        if patient_id is None:
            return PlainTextResponse("Please sign in.", status_code=401, headers=PRIVATE)
        everything = load_everything(session, patient_id)
    stamp = utcnow().date().isoformat()
    if fmt == "json":
        return _attachment(
            personal_json(everything, utcnow()),
            f"my-ketamine-companion-data-{stamp}.json",
            "application/json",
        )
    if fmt == "csv":
        return _attachment(
            personal_csv(everything), f"my-ketamine-companion-data-{stamp}.csv", "text/csv"
        )
    return PlainTextResponse("Not found", status_code=404, headers=PRIVATE)


async def calendar_feed(request: Request) -> Response:
    token = request.path_params.get("token")
    if not looks_like_token(token):
        return PlainTextResponse("Not found", status_code=404, headers=PRIVATE)
    with session_scope() as session:
        feed = calendar.find_feed(session, hash_token(str(token)))
        if feed is None:
            return PlainTextResponse("Not found", status_code=404, headers=PRIVATE)
        timeline = load_timeline(session, feed.patient_id)
        labelled = labelled_infusions(timeline)
        # Only the phase and number: a calendar is often synced elsewhere, so no dose, no mood.
        planned = [
            (i.row.id or 0, i.row.start, i.name)
            for i in labelled
            if i.row.start > timeline.now - timedelta(days=1)
        ]
        local_now = timeline.now.astimezone(zone(timeline.timezone))
        body = calendar_ics(planned, feed.reminder_time, settings.public_url, local_now)
    return Response(body, media_type="text/calendar; charset=utf-8", headers=PRIVATE)
