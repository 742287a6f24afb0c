"""File downloads: the patient's own export (session cookie) and the private calendar feed
(its own revocable token). A share link's downloads are in companion.api.shared."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from companion.data import calendar
from companion.data.db import session_scope, utcnow
from companion.data.everything import load_everything
from companion.exports import calendar_ics, personal_csv, personal_json
from companion.localtime import zone
from companion.security import auth
from companion.security.tokens import hash_token, looks_like_token
from companion.settings import settings
from companion.summary import labelled_infusions, load_timeline

PRIVATE = {"cache-control": "no-store", "x-robots-tag": "noindex, nofollow"}


def attachment(body: str, filename: str, media_type: str) -> Response:
    headers = {**PRIVATE, "content-disposition": f'attachment; filename="{filename}"'}
    return Response(body, media_type=media_type, headers=headers)


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
        return attachment(
            personal_json(everything, utcnow()),
            f"my-ketamine-companion-data-{stamp}.json",
            "application/json",
        )
    if fmt == "csv":
        return attachment(
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
