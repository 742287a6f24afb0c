"""Every entry a phone sends carries an id it made (a UUID per form): this ledger keeps each
id once per patient, with what the first save answered. A repeat of the same id (a double
tap, a retry after a lost answer, a replay after a reconnect) gets that answer again and
writes nothing."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Column, ForeignKey, Integer, Table, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from companion.data.db import Executor, Prepared, UTCDateTime, utcnow

# A phone keeps unsent entries; a retry this much later is a new entry, not a repeat.
KEPT_FOR = timedelta(days=120)


class Submission(SQLModel, table=True):
    __tablename__ = "submission"
    __table_args__ = (
        UniqueConstraint("patient_id", "submission_id", name="uq_submission_patient_submission"),
    )

    id: int | None = Field(default=None, primary_key=True)
    patient_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("patient.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    submission_id: str = Field(max_length=64)
    kind: str = Field(max_length=20)
    row_id: int | None = None
    # The answer the first save gave, as JSON: a repeat gets exactly that back.
    response: str = Field(default="{}", sa_column=Column(Text, nullable=False, default="{}"))
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)


# The table itself: an INSERT into it skips the ORM's unit of work (a third of a save's time).
_LEDGER: Table = Submission.__table__  # type: ignore[attr-defined]


# Built once: every save runs these, and building a statement costs more than running it.
_ANSWER = Prepared(
    sa.select(_LEDGER.c.response).where(
        _LEDGER.c.patient_id == sa.bindparam("patient_id"),
        _LEDGER.c.submission_id == sa.bindparam("submission_id"),
    )
)
_FORGET = Prepared(
    sa.delete(_LEDGER).where(
        _LEDGER.c.patient_id == sa.bindparam("patient_id"),
        _LEDGER.c.created_at < sa.bindparam("before", type_=_LEDGER.c.created_at.type),
    )
)
_KEEP = Prepared(sa.insert(_LEDGER))


def answer_for(db: Executor, patient_id: int, submission_id: str) -> dict[str, Any] | None:
    """What the first save of this id answered (None: the id is new)."""
    found = _ANSWER.first(db, {"patient_id": patient_id, "submission_id": submission_id})
    if found is None:
        return None
    try:
        answer = json.loads(found[0] or "{}")
    except ValueError:
        return {}
    return answer if isinstance(answer, dict) else {}


def record(
    db: Executor,
    patient_id: int,
    submission_id: str,
    kind: str,
    row_id: int | None,
    response: dict[str, Any],
    now: datetime | None = None,
) -> None:
    """Keep the id with its answer, in the same transaction as the entry it saved: a second
    save of the same id at the same moment fails on the unique constraint and rolls back."""
    now = now or utcnow()
    _FORGET.rows(db, {"patient_id": patient_id, "before": now - KEPT_FOR})
    _KEEP.rows(
        db,
        {
            "patient_id": patient_id,
            "submission_id": submission_id,
            "kind": kind,
            "row_id": row_id,
            "response": json.dumps(response),
            "created_at": now,
        },
    )
