"""A period's view costs the same whatever the history (issue 12, point 4), counted, not timed:
the instructions SQLite runs for Trends 1M and the 90-day summary with ten years of daily data
are within a little of one year's, and the whole record's infusions are labelled again only
when one of them changed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import event
from sqlmodel import Session

from bench.history import make_history
from companion import summary
from companion.data import accounts, infusions
from companion.data.db import make_engine, utcnow
from companion.data.tables import metadata
from companion.localtime import local_today
from companion.security.passwords import hash_password

TZ = "America/New_York"


@pytest.fixture
def histories(tmp_path):
    """One database with two patients: one year of daily data and ten. Every connection counts
    the virtual machine instructions SQLite runs (its progress handler, called after each)."""
    engine = make_engine(f"sqlite:///{tmp_path / 'history.db'}")
    steps = [0]

    def tick() -> int:
        steps[0] += 1
        return 0  # go on

    @event.listens_for(engine, "connect")
    def count(dbapi_connection, _record):
        dbapi_connection.set_progress_handler(tick, 1)

    metadata.create_all(engine)
    patients = {}
    with Session(engine, expire_on_commit=False) as session:
        for years in (1, 10):
            email = f"years{years}@example.com"
            patient = accounts.create_patient(session, email, hash_password("x" * 12), TZ)
            assert patient.id is not None
            make_history(session, patient.id, years, local_today(TZ))
            patients[years] = patient.id
        session.commit()
    yield engine, patients, steps
    engine.dispose()


def _trends_1m(session: Session, patient_id: int) -> None:
    summary.build_trends(session, patient_id, "1M")
    summary.trends_mood(session, patient_id, "1M")


def _summary_90d(session: Session, patient_id: int) -> None:
    summary.build_clinician_summary(session, patient_id, "Last 90 days", 90, True)


@pytest.mark.parametrize("view", [_trends_1m, _summary_90d], ids=["trends 1M", "summary 90d"])
def test_a_period_view_runs_as_many_database_instructions_at_ten_years_as_at_one(histories, view):
    engine, patients, steps = histories

    def cost(patient_id: int) -> int:
        with Session(engine, expire_on_commit=False) as session:
            view(session, patient_id)  # the first view also fills what is kept between views
        steps[0] = 0
        with Session(engine, expire_on_commit=False) as session:
            view(session, patient_id)
        return steps[0]

    one, ten = cost(patients[1]), cost(patients[10])
    assert one > 1000  # the count does count
    # Ten times the check-ins, questionnaires and infusions; a period's view reads its period.
    assert ten <= 1.3 * one, (one, ten)


def test_the_whole_records_infusions_are_labelled_again_only_when_one_changed(
    histories, monkeypatch
):
    engine, patients, _ = histories
    patient = patients[10]
    labelled = []
    real = summary.label_infusions

    def counted(dates):
        labelled.append(len(dates))
        return real(dates)

    monkeypatch.setattr(summary, "label_infusions", counted)

    def names(record: summary.Record) -> list[tuple[str, str]]:
        return [(i.day.isoformat(), i.name) for i in record.infusions]

    def month_and_all() -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
        with Session(engine, expire_on_commit=False) as session:
            month = summary.load_record(session, patient, period_days=30)
            every = summary.load_record(session, patient)
        return names(month), [n for n in names(every) if n in names(month)]

    month, every = month_and_all()
    assert month == every and month
    labelled.clear()
    for _ in range(3):
        assert month_and_all()[0] == month
    # Only the whole record (read for comparison) was labelled; the month's labels were kept.
    assert len(labelled) == 3 and set(labelled) == {max(labelled)}

    # Each kind of change to the infusions: the month labels what the whole record labels.
    def change(edit) -> None:
        with Session(engine, expire_on_commit=False) as session:
            edit(session)
            session.commit()
        month, every = month_and_all()
        assert month == every

    first = datetime(2000, 1, 3, 14, tzinfo=UTC)

    def add_first(session: Session) -> None:
        # Long before the rest: every later infusion's series (and numbering) is renumbered.
        session.add(infusions.Infusion(patient_id=patient, starts_at=first, route="iv"))

    def move_recent(session: Session) -> None:
        rows = infusions.list_infusions(session, patient, start=utcnow() - timedelta(days=120))
        given = [r for r in rows if r.start <= utcnow()]
        given[0].starts_at = given[-1].start - timedelta(hours=1)

    def delete_one(session: Session) -> None:
        rows = infusions.list_infusions(session, patient, start=utcnow() - timedelta(days=200))
        session.delete(rows[0])

    def move_zone(session: Session) -> None:
        accounts.get_patient(session, patient).timezone = "Pacific/Kiritimati"

    before = month
    for edit in (add_first, move_recent, delete_one, move_zone):
        change(edit)
    assert month_and_all()[0] != before  # the changes did change the month's labels
