"""Server-side timings on the demo patient's 180 days: the views every page builds."""

from __future__ import annotations

import gzip
import json
import random
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlmodel import Session

from companion.data import accounts, checkins, questionnaires
from companion.data.db import make_engine, utcnow
from companion.data.tables import metadata
from companion.demo import build_demo
from companion.exports import clinician_csv, fhir_bundle
from companion.localtime import local_today
from companion.security.passwords import hash_password
from companion.summary import build_clinician_summary, build_today, build_trends


def _median_ms(fn: Callable[[], Any], runs: int) -> float:
    fn()  # warm caches (imports, compiled statements)
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return round(statistics.median(samples), 2)


def run(folder: Path, runs: int = 15) -> dict[str, Any]:
    engine = make_engine(f"sqlite:///{folder / 'bench-core.db'}")
    metadata.create_all(engine)
    with Session(engine, expire_on_commit=False) as session:
        patient = accounts.create_patient(
            session, "bench@example.com", hash_password("bench password"), "America/New_York"
        )
        assert patient.id is not None
        build_demo(
            session,
            patient.id,
            local_today("America/New_York"),
            "America/New_York",
            random.Random(2026),
        )
        session.commit()
        pid = patient.id
        results: dict[str, Any] = {
            "today_ms": _median_ms(lambda: build_today(session, pid), runs),
            "trends_1m_ms": _median_ms(lambda: build_trends(session, pid, "1M"), runs),
            "trends_all_ms": _median_ms(lambda: build_trends(session, pid, "All"), runs),
            "clinician_summary_90d_ms": _median_ms(
                lambda: build_clinician_summary(session, pid, "Last 90 days", 90, True), runs
            ),
        }
        entries = checkins.list_checkins(session, pid)
        responses = questionnaires.list_responses(session, pid)
        results["csv_ms"] = _median_ms(lambda: clinician_csv(entries, responses, {}, True), runs)
        results["fhir_ms"] = _median_ms(lambda: fhir_bundle(responses, "bench", utcnow()), runs)
        trends = build_trends(session, pid, "All")
        # Each chart's picture at a phone's width, gzipped as the server sends it.
        sizes = {
            name: len(gzip.compress(getattr(trends, name).draw(300).encode(), 6))
            for name in ("mood", "phq9", "gad7", "response", "wellbeing", "side_effects")
            if getattr(trends, name).shown
        }
        results["trends_all_picture_gzip_bytes"] = sizes
        results["trends_all_total_kb"] = round(sum(sizes.values()) / 1024, 1)
        results["demo_rows"] = {"checkins": len(entries), "questionnaires": len(responses)}
    engine.dispose()
    return results


if __name__ == "__main__":
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        print(json.dumps(run(Path(tmp)), indent=2))
