"""`make prod`'s services: PostgreSQL and Redis from Debian under PROD_DIR, on loopback, with
generated passwords only the app's user reads; started twice they are the same; stopped, gone."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
import redis
from sqlalchemy import text

from companion import backup
from companion.data.db import make_engine
from companion.data.migrate import upgrade
from tests.e2e.harness import free_port


@pytest.fixture
def prod(tmp_path_factory, monkeypatch):
    # Outside pytest's own temporary root (mode 0700): the postgres user must reach the cluster.
    top = Path(subprocess.check_output(["mktemp", "-d"], text=True).strip())
    top.chmod(0o711)  # enter only: as data/ is for make prod (companion.prod opens it so)
    folder = top / "prod"
    env = dict(os.environ) | {
        "PROD_DIR": str(folder),
        "PG_PORT": str(free_port()),
        "REDIS_PORT": str(free_port()),
    }
    env.pop("DATABASE_URL", None)
    for name in ("PROD_DIR", "PG_PORT", "REDIS_PORT"):
        monkeypatch.setenv(name, env[name])
    monkeypatch.delenv("DATABASE_URL", raising=False)

    def run(action: str) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "companion.prod", action],
            env=env,
            capture_output=True,
            text=True,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    yield folder, env, run
    run("stop")


def test_the_stack_starts_on_loopback_with_its_own_passwords_and_stops(prod):
    folder, env, run = prod
    said = run("services")
    assert "PostgreSQL on 127.0.0.1" in said and "append-only" in said
    secrets = {name: (folder / "secrets" / f"{name}-password") for name in ("postgres", "redis")}
    for path in [*secrets.values(), folder / "env", folder / "redis.conf"]:
        assert path.stat().st_mode & 0o777 == 0o600, path
        assert len(path.read_text().strip()) >= 32
    passwords = {name: path.read_text().strip() for name, path in secrets.items()}
    assert passwords["postgres"] != passwords["redis"]
    assert passwords["postgres"] not in said and passwords["redis"] not in said

    pg = {"host": "127.0.0.1", "port": int(env["PG_PORT"]), "user": "companion"}
    with pytest.raises(psycopg.OperationalError, match="password authentication failed"):
        psycopg.connect(**pg, dbname="companion", password="not the password")
    with psycopg.connect(**pg, dbname="companion", password=passwords["postgres"]) as db:
        assert db.execute("SHOW listen_addresses").fetchone() == ("127.0.0.1",)
    with pytest.raises(redis.AuthenticationError):
        redis.Redis(port=int(env["REDIS_PORT"]), password="not the password").ping()
    with pytest.raises(redis.AuthenticationError, match="required"):
        redis.Redis(port=int(env["REDIS_PORT"])).set("k", "v")
    client = redis.Redis(port=int(env["REDIS_PORT"]), password=passwords["redis"])
    assert client.config_get("appendonly") == {"appendonly": "yes"}
    assert client.config_get("appendfsync") == {"appendfsync": "everysec"}
    client.close()

    # The app's migrations run on it, and `make backup` finds it without being told.
    url = backup.database_url()
    assert url.startswith("postgresql+psycopg://companion:") and env["PG_PORT"] in url
    upgrade(url)
    engine = make_engine(url)
    with engine.connect() as connection:
        assert connection.execute(text("select count(*) from patient")).scalar_one() == 0
    engine.dispose()
    made = backup.backup(url, folder.parent / "backups")
    assert made.suffix == ".dump" and made.stat().st_size > 0

    # A second `make prod` finds it all as it was: same passwords, same data.
    run("services")
    assert {name: path.read_text().strip() for name, path in secrets.items()} == passwords
    run("stop")
    with pytest.raises(psycopg.OperationalError):
        psycopg.connect(**pg, dbname="companion", password=passwords["postgres"], connect_timeout=2)
    with pytest.raises(redis.ConnectionError):
        redis.Redis(port=int(env["REDIS_PORT"]), password=passwords["redis"]).ping()
