"""A share link as a SMART Health Link: its sealed FHIR file, the manifest POST and the one-use
file addresses, open to any origin (an EHR or wallet on another site) and never with cookies.

Where the key lives: nowhere on the server. When a link is made, the FHIR Bundle of its period
is encrypted under a fresh key and only that JWE is stored; the key goes into the #shlink:/
fragment of the address shown once to the patient (browsers never send a fragment). A stolen
database, backup or log gives no readable file, and nobody can show the link again.
"""

from __future__ import annotations

import json
import re
from datetime import timedelta
from typing import Any

from sqlmodel import Session
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp, Receive, Scope, Send

from companion import routes
from companion.api import shared
from companion.api.downloads import PRIVATE
from companion.data import accounts, shares
from companion.data.db import session_scope, utcnow
from companion.exports import shl
from companion.localtime import local_today
from companion.security import sharing
from companion.security.devices import coarse_device
from companion.security.passwords import off_the_loop
from companion.security.tokens import hash_token, looks_like_token, new_token
from companion.settings import settings

# Any origin may ask, none with credentials: the manifest needs no cookie, only the link.
CORS = {"access-control-allow-origin": "*"}
HEADERS = {**PRIVATE, **CORS}
# The spec: file addresses are short-lived (at most an hour) and these are used once.
FILE_LIFETIME = timedelta(hours=1)
RECIPIENT_MAX = 80
BODY_MAX = 4096
NOT_FOUND = {"error": "This link is not valid."}
# The manifest and file routes (routes.SHL_MANIFEST, routes.SHL_FILE).
_SHL_PATH = re.compile(r"/s/[^/]+/shl(/[^/]+)?")


def seal(session: Session, link: shares.ShareLink, token: str) -> str:
    """Encrypt the link's FHIR Bundle as it is now under a fresh key, keep only the JWE, and
    return the address to give: the clinician page with the SHL payload (the key) after '#'."""
    # The same rows and Bundle as the page's FHIR download (one builder for both).
    bundle, start = shared.shared_bundle(session, link)
    key = shl.new_key()
    shares.store_shl_file(session, link, shl.encrypt_file(json.dumps(bundle).encode(), key))
    manifest = settings.public_url + routes.shl_manifest(token)
    passcode = link.passcode_hash is not None
    end = local_today(accounts.timezone_of(session, link.patient_id))
    body = shl.payload(manifest, key, link.expires_at, passcode, shl.label(start, end))
    return shl.shlink(settings.public_url + routes.shared_summary(token), body)


def _answer(body: dict[str, Any], status: int = 200) -> JSONResponse:
    return JSONResponse(body, status_code=status, headers=HEADERS)


def _ticket_hash(ticket: str) -> str:
    # Kept apart from the page's grants: a file ticket never works as a grant cookie.
    return hash_token(f"shl-file:{ticket}")


def read_request(raw: bytes) -> tuple[dict[str, Any] | None, str]:
    """The manifest request's fields, or None and what is wrong with it."""
    try:
        data = json.loads(raw) if len(raw) <= BODY_MAX else None
    except ValueError:
        data = None
    if not isinstance(data, dict):
        return None, "Send a JSON object with recipient (and passcode if the link needs one)."
    recipient = data.get("recipient")
    if not isinstance(recipient, str) or not recipient.strip() or not recipient.isprintable():
        return None, "recipient must be a name of 1 to 80 characters."
    if len(recipient.strip()) > RECIPIENT_MAX:
        return None, "recipient must be a name of 1 to 80 characters."
    passcode = data.get("passcode")
    if passcode is not None and not isinstance(passcode, str):
        return None, "passcode must be text."
    limit = data.get("embeddedLengthMax")
    if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int) or limit < 0):
        return None, "embeddedLengthMax must be a whole number of 0 or more."
    return {"recipient": recipient.strip(), "passcode": passcode, "limit": limit}, ""


async def preflight(_request: Request) -> Response:
    """The browser's CORS check before a cross-origin JSON POST."""
    allow = {
        "access-control-allow-methods": "POST",
        "access-control-allow-headers": "content-type",
        "access-control-max-age": "600",
    }
    return Response(status_code=204, headers={**HEADERS, **allow})


async def manifest(request: Request) -> Response:
    """POST the manifest URL: 404 for a link that is not valid, 400 for a bad request, 401 with
    remainingAttempts for a wrong passcode (the page's 5-try lock), else the file."""
    token = request.path_params["token"]
    raw = await request.body()
    device = coarse_device(request.headers.get("user-agent"))

    def work() -> Response:
        with session_scope() as session:
            link = sharing.find_usable(session, token)
            if link is None or link.shl_file is None:
                return _answer(NOT_FOUND, 404)
            fields, problem = read_request(raw)
            if fields is None:
                return _answer({"error": problem}, 400)
            recipient = fields["recipient"]
            if not sharing.passcode_ok(session, link, device, recipient, fields["passcode"]):
                left = sharing.tries_left(link)
                return _answer({"error": "Wrong passcode.", "remainingAttempts": left}, 401)
            file: dict[str, str] = {"contentType": shl.FHIR_JSON}
            ticket = None
            if fields["limit"] is None or len(link.shl_file) <= fields["limit"]:
                file["embedded"] = link.shl_file
            else:
                ticket = new_token()
                file["location"] = settings.public_url + routes.shl_file(token, ticket)
            shares.log_view(
                session,
                link,
                device,
                "shl_manifest",
                recipient,
                _ticket_hash(ticket) if ticket else None,
                utcnow() + FILE_LIFETIME if ticket else None,
            )
            return _answer({"files": [file]})

    return await off_the_loop(work)


async def file(request: Request) -> Response:
    """GET a file address from a manifest: the JWE once, within the hour; then 404."""
    token, ticket = request.path_params["token"], request.path_params["ticket"]

    def work() -> Response:
        with session_scope() as session:
            link = sharing.find_usable(session, token) if looks_like_token(ticket) else None
            if (
                link is None
                or link.shl_file is None
                or not shares.take_file_ticket(session, link, _ticket_hash(ticket), utcnow())
            ):
                return _answer(NOT_FOUND, 404)
            return Response(link.shl_file, media_type="application/jose", headers=HEADERS)

    return await run_in_threadpool(work)


class AnyOrigin:
    """ASGI middleware around the whole app: requests to the SHL routes reach them without
    their Origin header. Reflex's own CORS layer admits only this app's origin, with
    credentials; these routes answer every origin themselves (`*`, no credentials)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and _SHL_PATH.fullmatch(scope.get("path", "")):
            scope = dict(scope)
            scope["headers"] = [(k, v) for k, v in scope["headers"] if k.lower() != b"origin"]
        await self.app(scope, receive, send)
