"""Completed PHQ-9 and GAD-7 questionnaires, with the answers, score and severity as scored."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Boolean, Column, Date, ForeignKey, Index, Integer
from sqlmodel import Field, Session, SQLModel, col, select

from companion.clinical.instruments import INSTRUMENTS
from companion.clinical.scoring import Score
from companion.data.db import UTCDateTime, utcnow


class QuestionnaireResponse(SQLModel, table=True):
    """One completed questionnaire; `day` is the patient's calendar day when they finished it."""

    __tablename__ = "questionnaire_response"
    __table_args__ = (
        Index("ix_response_patient_instrument_day", "patient_id", "instrument", "day"),
        # A period's totals (list_totals) from its first day, in completion order.
        Index("ix_response_patient_day", "patient_id", "day", "completed_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    patient_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("patient.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    instrument: str = Field(max_length=10)
    answers: str = Field(max_length=100)
    total: int
    severity: str = Field(max_length=20)
    difficulty: int | None = None
    day: date = Field(sa_column=Column(Date, nullable=False))
    completed_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    # Taken on an earlier day (at the clinic) and entered here later: `day` is when it was taken.
    entered_later: bool = Field(
        default=False, sa_column=Column(Boolean, nullable=False, server_default=sa.false())
    )

    @property
    def answer_list(self) -> list[int]:
        return [int(a) for a in json.loads(self.answers)]


def save_response(
    session: Session,
    patient_id: int,
    score: Score,
    day: date,
    difficulty: int | None = None,
    completed_at: datetime | None = None,
    entered_later: bool = False,
) -> QuestionnaireResponse:
    row = QuestionnaireResponse(
        patient_id=patient_id,
        instrument=score.instrument,
        answers=json.dumps(list(score.answers)),
        total=score.total,
        severity=score.severity,
        difficulty=difficulty,
        day=day,
        completed_at=completed_at or utcnow(),
        entered_later=entered_later,
    )
    session.add(row)
    session.flush()
    return row


def list_responses(
    session: Session,
    patient_id: int,
    instrument: str | None = None,
    start: date | None = None,
    end: date | None = None,
) -> list[QuestionnaireResponse]:
    """The patient's responses in completion order, optionally one instrument and a period."""
    statement = select(QuestionnaireResponse).where(QuestionnaireResponse.patient_id == patient_id)
    if instrument is not None:
        statement = statement.where(QuestionnaireResponse.instrument == instrument)
    if start is not None:
        statement = statement.where(col(QuestionnaireResponse.day) >= start)
    if end is not None:
        statement = statement.where(col(QuestionnaireResponse.day) <= end)
    order = (col(QuestionnaireResponse.day), col(QuestionnaireResponse.completed_at))
    return list(session.exec(statement.order_by(*order)).all())


@dataclass(frozen=True, slots=True)
class Total:
    """One questionnaire's score alone: all a baseline, a chart or a summary sentence reads."""

    instrument: str
    day: date
    total: int
    severity: str
    # Taken on an earlier day (at the clinic) and entered here later.
    entered_later: bool = False


def _totals(window: bool) -> Any:
    """The statement of list_totals, built once: per view only its parameters change (in
    SQLAlchemy's own select: SQLModel's takes at most four columns)."""
    table = QuestionnaireResponse
    mine = col(table.patient_id) == sa.bindparam("patient_id")
    day = col(table.day)
    order = (col(table.completed_at), col(table.id))
    later = col(table.entered_later)
    columns = (col(table.instrument), day, col(table.total), col(table.severity), later)
    if not window:
        return sa.select(*columns).where(mine).order_by(day, *order)

    def day_of(instrument: str, pick: Any, *where: Any) -> Any:
        found = sa.select(pick(day)).where(mine, col(table.instrument) == instrument, *where)
        return found.scalar_subquery()

    # Each instrument's first day, latest day and last day on or before the first infusion:
    # each one search of the (patient, instrument, day) index, not a scan of every response.
    kept = [
        day_of(key, pick, *where)
        for key in INSTRUMENTS
        for pick, where in (
            (sa.func.min, ()),
            (sa.func.max, ()),
            (sa.func.max, (day <= sa.bindparam("first_infusion"),)),
        )
    ]
    # Two index searches (the period, the few days kept before it), not one test of every row
    # before the period; the rows of kept days inside the period come once (id tells them apart).
    period = sa.select(*columns, *order).where(mine, day >= sa.bindparam("start"))
    before = sa.select(*columns, *order).where(mine, day.in_(kept))
    both = sa.union(period, before).subquery()
    return sa.select(*both.c[:5]).order_by(both.c.day, both.c.completed_at, both.c.id)


_TOTALS, _TOTALS_FROM = _totals(window=False), _totals(window=True)


def list_totals(
    session: Session,
    patient_id: int,
    start: date | None = None,
    first_infusion: date | None = None,
) -> list[Total]:
    """The responses' scores in completion order (as list_responses), without the answers. With
    start: those from start and those on the day of each instrument's first, latest and last on
    or before first_infusion, all a baseline, a latest score and a period's chart need, so a
    period reads the same few rows whatever the history."""
    if start is None:
        rows = session.execute(_TOTALS, {"patient_id": patient_id})
    else:
        first = first_infusion or date.min
        params = {"patient_id": patient_id, "start": start, "first_infusion": first}
        rows = session.execute(_TOTALS_FROM, params)
    return [Total(*row) for row in rows.all()]


def get_response(
    session: Session, patient_id: int, response_id: int
) -> QuestionnaireResponse | None:
    statement = select(QuestionnaireResponse).where(
        QuestionnaireResponse.id == response_id, QuestionnaireResponse.patient_id == patient_id
    )
    return session.exec(statement).first()
