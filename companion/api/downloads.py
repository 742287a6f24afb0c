"""File downloads: the patient's own export (session cookie) and the private calendar feed
(its own revocable token). A share link's downloads are in companion.api.shared."""

from __future__ import annotations

import hashlib
from datetime import date, timedelta

from sqlmodel import Session
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from companion.data import calendar, infusions, questionnaires
from companion.data.db import as_utc, session_scope, utcnow
from companion.data.everything import load_everything
from companion.exports import calendar_ics, personal_csv, personal_json
from companion.exports.ical import CalendarContent, upcoming_checks, upcoming_questionnaires
from companion.localtime import is_valid_timezone, to_local
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


def _feed_content(session: Session, feed: calendar.CalendarFeed) -> CalendarContent:
    """What the feed shows, read for the feed's patient now."""
    timeline = load_timeline(session, feed.patient_id)
    tzid = timeline.timezone if is_valid_timezone(timeline.timezone) else "UTC"
    labelled = labelled_infusions(timeline)
    # Only the phase and number: a calendar is often synced elsewhere, so no dose, no mood.
    planned = [
        (i.row.id or 0, i.row.start, i.name)
        for i in labelled
        if i.row.start > timeline.now - timedelta(days=1)
    ]
    done_checks = {
        (c.infusion_id, c.timepoint) for c in infusions.list_post_checks(session, feed.patient_id)
    }
    starts = [(i.row.id or 0, i.row.start, i.day) for i in labelled]
    taken: dict[str, list[date]] = {}
    for response in questionnaires.list_responses(session, feed.patient_id):
        taken.setdefault(response.instrument, []).append(response.day)
    return CalendarContent(
        uid=feed.uid,
        timezone=tzid,
        reminder_time=feed.reminder_time,
        since=to_local(feed.created_at, tzid).date(),
        today=timeline.today,
        # The feed's own time, not now: the same content gives the same body and ETag.
        stamp=as_utc(feed.created_at),
        app_url=settings.public_url,
        infusions=planned,
        checks=upcoming_checks(timeline.now, starts, done_checks),
        questionnaires=upcoming_questionnaires(
            timeline.today, timeline.done_days, timeline.planned_days, taken
        ),
    )


def _matches(if_none_match: str | None, etag: str) -> bool:
    """If-None-Match compares weakly (RFC 9110 13.1.2): a W/ prefix still matches."""
    tags = [tag.strip().removeprefix("W/") for tag in (if_none_match or "").split(",")]
    return "*" in tags or etag in tags


async def calendar_feed(request: Request) -> Response:
    """The feed with a strong ETag (a hash of the body); a fetch that sends it back gets 304."""
    token = request.path_params.get("token")
    if not looks_like_token(token):
        return PlainTextResponse("Not found", status_code=404, headers=PRIVATE)
    with session_scope() as session:
        feed = calendar.find_feed(session, hash_token(str(token)))
        if feed is None:
            return PlainTextResponse("Not found", status_code=404, headers=PRIVATE)
        body = calendar_ics(_feed_content(session, feed))
    etag = '"' + hashlib.sha256(body.encode("utf-8")).hexdigest() + '"'
    # Kept by the calendar, but asked for again each time: it checks in with its ETag.
    headers = {**PRIVATE, "cache-control": "private, no-cache", "etag": etag}
    if _matches(request.headers.get("if-none-match"), etag):
        return Response(status_code=304, headers=headers)
    return Response(body, media_type="text/calendar; charset=utf-8", headers=headers)
