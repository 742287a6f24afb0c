"""GET /healthz: 200 when the database (and Redis, when set) answer, 503 when not, nothing
about any patient either way."""

from __future__ import annotations

import dataclasses
import shutil
import subprocess
import time

import pytest
from starlette.applications import Starlette
from starlette.routing import Route
from starlette.testclient import TestClient

from companion import routes
from companion.api import health
from companion.api.middleware import SecurityHeaders
from companion.settings import settings
from tests.e2e.harness import free_port


def _client() -> TestClient:
    app = Starlette(routes=[Route(routes.HEALTHZ, health.healthz)])
    return TestClient(SecurityHeaders(app), base_url="http://localhost:3000")


def test_healthy_with_the_database_and_no_redis(session, patient):
    response = _client().get("/healthz")
    assert response.status_code == 200, response.text
    assert response.json() == {"status": "ok", "database": "ok"}
    assert response.headers["cache-control"] == "no-store"
    assert patient.email not in response.text


def test_a_database_that_does_not_answer_is_503(monkeypatch):
    from companion.data import db

    # A PostgreSQL that is not there (nothing listens on the port).
    broken = db.make_engine(f"postgresql+psycopg://app@127.0.0.1:{free_port()}/companion")
    monkeypatch.setattr(health, "get_engine", lambda: broken)
    response = _client().get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "down"}


def test_redis_is_checked_when_the_tabs_state_lives_there(session, monkeypatch, tmp_path):
    binary = shutil.which("redis-server")
    assert binary, "redis-server is missing: `make test` installs it"
    port = free_port()
    process = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--dir", str(tmp_path)],
        stdout=subprocess.DEVNULL,
    )
    try:
        with_redis = dataclasses.replace(settings, redis_url=f"redis://127.0.0.1:{port}/0")
        monkeypatch.setattr(health, "settings", with_redis)
        for _ in range(50):
            if _client().get("/healthz").status_code == 200:
                break
            time.sleep(0.1)
        assert _client().get("/healthz").json() == {
            "status": "ok",
            "database": "ok",
            "redis": "ok",
        }
    finally:
        process.terminate()
        process.wait(timeout=10)
    response = _client().get("/healthz")
    assert response.status_code == 503 and response.json()["redis"] == "down"


@pytest.mark.parametrize("path", ["/healthz", "/ping"])
def test_health_routes_are_never_sent_to_sign_in(path):
    from companion.api.middleware import _is_page

    assert not _is_page(path)
