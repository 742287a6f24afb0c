"""The patient's personal safety plan: one row per patient, six steps of their own words.

Shown on every crisis screen and on the offline help page; never on a clinician summary unless
the patient ticks "include my safety plan" on that link; erased with the account (cascade).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Column, ForeignKey, Integer, Text
from sqlmodel import Field, Session, SQLModel, select

from companion.clinical.safety import SafetyPlanInput
from companion.data.db import UTCDateTime, utcnow


class SafetyPlan(SQLModel, table=True):
    __tablename__ = "safety_plan"

    id: int | None = Field(default=None, primary_key=True)
    patient_id: int = Field(
        sa_column=Column(
            Integer,
            ForeignKey("patient.id", ondelete="CASCADE"),
            nullable=False,
            unique=True,
            index=True,
        )
    )
    warning_signs: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    coping: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    distractions: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    # People to ask for help, as JSON: [{"name": ..., "phone": ...}, ...].
    helpers: str = Field(default="[]", sa_column=Column(Text, nullable=False, default="[]"))
    professionals: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    safer: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


@dataclass(frozen=True, slots=True)
class Helper:
    name: str
    phone: str


@dataclass(frozen=True, slots=True)
class PlanView:
    """A plan as the pages show it: each step's text, the helpers as name and phone."""

    warning_signs: str = ""
    coping: str = ""
    distractions: str = ""
    helpers: tuple[Helper, ...] = ()
    professionals: str = ""
    safer: str = ""
    updated_at: datetime | None = None

    @property
    def empty(self) -> bool:
        texts = (self.warning_signs, self.coping, self.distractions, self.professionals, self.safer)
        return not any(texts) and not self.helpers


def _view(row: SafetyPlan | None) -> PlanView:
    if row is None:
        return PlanView()
    try:
        people = json.loads(row.helpers or "[]")
    except ValueError:
        people = []
    helpers = tuple(
        Helper(str(p.get("name", "")), str(p.get("phone", "")))
        for p in people
        if isinstance(p, dict)
    )
    return PlanView(
        row.warning_signs,
        row.coping,
        row.distractions,
        helpers,
        row.professionals,
        row.safer,
        row.updated_at,
    )


def get_plan(session: Session, patient_id: int) -> PlanView:
    row = session.exec(select(SafetyPlan).where(SafetyPlan.patient_id == patient_id)).first()
    return _view(row)


def save_plan(session: Session, patient_id: int, plan: SafetyPlanInput) -> PlanView:
    """Insert or replace the patient's plan with these validated answers."""
    row = session.exec(select(SafetyPlan).where(SafetyPlan.patient_id == patient_id)).first()
    if row is None:
        row = SafetyPlan(patient_id=patient_id)
    row.warning_signs = plan.warning_signs
    row.coping = plan.coping
    row.distractions = plan.distractions
    row.helpers = json.dumps([{"name": name, "phone": phone} for name, phone in plan.helpers])
    row.professionals = plan.professionals
    row.safer = plan.safer
    row.updated_at = utcnow()
    session.add(row)
    session.flush()
    return _view(row)
