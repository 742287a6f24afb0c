"""Views load whole check-ins only for the period they show (issue 12): what they show is the
same as from the whole record, and a view of one month reads one month's rows."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest

from companion import summary
from companion.charts import MoodPoint, summarize_mood
from companion.clinical.checkin import CheckInChanges
from companion.data import accounts, checkins
from companion.data.db import utcnow
from companion.demo import build_demo
from companion.localtime import local_today
from companion.security.passwords import hash_password

TZ = "America/New_York"


@pytest.fixture
def demo(session) -> int:
    patient = accounts.create_patient(session, "w@example.com", hash_password("x" * 12), TZ)
    assert patient.id is not None
    build_demo(session, patient.id, local_today(TZ), TZ, random.Random(7))
    session.commit()
    return patient.id


def _whole_record(monkeypatch) -> None:
    """load_record as it was: every check-in, whatever the period."""
    real = summary.load_record

    def everything(session, patient_id, now=None, period_days=None):
        return real(session, patient_id, now, None)

    monkeypatch.setattr(summary, "load_record", everything)


def _trends(view: summary.TrendsView) -> dict[str, object]:
    shown: dict[str, object] = {"durability": view.durability_line, "start": view.start}
    for name in ("mood", "phq9", "gad7", "response", "wellbeing", "side_effects"):
        chart = getattr(view, name)
        shown[name] = (chart.summary, chart.figure.to_json() if chart.figure else None)
    return shown


@pytest.mark.parametrize("range_key", list(summary.RANGES))
def test_each_trends_range_shows_what_the_whole_record_shows(session, demo, monkeypatch, range_key):
    windowed = _trends(summary.build_trends(session, demo, range_key))
    _whole_record(monkeypatch)
    assert windowed == _trends(summary.build_trends(session, demo, range_key))


def _drawn(view: summary.ClinicianSummary) -> tuple[object, ...]:
    """The summary with its mood chart as drawn (the points before the period only feed the
    7-day mean), not as the list of points it was drawn from."""
    from dataclasses import replace

    from companion.charts.svg import mood_svg

    charts = view.charts
    svg = (
        mood_svg(charts.mood_points, charts.marks, view.start, view.end, title="t", summary="s")
        if charts.mood_points
        else ""
    )
    return (replace(view, charts=replace(charts, mood_points=[])), svg)


@pytest.mark.parametrize("days", [7, 30, 90, None])
def test_the_clinician_summary_shows_what_the_whole_record_shows(session, demo, monkeypatch, days):
    now = utcnow()
    windowed = _drawn(summary.build_clinician_summary(session, demo, "Period", days, True, now))
    _whole_record(monkeypatch)
    whole = _drawn(summary.build_clinician_summary(session, demo, "Period", days, True, now))
    assert windowed == whole


def test_a_month_reads_the_rows_of_that_month_and_the_days_it_looks_back_on(session, demo):
    record = summary.load_record(session, demo, period_days=30)
    start = record.start(30)
    days = [entry.day for entry in record.entries]
    assert record.entries_from == start - timedelta(days=summary.ENTRIES_BEFORE)
    assert min(days) >= record.entries_from
    # Moods from 3 days before the first infusion it draws (their durability), no further.
    first_given = record.given[0].day
    assert min(record.mood) >= min(record.entries_from, first_given - timedelta(days=3))
    assert len(record.mood) < len(summary.load_record(session, demo).mood)
    # Questionnaires: the month's, and of each instrument its first, its latest and its baseline.
    whole = summary.load_record(session, demo).scores
    before = [score for score in record.scores if score.day < start]
    assert 0 < len(before) <= 6 and len(record.scores) < len(whole)
    assert [s for s in record.scores if s.day >= start] == [s for s in whole if s.day >= start]


def test_the_durability_of_every_infusion_follows_an_edited_check_in(session, demo, monkeypatch):
    """Trends' median durability reads every infusion, kept between views until a check-in
    changes: after the moods change it says what the whole record says."""
    before = summary.build_trends(session, demo, "1M").durability_line
    assert "Yours have lasted" in before and "(median 1)" not in before
    # Every day at the same mood: each infusion falls back to its pre-infusion level on day 1.
    for entry in checkins.list_checkins(session, demo):
        checkins.upsert_checkin(session, demo, CheckInChanges(entry.day, {"mood": 5}))
    session.commit()
    after = summary.build_trends(session, demo, "1M").durability_line
    assert after.endswith(" Yours have lasted 1 day (median 1).")
    _whole_record(monkeypatch)
    assert after == summary.build_trends(session, demo, "1M").durability_line


def test_kept_durability_is_a_fresh_estimate_after_each_kind_of_change(session, demo):
    """Saving one day estimates again only the infusions that read it; whatever the change, the
    durability kept for Trends is what the whole record gives at that moment."""

    def kept(now):
        record = summary.load_record(session, demo, now, period_days=30)
        return summary.durability_of_all(session, demo, record)

    def fresh(now):
        return [g.durability for g in summary.load_record(session, demo, now).given]

    now = utcnow()
    assert kept(now) == fresh(now)
    first = summary.load_record(session, demo, now).given[0].day
    logged = {entry.day for entry in checkins.list_checkins(session, demo)}
    new_day = next(d for d in (first + timedelta(days=n) for n in range(1, 60)) if d not in logged)
    changes = [
        # An old infusion falls back on its first day, then lasts again.
        [(first + timedelta(days=k), 0) for k in (1, 2, 3)],
        [(first + timedelta(days=k), 10) for k in (1, 2, 3)],
        [(new_day, 0)],  # a day backfilled where nothing was logged
    ]
    seen = set()
    for edits in changes:
        for day, mood in edits:
            checkins.upsert_checkin(session, demo, CheckInChanges(day, {"mood": mood}))
        session.commit()
        assert kept(now) == fresh(now)
        seen.add(fresh(now)[0])
    assert len(seen) > 1  # the edits did change what is estimated
    # Check-ins removed (the days that made the first infusion last, not the newest saved), and
    # a new day (today moves on): the same again.
    lasting = fresh(now)[0]
    for day, _ in changes[1]:
        assert checkins.delete_checkin(session, demo, day)
    session.commit()
    assert kept(now) == fresh(now) and fresh(now)[0] != lasting
    tomorrow = now + timedelta(days=1)
    assert kept(tomorrow) == fresh(tomorrow)


def test_all_draws_weeks_before_its_last_three_months_and_marks_every_infusion(session, demo):
    every = summary.build_trends(session, demo, "All")
    recent = summary.build_trends(session, demo, "3M")
    mood, weekly, daily, marks = every.mood.figure.data
    # The last three months as the 3-month range draws them; before them a point a week.
    assert (mood.x, mood.y) == (recent.mood.figure.data[0].x, recent.mood.figure.data[0].y)
    assert (daily.x, daily.y) == (recent.mood.figure.data[1].x, recent.mood.figure.data[1].y)
    assert weekly.dx == 7 * 86_400_000
    assert len(weekly.y) == -(-(recent.start - every.start).days // 7)
    record = summary.load_record(session, demo)
    given = [i.day.isoformat() for i in record.infusions if i.day <= every.end]
    assert list(marks.x) == given and len(given) == len(record.timeline.done_days)
    # The sentence beside the chart still reads every day.
    points = [MoodPoint(e.day, e.mood) for e in record.entries]
    marked = record.marks(every.start)
    assert every.mood.summary == summarize_mood(points, marked, every.start, every.end)
