"""The demo patient reads one durability everywhere: Today, Trends, the summary and its CSV."""

from __future__ import annotations

import csv
import io
import random
import re
import statistics
from datetime import timedelta

from companion import demo, summary
from companion.api import shared
from companion.clinical.checkin import validate_checkin
from companion.clinical.infusion_input import validate_infusion
from companion.data import checkins, infusions
from companion.data.db import utcnow
from companion.localtime import local_today, zone
from tests.conftest import make_link, make_patient

TZ = demo.DEMO_TIMEZONE


def _csv_durability(session, patient) -> dict[str, str]:
    link = make_link(session, patient, period="all")
    entries, responses, labels, _start, durability = shared._shared_rows(session, link.link)
    text = shared.clinician_csv(entries, responses, labels, False, durability)
    rows = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    return {r["date"]: r["durability"] for r in rows if r["infusion"]}


def test_the_demo_patient_reads_the_same_durability_in_every_view(session):
    patient = make_patient(session, "demo-everywhere@example.com", TZ)
    demo.build_demo(session, patient.id, local_today(TZ), TZ, random.Random(demo.SEED))
    session.commit()

    trends = summary.build_trends(session, patient.id, "1M").durability_line
    today = summary.build_today(session, patient.id).outlook_line
    summaries = [
        summary.build_clinician_summary(session, patient.id, "x", days, False)
        for days in (30, 90, None)
    ]
    in_csv = _csv_durability(session, patient)

    # Boosters 1-3 fell back after 19, 26 and 29 days; the induction series' last infusion held
    # until the first booster (31+ days, a lower bound, as are the series' first five).
    assert sorted(v for v in in_csv.values() if re.fullmatch(r"\d+ days", v)) == [
        "19 days",
        "26 days",
        "29 days",
    ]
    assert "next infusion came first (31+ days)" in in_csv.values()
    fell = [int(v.split()[0]) for v in in_csv.values() if re.fullmatch(r"\d+ days", v)]
    assert [s.median_durability for s in summaries] == [statistics.median(fell)] * 3 == [26] * 3
    assert trends == today
    assert trends.startswith(
        "Day 17 since your last infusion. Yours have lasted 19–29 days (median 26)."
    )
    # The summary's table says what the CSV says, infusion by infusion.
    everything = summaries[-1]
    assert {r.day.isoformat(): r.durability for r in everything.infusions} == in_csv
    # The booster date on Today and Trends is the clinician's.
    due = re.search(r"may be due around (\w{3} \d+ \w{3})", everything.booster_line)
    assert due is not None and f"A booster may be due around {due.group(1)};" in trends


def test_an_infusion_that_lasted_past_35_days_is_drawn_to_its_median_on_trends(session):
    """Infusions whose lift lasted six weeks: the patient's median is past the chart's usual
    35 days, so Trends' response chart and its lines run on to show where mood fell back."""
    patient = make_patient(session, "long-lasting@example.com", TZ)
    today = local_today(TZ)
    # Two infusions 65 days apart, each followed by six weeks of 8 before mood fell to 2.
    first, second = today - timedelta(days=130), today - timedelta(days=65)
    for offset in range(-3, 131):
        day = first + timedelta(days=offset)
        since = (day - second).days if day >= second else (day - first).days
        mood = 3 if offset < 0 else 8 if since <= 42 else 2
        entry = validate_checkin({"day": day.isoformat(), "mood": mood}, today)
        checkins.save_checkin(session, patient.id, entry)
    for given in (first, second):
        infusions.add_infusion(
            session,
            patient.id,
            validate_infusion({"date": given.isoformat(), "route": "iv"}, utcnow(), zone(TZ)),
        )
    session.commit()

    view = summary.build_trends(session, patient.id, "3M")
    median = summary.build_clinician_summary(session, patient.id, "x", None, False)
    assert median.median_durability is not None and median.median_durability > 35
    figure = view.response.figure
    assert figure is not None
    days = round(median.median_durability)
    low, high = figure.layout.xaxis.range
    assert low < days < high
    assert any(s.x0 == days for s in figure.layout.shapes)
    # The infusion's own line reaches past where it fell back, not cut at day 35.
    assert max(figure.data[-1].x) > days
    assert view.response.summary.endswith(f"lasted about {days} days (median).")
