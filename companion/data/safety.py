"""Safety events: suicidal-thoughts answers and PHQ-9 item 9 above 0, kept with their date.

An event stays once recorded, even if the check-in is later changed: the clinician should know
the answer was given. The same answer saved twice is one event.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Column, Date, ForeignKey, Integer, UniqueConstraint
from sqlmodel import Field, Session, SQLModel, col, select

from companion.data.db import UTCDateTime, utcnow


class SafetyEvent(SQLModel, table=True):
    __tablename__ = "safety_event"
    __table_args__ = (
        UniqueConstraint("source", "source_id", "kind", name="uq_safety_event_source_kind"),
    )

    id: int | None = Field(default=None, primary_key=True)
    patient_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("patient.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    day: date = Field(sa_column=Column(Date, nullable=False))
    kind: str = Field(max_length=40)
    source: str = Field(max_length=20)
    source_id: int
    recorded_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


def record_safety_event(
    session: Session, patient_id: int, day: date, kind: str, source: str, source_id: int
) -> SafetyEvent:
    statement = select(SafetyEvent).where(
        SafetyEvent.source == source, SafetyEvent.source_id == source_id, SafetyEvent.kind == kind
    )
    existing = session.exec(statement).first()
    if existing is not None:
        return existing
    event = SafetyEvent(
        patient_id=patient_id, day=day, kind=kind, source=source, source_id=source_id
    )
    session.add(event)
    session.flush()
    return event


def list_safety_events(
    session: Session, patient_id: int, start: date | None = None, end: date | None = None
) -> list[SafetyEvent]:
    """Newest first: the clinician summary shows these before anything else."""
    statement = select(SafetyEvent).where(SafetyEvent.patient_id == patient_id)
    if start is not None:
        statement = statement.where(col(SafetyEvent.day) >= start)
    if end is not None:
        statement = statement.where(col(SafetyEvent.day) <= end)
    order = (col(SafetyEvent.day).desc(), col(SafetyEvent.recorded_at).desc())
    return list(session.exec(statement.order_by(*order)).all())
