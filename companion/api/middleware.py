"""Security headers on every response, and signed-out visits to private pages sent to /login."""

from __future__ import annotations

from http.cookies import SimpleCookie

from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from companion import routes
from companion.data.db import session_scope
from companion.security import auth

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


def _session_token(scope: Scope) -> str | None:
    for name, value in scope.get("headers", []):
        if name == b"cookie":
            jar: SimpleCookie = SimpleCookie()
            try:
                jar.load(value.decode("latin-1"))
            except Exception:
                return None
            morsel = jar.get(auth.SESSION_COOKIE)
            return morsel.value if morsel else None
    return None


def _signed_in(scope: Scope) -> bool:
    token = _session_token(scope)
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
            await _redirect(send, routes.LOGIN)
            return
        extra = _HEADERS + (_SHARE_HEADERS if path.startswith("/s/") else [])

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {name.lower() for name, _ in message.get("headers", [])}
                message["headers"] = list(message.get("headers", [])) + [
                    (name, value) for name, value in extra if name not in names
                ]
            await send(message)

        await self.app(scope, receive, send_with_headers)


async def _redirect(send: Send, location: str) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": 303,
            "headers": [
                (b"location", location.encode()),
                (b"cache-control", b"no-store"),
                *_HEADERS,
            ],
        }
    )
    await send({"type": "http.response.body", "body": b""})
