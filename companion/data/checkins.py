"""Daily check-ins: one row per patient per calendar day; saving the day again updates it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, NamedTuple

import sqlalchemy as sa
from sqlalchemy import Column, Date, ForeignKey, Index, Integer, UniqueConstraint, func, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection
from sqlmodel import Field, Session, SQLModel, col, delete, select

from companion.clinical.checkin import CHANGEABLE, CheckInChanges, CheckInInput
from companion.data.accounts import Patient
from companion.data.db import Executor, Prepared, UTCDateTime, as_utc, connection_of, utcnow


class CheckIn(SQLModel, table=True):
    """One day's mood and optional answers, on the patient's own calendar day."""

    __tablename__ = "checkin"
    __table_args__ = (
        UniqueConstraint("patient_id", "day", name="uq_checkin_patient_day"),
        # last_change reads the newest save from the index alone.
        Index("ix_checkin_patient_updated", "patient_id", "updated_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    patient_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("patient.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    day: date = Field(sa_column=Column(Date, nullable=False, index=True))
    mood: int
    anxiety: int | None = None
    energy: int | None = None
    pain: int | None = None
    sleep_hours: float | None = None
    # NULL: the question was not answered that day (never stored as "none").
    suicidal_thoughts: str | None = Field(default=None, max_length=10, nullable=True)
    tags: str = Field(default="", max_length=400)
    note: str = Field(default="", max_length=2000)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)

    @property
    def tag_list(self) -> tuple[str, ...]:
        return tuple(t for t in self.tags.split(",") if t)


_TABLE: sa.Table = CheckIn.__table__  # type: ignore[attr-defined]


def get_checkin(session: Session, patient_id: int, day: date) -> CheckIn | None:
    statement = select(CheckIn).where(CheckIn.patient_id == patient_id, CheckIn.day == day)
    return session.exec(statement).first()


def save_checkin(session: Session, patient_id: int, entry: CheckInInput) -> CheckIn:
    """The day's whole check-in, inserted or replacing what was saved (by upsert_checkin)."""
    fields = {name: getattr(entry, name) for name in CHANGEABLE}
    return upsert_checkin(session, patient_id, CheckInChanges(entry.day, fields))


class NoMoodYet(LookupError):
    """Changes for a day that has no check-in yet, without a mood: there is nothing to add to."""


def upsert_checkin(session: Session, patient_id: int, changes: CheckInChanges) -> CheckIn:
    """Write only the changed answers of the day: one statement, whoever else writes the same
    day at the same moment (INSERT ... ON CONFLICT DO UPDATE, never read-then-insert). Without
    a mood only an existing day can change (NoMoodYet otherwise). write_checkin's statement,
    then the row as written, replacing any older copy this session holds."""
    written = write_checkin(session, patient_id, changes)
    row = session.get(CheckIn, written.id, populate_existing=True)
    assert row is not None
    return row


class Written(NamedTuple):
    id: int
    day: date
    suicidal_thoughts: str | None


# write_checkin's statements, one for each database and set of answers changed (2**9 at
# most, a few in practice).
_WRITES: dict[tuple[str, bool, tuple[str, ...]], Prepared] = {}


def _write(dialect: str, has_mood: bool, names: tuple[str, ...]) -> Prepared:
    """The write of these changed columns, a parameter for each value, returning what a save
    answers."""
    found = _WRITES.get((dialect, has_mood, names))
    if found is None:
        values = {name: sa.bindparam(name, type_=_TABLE.c[name].type) for name in names}
        written: Any
        if has_mood:
            insert = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(_TABLE)
            written = insert.values(
                patient_id=sa.bindparam("patient"),
                day=sa.bindparam("on_day", type_=_TABLE.c.day.type),
                created_at=sa.bindparam("created_at", type_=_TABLE.c.created_at.type),
                **values,
            ).on_conflict_do_update(
                index_elements=["patient_id", "day"],
                set_={name: insert.excluded[name] for name in names},
            )
        else:
            written = (
                update(_TABLE)
                .where(
                    _TABLE.c.patient_id == sa.bindparam("patient"),
                    _TABLE.c.day == sa.bindparam("on_day"),
                )
                .values(**values)
            )
        found = Prepared(written.returning(_TABLE.c.id, _TABLE.c.day, _TABLE.c.suicidal_thoughts))
        _WRITES[(dialect, has_mood, names)] = found
    return found


def write_checkin(db: Executor, patient_id: int, changes: CheckInChanges) -> Written:
    """The day's changed answers written (a save from the phone, on its bare connection):
    what a save's answer needs of the row comes back, not a whole CheckIn."""
    now = utcnow()
    values: dict[str, object] = {**changes.fields, "updated_at": now}
    tags = values.get("tags")
    if isinstance(tags, tuple):
        values["tags"] = ",".join(str(tag) for tag in tags)
    names = tuple(sorted(values))
    statement = _write(connection_of(db).dialect.name, changes.has_mood, names)
    params = {**values, "patient": patient_id, "on_day": changes.day}
    if changes.has_mood:
        params["created_at"] = now
    written = statement.first(db, params)
    if written is None:
        raise NoMoodYet(changes.day)
    return Written(*written)


def list_checkins(
    session: Session, patient_id: int, start: date | None = None, end: date | None = None
) -> list[CheckIn]:
    """The patient's check-ins in day order, optionally from start to end inclusive."""
    statement = select(CheckIn).where(CheckIn.patient_id == patient_id)
    if start is not None:
        statement = statement.where(col(CheckIn.day) >= start)
    if end is not None:
        statement = statement.where(col(CheckIn.day) <= end)
    return list(session.exec(statement.order_by(col(CheckIn.day))).all())


@dataclass(frozen=True, slots=True)
class DayEntry:
    """A check-in's answers without its tags and timestamps: what a period's charts and summary
    read, a third of the cost of a whole row."""

    day: date
    mood: int
    anxiety: int | None
    energy: int | None
    pain: int | None
    sleep_hours: float | None
    suicidal_thoughts: str | None
    note: str


def list_days(session: Session, patient_id: int, start: date | None = None) -> list[DayEntry]:
    """The patient's check-ins in day order from start (all when None), as DayEntry."""
    table = CheckIn
    columns = [col(getattr(table, name)) for name in DayEntry.__slots__]
    statement = sa.select(*columns).where(col(table.patient_id) == patient_id)
    if start is not None:
        statement = statement.where(col(table.day) >= start)
    return [DayEntry(*row) for row in session.execute(statement.order_by(col(table.day)))]


def mood_by_day(
    session: Session, patient_id: int, start: date | None = None, end: date | None = None
) -> dict[date, float]:
    """Mood per logged day: the input of durability, trends and relevance."""
    statement = select(col(CheckIn.day), col(CheckIn.mood)).where(CheckIn.patient_id == patient_id)
    if start is not None:
        statement = statement.where(col(CheckIn.day) >= start)
    if end is not None:
        statement = statement.where(col(CheckIn.day) <= end)
    rows = session.exec(statement.order_by(col(CheckIn.day))).all()
    return {day: float(mood) for day, mood in rows}


def first_day(session: Session, patient_id: int) -> date | None:
    """The first logged day, from the (patient, day) index without reading the rows."""
    statement = select(func.min(col(CheckIn.day))).where(CheckIn.patient_id == patient_id)
    return session.exec(statement).one()


class LastChange(NamedTuple):
    """When the patient's check-ins last changed: the newest save and the newest deletion, with
    whose they are (the patient's export id: random and never reused, so that another database,
    or a patient id SQLite gave again after an erasure, is never taken for the same record)."""

    patient: str | None
    saved: datetime | None
    deleted: datetime | None


def last_change(session: Session, patient_id: int) -> LastChange:
    """When the newest save and the newest deletion were: any save, edit or removal changes
    one of them. Check-ins are written by write_checkin alone (it stamps updated_at with now)
    and removed by delete_checkin alone (it stamps deleted_checkin). Each is the last entry of
    an index, whatever the history: a count of the check-ins would walk all of them."""
    patient = sa.select(col(Patient.export_id)).where(col(Patient.id) == patient_id)
    newest = sa.select(sa.func.max(_TABLE.c.updated_at)).where(_TABLE.c.patient_id == patient_id)
    deleted = sa.select(sa.func.max(_DELETED.c.deleted_at)).where(
        _DELETED.c.patient_id == patient_id
    )
    found = session.execute(
        sa.select(*(part.scalar_subquery() for part in (patient, newest, deleted)))
    ).one()
    return LastChange(*found)


def changed_since(session: Session, patient_id: int, moment: datetime) -> list[date]:
    """The days whose check-in was saved or deleted at or after moment: from the (patient,
    updated_at) index and the patient's deletions."""
    saved = sa.select(_TABLE.c.day).where(
        _TABLE.c.patient_id == patient_id, _TABLE.c.updated_at >= moment
    )
    deleted = sa.select(_DELETED.c.day).where(
        _DELETED.c.patient_id == patient_id, _DELETED.c.deleted_at >= moment
    )
    return [day for (day,) in session.execute(sa.union(saved, deleted))]


def days_logged(session: Session, patient_id: int, start: date, end: date) -> int:
    statement = select(func.count()).where(
        col(CheckIn.patient_id) == patient_id, col(CheckIn.day) >= start, col(CheckIn.day) <= end
    )
    return int(session.exec(statement).one())


_DAY_ANSWERS = Prepared(
    sa.select(*(_TABLE.c[name] for name in (*DayEntry.__slots__, "tags"))).where(
        _TABLE.c.patient_id == sa.bindparam("patient_id"), _TABLE.c.day == sa.bindparam("day")
    )
)
_LOGGED = Prepared(
    sa.select(_TABLE.c.day).where(
        _TABLE.c.patient_id == sa.bindparam("patient_id"),
        _TABLE.c.day >= sa.bindparam("start"),
        _TABLE.c.day <= sa.bindparam("end"),
    )
)


def day_answers(
    db: Connection, patient_id: int, day: date
) -> tuple[DayEntry, tuple[str, ...]] | None:
    """The check-in page's read of a day, its answers and its tags (its handlers run on the
    server's event loop, where a tap's save waits for them): get_checkin on a bare
    connection."""
    found = _DAY_ANSWERS.first(db, {"patient_id": patient_id, "day": day})
    if found is None:
        return None
    *answers, tags = found
    return DayEntry(*answers), tuple(tag for tag in tags.split(",") if tag)


def logged_days(db: Executor, patient_id: int, start: date, end: date) -> set[date]:
    """The days from start to end inclusive the patient logged."""
    return {
        row[0] for row in _LOGGED.rows(db, {"patient_id": patient_id, "start": start, "end": end})
    }


def delete_checkin(
    session: Session, patient_id: int, day: date, now: datetime | None = None
) -> bool:
    """Remove the patient's check-in of that day; True if there was one. Deleting it again
    changes nothing. Safety events recorded from it stay: they are clinical history
    (companion.data.safety). When it was deleted is kept (deleted_at): an entry for that day
    made on a phone before then, unsent or on its way, does not bring it back."""
    statement = delete(CheckIn).where(
        col(CheckIn.patient_id) == patient_id, col(CheckIn.day) == day
    )
    removed = bool(session.exec(statement).rowcount)
    if removed:
        now = now or utcnow()
        dialect = session.get_bind().dialect.name
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        session.execute(
            insert(DeletedCheckIn)
            .values(patient_id=patient_id, day=day, deleted_at=now)
            .on_conflict_do_update(index_elements=["patient_id", "day"], set_={"deleted_at": now})
        )
    return removed


class DeletedCheckIn(SQLModel, table=True):
    """When a day's check-in was last deleted (the day only: nothing of what it said)."""

    __tablename__ = "deleted_checkin"
    __table_args__ = (UniqueConstraint("patient_id", "day", name="uq_deleted_checkin_patient_day"),)

    id: int | None = Field(default=None, primary_key=True)
    patient_id: int = Field(
        sa_column=Column(Integer, ForeignKey("patient.id", ondelete="CASCADE"), nullable=False)
    )
    day: date = Field(sa_column=Column(Date, nullable=False))
    deleted_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


_DELETED: sa.Table = DeletedCheckIn.__table__  # type: ignore[attr-defined]
_LAST_DELETION = Prepared(
    sa.select(_DELETED.c.id, _DELETED.c.deleted_at).where(
        _DELETED.c.patient_id == sa.bindparam("patient_id"), _DELETED.c.day == sa.bindparam("day")
    )
)


class Deletion(NamedTuple):
    id: int
    at: datetime


def last_deletion(db: Executor, patient_id: int, day: date) -> Deletion | None:
    """When the patient's check-in of that day was last deleted, and that record's id (None:
    never)."""
    found = _LAST_DELETION.first(db, {"patient_id": patient_id, "day": day})
    return None if found is None else Deletion(found[0], as_utc(found[1]))
