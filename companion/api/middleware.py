"""Headers on every response, and signed-out visits to private pages sent to /login.

- A strict Content-Security-Policy: scripts only from this origin and the inline scripts of
  Reflex's own page template, allowed one by one by their SHA-256 (no 'unsafe-inline', no
  'unsafe-eval': the app sends no script to run, see assets/js/).
- HTML is never cached (`no-store`: pages show health data); files under /assets/ carry a
  content hash in their name and are cached for a year; other files revalidate.
- A page asked for without its trailing slash is served as is, not redirected (a 307 costs a
  round trip on a phone).
"""

from __future__ import annotations

import base64
import functools
import hashlib
import re
from pathlib import Path

from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from companion import routes
from companion.data.db import session_scope
from companion.security import auth
from companion.security.cookies import cookie_from_scope

_INLINE_SCRIPT = re.compile(rb"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", re.S)


def static_dir() -> Path:
    """Where Reflex's production build keeps the pages it serves."""
    from reflex.utils import prerequisites
    from reflex_base import constants

    return prerequisites.get_web_dir() / constants.Dirs.STATIC


@functools.cache
def inline_script_hashes() -> tuple[str, ...]:
    """'sha256-…' of every inline script in the built pages, read once per process."""
    found: set[str] = set()
    for page in sorted(static_dir().rglob("*.html")):
        for body in _INLINE_SCRIPT.findall(page.read_bytes()):
            digest = base64.b64encode(hashlib.sha256(body).digest()).decode()
            found.add(f"'sha256-{digest}'")
    return tuple(sorted(found))


@functools.cache
def content_security_policy() -> bytes:
    # The browser may talk to this origin only: no CDN, no fonts, no analytics (PRODUCT.md).
    # Styles stay 'unsafe-inline': Radix and emotion set style attributes; no script can.
    scripts = " ".join(["'self'", *inline_script_hashes()])
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src {scripts}",
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data: blob:",
            "font-src 'self' data:",
            "connect-src 'self'",
            "worker-src 'self'",
            "manifest-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    ).encode()


_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    # No address (a share link's token included) ever goes to another site; our own server
    # does get it, which keeps the Origin header on the app's own form posts (no-referrer
    # would send "Origin: null" and every POST would look cross-site).
    (b"referrer-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), interest-cohort=()"),
    (b"cross-origin-opener-policy", b"same-origin"),
]
_SHARE_HEADERS = [(b"x-robots-tag", b"noindex, nofollow")]
# A stylesheet or script is never shown as a page, so the policy (about 2.5 KB: a hash for
# each inline script of every built page) is not sent with the twenty-odd a page loads, which
# cost a slow phone ~0.3 s before first paint. The service worker keeps it: it sets a worker's.
_NEVER_PAGES = (b"text/css", b"text/javascript", b"application/javascript")
NO_STORE = b"no-store"
IMMUTABLE = b"public, max-age=31536000, immutable"
REVALIDATE = b"no-cache"


# Reflex's liveness route (the connection line asks it) and ours with the database and Redis
# checked (load balancers ask it): never pages.
BACKEND_ROUTES = frozenset({"/ping", routes.HEALTHZ})


def _is_page(path: str) -> bool:
    last = path.rsplit("/", 1)[-1]
    return (
        not path.startswith(("/_", "/assets/", "/auth/", "/api/"))
        and "." not in last
        and path not in BACKEND_ROUTES
    )


def cache_control(path: str, query: str, content_type: bytes) -> bytes:
    if content_type.startswith(b"text/html") or _is_page(path):
        return NO_STORE
    # Vite's hashed bundles, and our scripts linked with their hash (companion.assets).
    if path.startswith("/assets/") or (path.startswith("/js/") and query.startswith("v=")):
        return IMMUTABLE
    return REVALIDATE


@functools.cache
def _has_index(path: str) -> bool:
    folder = path.strip("/")
    return bool(folder) and (static_dir() / folder / "index.html").is_file()


def _signed_in(scope: Scope) -> bool:
    token = cookie_from_scope(scope, auth.SESSION_COOKIE)
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
        query = scope.get("query_string", b"").decode("latin-1")
        is_page = scope.get("method") in ("GET", "HEAD") and _is_page(path)
        if (
            is_page
            and not routes.is_public(path)
            and not await run_in_threadpool(_signed_in, scope)
        ):
            await _redirect(send, routes.login_for(path.rstrip("/") or "/", query))
            return
        if is_page and not path.endswith("/") and _has_index(path):
            # Serve /login as /login/ would be, without the static files' slash redirect.
            scope = dict(scope)
            scope["path"] = path + "/"
            scope["raw_path"] = (path + "/").encode()
        extra = _HEADERS + (_SHARE_HEADERS if path.startswith("/s/") else [])

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {name.lower() for name, _ in headers}
                content_type = next((v for n, v in headers if n.lower() == b"content-type"), b"")
                added = [(n, v) for n, v in extra if n not in names]
                applies = path == routes.SERVICE_WORKER or not content_type.startswith(_NEVER_PAGES)
                if applies and b"content-security-policy" not in names:
                    added.append((b"content-security-policy", content_security_policy()))
                policy = cache_control(path, query, content_type)
                if b"cache-control" not in names or policy == IMMUTABLE:
                    headers = [(n, v) for n, v in headers if n.lower() != b"cache-control"]
                    added.append((b"cache-control", policy))
                message["headers"] = headers + added
            await send(message)

        await self.app(scope, receive, send_with_headers)


async def _redirect(send: Send, location: str) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": 303,
            "headers": [
                (b"location", location.encode()),
                (b"cache-control", NO_STORE),
                (b"content-security-policy", content_security_policy()),
                *_HEADERS,
            ],
        }
    )
    await send({"type": "http.response.body", "body": b""})
