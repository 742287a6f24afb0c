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
from sqlalchemy import text
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
from tests.conftest import saved_once
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


def _pg_patient(pg_engine, email: str) -> tuple[int, str]:
    from companion.security import auth

    with Session(pg_engine, expire_on_commit=False) as session:
        result = auth.sign_up(session, email, "a long enough password", "UTC", email, "device")
        assert result.token is not None
        patient_id = auth.patient_for_token(session, result.token)
        session.commit()
    assert patient_id is not None
    return patient_id, result.token


def _in_threads(count: int, work) -> list:
    import threading

    results: list = []
    lock = threading.Lock()
    start = threading.Barrier(count)

    def run(n: int) -> None:
        start.wait()
        for answer in work(n):
            with lock:
                results.append(answer)

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def test_four_tabs_saving_the_same_new_day_make_one_row_and_no_error(pg_engine, monkeypatch):
    """An upsert, not read-then-insert: 4 tabs x 40 saves of one new day, all answered 200."""
    import uuid

    from companion.api import entries
    from companion.data.checkins import CheckIn

    monkeypatch.setattr(db_module, "get_engine", lambda: pg_engine)
    patient_id, token = _pg_patient(pg_engine, "race@example.com")

    def tab(n: int):
        for i in range(40):
            fields = {"mood": (n + i) % 11, "note": f"tab {n}"} if i % 2 else {"mood": n}
            yield entries.save("checkin", token, {"id": str(uuid.uuid4()), "fields": fields})

    results = _in_threads(4, tab)
    assert len(results) == 160
    assert [status for status, _ in results if status != 200] == []
    with Session(pg_engine) as session:
        rows = session.exec(select(CheckIn).where(CheckIn.patient_id == patient_id)).all()
    assert len(rows) == 1


def test_a_days_answers_changed_one_at_a_time_on_postgres(pg_engine, monkeypatch):
    """The save's own statements (an upsert, an update without a mood, the ledger) on
    PostgreSQL: only what was changed changes, tags and times come back as written, and a
    repeat of an id gets its first answer."""
    import uuid

    from companion.api import entries
    from companion.data.checkins import CheckIn

    monkeypatch.setattr(db_module, "get_engine", lambda: pg_engine)
    patient_id, token = _pg_patient(pg_engine, "changes@example.com")
    first = {"id": str(uuid.uuid4()), "fields": {"mood": 3, "note": "first", "tags": ["work"]}}
    assert entries.save("checkin", token, first)[0] == 200
    assert (
        entries.save("checkin", token, {"id": str(uuid.uuid4()), "fields": {"anxiety": "4"}})[0]
        == 200
    )
    status, answer = entries.save("checkin", token, {**first, "fields": {"mood": 9}})
    assert status == 200 and answer["repeat"] is True
    with Session(pg_engine) as session:
        [row] = session.exec(select(CheckIn).where(CheckIn.patient_id == patient_id)).all()
    assert (row.mood, row.anxiety, row.note, row.tags) == (3, 4, "first", "work")
    assert row.updated_at.tzinfo is not None and row.updated_at >= row.created_at


def test_a_sessions_touch_and_end_on_postgres(pg_engine, monkeypatch):
    """Every save and page handler checks the session on a bare connection: on PostgreSQL too,
    one idle past TOUCH_EVERY is stamped again, and one idle past the limit is ended."""
    from datetime import timedelta

    from companion.data import accounts
    from companion.data.db import transaction, utcnow
    from companion.security import auth

    monkeypatch.setattr(db_module, "get_engine", lambda: pg_engine)
    patient_id, token = _pg_patient(pg_engine, "touch@example.com")
    token_hash = auth.hash_token(token)
    later = utcnow() + auth.TOUCH_EVERY + timedelta(minutes=1)
    with transaction() as db:
        assert auth.patient_for_session_hash(db, token_hash, later) == patient_id
        assert accounts.timezone_of(db, patient_id) == "UTC"
    with transaction() as db:
        found = accounts.find_session(db, token_hash)
    assert found is not None and abs(found.last_seen_at - later) < timedelta(seconds=1)
    gone = later + timedelta(days=auth.settings.session_idle_days + 1)
    with transaction() as db:
        assert auth.patient_for_session_hash(db, token_hash, gone) is None
    with transaction() as db:
        assert accounts.find_session(db, token_hash) is None


@pytest.mark.parametrize("round_", range(5))
def test_saves_racing_the_accounts_erasure_get_a_clear_answer_and_leave_no_row(
    pg_engine, monkeypatch, round_
):
    import itertools
    import threading
    import uuid

    from companion.api import entries

    monkeypatch.setattr(db_module, "get_engine", lambda: pg_engine)
    patient_id, token = _pg_patient(pg_engine, f"erase-race-{round_}@example.com")
    gone, started = threading.Event(), threading.Event()
    sent = itertools.count()

    def tab(n: int):
        if n == 0:
            started.wait(timeout=30)  # the erasure in the middle of the stream of saves
            with Session(pg_engine) as session:
                accounts.delete_patient(session, patient_id)
                session.commit()
            gone.set()
            return
        for i in range(30):
            if next(sent) == 12:
                started.set()
            kind, fields = (
                ("checkin", {"mood": 4, "note": "x"})
                if i % 3
                else ("infusion", {"date": "2026-01-05", "time": "09:00", "route": "iv"})
            )
            body = {"id": str(uuid.uuid4()), "fields": fields}
            yield (gone.is_set(), *entries.save(kind, token, body))

    results = _in_threads(4, tab)
    assert len(results) == 90
    assert gone.is_set(), "the erasure itself failed (a deadlock with the saves?)"
    # Saved before the erasure, or refused in words: never a driver error.
    assert {status for _, status, _ in results} <= {200, 401, 410}
    assert all(answer["message"] for _, _, answer in results)
    assert all(status != 200 for after, status, _ in results if after)
    statuses = [status for _, status, _ in results]
    assert 200 in statuses and statuses[-1] != 200, statuses
    with Session(pg_engine) as session:
        for table in metadata.sorted_tables:
            if "patient_id" in table.c:
                rows = session.exec(select(table).where(table.c.patient_id == patient_id)).all()
                assert rows == [], table.name


def test_a_pg_dump_backup_under_saves_restores_every_entry_acknowledged_before_it(
    pg_engine, postgres_url, monkeypatch, tmp_path
):
    """`make backup` on PostgreSQL (pg_dump, one snapshot) while 3 tabs save; `make restore`
    checks it in a scratch database, keeps what it replaces, then swaps it in."""
    import threading
    import time
    import uuid

    from companion import backup
    from companion.api import entries

    monkeypatch.setattr(db_module, "get_engine", lambda: pg_engine)
    patient_id, token = _pg_patient(pg_engine, "backup@example.com")
    stop = threading.Event()
    acknowledged: list[tuple[float, str]] = []

    def tab(n: int):
        while not stop.is_set():
            submission = str(uuid.uuid4())
            fields = {"date": "2026-01-05", "time": f"0{n}:00", "route": "iv"}
            status, _ = entries.save("infusion", token, {"id": submission, "fields": fields})
            if status == 200:
                acknowledged.append((time.monotonic(), submission))
            yield status

    worker = threading.Thread(target=lambda: _in_threads(3, tab))
    worker.start()
    try:
        time.sleep(0.5)
        started = time.monotonic()
        made = backup.backup(postgres_url, tmp_path)
        time.sleep(0.3)
    finally:
        stop.set()
        worker.join()
    before = {s for at, s in acknowledged if at < started}
    assert len(before) > 10 and len(acknowledged) > len(before)
    assert made.suffix == ".dump" and made.stat().st_mode & 0o777 == 0o600

    with pytest.raises(backup.RestoreRefused):  # not a dump: refused in the scratch database
        (tmp_path / "junk.dump").write_bytes(b"PGDMP but not really")
        backup.restore(tmp_path / "junk.dump", postgres_url, tmp_path, port=free_port())
    kept = backup.restore(made, postgres_url, tmp_path, port=free_port())
    pg_engine.dispose()
    restored = saved_once(pg_engine, patient_id)
    assert before <= set(restored) and set(restored.values()) == {1}
    assert len(restored) < len(acknowledged)
    assert kept is not None and kept.name.startswith("before-restore-") and kept.stat().st_size > 0


def test_saves_through_lost_database_connections_are_retried_and_saved_once(
    pg_engine, postgres_url, monkeypatch
):
    """PostgreSQL drops every connection of the app 5 times while 3 phones save infusions.
    Each phone retries an unanswered entry with the same id, as the outbox does. Every answer
    is "saved" or "try again" (503, in words): none is a driver error, none is lost or doubled."""
    import threading
    import time
    import uuid

    from companion.api import entries

    monkeypatch.setattr(db_module, "get_engine", lambda: pg_engine)
    patient_id, token = _pg_patient(pg_engine, "dropped@example.com")
    stop = threading.Event()
    statuses: list[int] = []
    saved: list[str] = []

    def phone(n: int):
        for i in range(25):
            submission = str(uuid.uuid4())
            fields = {"date": "2026-01-05", "time": f"{n:02d}:{i:02d}", "route": "iv"}
            for _ in range(50):  # the outbox tries again until the server answers
                status, _ = entries.save("infusion", token, {"id": submission, "fields": fields})
                statuses.append(status)
                if status == 200:
                    saved.append(submission)
                    break
                time.sleep(0.02)
            yield submission

    def dropper() -> None:
        admin = make_engine(postgres_url)
        for _ in range(5):
            time.sleep(0.15)
            with admin.connect() as connection:
                connection.execute(
                    text(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                        "WHERE datname = 'companion' AND pid <> pg_backend_pid()"
                    )
                )
                connection.commit()
        admin.dispose()
        stop.set()

    killer = threading.Thread(target=dropper)
    killer.start()
    sent = _in_threads(3, phone)
    killer.join()
    assert stop.is_set() and len(sent) == 75
    assert set(statuses) <= {200, 503}, sorted(set(statuses))
    found = saved_once(pg_engine, patient_id)
    with pg_engine.connect() as connection:
        infusions_saved = connection.execute(
            text("SELECT count(*) FROM infusion WHERE patient_id = :p"), {"p": patient_id}
        ).scalar_one()
    # Sent = acknowledged = found once.
    assert sorted(saved) == sorted(sent) == sorted(found) and set(found.values()) == {1}
    assert infusions_saved == 75
    print(f"sent 75, answers {len(statuses)}, try-again {statuses.count(503)}, found 75")


def test_a_periods_view_on_postgres_shows_what_the_whole_record_shows(pg_engine, monkeypatch):
    """The period's own reads (the starts kept per patient, each instrument's kept days, the
    newest save and deletion) on PostgreSQL: what they show is what the whole record shows,
    after a save and a deletion too."""
    from companion import summary
    from companion.clinical.checkin import CheckInChanges
    from companion.data import checkins
    from companion.data.db import utcnow
    from tests.integration.test_history_window import _drawn, _trends, _whole_record

    with Session(pg_engine, expire_on_commit=False) as session:
        patient = accounts.create_patient(session, "window@example.com", "x", "America/New_York")
        assert patient.id is not None
        pid = patient.id
        build_demo(
            session, pid, local_today("America/New_York"), "America/New_York", random.Random(3)
        )
        session.commit()

    now = utcnow()

    def views() -> tuple[object, ...]:
        with Session(pg_engine, expire_on_commit=False) as session:
            trends = [_trends(build_trends(session, pid, key)) for key in ("1M", "3M")]
            period = build_clinician_summary(session, pid, "Period", 90, True, now)
            record = summary.load_record(session, pid, now, period_days=30)
            kept = summary.durability_of_all(session, pid, record)
            return (*trends, _drawn(period), kept)

    def changed(edit) -> None:
        with Session(pg_engine, expire_on_commit=False) as session:
            edit(session)
            session.commit()

    windowed = [views()]
    day = local_today("America/New_York")
    changed(lambda s: checkins.upsert_checkin(s, pid, CheckInChanges(day, {"mood": 0})))
    windowed.append(views())
    changed(lambda s: checkins.delete_checkin(s, pid, day))
    windowed.append(views())
    with monkeypatch.context() as patched:
        _whole_record(patched)
        assert views() == windowed[-1]
    assert windowed[0] != windowed[1]  # the save did change what is shown
