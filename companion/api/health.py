"""GET /healthz for load balancers, supervisors and the tests: 200 when the database (and
Redis, when the tabs' state lives there) answer, 503 naming which does not. No patient data,
no counts, nothing cached."""

from __future__ import annotations

from sqlalchemy import text
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse

from companion.data.db import get_engine
from companion.settings import settings

TIMEOUT_S = 2.0


def _database() -> bool:
    try:
        with get_engine().connect() as connection:
            connection.execute(text("SELECT 1"))
        return True
    except Exception:
        return False


def _redis() -> bool | None:
    return redis_answers(settings.redis_url) if settings.redis_url else None


def redis_answers(url: str) -> bool:
    """Whether the Redis at url answers PING (with the password the URL carries)."""
    try:
        import redis

        client = redis.Redis.from_url(
            url, socket_timeout=TIMEOUT_S, socket_connect_timeout=TIMEOUT_S
        )
        try:
            return bool(client.ping())
        finally:
            client.close()
    except Exception:
        return False


def checks() -> dict[str, str]:
    found = {"database": "ok" if _database() else "down"}
    redis_ok = _redis()
    if redis_ok is not None:
        found["redis"] = "ok" if redis_ok else "down"
    return found


async def healthz(request: Request) -> JSONResponse:
    found = await run_in_threadpool(checks)
    healthy = all(value == "ok" for value in found.values())
    return JSONResponse(
        {"status": "ok" if healthy else "unavailable", **found},
        status_code=200 if healthy else 503,
        headers={"cache-control": "no-store"},
    )
