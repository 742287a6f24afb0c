"""`make backup` under a stream of saves, and `make restore` that checks before it replaces."""

from __future__ import annotations

import http.server
import os
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlmodel import Session

from companion import backup
from companion.data import db as db_module
from companion.data.db import make_engine
from companion.data.migrate import upgrade
from tests.conftest import make_patient, saved_once, send_entry
from tests.e2e.harness import free_port


@pytest.fixture
def app_db(tmp_path, monkeypatch):
    """A migrated SQLite file, as `make run` leaves it, used by the app's own code."""
    url = f"sqlite:///{tmp_path / 'data' / 'companion.db'}"
    upgrade(url)
    engine = make_engine(url)
    monkeypatch.setattr(db_module, "get_engine", lambda: engine)
    yield url, engine
    engine.dispose()


def _stream_of_saves(patient, stop: threading.Event, acknowledged: list[tuple[float, str]]):
    day = 0
    while not stop.is_set():
        submission = str(uuid.uuid4())
        date = f"2026-{1 + day // 28 % 12:02d}-{1 + day % 28:02d}"
        status, _ = send_entry(
            patient, "infusion", {"date": date, "time": "09:00", "route": "iv"}, submission
        )
        if status in (200, 201):
            acknowledged.append((time.monotonic(), submission))
        day += 1


def test_a_backup_made_under_saves_restores_every_entry_acknowledged_before_it(app_db, tmp_path):
    url, engine = app_db
    with Session(engine) as session:
        patient = make_patient(session)
    stop, acknowledged = threading.Event(), []
    writer = threading.Thread(target=_stream_of_saves, args=(patient, stop, acknowledged))
    writer.start()
    try:
        time.sleep(0.5)
        started = time.monotonic()
        made = backup.backup(url, tmp_path / "backups")
        time.sleep(0.3)  # saves go on after the backup too
    finally:
        stop.set()
        writer.join()
    before = [s for at, s in acknowledged if at < started]
    after = [s for at, s in acknowledged if at >= started]
    assert len(before) > 10 and after, (len(before), len(after))
    assert made.name.startswith("companion-") and made.suffix == ".db"
    assert made.stat().st_mode & 0o777 == 0o600

    engine.dispose()
    kept = backup.restore(made, url, tmp_path / "backups", port=free_port())
    restored = saved_once(engine, patient.id)
    # Every save acknowledged before the backup began is back, once; nothing is doubled.
    assert all(restored.get(s) == 1 for s in before), [s for s in before if s not in restored]
    assert all(count == 1 for count in restored.values())
    assert len(restored) < len(acknowledged)  # the ones after the backup are not in it
    # What the restore replaced is kept, whole, beside the backups.
    assert kept is not None and kept.name.startswith("before-restore-")
    backup.check_sqlite(kept)
    assert set(saved_once(make_engine(f"sqlite:///{kept}"), patient.id)) == {
        s for _, s in acknowledged
    }


def test_a_restore_refuses_a_damaged_file_or_a_serving_app_and_changes_nothing(app_db, tmp_path):
    url, engine = app_db
    with Session(engine) as session:
        patient = make_patient(session)
    send_entry(patient, "checkin", {"day": "2026-01-06", "mood": 5})
    good = backup.backup(url, tmp_path / "backups")
    send_entry(patient, "checkin", {"day": "2026-01-07", "mood": 6})
    engine.dispose()
    database = Path(url.split("///", 1)[1])

    damaged = tmp_path / "damaged.db"
    damaged.write_bytes(good.read_bytes()[: good.stat().st_size // 2])  # a copy cut short
    not_ours = tmp_path / "notes.db"
    not_ours.write_text("a shopping list, not a database\n")

    def days() -> list[str]:
        with engine.connect() as connection:
            return [str(r[0]) for r in connection.execute(text("SELECT day FROM checkin"))]

    assert days() == ["2026-01-06", "2026-01-07"]
    for bad in (damaged, not_ours, tmp_path / "missing.db"):
        with pytest.raises(backup.RestoreRefused):
            backup.restore(bad, url, tmp_path / "backups", port=free_port())
        assert days() == ["2026-01-06", "2026-01-07"]

    # Something answering on the app's port: the app is serving, so nothing is replaced.
    answering = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), http.server.SimpleHTTPRequestHandler
    )
    threading.Thread(target=answering.serve_forever, daemon=True).start()
    try:
        with pytest.raises(backup.RestoreRefused, match="stop it first"):
            backup.restore(good, url, tmp_path / "backups", port=answering.server_address[1])
    finally:
        answering.shutdown()
    assert days() == ["2026-01-06", "2026-01-07"]
    assert database.exists()

    engine.dispose()  # the app is stopped: nothing holds the old file open
    backup.restore(good, url, tmp_path / "backups", port=free_port())
    assert days() == ["2026-01-06"]


def test_make_backup_and_make_restore_from_the_command_line(app_db, tmp_path):
    url, engine = app_db
    with Session(engine) as session:
        patient = make_patient(session)
    send_entry(patient, "checkin", {"day": "2026-01-06", "mood": 5})
    env = dict(os.environ) | {
        "DATABASE_URL": url,
        "BACKUP_DIR": str(tmp_path / "backups"),
        "PORT": str(free_port()),
    }
    run = [sys.executable, "-m", "companion.backup"]
    made = subprocess.run(run, env=env, capture_output=True, text=True, check=True)
    assert "Backed up" in made.stdout
    (file,) = (tmp_path / "backups").glob("companion-*.db")
    assert (tmp_path / "backups").stat().st_mode & 0o777 == 0o700
    refused = subprocess.run(
        [*run, "restore", str(tmp_path / "nope.db")], env=env, text=True, capture_output=True
    )
    assert refused.returncode == 1 and "nothing changed" in refused.stderr
    done = subprocess.run([*run, "restore", str(file)], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "Restored" in done.stdout and "before-restore-" in done.stdout
