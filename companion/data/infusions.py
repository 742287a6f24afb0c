"""Infusions (past and planned) and their post-infusion checks."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy import Column, ForeignKey, Index, Integer, UniqueConstraint
from sqlmodel import Field, Session, SQLModel, col, select

from companion.clinical.infusion_input import InfusionInput, PostCheckInput
from companion.clinical.sideeffects import SIDE_EFFECT_KEYS
from companion.data.db import Fetched, Prepared, UTCDateTime, as_utc, utcnow


def _patient_fk() -> Column[int]:
    return Column(Integer, ForeignKey("patient.id", ondelete="CASCADE"), nullable=False, index=True)


class Infusion(SQLModel, table=True):
    """One ketamine treatment: when, how, how much, where. Future ones are planned."""

    # A patient's infusions in time order without a sort.
    __table_args__ = (Index("ix_infusion_patient_starts", "patient_id", "starts_at"),)

    id: int | None = Field(default=None, primary_key=True)
    patient_id: int = Field(sa_column=_patient_fk())
    starts_at: datetime = Field(sa_type=UTCDateTime, index=True)
    route: str = Field(max_length=20)
    dose_value: float | None = None
    dose_unit: str | None = Field(default=None, max_length=10)
    clinic: str = Field(default="", max_length=120)
    note: str = Field(default="", max_length=2000)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)

    @property
    def start(self) -> datetime:
        return as_utc(self.starts_at)


class PostInfusionCheck(SQLModel, table=True):
    """How the patient felt the same evening, after 24 hours or after 48 hours."""

    __tablename__ = "post_infusion_check"
    __table_args__ = (
        UniqueConstraint("infusion_id", "timepoint", name="uq_post_check_infusion_timepoint"),
        # A period's checks (list_post_checks of its infusions) by one search each, not a walk
        # of every check of the patient's.
        Index("ix_post_check_patient_infusion", "patient_id", "infusion_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    patient_id: int = Field(sa_column=_patient_fk())
    infusion_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("infusion.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    timepoint: str = Field(max_length=10)
    nausea: int = 0
    dizziness: int = 0
    headache: int = 0
    drowsiness: int = 0
    blurred_vision: int = 0
    anxiety: int = 0
    bladder: int = 0
    dissociation: int | None = None
    systolic: int | None = None
    diastolic: int | None = None
    compared_with_before: int | None = None
    reflection: str = Field(default="", max_length=1000)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)

    def side_effects(self) -> dict[str, int]:
        return {key: int(getattr(self, key)) for key in SIDE_EFFECT_KEYS}


def _apply(row: Infusion, entry: InfusionInput) -> None:
    row.starts_at = entry.starts_at
    row.route = entry.route
    row.dose_value = entry.dose_value
    row.dose_unit = entry.dose_unit
    row.clinic = entry.clinic
    row.note = entry.note
    row.updated_at = utcnow()


def add_infusion(session: Session, patient_id: int, entry: InfusionInput) -> Infusion:
    row = Infusion(patient_id=patient_id, starts_at=entry.starts_at, route=entry.route)
    _apply(row, entry)
    session.add(row)
    session.flush()
    return row


def get_infusion(session: Session, patient_id: int, infusion_id: int) -> Infusion | None:
    """The infusion only if it is this patient's: ids from the browser are never trusted."""
    statement = select(Infusion).where(
        Infusion.id == infusion_id, Infusion.patient_id == patient_id
    )
    return session.exec(statement).first()


def update_infusion(
    session: Session, patient_id: int, infusion_id: int, entry: InfusionInput
) -> Infusion | None:
    row = get_infusion(session, patient_id, infusion_id)
    if row is not None:
        _apply(row, entry)
        session.add(row)
    return row


def delete_infusion(session: Session, patient_id: int, infusion_id: int) -> bool:
    row = get_infusion(session, patient_id, infusion_id)
    if row is None:
        return False
    session.delete(row)
    return True


def list_infusions(
    session: Session,
    patient_id: int,
    start: datetime | None = None,
    end: datetime | None = None,
) -> list[Infusion]:
    """The patient's infusions in time order, planned ones included."""
    statement = select(Infusion).where(Infusion.patient_id == patient_id)
    if start is not None:
        statement = statement.where(col(Infusion.starts_at) >= start)
    if end is not None:
        statement = statement.where(col(Infusion.starts_at) <= end)
    return list(session.exec(statement.order_by(col(Infusion.starts_at))).all())


_INFUSIONS: sa.Table = Infusion.__table__  # type: ignore[attr-defined]
_STARTS = Prepared(
    sa.select(_INFUSIONS.c.id, _INFUSIONS.c.starts_at)
    .where(_INFUSIONS.c.patient_id == sa.bindparam("patient_id"))
    .order_by(_INFUSIONS.c.starts_at)
)


def fetch_starts(session: Session, patient_id: int) -> Fetched:
    """(id, start) of each of the patient's infusions in time order, as the driver returned
    them: all that numbering them and their durability read. The one read of a period's view
    that grows with the whole record (10 years: some 130 infusions), so on the driver's cursor
    (db.Prepared), and unconverted: what is derived from it is kept and made again only when
    the rows differ (summary.load_timeline)."""
    return _STARTS.raw(session, {"patient_id": patient_id})


def save_post_check(
    session: Session, patient_id: int, infusion_id: int, entry: PostCheckInput
) -> PostInfusionCheck | None:
    """Insert or update the check for (infusion, timepoint); None if not this patient's infusion."""
    if get_infusion(session, patient_id, infusion_id) is None:
        return None
    statement = select(PostInfusionCheck).where(
        PostInfusionCheck.infusion_id == infusion_id,
        PostInfusionCheck.timepoint == entry.timepoint,
    )
    row = session.exec(statement).first()
    if row is None:
        row = PostInfusionCheck(
            patient_id=patient_id, infusion_id=infusion_id, timepoint=entry.timepoint
        )
    for key, value in entry.side_effects.items():
        setattr(row, key, value)
    row.dissociation = entry.dissociation
    row.systolic = entry.systolic
    row.diastolic = entry.diastolic
    row.compared_with_before = entry.compared_with_before
    row.reflection = entry.reflection
    row.updated_at = utcnow()
    session.add(row)
    session.flush()
    return row


def list_post_checks(
    session: Session,
    patient_id: int,
    infusion_id: int | None = None,
    infusion_ids: Collection[int] | None = None,
) -> list[PostInfusionCheck]:
    """The patient's checks in the order answered: of one infusion, of some, or all."""
    statement = select(PostInfusionCheck).where(PostInfusionCheck.patient_id == patient_id)
    if infusion_id is not None:
        statement = statement.where(PostInfusionCheck.infusion_id == infusion_id)
    if infusion_ids is not None:
        statement = statement.where(col(PostInfusionCheck.infusion_id).in_(list(infusion_ids)))
    return list(session.exec(statement.order_by(col(PostInfusionCheck.created_at))).all())


def get_post_check(
    session: Session, patient_id: int, infusion_id: int, timepoint: str
) -> PostInfusionCheck | None:
    statement = select(PostInfusionCheck).where(
        PostInfusionCheck.patient_id == patient_id,
        PostInfusionCheck.infusion_id == infusion_id,
        PostInfusionCheck.timepoint == timepoint,
    )
    return session.exec(statement).first()
