"""Does password hashing stall other patients? One patient saves check-ins over the websocket
while five clients sign up and sign in back to back (argon2id each time); their save-to-reply
round trip is compared with the same patient's when the server is idle."""

from __future__ import annotations

import statistics
import threading
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path
from typing import Any

from tests.e2e.harness import Server, copy_app, start_app, stop_app
from tests.security.rawsocket import ROOT, RawTab

CHECKIN = (
    f"{ROOT}.companion___ui___state___base____app_state"
    ".companion___ui___state___checkin____check_in_state"
)
PASSWORD = "a long benchmark password"
ROUND_TRIPS = 40
HAMMERS = 5


def _post(server: Server, path: str, fields: str, cookie: str = "") -> str:
    request = urllib.request.Request(  # noqa: S310 - our own server
        server.url(path),
        data=fields.encode(),
        headers={"Origin": server.base_url, "Accept": "application/json", "Cookie": cookie},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request) as response:  # noqa: S310
            cookies = response.headers.get_all("set-cookie") or []
    except urllib.error.HTTPError:
        return ""
    found = [c.split(";", 1)[0] for c in cookies if c.startswith("kc_session=")]
    return found[0] if found else ""


def _round_trip(tab: RawTab, mood: int) -> float:
    """One event that reads the patient's day from the database and answers (entries
    themselves go over HTTP now; this is the websocket's share of the work)."""
    started = time.perf_counter()
    tab.emit(f"{CHECKIN}.refresh", {}, "/checkin")
    while True:
        updates = tab.updates(seconds=10)
        if any(u.get("final") for u in updates) or not updates:
            return (time.perf_counter() - started) * 1000


def _hammer(server: Server, number: int, stop: threading.Event, counts: list[int]) -> None:
    """Sign up, then sign in again and again: one argon2id hash after another."""
    email = f"hammer-{number}-{uuid.uuid4().hex[:6]}@example.com"
    fields = f"email={email}&password={PASSWORD.replace(' ', '+')}"
    _post(server, "/auth/signup", fields + "&timezone=UTC")
    while not stop.is_set():
        _post(server, "/auth/signin", fields)
        counts[number] += 1


def _summary(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {
        "p50_ms": round(statistics.median(ordered), 1),
        "p95_ms": round(ordered[int(0.95 * (len(ordered) - 1))], 1),
    }


def measure(server: Server) -> dict[str, Any]:
    cookie = _post(
        server,
        "/auth/signup",
        f"email=patient-{uuid.uuid4().hex[:6]}@example.com&password="
        + PASSWORD.replace(" ", "+")
        + "&timezone=UTC",
    )
    tab = RawTab(server.base_url, str(uuid.uuid4()), cookie)
    tab.emit(f"{ROOT}.hydrate_and_load", {}, "/checkin")
    tab.updates(seconds=3)
    for mood in range(5):  # warm up
        _round_trip(tab, mood)
    idle = [_round_trip(tab, i % 11) for i in range(ROUND_TRIPS)]
    stop = threading.Event()
    counts = [0] * HAMMERS
    threads = [
        threading.Thread(target=_hammer, args=(server, n, stop, counts), daemon=True)
        for n in range(HAMMERS)
    ]
    for thread in threads:
        thread.start()
    time.sleep(2)  # the sign-ins are under way
    started = time.monotonic()
    busy = [_round_trip(tab, i % 11) for i in range(ROUND_TRIPS)]
    seconds = time.monotonic() - started
    stop.set()
    for thread in threads:
        thread.join(timeout=30)
    tab.close()
    idle_stats, busy_stats = _summary(idle), _summary(busy)
    return {
        "idle": idle_stats,
        "during_sign_ins": busy_stats,
        "ratio_p95": round(busy_stats["p95_ms"] / max(idle_stats["p95_ms"], 0.1), 2),
        "ratio_p50": round(busy_stats["p50_ms"] / max(idle_stats["p50_ms"], 0.1), 2),
        "sign_ins_per_s": round(sum(counts) / max(seconds + 2, 0.1), 1),
    }


def run(tmp: Path) -> dict[str, Any]:
    root = copy_app(tmp / "hashing-app")
    (tmp / "hashing").mkdir(parents=True, exist_ok=True)
    server = start_app(tmp / "hashing", root=root)
    try:
        return measure(server)
    finally:
        stop_app(server)


if __name__ == "__main__":
    import json
    import sys
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        print(json.dumps(run(Path(folder)), indent=2))
    sys.exit(0)
