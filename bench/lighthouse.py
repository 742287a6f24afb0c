"""Lighthouse 12.2.3 (pinned in tests/node) on the app's main pages and on the blank Reflex page
served in the same run: performance score, TBT, LCP and CLS with its mobile defaults.

Signed-in pages are audited in a Chromium whose cookie jar holds the session (Lighthouse drives
it through `--port`): a Cookie in `--extra-headers` reaches the page's HTML but not the app's
websocket, so the app sends the visitor to /login and the page audited is not the one named.
Every audit records where it ended, and one that ended elsewhere is an error, not a score."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlsplit

from playwright.sync_api import sync_playwright

from tests.e2e.harness import CHROMIUM, ROOT, Server, free_port

LIGHTHOUSE = ROOT / "tests" / "node" / "node_modules" / ".bin" / "lighthouse"
PAGES = ["/login", "/help", "/", "/checkin", "/learn", "/trends"]
SIGNED_OUT = ("/login", "/help")
BLANK = "blank Reflex page"


class Redirected(RuntimeError):
    """The audited page ended at another address (a sign-in the app did not accept)."""


@contextmanager
def chromium(cookie: dict[str, str] | None = None) -> Iterator[int]:
    """A headless Chromium on a debugging port with its own profile, the cookie (name, value,
    url) in its jar; yields the port."""
    port = free_port()
    profile = tempfile.mkdtemp(prefix="lighthouse-profile-")
    process = subprocess.Popen(
        [
            CHROMIUM,
            *("--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run"),
            f"--remote-debugging-port={port}",
            f"--user-data-dir={profile}",
            "about:blank",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        endpoint = f"http://127.0.0.1:{port}"
        for _ in range(200):
            try:
                with urllib.request.urlopen(endpoint + "/json/version", timeout=2):  # noqa: S310
                    break
            except OSError:
                time.sleep(0.05)
        if cookie:
            with sync_playwright() as p:
                browser = p.chromium.connect_over_cdp(endpoint)
                browser.contexts[0].add_cookies([cookie])  # type: ignore[list-item]
        yield port
    finally:
        process.kill()
        process.wait(timeout=20)
        shutil.rmtree(profile, ignore_errors=True)


def audit(url: str, port: int | None = None) -> dict[str, Any]:
    """One Lighthouse run (mobile defaults: simulated slow 4G and a 4x slower CPU), in the
    Chromium on port when given (signed in), else in one Lighthouse starts."""
    command = [
        str(LIGHTHOUSE),
        url,
        "--only-categories=performance",
        "--output=json",
        "--output-path=stdout",
        "--quiet",
    ]
    if port:
        command.append(f"--port={port}")
    else:
        command.append("--chrome-flags=--no-sandbox --headless=new --disable-gpu")
    for attempt in (1, 2):
        # Once more when Lighthouse itself fails (a protocol timeout on a loaded machine).
        done = subprocess.run(
            command,
            env=os.environ | {"CHROME_PATH": CHROMIUM},
            capture_output=True,
            text=True,
            timeout=300,
        )
        if done.returncode == 0:
            break
        if attempt == 2:
            raise RuntimeError(f"lighthouse failed on {url}:\n{done.stderr[-2000:]}")
    report = json.loads(done.stdout)
    ended = urlsplit(report["finalDisplayedUrl"])
    if ended.path.rstrip("/") != urlsplit(url).path.rstrip("/"):
        raise Redirected(f"{url} ended at {report['finalDisplayedUrl']}")
    audits = report["audits"]
    score = report["categories"]["performance"]["score"]
    return {
        "score": None if score is None else round(score * 100),
        "tbt_ms": round(audits["total-blocking-time"]["numericValue"]),
        "lcp_s": round(audits["largest-contentful-paint"]["numericValue"] / 1000, 2),
        "cls": round(audits["cumulative-layout-shift"]["numericValue"], 3),
        "ended_at": ended.path,
    }


def run(server: Server, blank: Server, session: dict[str, str], shared_path: str) -> dict[str, Any]:
    """Every page, signed in where it needs it (session: the kc_session cookie's name and value),
    the shared link without a session, and the blank page before the first and after the last,
    for the machine's load then and now."""
    cookie = {"name": session["name"], "value": session["value"], "url": server.base_url}
    results: dict[str, Any] = {f"{BLANK} (first)": audit(blank.url("/"))}
    with chromium(cookie) as port:
        for path in PAGES:
            results[path] = audit(server.url(path), None if path in SIGNED_OUT else port)
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

    print(json.dumps(audit(sys.argv[1]), indent=1))
