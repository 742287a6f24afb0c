"""Views load whole check-ins only for the period they show (issue 12): what they show is the
same as from the whole record, and a view of one month reads one month's rows."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest

from companion import summary
from companion.data import accounts
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


def test_a_month_reads_the_check_ins_of_that_month_and_its_first_weeks_mean(session, demo):
    record = summary.load_record(session, demo, period_days=30)
    days = [entry.day for entry in record.entries]
    assert record.entries_from is not None
    assert record.entries_from == record.start(30) - timedelta(days=summary.ENTRIES_BEFORE)
    assert min(days) >= record.entries_from
    # Moods stay whole: durability reads all of them.
    assert len(record.mood) > len(days) and min(record.mood) < record.entries_from
