"""The database engine and sessions: SQLite (WAL, foreign keys on) by default, PostgreSQL too."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import DateTime, event
from sqlalchemy.engine import Connection, Dialect, Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.sql import Executable
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


# SQLite connections kept open between saves for the next save to take: without the pool's
# checkout, events and reset, and without SQLAlchemy's own transaction unless ORM code asks for
# one (bound_session), a save at rest takes half a millisecond less.
_idle: list[Connection] = []


def _take(engine: Engine) -> Connection:
    while _idle:
        try:
            found = _idle.pop()
        except IndexError:  # taken by another thread meanwhile
            break
        if found.engine is engine and not found.closed and not found.invalidated:
            return found
        found.close()  # another engine's (a test's, since disposed)
    return engine.connect()


@contextmanager
def transaction() -> Iterator[Connection]:
    """One transaction on a bare connection, committed on success and rolled back on any error:
    Core statements only, without the ORM's session and unit of work (a save then takes half
    its time). bound_session() gives ORM code a session inside it.

    On SQLite the driver opens the transaction itself at the first write and Prepared runs on
    the driver, so this only commits or rolls back, on a connection kept from the last save."""
    engine = get_engine()
    if engine.dialect.name != "sqlite":
        with engine.begin() as connection:
            yield connection
        return
    connection = _take(engine)
    try:
        driver = connection.connection.dbapi_connection
        assert driver is not None
        try:
            yield connection
        except BaseException:
            connection.rollback() if connection.in_transaction() else driver.rollback()
            raise
        connection.commit() if connection.in_transaction() else driver.commit()
    finally:
        if connection.closed or connection.invalidated:
            connection.close()
        else:
            _idle.append(connection)


@contextmanager
def bound_session(connection: Connection) -> Iterator[Session]:
    """An ORM session inside connection's transaction: what it adds is flushed at the end and
    committed (or rolled back) with the transaction, never by the session itself."""
    if not connection.in_transaction():
        connection.begin()  # the session joins it, and leaves its end to transaction()
    with Session(bind=connection, expire_on_commit=False) as session:
        yield session
        session.flush()


def connection_of(on: Executor) -> Connection:
    """The connection Core statements run on; an ORM session's, after flushing what it holds
    (as its own queries would, autoflush), so they read what the session wrote."""
    if isinstance(on, Session):
        on.flush()
        return on.connection()
    return on


_Convert = Callable[[Any], Any] | None


@dataclass(frozen=True, slots=True)
class _Compiled:
    sql: str
    names: tuple[str, ...]  # the parameters, in the order a positional driver wants them
    positional: bool
    binds: tuple[tuple[str, _Convert], ...]  # each parameter's conversion for the driver
    defaults: tuple[tuple[str, Any], ...]  # the columns not given, and their defaults
    columns: tuple[_Convert, ...]  # each returned column's conversion back


@dataclass(frozen=True, slots=True)
class Fetched:
    """A Prepared statement's rows as the driver returned them (hashable: a key of what is
    derived from them), and the conversions that make them what SQLAlchemy would return."""

    rows: tuple[tuple[Any, ...], ...]
    columns: tuple[_Convert, ...]

    def converted(self) -> list[tuple[Any, ...]]:
        return [
            tuple(v if c is None else c(v) for v, c in zip(row, self.columns, strict=True))
            for row in self.rows
        ]


class Prepared:
    """A Core statement compiled once for each database and set of parameters, and run on the
    driver's own cursor inside a transaction() connection.

    A Save runs a handful of small statements. On a page at rest (a patient's tap, not a loop)
    SQLAlchemy's way to each one (its compiled cache's key, execution context and result
    object) cost nine times what SQLite took to run them (4.5 ms against 0.5): code that has
    gone cold in the processor's caches between taps is paid for by its length. Here only
    what each value needs is left: the driver's SQL, and the type conversions SQLAlchemy
    itself would apply (UTC datetimes, dates, booleans). A driver error becomes SQLAlchemy's
    own exception (IntegrityError, OperationalError), and a connection the database dropped
    is invalidated as SQLAlchemy would."""

    def __init__(self, statement: Executable) -> None:
        self._statement = statement
        self._compiled: dict[tuple[str, tuple[str, ...]], _Compiled] = {}

    def _compile(self, dialect: Dialect, keys: tuple[str, ...]) -> _Compiled:
        found = self._compiled.get((dialect.name, keys))
        if found is not None:
            return found
        statement: Any = self._statement
        compiled: Any = statement.compile(dialect=dialect, column_keys=list(keys))
        if compiled.literal_execute_params or compiled.post_compile_params:
            raise ValueError("a prepared statement takes plain parameters only")
        binds = tuple(
            (name, bind.type.dialect_impl(dialect).bind_processor(dialect))
            for name, bind in compiled.binds.items()
        )
        # Columns not given take their default, as SQLAlchemy would fill them in.
        defaults = [
            (column.key, column.default if column in compiled.insert_prefetch else column.onupdate)
            for column in (*compiled.insert_prefetch, *compiled.update_prefetch)
            if column.key not in keys
        ]
        for name, default in defaults:
            if default is None or not (default.is_scalar or default.is_callable):
                raise ValueError(f"no value and no default for {name}")
        missing = {name for name, _ in binds} - set(keys) - {name for name, _ in defaults}
        if missing:
            raise ValueError(f"values are missing for {sorted(missing)}")
        columns = tuple(
            column.type.dialect_impl(dialect).result_processor(dialect, None)
            for column in getattr(statement, "exported_columns", ())
        )
        positional = bool(compiled.positional)
        names = tuple(compiled.positiontup) if positional else tuple(n for n, _ in binds)
        found = _Compiled(compiled.string, names, positional, binds, tuple(defaults), columns)
        self._compiled[(dialect.name, keys)] = found
        return found

    def rows(self, on: Executor, params: Mapping[str, Any]) -> list[tuple[Any, ...]]:
        """Runs the statement; what it returns, each row as a tuple of converted values."""
        found = self.raw(on, params)
        return found.converted()

    def raw(self, on: Executor, params: Mapping[str, Any]) -> Fetched:
        """Runs the statement; its rows as the driver gave them, converted when asked: what is
        derived from them can be kept and compared with them next time at the driver's cost."""
        db = connection_of(on)
        dialect = db.dialect
        plan = self._compile(dialect, tuple(sorted(params)))
        if plan.defaults:
            params = {**params}
            for name, default in plan.defaults:
                params[name] = default.arg(None) if default.is_callable else default.arg
        values = {
            name: params[name] if convert is None else convert(params[name])
            for name, convert in plan.binds
        }
        sent: Any = tuple(values[name] for name in plan.names) if plan.positional else values
        driver: Any = db.connection.dbapi_connection
        cursor = driver.cursor()
        try:
            cursor.execute(plan.sql, sent)
            found = cursor.fetchall() if plan.columns else []
        except dialect.loaded_dbapi.Error as error:
            dropped = dialect.is_disconnect(error, driver, cursor)
            if dropped:
                db.invalidate(error)
            raise DBAPIError.instance(
                plan.sql,
                sent,
                error,
                dialect.loaded_dbapi.Error,
                hide_parameters=True,  # health data and session hashes stay out of the logs
                connection_invalidated=dropped,
                dialect=dialect,
            ) from error
        finally:
            cursor.close()
        return Fetched(tuple(map(tuple, found)), plan.columns)

    def first(self, db: Executor, params: Mapping[str, Any]) -> tuple[Any, ...] | None:
        found = self.rows(db, params)
        return found[0] if found else None
