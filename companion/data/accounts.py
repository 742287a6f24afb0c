"""Patients, their login sessions and failed sign-in attempts: the tables and their queries."""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import NamedTuple

import sqlalchemy as sa
from sqlalchemy import Column, ForeignKey, Integer, func
from sqlmodel import Field, Session, SQLModel, col, delete, select

from companion.data.db import Executor, Prepared, UTCDateTime, as_utc, utcnow


def new_export_id() -> str:
    """A random per-patient identifier for exports (32 hex digits, also a valid FHIR id)."""
    return secrets.token_hex(16)


class Patient(SQLModel, table=True):
    """One account: a person receiving ketamine therapy who logs their own data."""

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, unique=True, index=True)
    password_hash: str = Field(max_length=255)
    timezone: str = Field(default="UTC", max_length=64)
    clinic_name: str = Field(default="", max_length=120)
    clinic_phone: str = Field(default="", max_length=40)
    # The name the patient chose to show on summaries they share (empty: none shown).
    summary_name: str = Field(default="", max_length=80)
    # The country whose crisis lines show first: "" follows the time zone, "other" none of ours.
    crisis_country: str = Field(default="", max_length=8)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    # Who the patient is in exported records (FHIR Patient.identifier): random, so an EHR can
    # recognise a second import without the row id or the email ever leaving the app.
    export_id: str = Field(default_factory=new_export_id, max_length=64, unique=True, index=True)


class AuthSession(SQLModel, table=True):
    """A signed-in browser. Only the SHA-256 of its token is stored, never the token."""

    __tablename__ = "auth_session"

    id: int | None = Field(default=None, primary_key=True)
    patient_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("patient.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    token_hash: str = Field(max_length=64, unique=True, index=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    last_seen_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    device: str = Field(default="", max_length=80)
    # Sessions are made activated; rows from before sign-in moved to HTTP may be one-time
    # tickets that were never traded, and those never count as signed in.
    activated: bool = Field(default=False)


class LoginFailure(SQLModel, table=True):
    """A failed sign-in, keyed by account (hashed email) or by client, for rate limiting."""

    __tablename__ = "login_failure"

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=80, index=True)
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)


def normalise_email(email: str) -> str:
    """Emails compare case-insensitively and without surrounding spaces."""
    return email.strip().lower()


def find_patient_by_email(session: Session, email: str) -> Patient | None:
    return session.exec(select(Patient).where(Patient.email == normalise_email(email))).first()


def get_patient(session: Session, patient_id: int) -> Patient | None:
    return session.get(Patient, patient_id)


def create_patient(session: Session, email: str, password_hash: str, timezone: str) -> Patient:
    patient = Patient(email=normalise_email(email), password_hash=password_hash, timezone=timezone)
    session.add(patient)
    session.flush()
    return patient


def set_password_hash(session: Session, patient_id: int, password_hash: str) -> None:
    patient = session.get(Patient, patient_id)
    if patient is not None:
        patient.password_hash = password_hash
        session.add(patient)


def update_profile(
    session: Session,
    patient_id: int,
    *,
    timezone: str,
    clinic_name: str,
    clinic_phone: str,
    summary_name: str | None = None,
    crisis_country: str | None = None,
) -> None:
    patient = session.get(Patient, patient_id)
    if patient is not None:
        patient.timezone = timezone
        patient.clinic_name = clinic_name
        patient.clinic_phone = clinic_phone
        if summary_name is not None:
            patient.summary_name = summary_name
        if crisis_country is not None:
            patient.crisis_country = crisis_country
        session.add(patient)


_PATIENT = Patient.__table__  # type: ignore[attr-defined]
_SESSION = AuthSession.__table__  # type: ignore[attr-defined]
# Built once: a save asks these every time, and building a statement costs more than running it.
_HOLD = Prepared(
    sa.select(_PATIENT.c.timezone)
    .where(_PATIENT.c.id == sa.bindparam("patient_id"))
    .with_for_update(key_share=True)
)
_ZONE = Prepared(sa.select(_PATIENT.c.timezone).where(_PATIENT.c.id == sa.bindparam("patient_id")))
_FIND_SESSION = Prepared(
    sa.select(_SESSION.c.patient_id, _SESSION.c.activated, _SESSION.c.last_seen_at).where(
        _SESSION.c.token_hash == sa.bindparam("token_hash")
    )
)
_TOUCH_SESSION = Prepared(
    sa.update(_SESSION)
    .where(_SESSION.c.token_hash == sa.bindparam("hash"))
    .values(last_seen_at=sa.bindparam("now", type_=_SESSION.c.last_seen_at.type))
)
_DELETE_SESSION = Prepared(sa.delete(_SESSION).where(_SESSION.c.token_hash == sa.bindparam("hash")))


def timezone_of(db: Executor, patient_id: int) -> str:
    """The patient's zone name ("UTC" when unknown): their "today" depends on it."""
    found = _ZONE.first(db, {"patient_id": patient_id})
    return found[0] if found is not None and found[0] else "UTC"


def hold_patient(db: Executor, patient_id: int) -> str | None:
    """Keep the account from being erased until this transaction ends; its time zone (None: it
    is gone).

    A save takes this first, so an erasure waits for the save to commit and then removes its
    rows too, or goes first and the save finds no account: on PostgreSQL the two can never
    deadlock over the patient row and the rows that cascade from it. SQLite writers queue
    already and ignore the lock."""
    found = _HOLD.first(db, {"patient_id": patient_id})
    return None if found is None else found[0] or "UTC"


def delete_patient(session: Session, patient_id: int) -> None:
    """Delete the account; every table of patient data cascades from patient.id."""
    session.exec(delete(Patient).where(col(Patient.id) == patient_id))


# --- sessions -----------------------------------------------------------------------------


def create_session(
    session: Session, patient_id: int, token_hash: str, device: str, *, activated: bool = False
) -> AuthSession:
    auth = AuthSession(
        patient_id=patient_id, token_hash=token_hash, device=device[:80], activated=activated
    )
    session.add(auth)
    session.flush()
    return auth


class SessionRow(NamedTuple):
    patient_id: int
    activated: bool
    last_seen_at: datetime


def find_session(db: Executor, token_hash: str) -> SessionRow | None:
    """The signed-in browser with this token hash: three columns, no ORM object (every save
    asks)."""
    found = _FIND_SESSION.first(db, {"token_hash": token_hash})
    if found is None:
        return None
    patient_id, activated, last_seen_at = found
    return SessionRow(patient_id, bool(activated), as_utc(last_seen_at))


def touch_session(db: Executor, token_hash: str, now: datetime) -> None:
    _TOUCH_SESSION.rows(db, {"hash": token_hash, "now": now})


def delete_session(db: Executor, token_hash: str) -> None:
    _DELETE_SESSION.rows(db, {"hash": token_hash})


def delete_other_sessions(session: Session, patient_id: int, keep_token_hash: str) -> None:
    """After a password change, every other signed-in browser is signed out."""
    session.exec(
        delete(AuthSession).where(
            col(AuthSession.patient_id) == patient_id,
            col(AuthSession.token_hash) != keep_token_hash,
        )
    )


def delete_idle_sessions(session: Session, idle_before: datetime) -> None:
    session.exec(delete(AuthSession).where(col(AuthSession.last_seen_at) < idle_before))


# --- failed sign-ins ----------------------------------------------------------------------


def record_login_failure(session: Session, keys: list[str], now: datetime) -> None:
    for key in keys:
        session.add(LoginFailure(key=key, at=now))


def count_login_failures(session: Session, key: str, since: datetime) -> int:
    statement = select(func.count()).where(
        col(LoginFailure.key) == key, col(LoginFailure.at) >= since
    )
    return int(session.exec(statement).one())


def clear_login_failures(session: Session, key: str) -> None:
    session.exec(delete(LoginFailure).where(col(LoginFailure.key) == key))


def prune_login_failures(session: Session, before: datetime) -> None:
    session.exec(delete(LoginFailure).where(col(LoginFailure.at) < before))
