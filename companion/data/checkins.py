"""Daily check-ins: one row per patient per calendar day; saving the day again updates it."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Column, Date, ForeignKey, Integer, UniqueConstraint, func
from sqlmodel import Field, Session, SQLModel, col, select

from companion.clinical.checkin import CheckInInput
from companion.data.db import UTCDateTime, utcnow


class CheckIn(SQLModel, table=True):
    """One day's mood and optional answers, on the patient's own calendar day."""

    __tablename__ = "checkin"
    __table_args__ = (UniqueConstraint("patient_id", "day", name="uq_checkin_patient_day"),)

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
    suicidal_thoughts: str = Field(default="none", max_length=10)
    tags: str = Field(default="", max_length=400)
    note: str = Field(default="", max_length=2000)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)

    @property
    def tag_list(self) -> tuple[str, ...]:
        return tuple(t for t in self.tags.split(",") if t)


def get_checkin(session: Session, patient_id: int, day: date) -> CheckIn | None:
    statement = select(CheckIn).where(CheckIn.patient_id == patient_id, CheckIn.day == day)
    return session.exec(statement).first()


def save_checkin(session: Session, patient_id: int, entry: CheckInInput) -> tuple[CheckIn, bool]:
    """Insert the day's check-in or update it; returns (row, created)."""
    row = get_checkin(session, patient_id, entry.day)
    created = row is None
    if row is None:
        row = CheckIn(patient_id=patient_id, day=entry.day, mood=entry.mood)
    row.mood = entry.mood
    row.anxiety = entry.anxiety
    row.energy = entry.energy
    row.pain = entry.pain
    row.sleep_hours = entry.sleep_hours
    row.suicidal_thoughts = entry.suicidal_thoughts
    row.tags = ",".join(entry.tags)
    row.note = entry.note
    row.updated_at = utcnow()
    session.add(row)
    session.flush()
    return row, created


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


def mood_by_day(
    session: Session, patient_id: int, start: date | None = None, end: date | None = None
) -> dict[date, float]:
    """Mood per logged day: the input of durability, trends and relevance."""
    statement = select(col(CheckIn.day), col(CheckIn.mood)).where(CheckIn.patient_id == patient_id)
    if start is not None:
        statement = statement.where(col(CheckIn.day) >= start)
    if end is not None:
        statement = statement.where(col(CheckIn.day) <= end)
    return {day: float(mood) for day, mood in session.exec(statement).all()}


def days_logged(session: Session, patient_id: int, start: date, end: date) -> int:
    statement = select(func.count()).where(
        col(CheckIn.patient_id) == patient_id, col(CheckIn.day) >= start, col(CheckIn.day) <= end
    )
    return int(session.exec(statement).one())


def logged_days(session: Session, patient_id: int, start: date, end: date) -> set[date]:
    statement = select(col(CheckIn.day)).where(
        CheckIn.patient_id == patient_id, col(CheckIn.day) >= start, col(CheckIn.day) <= end
    )
    return set(session.exec(statement).all())
