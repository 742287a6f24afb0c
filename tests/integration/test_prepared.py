"""db.Prepared: a save's statements run on the driver's cursor must read and write exactly what
SQLAlchemy's own execution would, and fail the same way."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from companion.clinical.checkin import CheckInChanges
from companion.data import accounts, checkins, safety, submissions
from companion.data.checkins import CheckIn, DeletedCheckIn
from companion.data.db import Prepared, bound_session, transaction
from companion.data.safety import SafetyEvent
from companion.data.submissions import Submission
from companion.security.auth import hash_token

_SESSIONS = accounts.AuthSession.__table__  # type: ignore[attr-defined]
_CHECKINS = CheckIn.__table__  # type: ignore[attr-defined]


def test_values_come_back_as_sqlalchemy_reads_them(engine, session, patient):
    """Moments timezone-aware in UTC, days as dates, yes/no as booleans: the same as
    Connection.execute gives for the same statement."""
    deleted_at = datetime(2026, 3, 1, 9, 30, 15, 250, tzinfo=UTC)
    session.add(DeletedCheckIn(patient_id=patient.id, day=date(2026, 2, 28), deleted_at=deleted_at))
    session.commit()
    by_session = sa.select(_SESSIONS.c.patient_id, _SESSIONS.c.activated, _SESSIONS.c.last_seen_at)
    by_session = by_session.where(_SESSIONS.c.token_hash == sa.bindparam("token_hash"))
    found = {"token_hash": hash_token(patient.token)}
    with transaction() as db:
        ours = Prepared(by_session).first(db, found)
        theirs = tuple(db.execute(by_session, found).one())
        deletion = checkins.last_deletion(db, patient.id, date(2026, 2, 28))
        assert checkins.last_deletion(db, patient.id, date(2026, 3, 1)) is None
    assert ours == theirs and ours is not None
    assert ours[1] is True and ours[2].tzinfo is not None
    assert deletion == (deletion.id, deleted_at) and deletion.at.utcoffset() == timedelta(0)


def test_writes_convert_moments_to_utc_and_fill_the_columns_defaults(engine, session, patient):
    """An aware moment in another zone is stored as UTC; a column not given takes its default
    (a check-in's note and tags are "", never NULL)."""
    new_york = datetime(2026, 3, 1, 22, 0, tzinfo=UTC).astimezone(ZoneInfo("America/New_York"))
    written = Prepared(sa.insert(_CHECKINS).returning(_CHECKINS.c.id))
    with transaction() as db:
        [row_id] = written.first(
            db,
            {
                "patient_id": patient.id,
                "day": date(2026, 3, 1),
                "mood": 5,
                "created_at": new_york,
                "updated_at": new_york,
            },
        ) or (None,)
    row = session.get(CheckIn, row_id)
    assert row is not None and (row.note, row.tags, row.mood) == ("", "", 5)
    assert row.created_at == datetime(2026, 3, 1, 22, 0, tzinfo=UTC)
    with engine.connect() as connection:
        stored = connection.execute(
            sa.text("SELECT created_at FROM checkin WHERE id = :id"), {"id": row_id}
        )
        assert stored.scalar_one().startswith("2026-03-01 22:00:00")
    naive = {"patient_id": patient.id, "day": date(2026, 3, 2), "mood": 1}
    with pytest.raises(ValueError, match="naive datetime"), transaction() as db:
        written.rows(db, {**naive, "created_at": datetime(2026, 3, 2), "updated_at": new_york})
    missing = r"values are missing for \['m'\]"
    with pytest.raises(ValueError, match=missing), transaction() as db:
        Prepared(_CHECKINS.update().values(mood=sa.bindparam("m"))).rows(db, {})


def test_a_second_save_of_one_id_fails_as_sqlalchemy_would_without_the_values(
    engine, session, patient
):
    """The ledger's unique id raises SQLAlchemy's IntegrityError (what the save's conflict
    path catches), the transaction rolls back whole, and the message holds none of what was
    sent."""
    now = datetime.now(UTC)
    with transaction() as db:
        submissions.record(db, patient.id, "first-id-1234", "checkin", None, {"saved": True}, now)
    with pytest.raises(IntegrityError) as raised, transaction() as db:
        submissions.record(db, patient.id, "other-id-1234", "checkin", None, {}, now)
        submissions.record(db, patient.id, "first-id-1234", "checkin", None, {"x": 1}, now)
    assert "first-id-1234" not in str(raised.value) and "UNIQUE" in str(raised.value)
    with Session(engine) as fresh:
        kept = fresh.exec(sa.select(Submission.submission_id)).scalars().all()  # type: ignore[call-overload]
    assert kept == ["first-id-1234"]
    with transaction() as db:
        assert submissions.answer_for(db, patient.id, "first-id-1234") == {"saved": True}
        assert submissions.answer_for(db, patient.id, "other-id-1234") is None


def test_a_save_that_fails_leaves_nothing_and_the_next_commits_all_it_wrote(
    engine, session, patient
):
    """Saves on SQLite reuse the last save's connection: one that fails after writing rolls
    back whole (nothing of it is committed by the next save on that connection), and the next
    one (a write by Prepared, then ORM code in the same transaction) commits both, for any
    other connection to read."""
    failed, saved, later = date(2026, 3, 4), date(2026, 3, 5), date(2026, 3, 6)

    def days_and_events() -> tuple[list[tuple[date, int]], list[str]]:
        with engine.connect() as other:
            days = other.execute(sa.select(_CHECKINS.c.day, _CHECKINS.c.mood)).all()
            events = other.execute(sa.select(SafetyEvent.kind)).scalars().all()  # type: ignore[call-overload]
        return sorted((day, mood) for day, mood in days), list(events)

    with pytest.raises(RuntimeError), transaction() as db:
        checkins.write_checkin(db, patient.id, CheckInChanges(failed, {"mood": 2}))
        raise RuntimeError("the save stops here")
    with transaction() as db:
        checkins.write_checkin(db, patient.id, CheckInChanges(saved, {"mood": 7}))
        with bound_session(db) as orm:
            safety.record_safety_event(orm, patient.id, saved, "checkin_sometimes", "checkin", 1)
    assert days_and_events() == ([(saved, 7)], ["checkin_sometimes"])
    with pytest.raises(RuntimeError), transaction() as db:
        checkins.write_checkin(db, patient.id, CheckInChanges(failed, {"mood": 1}))
        with bound_session(db) as orm:
            safety.record_safety_event(orm, patient.id, failed, "checkin_often", "checkin", 2)
        raise RuntimeError("and this one after its ORM part")
    with transaction() as db:
        checkins.write_checkin(db, patient.id, CheckInChanges(later, {"mood": 5}))
    assert days_and_events() == ([(saved, 7), (later, 5)], ["checkin_sometimes"])


def test_the_checkin_pages_reads_give_what_the_orm_reads(engine, session, patient):
    """The check-in page reads a day and the days logged on a bare connection (it runs after
    every Save): the same answers, tags and days as the ORM's reads."""
    first, second = date(2026, 3, 1), date(2026, 3, 3)
    for day, fields in (
        (first, {"mood": 4, "tags": ("work", "sleep"), "sleep_hours": 6.5, "note": "ok"}),
        (second, {"mood": 8, "anxiety": 2, "suicidal_thoughts": "sometimes"}),
    ):
        with transaction() as db:
            checkins.write_checkin(db, patient.id, CheckInChanges(day, fields))
    with transaction() as db:
        answers = {d: checkins.day_answers(db, patient.id, d) for d in (first, second)}
        none = checkins.day_answers(db, patient.id, date(2026, 3, 2))
        logged = checkins.logged_days(db, patient.id, first, date(2026, 3, 2))
        zone = accounts.timezone_of(db, patient.id)
    assert none is None and logged == {first} == checkins.logged_days(
        session, patient.id, first, date(2026, 3, 2)
    )
    assert zone == accounts.timezone_of(session, patient.id)
    for day, shown in answers.items():
        row = checkins.get_checkin(session, patient.id, day)
        assert row is not None and shown is not None
        entry, tags = shown
        assert {name: getattr(entry, name) for name in entry.__slots__} == {
            name: getattr(row, name) for name in entry.__slots__
        }
        assert tags == row.tag_list
    assert answers[first] is not None and answers[first][1] == ("work", "sleep")
