"""Reflex tabs bound to the sign-in that opened them, and dropped when it ends.

Reflex keys each tab's server-side state by a token the browser keeps in sessionStorage and
sends in the websocket URL: whoever connects with that token gets the state, notes and all.
Every websocket handshake passes through `TabGuard`, which

- replaces the Cookie header with the SHA-256 of the session cookie (`kc_sid`). Reflex keeps
  request headers in the state it stores in memory or Redis, and a hash cannot be replayed
  as a cookie; a signed-out or unknown cookie gives no `kc_sid` at all;
- derives the token Reflex uses from the tab's own token *and* that session, with the server
  key: the same tab token with another cookie, no cookie or a signed-out one opens another,
  empty state. Nothing the browser sends can name someone else's state;
- records which tab states belong to which patient (in memory, or in Redis with several
  workers), so that signing out, changing the password or deleting the account resets them on
  whichever worker holds them.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Callable, Iterable
from typing import Any, Protocol
from urllib.parse import parse_qsl, urlencode

from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Receive, Scope, Send

from companion.data.db import session_scope
from companion.security import auth, secret
from companion.security.cookies import cookie_from_scope
from companion.settings import settings

SESSION_HASH_COOKIE = "kc_sid"
# Reflex serves its websocket here (and uploads, which this app never takes).
EVENT_PATH = "/_event"
UPLOAD_PATH = "/_upload"


def state_token(client_token: str, session_hash: str) -> str:
    """The token Reflex keys this tab's state by: the tab's own token bound to its session.

    UUID-shaped because Reflex splits state keys on "_" and expects its own token format.
    """
    return str(uuid.UUID(bytes=secret.digest("reflex-tab", f"{client_token}|{session_hash}")[:16]))


class Registry(Protocol):
    async def add(self, patient_id: int, token: str, session_hash: str) -> None: ...

    async def take(self, patient_id: int, which: Callable[[str], bool]) -> list[str]: ...

    async def forget_history(self) -> None: ...


class MemoryRegistry:
    """One process: tab states of each patient, with the session each was opened under."""

    def __init__(self, ttl: float) -> None:
        self.ttl = ttl
        self._tabs: dict[int, dict[str, tuple[str, float]]] = {}

    async def add(self, patient_id: int, token: str, session_hash: str) -> None:
        now = time.monotonic()
        tabs = self._tabs.setdefault(patient_id, {})
        tabs[token] = (session_hash, now)
        for stale in [t for t, (_, at) in tabs.items() if now - at > self.ttl]:
            del tabs[stale]

    async def take(self, patient_id: int, which: Callable[[str], bool]) -> list[str]:
        tabs = self._tabs.get(patient_id, {})
        chosen = [t for t, (session_hash, _) in tabs.items() if which(session_hash)]
        for token in chosen:
            del tabs[token]
        return chosen

    async def forget_history(self) -> None:
        """Memory keeps no history: a reset state is gone."""


class RedisRegistry:
    """Several workers: the same record in Redis, expiring with the states it points to."""

    def __init__(self, url: str, ttl: int) -> None:
        from redis.asyncio import Redis

        self.ttl = ttl
        self._url = url
        self._clients: dict[int, Redis] = {}
        self._redis_cls = Redis

    def _client(self) -> Any:
        # One client per event loop (each worker process, and each test loop, has its own).
        loop_id = id(asyncio.get_running_loop())
        client = self._clients.get(loop_id)
        if client is None:
            client = self._clients[loop_id] = self._redis_cls.from_url(
                self._url, decode_responses=True
            )
        return client

    @staticmethod
    def _key(patient_id: int) -> str:
        return f"kc:tabs:{patient_id}"

    async def add(self, patient_id: int, token: str, session_hash: str) -> None:
        redis = self._client()
        key = self._key(patient_id)
        pipeline = redis.pipeline(transaction=True)
        pipeline.hset(key, token, session_hash)
        # Longer than a state lives: a state is never left without its record.
        pipeline.expire(key, self.ttl * 2)
        await pipeline.execute()

    async def take(self, patient_id: int, which: Callable[[str], bool]) -> list[str]:
        redis = self._client()
        key = self._key(patient_id)
        tabs = await redis.hgetall(key)
        chosen = [token for token, bound in tabs.items() if which(bound)]
        if chosen:
            await redis.hdel(key, *chosen)
        return chosen

    async def forget_history(self) -> None:
        """After an erasure: Redis's append-only file still holds every earlier write of the
        reset states (a note typed, say) until it is rewritten, and a snapshot until the next
        one. Ask for both now. A managed Redis may refuse CONFIG: then its own schedule rules."""
        from redis.exceptions import ResponseError

        redis = self._client()
        try:
            if (await redis.config_get("appendonly")).get("appendonly") == "yes":
                await redis.bgrewriteaof()
            if (await redis.config_get("save")).get("save"):
                await redis.bgsave(schedule=True)
        except ResponseError:
            return


_registry: Registry | None = None
_app: Any = None


def registry() -> Registry:
    global _registry
    if _registry is None:
        ttl = settings.tab_state_seconds
        _registry = (
            RedisRegistry(settings.redis_url, ttl) if settings.redis_url else MemoryRegistry(ttl)
        )
    return _registry


def install(app: Any) -> None:
    """Give this module the Reflex app whose states it drops (companion.py calls it)."""
    global _app
    _app = app


async def _reset(tokens: Iterable[str]) -> int:
    """Reset every var of each tab's state tree, under that state's own lock (on any worker:
    the state manager takes the lock in Redis), so nothing of the patient's is left in it."""
    if _app is None:
        return 0
    from reflex.istate.manager.token import BaseStateToken
    from reflex.state import State

    count = 0
    for token in tokens:
        async with _app.modify_state(BaseStateToken(ident=token, cls=State)) as root:
            root.reset()
        count += 1
    return count


async def drop_session(patient_id: int, session_hash: str) -> int:
    """Sign-out: the tabs opened under this session lose their state."""
    tokens = await registry().take(patient_id, lambda h: h == session_hash)
    return await _reset(tokens)


async def drop_other_sessions(patient_id: int, keep_session_hash: str) -> int:
    """Password change: every tab but those of the session that changed it."""
    tokens = await registry().take(patient_id, lambda h: h != keep_session_hash)
    return await _reset(tokens)


async def drop_patient(patient_id: int) -> int:
    """Account deleted: every tab of the patient, and whatever history the store keeps."""
    tokens = await registry().take(patient_id, lambda h: True)
    dropped = await _reset(tokens)
    await registry().forget_history()
    return dropped


def _session_of(token: str | None) -> tuple[int, str] | None:
    if not token:
        return None
    with session_scope() as session:
        return auth.session_of(session, token)


def _sanitised_headers(
    headers: list[tuple[bytes, bytes]], session_hash: str
) -> list[tuple[bytes, bytes]]:
    kept = [(name, value) for name, value in headers if name.lower() != b"cookie"]
    if session_hash:
        kept.append((b"cookie", f"{SESSION_HASH_COOKIE}={session_hash}".encode()))
    return kept


class TabGuard:
    """ASGI middleware in front of Reflex's websocket (see the module's docstring)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path: str = scope.get("path", "")
        if path.startswith(UPLOAD_PATH):
            # Reflex's upload endpoint takes a tab token in a header; nothing here uploads.
            if scope["type"] == "http":
                await send({"type": "http.response.start", "status": 404, "headers": []})
                await send({"type": "http.response.body", "body": b""})
            return
        if scope["type"] != "websocket" or not path.startswith(EVENT_PATH):
            await self.app(scope, receive, send)
            return
        found = await run_in_threadpool(_session_of, cookie_from_scope(scope, auth.SESSION_COOKIE))
        session_hash = found[1] if found else ""
        query = parse_qsl(scope.get("query_string", b"").decode("latin-1"))
        bound: list[tuple[str, str]] = []
        for name, value in query:
            if name == "token":
                value = state_token(value, session_hash)
                if found:
                    await registry().add(found[0], value, session_hash)
            bound.append((name, value))
        scope = dict(scope)
        scope["query_string"] = urlencode(bound).encode("latin-1")
        scope["headers"] = _sanitised_headers(list(scope.get("headers", [])), session_hash)
        await self.app(scope, receive, send)
