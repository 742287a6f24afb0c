"""`make bench`: server-side view timings, browser numbers for every page and operations
(restart, a worker's death, SQLite's durable commits, each against a reference measured in the
same run), as tables and as bench/results/latest.json. Floors from DESIGN.md: a blank Reflex
page is 240 KB gzipped JS and 83 KB CSS, LCP 2.2 s cold / 0.35 s warm on the slow phone, 14 ms
tap round trip."""

from __future__ import annotations

import json
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from bench import browser, core, history, ops

FLOOR = {"js_gzip_kb": 240, "css_gzip_kb": 83, "lcp_cold_s": 2.2, "lcp_warm_s": 0.35}


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        results = {
            "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "core": core.run(Path(tmp)),
            "history": history.run(Path(tmp)),
            "browser": browser.run(Path(tmp)),
            "ops": ops.run(Path(tmp)),
            "floor": FLOOR,
        }
    out = Path(__file__).parent / "results"
    out.mkdir(exist_ok=True)
    (out / "latest.json").write_text(json.dumps(results, indent=2))
    print("Server-side (demo patient, median ms):")
    for key, value in results["core"].items():
        print(f"  {key}: {value}")
    print("\nViews at 1, 3 and 10 years of daily data (median ms in process; All KB sent):")
    print("\n".join(history.table(results["history"])))
    print("\nPages at 360x640 (gzip KB; LCP on 1.6 Mbit/s, 150 ms, CPU x4):")
    print(f"  {'page':22} {'JS':>7} {'CSS':>6} {'plotly':>7} {'LCP cold':>9} {'LCP warm':>9}")
    for path, row in results["browser"]["pages"].items():
        print(
            f"  {path:22} {row['js_gzip_kb']:>7} {row['css_gzip_kb']:>6} "
            f"{'yes' if row['plotly'] else 'no':>7} {row['lcp_cold_s']:>9} {row['lcp_warm_s']:>9}"
        )
    print(
        f"  {'blank Reflex floor':22} {FLOOR['js_gzip_kb']:>7} {FLOOR['css_gzip_kb']:>6} "
        f"{'no':>7} {FLOOR['lcp_cold_s']:>9} {FLOOR['lcp_warm_s']:>9}"
    )
    trip, blank = results["browser"]["save_to_saved"], results["browser"]["blank_tap"]
    print(
        f"\nTap Save -> Saved: median {trip['median_ms']} ms, p95 {trip['p95_ms']} ms; "
        f"blank Reflex tap -> update: median {blank['median_ms']} ms, p95 {blank['p95_ms']} ms; "
        f"p95 x{results['browser']['save_to_saved_p95_ratio']}"
    )
    print(f"Server memory (RSS, all processes): {results['browser']['server_rss_mb']} MB")
    print(f"\nOperations (medians of {ops.RUNS} runs; the reference from the same run):")
    print("\n".join(ops.table(results["ops"])))
    return 0


if __name__ == "__main__":
    sys.exit(main())
