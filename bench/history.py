"""Views at 1, 3 and 10 years of daily data (issue 12, point 4): Trends for one month and for all,
the clinician summary for 90 days and for all, and the size of what Trends All sends.

Each history is one patient on a fresh SQLite file: an induction series of six infusions, then a
booster whenever the lift has faded (every 4-5 weeks), one booked ahead; a check-in on five days
in six with every answer; PHQ-9 and GAD-7 every fortnight; two post-infusion checks per infusion.
The timings are medians in process, next to the blank Reflex page's event round trip that
`bench.browser` measures in the same run."""

from __future__ import annotations

import gzip
import itertools
import json
import random
import statistics
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock
from pathlib import Path
from typing import Any

from sqlmodel import Session

from companion.charts.svg import MOOD_IMAGE_WIDTHS
from companion.clinical import GAD7, PHQ9
from companion.clinical.checkin import CheckInChanges
from companion.clinical.scoring import score
from companion.data import accounts, checkins
from companion.data.checkins import CheckIn
from companion.data.db import make_engine
from companion.data.infusions import Infusion, PostInfusionCheck
from companion.data.questionnaires import QuestionnaireResponse
from companion.data.tables import metadata
from companion.localtime import local_today
from companion.security.passwords import hash_password
from companion.summary import (
    build_clinician_summary,
    build_trends,
    trends_mood,
    trends_mood_svg,
)

YEARS = (1, 3, 10)
TZ = "America/New_York"
CHARTS = ("mood", "phq9", "gad7", "response", "wellbeing", "side_effects")


def _infusion_days(days: int, rng: random.Random) -> tuple[list[int], int]:
    """Day numbers of the infusions given (day 0 is the first of the history) and one booked."""
    given = [21, 24, 28, 31, 35, 39]
    while given[-1] + 35 < days:
        given.append(given[-1] + rng.randint(28, 35))
    return given, given[-1] + rng.randint(28, 35)


def _mood(day: int, given: list[int], rng: random.Random) -> int:
    """3 before treatment; 7-8 for two weeks after each infusion, then a fade back to 4."""
    past = [d for d in given if d < day]
    if not past:
        level = 3.0
    else:
        since = day - past[-1]
        level = 7.5 if since <= 14 else max(4.0, 7.5 - 0.25 * (since - 14))
    return max(0, min(10, round(level + rng.uniform(-1.2, 1.2))))


def make_history(session: Session, patient_id: int, years: int, today: date) -> dict[str, int]:
    rng = random.Random(years)
    days = 365 * years
    first = today - timedelta(days=days - 1)
    given, booked = _infusion_days(days, rng)
    infusions = [
        Infusion(
            patient_id=patient_id,
            starts_at=datetime.combine(first + timedelta(days=d), clock(14), UTC),
            route="iv",
            dose_value=0.5,
            dose_unit="mg/kg",
            clinic="Lakeside",
        )
        for d in [*given, booked]
    ]
    session.add_all(infusions)
    session.flush()
    checks = [
        PostInfusionCheck(
            patient_id=patient_id,
            infusion_id=row.id,
            timepoint=timepoint,
            nausea=rng.randint(0, 2),
            dizziness=rng.randint(0, 2),
            headache=rng.randint(0, 1),
            drowsiness=rng.randint(0, 3),
            dissociation=rng.randint(0, 6),
            compared_with_before=1,
        )
        for row in infusions[:-1]
        for timepoint in ("evening", "24h")
    ]
    entries = []
    for number in range(days):
        if number not in given and rng.random() < 1 / 6:
            continue
        mood = _mood(number, given, rng)
        # Saved on its own evening, as a record kept over the years is (not all at once now,
        # as just after an import, when the first view after a save reads every day again).
        saved = datetime.combine(first + timedelta(days=number), clock(21), UTC)
        entries.append(
            CheckIn(
                patient_id=patient_id,
                day=first + timedelta(days=number),
                mood=mood,
                anxiety=max(0, 8 - mood),
                energy=max(0, mood - 1),
                pain=rng.randint(0, 3),
                sleep_hours=rng.choice((5.5, 6.0, 6.5, 7.0, 7.5, 8.0)),
                suicidal_thoughts="none",
                tags="work,exercise" if mood > 5 else "stress",
                note="A steady day." if number % 9 == 0 else "",
                created_at=saved,
                updated_at=saved,
            )
        )
    responses = []
    for number in range(0, days, 14):
        level = 3 - min(3, _mood(number, given, rng) // 3)
        for instrument, items in ((PHQ9, 9), (GAD7, 7)):
            answers = [max(0, min(3, level + rng.choice((-1, 0, 0, 1)))) for _ in range(items)]
            if instrument is PHQ9:
                answers[8] = 0
            result = score(instrument, answers)
            responses.append(
                QuestionnaireResponse(
                    patient_id=patient_id,
                    instrument=instrument.key,
                    answers=json.dumps(answers),
                    total=result.total,
                    severity=result.severity,
                    day=first + timedelta(days=number),
                    completed_at=datetime.combine(first + timedelta(days=number), clock(20), UTC),
                )
            )
    session.add_all([*checks, *entries, *responses])
    session.flush()
    return {
        "checkins": len(entries),
        "infusions": len(infusions),
        "questionnaires": len(responses),
    }


def _samples_ms(fn: Callable[[], Any], runs: int, before: Callable[[], Any] | None) -> list[float]:
    """runs timings of fn, with `before` run (and not timed) ahead of each."""
    samples = []
    for _ in range(runs):
        if before is not None:
            before()
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def trends_visit(session: Session, patient_id: int, range_key: str) -> None:
    """The server's work for one visit to Trends: its state's view, then each picture at a
    phone's width, the mood chart's from the record (it is asked for with the page's HTML),
    the others from the view the state kept."""
    trends = build_trends(session, patient_id, range_key)
    for name in CHARTS[1:]:
        chart = getattr(trends, name)
        if chart.shown and chart.draw:
            chart.draw(MOOD_IMAGE_WIDTHS[0])
    trends_mood_svg(trends_mood(session, patient_id, range_key), MOOD_IMAGE_WIDTHS[0])


def picture_bytes(view: Any, width: int = MOOD_IMAGE_WIDTHS[0]) -> int:
    """What Trends sends for its charts: each shown chart's picture at a phone's width, as the
    server sends it to a browser (gzipped)."""
    charts = (getattr(view, name) for name in CHARTS)
    return sum(len(gzip.compress(c.draw(width).encode(), 6)) for c in charts if c.shown and c.draw)


METRICS = (
    "trends_1m_ms",
    "trends_1m_saved_ms",
    "trends_all_ms",
    "summary_90d_ms",
    "summary_all_ms",
)


class History:
    """One patient's years of data on a fresh SQLite file, and each view timed on it."""

    def __init__(self, folder: Path, years: int) -> None:
        self.engine = make_engine(f"sqlite:///{folder / f'history-{years}y.db'}")
        metadata.create_all(self.engine)
        with Session(self.engine, expire_on_commit=False) as session:
            patient = accounts.create_patient(
                session, f"history{years}@example.com", hash_password("bench password"), TZ
            )
            assert patient.id is not None
            self.patient_id = pid = patient.id
            self.rows = make_history(session, pid, years, local_today(TZ))
            session.commit()
        moods = itertools.count()

        def save() -> None:
            with Session(self.engine) as session:
                change = CheckInChanges(local_today(TZ), {"mood": next(moods) % 11})
                checkins.upsert_checkin(session, pid, change)
                session.commit()

        # Trends keeps each patient's durability per infusion and estimates again those a saved
        # check-in touches (summary.durability_of_all): "1M saved" is the view right after a
        # save. Each metric: what is timed, and what runs (untimed) before each timing.
        self.metrics: dict[str, tuple[Callable[[], Any], Callable[[], Any] | None]] = {
            "trends_1m_ms": (self.view(lambda s: trends_visit(s, pid, "1M")), None),
            "trends_1m_saved_ms": (self.view(lambda s: trends_visit(s, pid, "1M")), save),
            "trends_all_ms": (self.view(lambda s: trends_visit(s, pid, "All")), None),
            "summary_90d_ms": (
                self.view(lambda s: build_clinician_summary(s, pid, "Last 90 days", 90, True)),
                None,
            ),
            "summary_all_ms": (
                self.view(lambda s: build_clinician_summary(s, pid, "All", None, True)),
                None,
            ),
        }
        self.samples: dict[str, list[float]] = {key: [] for key in METRICS}

    def view(self, build: Callable[[Session], Any]) -> Callable[[], Any]:
        """A view as a handler makes it: a new session per view."""

        def once() -> Any:
            with Session(self.engine, expire_on_commit=False) as session:
                return build(session)

        return once

    def time(self, key: str, runs: int) -> None:
        fn, before = self.metrics[key]
        self.samples[key] += _samples_ms(fn, runs, before)

    def result(self) -> dict[str, Any]:
        result: dict[str, Any] = {"rows": self.rows}
        for key in METRICS:
            result[key] = round(statistics.median(self.samples[key]), 2)
        everything = self.view(lambda s: build_trends(s, self.patient_id, "All"))()
        result["trends_all_kb"] = round(picture_bytes(everything) / 1024, 1)
        self.engine.dispose()
        return result


# Medians of ROUNDS x RUNS timings, the histories taking turns in each round (in a new order
# each time) so that the machine's drift over the run (the last run: x0.9-1.5 on one ratio
# measured in one block per history) falls on each alike.
ROUNDS, RUNS = 6, 5


def run(folder: Path) -> dict[str, Any]:
    histories = {years: History(folder, years) for years in YEARS}
    for history in histories.values():  # the first view of each pays for imports and caches
        for fn, _ in history.metrics.values():
            fn()
    order = list(YEARS)
    for _ in range(ROUNDS):
        for key in METRICS:
            for years in order:
                histories[years].time(key, RUNS)
        order.reverse()
    by_years: dict[str, Any] = {f"{y}y": histories[y].result() for y in YEARS}
    one, ten = by_years["1y"], by_years["10y"]
    by_years["ratios_10y_to_1y"] = {key: round(ten[key] / one[key], 2) for key in METRICS}
    return by_years


def table(results: dict[str, Any]) -> list[str]:
    lines = [
        f"  {'years':>5} {'check-ins':>9} {'Trends 1M':>10} {'1M saved':>10} {'Trends All':>11} "
        f"{'summary 90d':>12} {'summary All':>12} {'All KB':>7}"
    ]
    for years in YEARS:
        row = results[f"{years}y"]
        lines.append(
            f"  {years:>5} {row['rows']['checkins']:>9} {row['trends_1m_ms']:>7} ms "
            f"{row['trends_1m_saved_ms']:>7} ms {row['trends_all_ms']:>8} ms "
            f"{row['summary_90d_ms']:>9} ms {row['summary_all_ms']:>9} ms {row['trends_all_kb']:>7}"
        )
    ratios = results["ratios_10y_to_1y"]
    lines.append(
        "  10 y / 1 y: "
        + ", ".join(f"{key.removesuffix('_ms')} x{value}" for key, value in ratios.items())
    )
    return lines


if __name__ == "__main__":
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        print("\n".join(table(run(Path(tmp)))))
