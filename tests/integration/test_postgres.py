"""The same schema and data layer on PostgreSQL (DATABASE_URL=postgresql+psycopg://...).

A throwaway cluster is started for this module from Debian's PostgreSQL (make test installs it).
"""

from __future__ import annotations

import glob
import os
import random
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import Session, select

from companion.data import accounts, infusions
from companion.data import db as db_module
from companion.data.db import make_engine
from companion.data.everything import load_everything
from companion.data.migrate import upgrade
from companion.data.tables import metadata
from companion.demo import build_demo
from companion.localtime import local_today
from companion.security.passwords import hash_password
from companion.summary import build_clinician_summary, build_today, build_trends
from tests.e2e.harness import free_port


def _binary(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}")) or [shutil.which(name) or ""]
    assert found[-1], f"PostgreSQL's {name} is missing: `make test` installs postgresql"
    return found[-1]


def _as_postgres(command: list[str]) -> list[str]:
    # PostgreSQL refuses to run as root; Debian's package provides the postgres user.
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


@pytest.fixture(scope="module")
def postgres_url() -> Iterator[str]:
    folder = Path(tempfile.mkdtemp(prefix="companion-pg-"))
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
    data, port = folder / "data", free_port()
    subprocess.run(
        _as_postgres(
            [_binary("initdb"), "-D", str(data), "-A", "trust", "-U", "postgres", "--no-sync"]
        ),
        check=True,
        capture_output=True,
    )
    options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off"
    pg_ctl = _binary("pg_ctl")
    subprocess.run(
        _as_postgres(
            [pg_ctl, "-D", str(data), "-o", options, "-l", str(folder / "log"), "-w", "start"]
        ),
        check=True,
        capture_output=True,
    )
    try:
        subprocess.run(
            _as_postgres(
                [
                    _binary("createdb"),
                    "-h",
                    "127.0.0.1",
                    "-p",
                    str(port),
                    "-U",
                    "postgres",
                    "companion",
                ]
            ),
            check=True,
            capture_output=True,
        )
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/companion"
    finally:
        subprocess.run(
            _as_postgres([pg_ctl, "-D", str(data), "-m", "immediate", "stop"]),
            capture_output=True,
        )
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="module")
def pg_engine(postgres_url: str):
    upgrade(postgres_url)
    engine = make_engine(postgres_url)
    yield engine
    engine.dispose()


def test_migrations_build_the_models_schema_on_postgres(pg_engine):
    with pg_engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, metadata) == []


def test_views_and_erasure_work_on_postgres(pg_engine, monkeypatch):
    monkeypatch.setattr(db_module, "get_engine", lambda: pg_engine)
    with Session(pg_engine, expire_on_commit=False) as session:
        patient = accounts.create_patient(
            session, "pg@example.com", hash_password("a long enough password"), "America/New_York"
        )
        keeper = accounts.create_patient(session, "keep@example.com", "x", "UTC")
        assert patient.id is not None and keeper.id is not None
        build_demo(
            session,
            patient.id,
            local_today("America/New_York"),
            "America/New_York",
            random.Random(7),
        )
        session.commit()
        first = infusions.list_infusions(session, patient.id)[0]
        # Stored as timestamptz and read back as the same instant, aware, in UTC.
        assert first.starts_at.tzinfo is not None
        local = first.starts_at.astimezone(ZoneInfo("America/New_York"))
        assert (local.hour, local.minute) == (9, 30)
        assert build_today(session, patient.id).phase_line.startswith("Maintenance")
        assert build_trends(session, patient.id, "All").mood.figure is not None
        summary = build_clinician_summary(session, patient.id, "All data", None, True)
        assert summary.days_logged > 100 and summary.infusions
        everything = load_everything(session, patient.id)
        assert len(everything.checkins) == summary.days_logged
        accounts.delete_patient(session, patient.id)
        session.commit()
        for table in metadata.sorted_tables:
            if "patient_id" in table.c:
                rows = session.exec(select(table).where(table.c.patient_id == patient.id)).all()
                assert rows == [], table.name
        assert accounts.get_patient(session, keeper.id) is not None
        assert datetime.now(UTC) > first.start
