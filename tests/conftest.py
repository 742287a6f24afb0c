"""Shared fixtures: a fresh database per test, wired into the app's session_scope."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from companion.data import db as db_module
from companion.data.db import make_engine
from companion.data.tables import metadata


@pytest.fixture
def engine(tmp_path, monkeypatch) -> Iterator[Engine]:
    """A new SQLite file with the whole schema; the app's code uses it through get_engine()."""
    eng = make_engine(f"sqlite:///{tmp_path / 'test.db'}")
    metadata.create_all(eng)
    monkeypatch.setattr(db_module, "get_engine", lambda: eng)
    yield eng
    eng.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    with Session(engine, expire_on_commit=False) as s:
        yield s
        s.commit()


@dataclass(frozen=True)
class Patient:
    id: int
    token: str
    email: str


def make_patient(session: Session, email: str = "pat@example.com", tz: str = "UTC") -> Patient:
    """A signed-up patient with a live session token, committed."""
    from companion.security import auth

    result = auth.sign_up(session, email, "a long enough password", tz, "client", "device")
    token = auth.redeem_ticket(session, result.ticket)
    assert token is not None
    patient_id = auth.patient_for_token(session, token)
    assert patient_id is not None
    session.commit()
    return Patient(patient_id, token, email)


@pytest.fixture
def patient(session: Session) -> Patient:
    return make_patient(session)


@pytest.fixture
def other_patient(session: Session) -> Patient:
    return make_patient(session, "other@example.com")
