"""The demo patient reads one durability everywhere: Today, Trends, the summary and its CSV."""

from __future__ import annotations

import csv
import io
import random
import re
import statistics

from companion import demo, summary
from companion.api import shared
from companion.localtime import local_today
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
