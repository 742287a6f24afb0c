"""The database engine and sessions: SQLite (WAL, foreign keys on) by default, PostgreSQL too."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import DateTime, event
from sqlalchemy.engine import Connection, Dialect, Engine
from sqlalchemy.types import TypeDecorator
from sqlmodel import Session, create_engine

from companion.settings import settings

# What Core statements run on: an ORM session, or a bare connection (a save's transaction).
Executor = Session | Connection


def utcnow() -> datetime:
    """Now, timezone-aware in UTC: every stored time is UTC."""
    return datetime.now(UTC)


def as_utc(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; they were stored in UTC, so say so."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """A moment stored in UTC and read back timezone-aware, on every database.

    SQLite keeps no offset: an aware 09:30 New York time would come back as 09:30 UTC. So every
    value is converted to UTC on the way in (naive ones are refused) and marked UTC on the way out.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"naive datetime {value!r}: store timezone-aware moments only")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    # WAL lets the app read while another connection writes; foreign keys make
    # ON DELETE CASCADE real, so deleting an account leaves no orphan rows.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    # FULL: a commit the patient was told about survives a power cut (NORMAL in WAL mode may
    # lose the last ones). secure_delete: an erased account's bytes are overwritten, not left
    # in free pages for anyone who copies the file.
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.close()


def make_engine(url: str) -> Engine:
    """An engine for url; SQLite files get their folder created and their pragmas set."""
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True)


def scrub_deleted(engine: Engine) -> None:
    """After an erasure: move every page out of SQLite's write-ahead log and empty it, so no
    copy of the deleted rows stays in the -wal file either. Nothing to do on PostgreSQL."""
    if engine.dialect.name != "sqlite":
        return
    with engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")


@functools.cache
def get_engine() -> Engine:
    """The process-wide engine for the configured DATABASE_URL."""
    return make_engine(settings.database_url)


@contextmanager
def session_scope() -> Iterator[Session]:
    """A session that commits on success and rolls back on any error."""
    with Session(get_engine(), expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


@contextmanager
def transaction() -> Iterator[Connection]:
    """One transaction on a bare connection, committed on success and rolled back on any error:
    Core statements only, without the ORM's session and unit of work (a save then takes half
    its time). bound_session() gives ORM code a session inside it."""
    with get_engine().begin() as connection:
        yield connection


@contextmanager
def bound_session(connection: Connection) -> Iterator[Session]:
    """An ORM session inside connection's transaction: what it adds is flushed at the end and
    committed (or rolled back) with the transaction, never by the session itself."""
    with Session(bind=connection, expire_on_commit=False) as session:
        yield session
        session.flush()
