"""POST /api/entries/<kind>: the one way entries
reach the database, from assets/js/outbox.js.

The phone keeps each entry (its answers and an id it made) until this answers. Each save runs
in one transaction with the id's line in the submission ledger, so a repeat of the id (a
double tap, a retry after a lost answer, a replay) gets the first answer back and writes
nothing. Nothing here depends on the tab's server-side state: a reload, a closed tab or a
restarted server loses nothing the phone still holds.

Answers: 200 {"message", ...} when saved (or already saved); 400 {"message", "field"} for an
answer to fix (the phone shows it and keeps the form); 401 when signed out (kept, sent after
signing in); 410 when the account is gone; 503 when the database can't be reached (retried).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.websockets import WebSocket, WebSocketDisconnect

from companion.api.auth_routes import same_origin
from companion.clinical import (
    INSTRUMENTS,
    format_short_date,
    safety_kind_for_checkin,
    safety_kind_for_phq9,
    score,
    validate_safety_plan,
)
from companion.clinical.checkin import validate_checkin_changes
from companion.clinical.infusion_input import validate_infusion, validate_post_check
from companion.clinical.safety import crisis_response
from companion.clinical.scoring import answers_from_form, taken_on_day
from companion.clinical.validation import ValidationError, row_id
from companion.data import accounts, checkins, infusions, questionnaires, safety, safety_plans
from companion.data import submissions as ledger
from companion.data.db import bound_session, get_engine, transaction, utcnow
from companion.localtime import local_today, to_local, zone
from companion.security import auth
from companion.settings import settings

BODY_LIMIT = 65_536
# An entry kept on the phone longer than this is filed under the day it is sent.
MADE_AT_MAX_AGE = timedelta(days=30)
_ID = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
NO_STORE = {"cache-control": "no-store"}
GONE = "This account no longer exists, so nothing was saved."
UNREADABLE = "The entry could not be read. Please save it again."
# An HTTP status and the JSON answer for the phone.
Reply = tuple[int, dict[str, Any]]


@dataclass(frozen=True, slots=True)
class Saved:
    """What a save wrote (its row) and what the phone is told."""

    row_id: int | None
    answer: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Entry:
    """One entry to save, for an account held until the save commits (see hold_patient)."""

    patient_id: int
    tz: str  # the patient's time zone, read as the account was held
    fields: dict[str, Any]
    made_at: object = None


class SignedOut(Exception):
    pass


def _fields(body: dict[str, Any]) -> dict[str, Any]:
    found = body.get("fields")
    if not isinstance(found, dict):
        raise ValidationError("", "Nothing to save was sent.")
    return found


def _day_words(day: date, today: date) -> str:
    return "today" if day == today else format_short_date(day)


def made_moment(made_at: object, now: datetime) -> datetime | None:
    """When the entry was made on the phone (its clock, milliseconds since 1970), if that is
    a moment in the last MADE_AT_MAX_AGE; None for anything else."""
    if isinstance(made_at, int | float) and not isinstance(made_at, bool):
        try:
            moment = datetime.fromtimestamp(made_at / 1000, tz=UTC)
        except (OverflowError, OSError, ValueError):
            return None
        if now - MADE_AT_MAX_AGE <= moment <= now:
            return moment
    return None


def made_on(made_at: object, tz: str) -> date:
    """The patient's calendar day when the entry was made on the phone (an entry made at
    23:50 and sent after midnight is still that evening's), never a day ahead of now."""
    now = utcnow()
    return local_today(tz, made_moment(made_at, now) or now)


def _deleted_after(db: Connection, entry: Entry, day: date) -> checkins.Deletion | None:
    """The day's deletion when it came after this entry was made: an entry unsent on another
    phone, or on its way from this one as the day was deleted, must not bring it back. (The
    phone's clock against the server's: a few minutes' difference matters only for an entry
    made in those minutes around the deletion.)"""
    deleted = checkins.last_deletion(db, entry.patient_id, day)
    if deleted is None:
        return None
    made = made_moment(entry.made_at, utcnow())
    return deleted if made is not None and made < deleted.at else None


def _record_safety_event(
    db: Connection, patient_id: int, day: date, kind: str, *source: Any
) -> None:
    with bound_session(db) as session:
        safety.record_safety_event(session, patient_id, day, kind, *source)


def save_checkin(db: Connection, entry: Entry) -> Saved:
    """The hot path (a check-in a day, often more): Core statements on the save's connection,
    no ORM session unless a safety event is to be kept."""
    today = local_today(entry.tz)
    fields = entry.fields
    if fields.get("day") in (None, ""):
        # "Today" on the phone: the day the entry was made there.
        fields = {**fields, "day": made_on(entry.made_at, entry.tz).isoformat()}
    changes = validate_checkin_changes(fields, today)
    deleted = _deleted_after(db, entry, changes.day)
    if deleted is not None:
        thoughts = changes.fields.get("suicidal_thoughts")
        answer = thoughts if isinstance(thoughts, str) else None
        kind = safety_kind_for_checkin(answer)
        if kind is not None:
            # The day stays deleted, but an answer of suicidal thoughts is never dropped: the
            # clinician's summary lists it as it would had the entry arrived first.
            _record_safety_event(
                db, entry.patient_id, changes.day, kind, "deleted_checkin", deleted.id
            )
        return Saved(
            None,
            {
                "message": (
                    f"Not saved: the check-in of {_day_words(changes.day, today)} was deleted "
                    "after this entry was made."
                ),
                "day": changes.day.isoformat(),
                "deleted": True,
                # Help still shows for what was answered, though the day stays deleted.
                "crisis": crisis_response(answer),
            },
        )
    try:
        row = checkins.write_checkin(db, entry.patient_id, changes)
    except checkins.NoMoodYet:
        raise ValidationError("mood", "Please choose the day's mood.") from None
    kind = safety_kind_for_checkin(row.suicidal_thoughts)
    if kind is not None:
        _record_safety_event(db, entry.patient_id, row.day, kind, "checkin", row.id)
    return Saved(
        row.id,
        {
            "message": f"Saved for {_day_words(row.day, today)}. You can change it any time.",
            "day": row.day.isoformat(),
            "crisis": crisis_response(row.suicidal_thoughts),
        },
    )


def save_infusion(session: Session, sent: Entry) -> Saved:
    now = utcnow()
    patient_id, fields = sent.patient_id, sent.fields
    entry = validate_infusion(fields, now, zone(sent.tz))
    editing = fields.get("infusion_id")
    if editing not in (None, ""):
        number = row_id(editing, text=True)
        row = (
            infusions.update_infusion(session, patient_id, number, entry)
            if number is not None
            else None
        )
        if row is None:
            raise ValidationError("infusion_id", "That infusion was not found.")
        return Saved(row.id, {"message": "Infusion updated.", "infusion_id": row.id})
    row = infusions.add_infusion(session, patient_id, entry)
    planned = entry.starts_at > now
    message = "Planned infusion saved." if planned else "Infusion saved."
    return Saved(row.id, {"message": message, "infusion_id": row.id})


def save_post_check(session: Session, sent: Entry) -> Saved:
    patient_id, fields = sent.patient_id, sent.fields
    raw = fields.get("infusion")
    infusion_id = row_id(raw, text=True)
    entry = validate_post_check({**fields, "timepoint": fields.get("when")})
    row = infusions.get_infusion(session, patient_id, infusion_id) if infusion_id else None
    if row is None or row.start > utcnow():
        raise ValidationError("infusion", "This check was not found. Open it from your infusions.")
    saved = infusions.save_post_check(session, patient_id, row.id or 0, entry)
    assert saved is not None
    local = to_local(row.start, sent.tz)
    return Saved(
        saved.id,
        {
            "message": (
                f"Saved. This check of your infusion on {format_short_date(local.date())} is "
                "done; the next one shows on Today when it is due."
            ),
        },
    )


def save_questionnaire(session: Session, sent: Entry) -> Saved:
    patient_id, fields = sent.patient_id, sent.fields
    key = fields.get("instrument")
    if not isinstance(key, str) or key not in INSTRUMENTS:
        raise ValidationError("instrument", "That questionnaire does not exist.")
    instrument = INSTRUMENTS[key]
    form = answers_from_form(instrument, fields)
    result = score(instrument, list(form.answers))
    today = local_today(sent.tz)
    # Taken at the clinic on an earlier day: filed under that day, marked as entered later.
    day = taken_on_day(fields.get("taken_on"), today)
    row = questionnaires.save_response(
        session, patient_id, result, day, difficulty=form.difficulty, entered_later=day < today
    )
    if key == "phq9" and safety_kind_for_phq9(list(form.answers)) and row.id:
        safety.record_safety_event(session, patient_id, day, "phq9_item9", "phq9", row.id)
    taken = "" if day == today else f" for {format_short_date(day)}"
    return Saved(
        row.id,
        {
            "message": (
                f"{instrument.name} saved{taken}: score {result.total} ({result.severity})."
            ),
            "instrument": key,
            "total": result.total,
            "severity": result.severity,
            "meaning": result.meaning,
            "self_harm": result.self_harm_flag,
            "response_id": row.id,
        },
    )


def save_safety_plan(session: Session, sent: Entry) -> Saved:
    plan = validate_safety_plan(sent.fields)
    safety_plans.save_plan(session, sent.patient_id, plan)
    return Saved(
        None, {"message": "Saved. Your plan now shows on every crisis screen and the help page."}
    )


def _in_session(
    save_kind: Callable[[Session, Entry], Saved],
) -> Callable[[Connection, Entry], Saved]:
    """A save written with the ORM, run in a session on the save's own transaction."""

    def run(db: Connection, entry: Entry) -> Saved:
        with bound_session(db) as session:
            return save_kind(session, entry)

    return run


KINDS: dict[str, Callable[[Connection, Entry], Saved]] = {
    "checkin": save_checkin,
    "infusion": _in_session(save_infusion),
    "postcheck": _in_session(save_post_check),
    "questionnaire": _in_session(save_questionnaire),
    "safety_plan": _in_session(save_safety_plan),
}


def _json(answer: dict[str, Any], status: int = 200) -> JSONResponse:
    return JSONResponse(answer, status_code=status, headers=NO_STORE)


def _no_nan(value: str) -> float:
    raise ValueError(f"not a number: {value}")


def _read(body: bytes) -> dict[str, Any] | None:
    """The JSON object posted, or None for anything else (NaN and Infinity included)."""
    if len(body) > BODY_LIMIT:
        return None
    try:
        data = json.loads(body or b"{}", parse_constant=_no_nan)
    except (ValueError, UnicodeDecodeError, RecursionError):
        return None
    return data if isinstance(data, dict) else None


def save(kind: str, token: str | None, body: dict[str, Any]) -> Reply:
    """One entry, once: the status and the JSON answer for the phone."""
    submission = body.get("id")
    if not isinstance(submission, str) or not _ID.fullmatch(submission):
        return 400, {"message": "This entry has no valid id. Reload the page and save again."}
    try:
        with transaction() as db:
            found = auth.session_of(db, token)
            if found is None:
                raise SignedOut
            patient_id = found[0]
            # Held to the end of the save: see hold_patient.
            tz = accounts.hold_patient(db, patient_id)
            if tz is None:
                return 410, {"message": GONE, "gone": True}
            prior = ledger.answer_for(db, patient_id, submission)
            if prior is not None:
                return 200, {**prior, "repeat": True}
            entry = Entry(patient_id, tz, _fields(body), body.get("made_at"))
            saved = KINDS[kind](db, entry)
            answer = {**saved.answer, "saved": True}
            ledger.record(db, patient_id, submission, kind, saved.row_id, answer)
            return 200, answer
    except SignedOut:
        return 401, {"message": "Sign in again to send this entry: it is kept on this phone."}
    except ValidationError as problem:
        return 400, {"message": problem.message, "field": problem.field}
    except IntegrityError:
        # The same id saved at this very moment by another request, or the account deleted
        # under this save: the transaction rolled back, so look again.
        return _after_conflict(token, submission)
    except OperationalError:
        return 503, {"message": "The server could not save just now. It will try again."}


def _after_conflict(token: str | None, submission: str) -> Reply:
    with transaction() as db:
        found = auth.session_of(db, token)
        if found is None or accounts.hold_patient(db, found[0]) is None:
            return 410, {"message": GONE, "gone": True}
        prior = ledger.answer_for(db, found[0], submission)
        if prior is not None:
            return 200, {**prior, "repeat": True}
    return 503, {"message": "The server could not save just now. It will try again."}


def _finite(value: object) -> bool:
    """No NaN or infinity anywhere in what was sent (json.loads refused those already)."""
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, dict):
        return all(_finite(v) for v in value.values())
    if isinstance(value, list):
        return all(_finite(v) for v in value)
    return True


async def _answer(kind: object, body: dict[str, Any] | None, token: str | None) -> Reply:
    if kind not in KINDS:
        return 404, {"message": "There is no such kind of entry."}
    if body is None or not _finite(body):
        return 400, {"message": UNREADABLE}
    if get_engine().dialect.name == "sqlite":
        # A local file, written in a millisecond or two: saved here, as the app's own event
        # handlers write it (Reflex runs them on this loop too), not handed to a thread and
        # back, which costs a third as much again on a phone's Save.
        return save(str(kind), token, body)
    return await run_in_threadpool(save, str(kind), token, body)


async def post_entry(request: Request) -> Response:
    if not same_origin(request):
        return _json({"message": "Forbidden"}, 403)
    kind = request.path_params.get("kind", "")
    body = _read(await request.body()) if kind in KINDS else None
    status, answer = await _answer(kind, body, request.cookies.get(auth.SESSION_COOKIE))
    return _json(answer, status)


async def entries_socket(websocket: WebSocket) -> None:
    """The same saves as post_entry, over one websocket a page keeps open: a tap on Save is then
    one message each way on a connection already made, not a new HTTP request (about a third
    of the time on this machine). Each message is {"kind", "id", "fields", "made_at"}; each
    answer is {"id", "status", "answer"}, status and answer as post_entry's. Only the app's own
    pages may open it (their Origin: a cookie alone never does), and every save checks the
    session again, so a session ended meanwhile saves nothing. The phone falls back to POST
    whenever this socket is not open or does not answer."""
    if websocket.headers.get("origin", "").rstrip("/") not in settings.allowed_origins:
        await websocket.close(code=1008)
        return
    token = websocket.cookies.get(auth.SESSION_COOKIE)
    await websocket.accept()
    try:
        while True:
            message = await websocket.receive()
            if message["type"] == "websocket.disconnect":
                return
            text = message.get("text")
            body = _read(text.encode() if text is not None else message.get("bytes") or b"")
            if body is None:
                status, answer = 400, {"message": UNREADABLE}
            else:
                status, answer = await _answer(body.pop("kind", None), body, token)
            submission = body.get("id") if body is not None else None
            reply = {"id": submission if isinstance(submission, str) else None}
            await websocket.send_text(json.dumps({**reply, "status": status, "answer": answer}))
    except WebSocketDisconnect:
        return
