"""`make demo`: the demo patient's six months of data tell the intended story, by the app's rules,
and running it again replaces the demo patient without touching anyone else."""

from __future__ import annotations

import itertools
import random
import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import Session, col, func, select

from companion import demo
from companion.clinical import (
    Reading,
    assess_outcome,
    choose_baseline,
    label_infusions,
    mood_around,
    validate_checkin,
)
from companion.data import accounts, checkins, infusions, questionnaires, safety
from companion.data.checkins import CheckIn
from companion.data.db import as_utc
from companion.security.passwords import hash_password, verify_password
from companion.summary import MAX_RESPONSE_LINES, build_trends

TZ = "America/New_York"
NEW_YORK = ZoneInfo(TZ)
# A today whose 180 days cross both DST changes (2 Nov 2025, 8 Mar 2026): 09:30 stays 09:30.
TODAY = date(2026, 3, 15)


def _patient(session: Session, email: str) -> int:
    patient = accounts.create_patient(session, email, "not a real hash", TZ)
    assert patient.id is not None
    return patient.id


@pytest.fixture
def built(session):
    pid = _patient(session, "story@example.com")
    summary = demo.build_demo(session, pid, TODAY, TZ, random.Random(demo.SEED))
    session.commit()
    return session, pid, summary


def _local_day(moment) -> date:
    return as_utc(moment).astimezone(NEW_YORK).date()


def test_check_ins_span_180_days_with_gaps(built):
    session, pid, summary = built
    days = [c.day for c in checkins.list_checkins(session, pid)]
    first = TODAY - timedelta(days=179)
    assert (days[0], days[-1]) == (first, TODAY) == (summary.first_day, summary.last_day)
    assert 0.75 <= len(days) / 180 <= 0.92
    assert summary.checkins == len(days)
    logged = set(days)
    runs, run = [], 0
    for n in range(180):
        if first + timedelta(days=n) in logged:
            if run:
                runs.append(run)
            run = 0
        else:
            run += 1
    assert len([r for r in runs if r >= 4]) == 1, runs
    assert max(r for r in runs if r < 4) <= 2


def test_check_ins_are_valid_and_varied(built):
    session, pid, _summary = built
    rows = checkins.list_checkins(session, pid)
    for row in rows:
        # Every stored check-in is one the check-in form would accept as it is.
        raw = {
            "day": row.day,
            "mood": row.mood,
            "anxiety": row.anxiety,
            "energy": row.energy,
            "pain": row.pain,
            "sleep_hours": row.sleep_hours,
            "suicidal_thoughts": row.suicidal_thoughts,
            "tags": row.tags,
            "note": row.note,
        }
        entry = validate_checkin(raw, TODAY)
        assert entry.tags == row.tag_list
        assert row.sleep_hours is None or 5.0 <= row.sleep_hours <= 9.0
    pre_treatment = [r.mood for r in rows if r.day < TODAY - timedelta(days=179 - 21)]
    assert sum(2 <= m <= 4 for m in pre_treatment) / len(pre_treatment) >= 0.8
    with_notes = sum(1 for r in rows if r.note)
    assert 0.05 <= with_notes / len(rows) <= 0.2
    assert any(r.tags for r in rows) and any(r.pain for r in rows)
    assert any(r.anxiety is None for r in rows)  # some mood-only days
    assert sum(r.suicidal_thoughts == "none" for r in rows) >= len(rows) - 5


def test_infusions_are_an_induction_series_then_boosters(built):
    session, pid, summary = built
    rows = infusions.list_infusions(session, pid)
    days = [_local_day(r.starts_at) for r in rows]
    labels = label_infusions(days)
    phases = [phase for _, phase, _ in labels]
    assert phases[:6] == ["induction"] * 6
    assert set(phases[6:]) == {"booster"}
    assert (days[5] - days[0]).days == 18
    past = [d for d in days if d <= TODAY]
    future = [d for d in days if d > TODAY]
    assert 3 <= len(past) - 6 <= 4
    assert len(future) == 1 and 5 <= (future[0] - TODAY).days <= 10
    assert (TODAY - past[-1]).days <= 20
    assert (summary.infusions_done, summary.infusions_planned) == (len(past), 1)
    for row in rows:
        assert as_utc(row.starts_at).astimezone(NEW_YORK).time() == time(9, 30)
        assert (row.route, row.dose_value, row.dose_unit) == ("iv", 0.5, "mg/kg")
        assert row.clinic == demo.CLINIC_NAME


def test_every_past_infusion_has_post_infusion_checks(built):
    session, pid, summary = built
    rows = infusions.list_infusions(session, pid)
    checks = infusions.list_post_checks(session, pid)
    assert summary.post_checks == len(checks)
    by_infusion: dict[int, list] = {}
    for check in checks:
        by_infusion.setdefault(check.infusion_id, []).append(check)
    for row in rows:
        mine = by_infusion.get(row.id or 0, [])
        if _local_day(row.starts_at) > TODAY:
            assert mine == []
            continue
        assert mine, f"no post-infusion check for the infusion on {row.starts_at}"
        for check in mine:
            assert as_utc(check.created_at) > as_utc(row.starts_at)
        evening = [c for c in mine if c.timepoint == "evening"]
        if evening:
            assert evening[0].dissociation is not None and 3 <= evening[0].dissociation <= 7
    later = [c for c in checks if c.timepoint == "48h"]
    assert later and all((c.dissociation or 0) == 0 for c in later)
    assert any(c.systolic for c in checks)
    # A few checks were skipped, as real patients do.
    assert len(checks) < 3 * summary.infusions_done


def test_mood_is_higher_after_each_infusion_than_before(built):
    session, pid, summary = built
    moods = checkins.mood_by_day(session, pid)
    for day in summary.induction_days + summary.booster_days:
        before, after = mood_around(day, moods)
        assert before is not None and after is not None
        assert after > before, (day, before, after)
    # Remission after the series: mood 7-8 in the weeks after its last infusion.
    last_induction = summary.induction_days[-1]
    weeks_after = [m for d, m in moods.items() if 1 <= (d - last_induction).days <= 14]
    assert 7 <= sum(weeks_after) / len(weeks_after) <= 9


def test_questionnaires_follow_the_schedule(built):
    session, pid, summary = built
    phq9 = questionnaires.list_responses(session, pid, "phq9")
    gad7 = questionnaires.list_responses(session, pid, "gad7")
    assert (summary.phq9, summary.gad7) == (len(phq9), len(gad7))
    first_infusion = summary.induction_days[0]
    baseline = choose_baseline([Reading(r.day, r.total) for r in phq9], first_infusion)
    assert baseline is not None and baseline.pretreatment
    assert 17 <= baseline.reading.total <= 21
    assert 17 <= next(r for r in phq9 if r.day <= first_infusion).total <= 21
    assert 0 < (first_infusion - baseline.reading.day).days <= 7
    gad_base = [r.total for r in gad7 if r.day <= first_infusion][-1]
    assert 12 <= gad_base <= 16
    later = [r for r in phq9 if r.day > summary.induction_days[-1]]
    assert any(r.total < 5 for r in later)
    assert assess_outcome(baseline.reading.total, later[1].total).remission
    for responses in (phq9, gad7):
        days = [r.day for r in responses]
        assert all((b - a).days > 3 for a, b in itertools.pairwise(days)), days
        for response in responses:
            assert sum(response.answer_list) == response.total
            local = as_utc(response.completed_at).astimezone(NEW_YORK)
            assert local.date() == response.day and 20 <= local.hour <= 21
    # One in the three days before each booster (the app's pre-booster rule).
    for booster in summary.booster_days:
        assert any(1 <= (booster - r.day).days <= 3 for r in phq9), booster


def test_safety_events_follow_the_app_rules(built):
    session, pid, summary = built
    events = safety.list_safety_events(session, pid)
    assert len(events) >= 3 and summary.safety_events == len(events)
    item9 = [e for e in events if e.kind == "phq9_item9"]
    assert item9
    for event in item9:
        response = questionnaires.get_response(session, pid, event.source_id)
        assert response is not None and response.answer_list[8] > 0
    flagged = {
        r.id for r in questionnaires.list_responses(session, pid, "phq9") if r.answer_list[8] > 0
    }
    assert flagged == {e.source_id for e in item9}
    from_checkins = {e.source_id for e in events if e.source == "checkin"}
    with_thoughts = {
        c.id for c in checkins.list_checkins(session, pid) if c.suicidal_thoughts != "none"
    }
    assert from_checkins == with_thoughts and len(with_thoughts) >= 3
    # Passing thoughts before treatment and once during a late fade.
    assert any(e.day < summary.induction_days[0] for e in events if e.source == "checkin")
    assert any(e.day > summary.booster_days[0] for e in events if e.source == "checkin")


def test_same_seed_and_today_give_the_same_data(session):
    first, second = _patient(session, "one@example.com"), _patient(session, "two@example.com")
    demo.build_demo(session, first, TODAY, TZ, random.Random(demo.SEED))
    demo.build_demo(session, second, TODAY, TZ, random.Random(demo.SEED))

    def snapshot(pid: int):
        rows = checkins.list_checkins(session, pid)
        answers = [
            (r.day, r.instrument, r.answers) for r in questionnaires.list_responses(session, pid)
        ]
        return [(r.day, r.mood, r.tags, r.note) for r in rows], answers

    assert snapshot(first) == snapshot(second)
    # Another today gives the same mood series, shifted to end on that day.
    third = _patient(session, "three@example.com")
    later = TODAY + timedelta(days=200)
    demo.build_demo(session, third, later, TZ, random.Random(demo.SEED))
    shifted = [(d - TODAY).days for d in checkins.mood_by_day(session, first)]
    moved = [(d - later).days for d in checkins.mood_by_day(session, third)]
    assert shifted == moved
    assert list(checkins.mood_by_day(session, first).values()) == list(
        checkins.mood_by_day(session, third).values()
    )


def _count(session: Session, pid: int) -> int:
    statement = select(func.count()).where(col(CheckIn.patient_id) == pid)
    return int(session.exec(statement).one())


def test_main_is_idempotent_and_touches_no_one_else(engine, monkeypatch, capsys):
    with Session(engine) as session:
        other = accounts.create_patient(
            session, "someone@example.com", hash_password("their own password"), "Europe/Paris"
        )
        assert other.id is not None
        other_id = other.id
        raw = {"day": date(2026, 1, 5), "mood": 6, "note": "Mine."}
        checkins.save_checkin(session, other_id, validate_checkin(raw, date(2026, 1, 5)))
        session.commit()

    monkeypatch.setenv("DEMO_PASSWORD", "demo password 1")
    counts = []
    for _ in range(2):
        assert demo.main() == 0
        with Session(engine) as session:
            found = session.exec(
                select(accounts.Patient).where(accounts.Patient.email == demo.DEMO_EMAIL)
            ).all()
            assert len(found) == 1
            patient = found[0]
            assert patient.id is not None
            assert verify_password(patient.password_hash, "demo password 1")
            assert (patient.timezone, patient.clinic_name, patient.clinic_phone) == (
                TZ,
                demo.CLINIC_NAME,
                demo.CLINIC_PHONE,
            )
            counts.append(_count(session, patient.id))
            # Nothing of an earlier demo patient is left behind.
            total = int(session.exec(select(func.count()).select_from(CheckIn)).one())
            assert total == counts[-1] + 1
    assert counts[0] == counts[1] > 0

    out = capsys.readouterr().out
    assert "Demo password: the value of DEMO_PASSWORD" in out
    assert "demo password 1" not in out
    assert "/login" in out and "days of check-ins" in out

    with Session(engine) as session:
        kept = accounts.get_patient(session, other_id)
        assert kept is not None and kept.email == "someone@example.com"
        assert verify_password(kept.password_hash, "their own password")
        assert [(c.day, c.mood, c.note) for c in checkins.list_checkins(session, other_id)] == [
            (date(2026, 1, 5), 6, "Mine.")
        ]


def test_main_prints_a_random_password_without_demo_password(engine, monkeypatch, capsys):
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)
    assert demo.main() == 0
    match = re.search(r"^Demo password: (\S+)$", capsys.readouterr().out, re.MULTILINE)
    assert match is not None
    with Session(engine) as session:
        patient = accounts.find_patient_by_email(session, demo.DEMO_EMAIL)
        assert patient is not None
        assert verify_password(patient.password_hash, match.group(1))
        assert patient.id is not None
        assert checkins.list_checkins(session, patient.id)


def test_trends_of_the_whole_demo_say_which_infusions_the_response_chart_shows(built):
    session, pid, summary = built
    evening = datetime.combine(TODAY, time(21, 0), tzinfo=NEW_YORK)
    view = build_trends(session, pid, "All", now=evening)
    given = len(summary.induction_days) + len(summary.booster_days)
    assert given > MAX_RESPONSE_LINES
    assert view.response.summary.startswith(
        f"The latest {MAX_RESPONSE_LINES} of {given} infusions shown; mood rose after"
    )
