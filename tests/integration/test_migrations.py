"""Migrations build exactly the schema the models declare; SQLite runs with WAL and FKs on."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text

from companion.data.db import make_engine
from companion.data.migrate import upgrade
from companion.data.tables import metadata


def test_migrations_match_models(tmp_path):
    url = f"sqlite:///{tmp_path / 'migrated.db'}"
    upgrade(url)
    engine = make_engine(url)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        diff = compare_metadata(context, metadata)
    assert diff == [], f"models and migrations differ: {diff}"
    engine.dispose()


def test_upgrade_is_idempotent(tmp_path):
    url = f"sqlite:///{tmp_path / 'twice.db'}"
    upgrade(url)
    upgrade(url)


def test_sqlite_runs_with_wal_and_foreign_keys(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'pragmas.db'}")
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
    engine.dispose()


def test_make_run_skips_alembic_only_when_the_file_is_at_the_newest_revision(tmp_path):
    """`make run` starts in seconds: a database already migrated is recognised without importing
    alembic, and one that is behind (or new) is still migrated."""
    import os
    import subprocess
    import sys

    from alembic import command
    from alembic.script import ScriptDirectory

    from companion.data.migrate import alembic_config, is_current, script_heads

    assert script_heads() == set(ScriptDirectory.from_config(alembic_config()).get_heads())
    url = f"sqlite:///{tmp_path / 'app.db'}"
    assert not is_current(url)  # no file yet
    upgrade(url)
    assert is_current(url)
    command.downgrade(alembic_config(url), "-1")
    assert not is_current(url)
    env = dict(os.environ) | {"DATABASE_URL": url}
    run = [sys.executable, "-m", "companion.data.migrate"]
    subprocess.run(run, env=env, check=True, capture_output=True)
    assert is_current(url)  # migrated again by the command make run uses
    assert not is_current("postgresql+psycopg://x@127.0.0.1/x")  # alembic decides there


def test_existing_patients_get_their_own_random_export_id(tmp_path):
    """0010: accounts made before the FHIR identifier get one each, random, never the row id."""
    from alembic import command

    from companion.data.migrate import alembic_config

    url = f"sqlite:///{tmp_path / 'before.db'}"
    command.upgrade(alembic_config(url), "0009")
    engine = make_engine(url)
    with engine.begin() as connection:
        for email in ("a@example.com", "b@example.com"):
            connection.execute(
                text(
                    "INSERT INTO patient (email, password_hash, timezone, clinic_name,"
                    " clinic_phone, created_at) VALUES (:e, 'x', 'UTC', '', '', CURRENT_TIMESTAMP)"
                ),
                {"e": email},
            )
    upgrade(url)
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT id, export_id FROM patient")).all()
    engine.dispose()
    ids = [export_id for _, export_id in rows]
    assert len(set(ids)) == 2
    assert all(len(i) == 32 and set(i) <= set("0123456789abcdef") for i in ids)
