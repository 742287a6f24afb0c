"""bench/load.py's own bookkeeping: the patients it signs in and the saves it calls lost."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlmodel import Session

from bench import load
from companion.api import entries
from companion.security.auth import session_of


def test_its_patients_are_signed_in_and_an_acknowledged_save_missing_is_lost(engine, tmp_path):
    url = str(engine.url)
    made = load._make_patients(url, 2, "t")
    patients = [load.Patient(pid, f"kc_session={token}") for pid, token in made]
    today = datetime.now(UTC).date()
    with Session(engine) as session:
        for pid, token in made:
            found = session_of(session, token)
            assert found is not None and found[0] == pid
    for _pid, token in made:
        body = {"id": f"bench-{token[:8]}", "fields": {"mood": "6", "day": today.isoformat()}}
        assert entries.save("checkin", token, body)[0] == 200
    first, second = patients
    first.acked = {today.isoformat(): 6}
    second.acked = {today.isoformat(): 6}
    assert load.lost_saves(url, patients) == 0
    # Acknowledged but never written, and acknowledged with another mood than the row's.
    first.acked[(today - timedelta(days=1)).isoformat()] = 4
    second.acked[today.isoformat()] = 7
    assert load.lost_saves(url, patients) == 2
