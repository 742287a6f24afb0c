"""HTTP routes that set and clear the HttpOnly session cookie (JavaScript never sees the token)."""

from __future__ import annotations

import json

from starlette.requests import Request
from starlette.responses import Response

from companion.data.db import session_scope
from companion.security import auth
from companion.settings import settings


def _same_origin(request: Request) -> bool:
    # The cookie is SameSite=Strict and the ticket is secret; checking Origin as well refuses
    # any other site's page outright.
    return request.headers.get("origin", "").rstrip("/") in settings.allowed_origins


def session_cookie_header(token: str, max_age: int) -> str:
    parts = [
        f"{auth.SESSION_COOKIE}={token}",
        "Path=/",
        f"Max-Age={max_age}",
        "HttpOnly",
        "SameSite=Strict",
    ]
    if settings.cookie_secure:
        parts.append("Secure")
    return "; ".join(parts)


async def start_session(request: Request) -> Response:
    """Trade a one-time sign-in ticket for the session cookie."""
    if not _same_origin(request):
        return Response(status_code=403)
    try:
        body = json.loads(await request.body() or b"{}")
    except ValueError:
        return Response(status_code=400)
    ticket = body.get("ticket") if isinstance(body, dict) else None
    with session_scope() as session:
        token = auth.redeem_ticket(session, ticket)
        if token is not None and isinstance(body, dict):
            auth.adopt_timezone(session, token, body.get("timezone"))
    if token is None:
        return Response(status_code=400)
    response = Response(status_code=204)
    response.headers["set-cookie"] = session_cookie_header(
        token, settings.session_idle_days * 24 * 3600
    )
    # The page asked for before signing in has been reached: forget it.
    response.headers.append(
        "set-cookie", f"{auth.RETURN_COOKIE}=; Path=/; Max-Age=0; SameSite=Strict"
    )
    response.headers["cache-control"] = "no-store"
    return response


async def end_session(request: Request) -> Response:
    """Sign out: the session row is deleted and the cookie cleared."""
    if not _same_origin(request):
        return Response(status_code=403)
    token = request.cookies.get(auth.SESSION_COOKIE)
    with session_scope() as session:
        auth.sign_out(session, token)
    response = Response(status_code=204)
    response.headers["set-cookie"] = session_cookie_header("", 0)
    response.headers["cache-control"] = "no-store"
    return response
