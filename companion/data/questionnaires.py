"""Completed PHQ-9 and GAD-7 questionnaires, with the answers, score and severity as scored."""

from __future__ import annotations

import json
from datetime import date, datetime

from sqlalchemy import Column, Date, ForeignKey, Index, Integer
from sqlmodel import Field, Session, SQLModel, col, select

from companion.clinical.scoring import Score
from companion.data.db import UTCDateTime, utcnow


class QuestionnaireResponse(SQLModel, table=True):
    """One completed questionnaire; `day` is the patient's calendar day when they finished it."""

    __tablename__ = "questionnaire_response"
    __table_args__ = (
        Index("ix_response_patient_instrument_day", "patient_id", "instrument", "day"),
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


def get_response(
    session: Session, patient_id: int, response_id: int
) -> QuestionnaireResponse | None:
    statement = select(QuestionnaireResponse).where(
        QuestionnaireResponse.id == response_id, QuestionnaireResponse.patient_id == patient_id
    )
    return session.exec(statement).first()
