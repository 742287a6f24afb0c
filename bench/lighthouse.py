"""Lighthouse 12.2.3 (pinned in tests/node) on the app's main pages and on the blank Reflex page
served in the same run: performance score, TBT, LCP and CLS with its mobile defaults."""

from __future__ import annotations

import json
import os
import subprocess
from typing import Any

from tests.e2e.harness import CHROMIUM, ROOT, Server

LIGHTHOUSE = ROOT / "tests" / "node" / "node_modules" / ".bin" / "lighthouse"
PAGES = ["/login", "/help", "/", "/checkin", "/learn", "/trends"]
BLANK = "blank Reflex page"


def audit(url: str, cookie: str = "") -> dict[str, Any]:
    """One Lighthouse run (mobile defaults: simulated slow 4G and a 4x slower CPU)."""
    command = [
        str(LIGHTHOUSE),
        url,
        "--only-categories=performance",
        "--output=json",
        "--output-path=stdout",
        "--quiet",
        "--chrome-flags=--no-sandbox --headless=new --disable-gpu",
    ]
    if cookie:
        command.append("--extra-headers=" + json.dumps({"Cookie": cookie}))
    done = subprocess.run(
        command,
        env=os.environ | {"CHROME_PATH": CHROMIUM},
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    report = json.loads(done.stdout)
    audits = report["audits"]
    score = report["categories"]["performance"]["score"]
    return {
        "score": None if score is None else round(score * 100),
        "tbt_ms": round(audits["total-blocking-time"]["numericValue"]),
        "lcp_s": round(audits["largest-contentful-paint"]["numericValue"] / 1000, 2),
        "cls": round(audits["cumulative-layout-shift"]["numericValue"], 3),
    }


def run(server: Server, blank: Server, cookie: str, shared_path: str) -> dict[str, Any]:
    """Every page signed in (the session cookie as a header), the shared link without one, and
    the blank page before the first and after the last, for the machine's load then and now."""
    results: dict[str, Any] = {f"{BLANK} (first)": audit(blank.url("/"))}
    for path in PAGES:
        results[path] = audit(server.url(path), "" if path in ("/login", "/help") else cookie)
    results["/s/<token>"] = audit(server.url(shared_path))
    results[f"{BLANK} (last)"] = audit(blank.url("/"))
    return results


def table(results: dict[str, Any]) -> list[str]:
    first = results[f"{BLANK} (first)"]
    lines = [f"  {'page':26} {'score':>6} {'TBT ms':>7} {'LCP s':>6} {'CLS':>6} {'LCP/blank':>10}"]
    for page, row in results.items():
        ratio = f"x{row['lcp_s'] / first['lcp_s']:.2f}" if first["lcp_s"] else "-"
        lines.append(
            f"  {page:26} {row['score']!s:>6} {row['tbt_ms']:>7} {row['lcp_s']:>6} "
            f"{row['cls']:>6} {ratio:>10}"
        )
    return lines


if __name__ == "__main__":
    import sys

    print(json.dumps(audit(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else ""), indent=1))
