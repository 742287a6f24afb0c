"""Security headers on every response, and signed-out visits to private pages sent to /login."""

from __future__ import annotations

from http.cookies import SimpleCookie
from urllib.parse import quote

from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from companion import routes
from companion.data.db import session_scope
from companion.security import auth
from companion.settings import settings

# The browser may talk to this origin only: no CDN, no fonts, no analytics (PRODUCT.md).
# Reflex runs rx.call_script through eval, hence 'unsafe-eval'; what matters here is that
# every source is 'self', and user text never reaches raw HTML anywhere in the app.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self' 'unsafe-inline' 'unsafe-eval'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "worker-src 'self' blob:",
        "manifest-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
_HEADERS = [
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), interest-cohort=()"),
    (b"cross-origin-opener-policy", b"same-origin"),
]
_SHARE_HEADERS = [(b"x-robots-tag", b"noindex, nofollow")]


def _is_page(path: str) -> bool:
    last = path.rsplit("/", 1)[-1]
    return not path.startswith(("/_", "/assets/", "/auth/", "/api/")) and "." not in last


def _cookie(scope: Scope, cookie: str) -> str | None:
    for name, value in scope.get("headers", []):
        if name == b"cookie":
            jar: SimpleCookie = SimpleCookie()
            try:
                jar.load(value.decode("latin-1"))
            except Exception:
                return None
            morsel = jar.get(cookie)
            return morsel.value if morsel else None
    return None


def _signed_in(scope: Scope) -> bool:
    token = _cookie(scope, auth.SESSION_COOKIE)
    if not token:
        return False
    with session_scope() as session:
        return auth.patient_for_token(session, token) is not None


class SecurityHeaders:
    """ASGI middleware: headers on every HTTP response; private pages need a session."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope.get("path", "/")
        if (
            scope.get("method") == "GET"
            and _is_page(path)
            and not routes.is_public(path)
            and not await run_in_threadpool(_signed_in, scope)
        ):
            await _redirect(send, routes.LOGIN, _return_cookie(scope))
            return
        extra = _HEADERS + (_SHARE_HEADERS if path.startswith("/s/") else [])
        form = scope.get("method") == "GET" and path.rstrip("/") in (routes.LOGIN, routes.SIGNUP)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {name.lower() for name, _ in message.get("headers", [])}
                headers = list(message.get("headers", [])) + [
                    (name, value) for name, value in extra if name not in names
                ]
                # Only the load that serves the form counts, not a slash redirect on the way.
                handed = form and message.get("status") == 200
                cookie = _hand_over_return(_cookie(scope, auth.RETURN_COOKIE)) if handed else None
                message["headers"] = headers + ([(b"set-cookie", cookie)] if cookie else [])
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _return_cookie_header(value: str, max_age: int) -> bytes:
    parts = [f"{auth.RETURN_COOKIE}={value}", "Path=/", f"Max-Age={max_age}", "SameSite=Strict"]
    if settings.cookie_secure:
        parts.append("Secure")
    return "; ".join(parts).encode()


def _return_cookie(scope: Scope) -> bytes:
    """Remember the page asked for, so that signing in on /login leads back to it (a reminder
    that opens /checkin should end on /checkin). Not a secret: only a path of this app, checked
    again before use (safe_next in companion.ui.state.auth)."""
    target = scope.get("path", "/")
    query = scope.get("query_string", b"").decode("latin-1")
    if query:
        target += "?" + query
    return _return_cookie_header(auth.RETURN_PENDING + quote(target, safe=""), 600)


def _hand_over_return(value: str | None) -> bytes | None:
    """On a page load of /login or /signup: the pending page becomes this load's own (its
    websocket then carries it), and any other load of the form forgets it, so a later visit
    to /login goes home as usual."""
    if not value:
        return None
    if value.startswith(auth.RETURN_PENDING):
        return _return_cookie_header(auth.RETURN_READY + value[len(auth.RETURN_PENDING) :], 600)
    return _return_cookie_header("", 0)


async def _redirect(send: Send, location: str, cookie: bytes) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": 303,
            "headers": [
                (b"location", location.encode()),
                (b"cache-control", b"no-store"),
                (b"set-cookie", cookie),
                *_HEADERS,
            ],
        }
    )
    await send({"type": "http.response.body", "body": b""})
