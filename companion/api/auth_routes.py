"""Signing in, up and out, and erasing the account: plain HTTP POSTs, so the session cookie is
set and cleared by the server (HttpOnly: JavaScript never sees it) and no page script runs
through eval. A form works without JavaScript (a 303 back to the page); assets/js/forms.js
posts the same form and shows the message in place.

Passwords are hashed in a worker thread, a few at a time (companion.security.passwords), so a
burst of sign-ins never stalls other patients' events.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from urllib.parse import parse_qsl

from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response

from companion import routes
from companion.data.db import get_engine, scrub_deleted, session_scope
from companion.security import auth, tabs
from companion.security.devices import coarse_device
from companion.security.passwords import off_the_loop
from companion.settings import settings

FORM_LIMIT = 16_384
NO_STORE = {"cache-control": "no-store"}


def same_origin(request: Request) -> bool:
    """A POST from one of the app's own pages. Cookies are SameSite=Strict; this refuses any
    other site's page outright. Browsers send Origin "null" for a form on a page whose
    referrer policy hides it, and then say where the request came from in Sec-Fetch-Site."""
    origin = request.headers.get("origin", "").rstrip("/")
    if origin in settings.allowed_origins:
        return True
    fetched_from = request.headers.get("sec-fetch-site", "")
    return origin in ("", "null") and fetched_from == "same-origin"


def client_ip(request: Request) -> str:
    """The client's address; X-Forwarded-For only through configured trusted proxies."""
    hops = settings.trusted_proxy_hops
    if hops:
        forwarded = [p.strip() for p in request.headers.get("x-forwarded-for", "").split(",")]
        forwarded = [p for p in forwarded if p]
        if len(forwarded) >= hops:
            return forwarded[-hops]
    return request.client.host if request.client else "unknown"


def cookie_header(name: str, value: str, max_age: int, path: str = "/") -> str:
    parts = [f"{name}={value}", f"Path={path}", f"Max-Age={max_age}", "HttpOnly"]
    parts.append("SameSite=Strict")
    if settings.cookie_secure:
        parts.append("Secure")
    return "; ".join(parts)


def session_cookie_header(token: str, max_age: int) -> str:
    return cookie_header(auth.SESSION_COOKIE, token, max_age)


def _device_cookie_header(value: str) -> str:
    # Sent only to /auth, where sign-in reads it; it is not a session and opens nothing.
    return cookie_header(
        auth.DEVICE_COOKIE, value, int(auth.DEVICE_LIFETIME.total_seconds()), "/auth"
    )


async def read_form(request: Request) -> dict[str, str]:
    """The posted fields (urlencoded or JSON), as strings; anything else is dropped."""
    body = await request.body()
    if len(body) > FORM_LIMIT:
        return {}
    if request.headers.get("content-type", "").startswith("application/json"):
        try:
            data = json.loads(body or b"{}")
        except ValueError:
            return {}
        items = data.items() if isinstance(data, dict) else []
        return {str(k): v for k, v in items if isinstance(v, str)}
    try:
        pairs = parse_qsl(body.decode("utf-8"), keep_blank_values=True)
    except UnicodeDecodeError:
        return {}
    return dict(pairs)


def _wants_json(request: Request) -> bool:
    return "application/json" in request.headers.get("accept", "")


@dataclass(frozen=True, slots=True)
class Outcome:
    """Where to go next, or a message (with the field it is about) to show on the form."""

    go_to: str = ""
    message: str = ""
    field: str = ""
    status: int = 400
    cookies: tuple[str, ...] = ()


def answer(request: Request, outcome: Outcome, form_page: str) -> Response:
    """JSON for forms.js; a 303 for a browser without JavaScript (the message by its code)."""
    if outcome.go_to:
        response: Response = (
            JSONResponse({"next": outcome.go_to}, headers=NO_STORE)
            if _wants_json(request)
            else RedirectResponse(outcome.go_to, status_code=303, headers=NO_STORE)
        )
    elif _wants_json(request):
        response = JSONResponse(
            {"message": outcome.message, "field": outcome.field},
            status_code=outcome.status,
            headers=NO_STORE,
        )
    else:
        code = auth.MESSAGE_CODES.get(outcome.message, "retry")
        response = RedirectResponse(f"{form_page}?error={code}", status_code=303, headers=NO_STORE)
    for cookie in outcome.cookies:
        response.headers.append("set-cookie", cookie)
    return response


def _signed_in(result: auth.AuthResult, next_path: str) -> Outcome:
    assert result.token is not None and result.device_cookie is not None
    return Outcome(
        go_to=next_path,
        cookies=(
            session_cookie_header(result.token, settings.session_idle_days * 24 * 3600),
            _device_cookie_header(result.device_cookie),
        ),
    )


def _refused(result: auth.AuthResult) -> Outcome:
    return Outcome(
        message=result.message, field=result.field, status=429 if result.limited else 400
    )


def _forbidden() -> Response:
    return Response("Forbidden", status_code=403, headers=NO_STORE)


async def sign_in(request: Request) -> Response:
    if not same_origin(request):
        return _forbidden()
    form = await read_form(request)
    client = client_ip(request)
    device = coarse_device(request.headers.get("user-agent"))
    device_cookie = request.cookies.get(auth.DEVICE_COOKIE)

    def work() -> auth.AuthResult:
        with session_scope() as session:
            return auth.sign_in(
                session, form.get("email"), form.get("password"), client, device, device_cookie
            )

    result = await off_the_loop(work)
    next_path = routes.safe_next(form.get("next"))
    outcome = _signed_in(result, next_path) if result.ok else _refused(result)
    return answer(request, outcome, routes.LOGIN)


async def sign_up(request: Request) -> Response:
    if not same_origin(request):
        return _forbidden()
    form = await read_form(request)
    client = client_ip(request)
    device = coarse_device(request.headers.get("user-agent"))

    def work() -> auth.AuthResult:
        with session_scope() as session:
            email, password, zone = form.get("email"), form.get("password"), form.get("timezone")
            return auth.sign_up(session, email, password, zone, client, device)

    result = await off_the_loop(work)
    # A new account starts with the set-up steps (each can be skipped).
    outcome = _signed_in(result, routes.SETUP) if result.ok else _refused(result)
    return answer(request, outcome, routes.SIGNUP)


def _cleared_session() -> str:
    return session_cookie_header("", 0)


async def sign_out(request: Request) -> Response:
    """End this session on the server, drop its tabs' state everywhere, clear the cookie."""
    if not same_origin(request):
        return _forbidden()
    token = request.cookies.get(auth.SESSION_COOKIE)

    def work() -> tuple[int, str] | None:
        with session_scope() as session:
            return auth.sign_out(session, token)

    ended = await off_the_loop(work)
    if ended is not None:
        await tabs.drop_session(*ended)
    return answer(request, Outcome(go_to=routes.LOGIN, cookies=(_cleared_session(),)), "")


async def delete_account(request: Request) -> Response:
    """Erase the account after the password is typed again, then sign out everywhere."""
    if not same_origin(request):
        return _forbidden()
    form = await read_form(request)
    token = request.cookies.get(auth.SESSION_COOKIE)

    def work() -> tuple[int | None, str | None]:
        with session_scope() as session:
            found = auth.session_of(session, token)
            if found is None:
                return None, "Please sign in again."
            return found[0], auth.delete_account(session, found[0], form.get("password"))

    patient_id, problem = await off_the_loop(work)
    if patient_id is None:
        return answer(request, Outcome(go_to=routes.LOGIN, cookies=(_cleared_session(),)), "")
    if problem:
        outcome = Outcome(message=problem, field="password", status=400)
        return answer(request, outcome, routes.SETTINGS)
    await tabs.drop_patient(patient_id)
    await off_the_loop(scrub_deleted, get_engine())
    done = f"{routes.LOGIN}?deleted=1"
    return answer(request, Outcome(go_to=done, cookies=(_cleared_session(),)), "")
