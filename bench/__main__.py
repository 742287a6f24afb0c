"""`make bench`: every measure of issue 12 on one build of the app and one of a blank Reflex page
(made once in a temporary folder, never in the checkout), printed as one table of absolute
figures beside the blank page's, measured in the same run, and written to
bench/results/latest.json. LOAD_SECONDS sets the load test's steady part (default 30 s)."""

from __future__ import annotations

import importlib.util
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench import browser, core, history, load, ops, reference
from bench.lighthouse import BLANK
from bench.lighthouse import table as lighthouse_table
from tests.e2e.harness import free_port

LOAD_SECONDS = float(os.environ.get("LOAD_SECONDS") or 30)


def _ratio(value: float | None, base: float | None) -> str:
    return f"x{value / base:.2f}" if value is not None and base else ""


def _line(label: str, value: object, base: object = "", ratio: str = "") -> str:
    return f"  {label:40} {value!s:>12} {base!s:>12} {ratio:>8}"


def browser_rows(found: dict[str, Any]) -> list[str]:
    blank = found["blank_page"]
    lines = [_line("page at 360x640 (plotly?)", "app", "blank page", "ratio")]
    for path, row in found["pages"].items():
        name = f"{path}{' (plotly)' if row['plotly'] else ''}"
        for key, unit in (("js_gzip_kb", "JS KB"), ("css_gzip_kb", "CSS KB")):
            lines.append(
                _line(f"{name} {unit}", row[key], blank[key], _ratio(row[key], blank[key]))
            )
        for key, unit in (("lcp_cold_s", "LCP cold s"), ("lcp_warm_s", "LCP warm s")):
            lines.append(_line(f"  {unit}", row[key], blank[key], _ratio(row[key], blank[key])))
    lines.append(
        f"  Taps at rest ({found['at_rest_ms']} ms after the last answer, as a patient's), then "
        "back to back (each the moment the last was answered):"
    )
    for spacing, words in (("", ""), ("_back_to_back", ", back to back")):
        tap = found[f"blank_tap{spacing}"]
        for name, trip in (
            (f"tap Save -> Saved{words}", found[f"save_to_saved{spacing}"]),
            (f"mood + Save -> Saved{words}", found[f"mood_and_save_to_saved{spacing}"]),
            ("fetch /ping (no save)", found["fetch_floor"] if not spacing else None),
        ):
            if trip is None:
                continue
            for key in ("median_ms", "p95_ms"):
                label = f"{name} {key.removesuffix('_ms')} ms"
                lines.append(_line(label, trip[key], tap[key], _ratio(trip[key], tap[key])))
    rss, blank_rss = found["server_rss_mb"], found["blank_rss_mb"]
    lines.append(_line("server memory MB (all processes)", rss, blank_rss, _ratio(rss, blank_rss)))
    lines.append(f"  Lighthouse 12.2.3, mobile defaults (LCP ratio to the {BLANK}, first run):")
    return lines + lighthouse_table(found["lighthouse"])


def core_rows(found: dict[str, Any]) -> list[str]:
    return [_line(key, value) for key, value in found.items()]


def _section(title: str, found: dict[str, Any], table: Callable[[Any], list[str]]) -> list[str]:
    if "failed" in found:
        return [f"\n{title}", f"  failed: {found['failed'][-400:]}"]
    return [f"\n{title}", *table(found)]


def _timed(results: dict[str, Any], name: str, measure: Callable[[], Any]) -> None:
    """One section; a section that fails is reported as failed, and the others still run."""
    started = time.monotonic()
    try:
        results[name] = measure()
    except Exception as problem:
        results[name] = {"failed": f"{type(problem).__name__}: {problem}"[-2000:]}
    results["seconds"][name] = round(time.monotonic() - started, 1)


def main() -> int:
    started = time.monotonic()
    results: dict[str, Any] = {
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "seconds": {},
    }
    phone = importlib.util.find_spec("bench.phone")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        # One build of each, shared by every section below.
        app = ops.built_app(folder)
        blank = reference.blank_app(folder, free_port())
        results["seconds"]["builds"] = round(time.monotonic() - started, 1)
        _timed(results, "core", lambda: core.run(folder))
        _timed(results, "history", lambda: history.run(folder))
        _timed(results, "browser", lambda: browser.run(folder / "browser", app, blank))
        _timed(results, "ops", lambda: ops.run(folder / "ops", app, blank))
        _timed(results, "load", lambda: load.run(folder / "load", app, LOAD_SECONDS))
        if phone is not None:
            from bench import phone as phone_bench

            _timed(results, "phone", lambda: phone_bench.run(folder, app.root, app.port))
    results["seconds"]["total"] = round(time.monotonic() - started, 1)
    out = Path(__file__).parent / "results"
    out.mkdir(exist_ok=True)
    (out / "latest.json").write_text(json.dumps(results, indent=2))
    print("\n".join(report(results)))
    return 0


def report(results: dict[str, Any]) -> list[str]:
    """One table: each figure, the blank page's (or the reference's) beside it, the ratio."""
    lines = [_line("measure", "app", "reference", "ratio")]
    sections: list[tuple[str, str, Callable[[Any], list[str]]]] = [
        ("Server-side views, demo patient (median ms in process)", "core", core_rows),
        ("Views at 1, 3 and 10 years of data", "history", history.table),
        (
            "Browser (LCP on 1.6 Mbit/s, 150 ms, CPU x4; the blank page between every 4 pages)",
            "browser",
            browser_rows,
        ),
        (f"Operations (medians of {ops.RUNS} runs)", "ops", ops.table),
        (
            f"Load: N patients, a save every {load.SAVE_EVERY:.0f} s and Trends every "
            f"{load.TRENDS_EVERY:.0f} s each",
            "load",
            load.table,
        ),
    ]
    if "phone" in results:
        from bench import phone

        sections.append(("/trends on the emulated phone", "phone", phone.table))
    for title, name, table in sections:
        lines += _section(title, results[name], table)
    seconds = results["seconds"]
    lines.append("\n  seconds: " + ", ".join(f"{name} {value}" for name, value in seconds.items()))
    return lines


if __name__ == "__main__":
    sys.exit(main())
