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

# The browser fixtures (one production build and server per session), shared by tests/e2e and
# tests/security.
pytest_plugins = ["tests.browser"]


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
    token = result.token
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


def make_link(session: Session, patient: Patient, **choices: object):
    """A share link of the patient's (30 days' expiry, the last 30 days, no notes, no passcode
    unless `choices` say otherwise), committed; returns sharing.NewLink with its raw token."""
    from companion.security import sharing

    args: dict[str, object] = {
        "expiry_days": 30,
        "period": "30d",
        "include_notes": False,
        "passcode": "",
    }
    args.update(choices)
    made = sharing.create_share_link(session, patient.id, **args)  # type: ignore[arg-type]
    assert made.link is not None, made.message
    session.commit()
    return made


def send_entry(
    patient: Patient,
    kind: str,
    fields: dict[str, object],
    submission: str | None = None,
    made_at: object = None,
) -> tuple[int, dict[str, object]]:
    """An entry as the phone's outbox posts it to /api/entries/<kind>: (status, answer)."""
    import uuid

    from companion.api import entries

    body: dict[str, object] = {"id": submission or str(uuid.uuid4()), "fields": fields}
    if made_at is not None:
        body["made_at"] = made_at
    return entries.save(kind, patient.token, body)


def saved_once(engine: Engine, patient_id: int) -> dict[str, int]:
    """Each submission id the database holds for the patient, with how many infusions it made:
    an entry acknowledged and found once is {id: 1}."""
    from sqlalchemy import text

    with engine.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT s.submission_id, count(i.id) FROM submission s "
                "LEFT JOIN infusion i ON i.id = s.row_id AND i.patient_id = s.patient_id "
                "WHERE s.patient_id = :p GROUP BY s.submission_id"
            ),
            {"p": patient_id},
        ).all()
    return {row[0]: int(row[1]) for row in rows}
