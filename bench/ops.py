"""Operations (issue 11): how fast the app is back after a restart or a worker's death, and
what SQLite's durable commits (synchronous=FULL) cost a save. Each number comes with a
reference measured in the same run, and the ratio between them:

- start: `make run`'s steps on an already built checkout (migrate, the build check, serve)
  until GET /login answers, against a blank Reflex app served the same way until `/` answers;
- worker death: with two workers (the app's state in a throwaway Redis), SIGKILL one and time
  its replacement, against the blank app with two workers;
- sqlite: check-in saves through the app's own write path with synchronous=FULL (the app's
  engine) against the same saves with synchronous=NORMAL.
"""

from __future__ import annotations

import http.client
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from bench import reference
from tests.e2e.harness import (
    Pinger,
    Server,
    StartError,
    copy_app,
    free_port,
    serve,
    server_env,
    worker_pids,
)

RUNS = 3
SAVES = 200
STEADY = 20  # consecutive GET /ping answered: the server is whole again
POLL = 0.02


@dataclass
class App:
    """A built copy of the checkout: where, its build's port and the environment it runs in."""

    root: Path
    port: int
    env: dict[str, str]
    log_path: Path


def _median(values: list[float], digits: int = 3) -> float:
    return round(statistics.median(values), digits)


def _ratio(value: float | None, reference_value: float | None) -> float | None:
    if value is None or not reference_value:
        return None
    return round(value / reference_value, 2)


def _python(app: App, module: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", module],
        cwd=app.root,
        env=app.env,
        capture_output=True,
        text=True,
        check=True,
    )


def built_app(folder: Path) -> App:
    """folder/"app": a copy of the checkout, migrated and built once (about a minute)."""
    root = copy_app(folder / "app")
    port = free_port()
    data = folder / "app-data"
    env = server_env(port, f"sqlite:///{data / 'app.db'}") | {"DATA_DIR": str(data)}
    env.pop("WORKERS", None)  # `make run`'s default: one worker without Redis
    app = App(root, port, env, folder / "app-serve.log")
    _python(app, "companion.data.migrate")
    with open(folder / "app-build.log", "w") as log:
        subprocess.run(
            [sys.executable, "-m", "companion.build"],
            cwd=root,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            check=True,
        )
    return app


def _serve(app: App, extra_env: dict[str, str] | None = None) -> Server:
    process = serve(app.root, app.port, app.env | (extra_env or {}), app.log_path)
    return Server(f"http://127.0.0.1:{app.port}", app.port, "", app.log_path, process, app.root)


# 1. Start to the first page.


def _start_app_once(app: App) -> dict[str, float]:
    """`make run` on a built checkout: migrate, the build check (which must skip), serve."""
    started = time.monotonic()
    _python(app, "companion.data.migrate")
    migrated = time.monotonic()
    checked = _python(app, "companion.build")
    if "up to date" not in checked.stdout:
        raise RuntimeError(f"companion.build rebuilt instead of skipping:\n{checked.stdout}")
    built = time.monotonic()
    server = _serve(app)
    try:
        reference.wait_until(server.process, server.url("/login"), app.log_path)
        answered = time.monotonic()
    finally:
        reference.stop(server)
    return {
        "migrate_s": migrated - started,
        "build_check_s": built - migrated,
        "serve_s": answered - built,
        "total_s": answered - started,
    }


def _start_blank_once(blank: Path) -> float:
    port = reference.blank_port(blank)
    log_path = blank.parent / "blank-serve.log"
    started = time.monotonic()
    process = serve(blank, port, reference.serve_env(port, 1), log_path)
    server = Server(f"http://127.0.0.1:{port}", port, "", log_path, process, blank)
    try:
        reference.wait_until(process, server.url("/"), log_path)
        return time.monotonic() - started
    finally:
        reference.stop(server)


def _bare_python() -> float:
    """The interpreter alone: every step pays it once."""
    samples = []
    for _ in range(RUNS):
        started = time.monotonic()
        subprocess.run([sys.executable, "-c", "pass"], check=True)
        samples.append(time.monotonic() - started)
    return statistics.median(samples)


def measure_start(app: App, blank: Path) -> dict[str, Any]:
    runs: list[dict[str, float]] = []
    blank_runs: list[float] = []
    for _ in range(RUNS):  # interleaved, so both see the same load on the machine
        runs.append(_start_app_once(app))
        blank_runs.append(_start_blank_once(blank))
    steps = {key: _median([r[key] for r in runs]) for key in runs[0]}
    parts = ("migrate_s", "build_check_s", "serve_s")
    step_total = sum(steps[key] for key in parts)
    blank_s = _median(blank_runs)
    return {
        "runs": RUNS,
        "app_s": steps["total_s"],
        "steps_s": {key: steps[key] for key in parts},
        "share": {key.removesuffix("_s"): round(steps[key] / step_total, 2) for key in parts},
        "blank_serve_s": blank_s,
        "bare_python_s": round(_bare_python(), 3),
        "ratio_app_to_blank": _ratio(steps["total_s"], blank_s),
        "ratio_serve_step_to_blank": _ratio(steps["serve_s"], blank_s),
        "app_runs_s": [round(r["total_s"], 3) for r in runs],
        "blank_runs_s": [round(s, 3) for s in blank_runs],
    }


# 2. A worker's death to its replacement serving.


def _hex_address(port: int) -> str:
    return f"0100007F:{port:04X}"  # 127.0.0.1 as /proc/net/tcp writes it


def _ping_served_by(server: Server, workers: set[int]) -> tuple[bool, int | None]:
    """GET /ping on a new connection: whether it answered 200, and which worker holds the
    connection's server end (found through /proc/net/tcp and the workers' open sockets)."""
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
    try:
        connection.request("GET", "/ping")
        response = connection.getresponse()
        response.read()
        if response.status != 200 or connection.sock is None:
            return False, None
        mine = _hex_address(connection.sock.getsockname()[1])
        theirs = _hex_address(server.port)
        inode = ""
        for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
            fields = line.split()
            if fields[1] == theirs and fields[2] == mine:
                inode = fields[9]
                break
        if not inode:
            return True, None
        target = f"socket:[{inode}]"
        for pid in workers:
            try:
                for fd in Path(f"/proc/{pid}/fd").iterdir():
                    try:
                        if os.readlink(fd) == target:
                            return True, pid
                    except OSError:
                        continue
            except OSError:
                continue
        return True, None
    except (OSError, http.client.HTTPException):
        return False, None
    finally:
        connection.close()


def _wait_for_workers(server: Server, count: int, timeout: float = 60) -> set[int]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = worker_pids(server)
        if len(found) == count:
            return found
        time.sleep(POLL)
    raise StartError(f"not {count} workers:\n{server.log_path.read_text()[-4000:]}")


def _kill_one(server: Server, timeout: float = 60) -> dict[str, Any]:
    """SIGKILL one worker; polling every 20 ms, the seconds until a new worker exists, until
    it has answered a request itself, and until the server answered STEADY in a row."""
    before = _wait_for_workers(server, 2)
    victim = min(before)
    spawned: float | None = None
    answered: float | None = None
    steady: float | None = None
    streak = gap_failed = gap_ok = 0
    with Pinger(server, "/ping") as pinger:
        time.sleep(0.3)
        failed_before, ok_before = pinger.failed, pinger.ok
        killed_at = time.monotonic()
        os.kill(victim, signal.SIGKILL)
        while time.monotonic() - killed_at < timeout:
            now = worker_pids(server)
            new = now - before
            if spawned is None and new:
                spawned = time.monotonic() - killed_at
            ok, owner = _ping_served_by(server, now)
            if spawned is not None:
                streak = streak + 1 if ok else 0
                if steady is None and streak >= STEADY:
                    steady = time.monotonic() - killed_at
                if answered is None and owner in new:
                    answered = time.monotonic() - killed_at
                    gap_failed, gap_ok = pinger.failed, pinger.ok
            if answered is not None and steady is not None:
                break
            time.sleep(POLL)
        if answered is None:
            gap_failed, gap_ok = pinger.failed, pinger.ok
    return {
        "spawned_s": spawned,
        "answered_s": answered,
        "steady_s": steady,
        "failed_in_gap": gap_failed - failed_before,
        "answered_in_gap": gap_ok - ok_before,
    }


def _rounded(value: object) -> object:
    return round(value, 3) if isinstance(value, float) else value


def _kill_many(server: Server) -> dict[str, Any]:
    runs = [_kill_one(server) for _ in range(RUNS)]

    def median_of(key: str) -> float | None:
        found = [r[key] for r in runs if r[key] is not None]
        return _median(found) if len(found) == len(runs) else None

    return {
        "spawned_s": median_of("spawned_s"),
        "answered_s": median_of("answered_s"),
        "steady_s": median_of("steady_s"),
        "failed_in_gap": sum(r["failed_in_gap"] for r in runs),
        "answered_in_gap": sum(r["answered_in_gap"] for r in runs),
        "runs": [
            {k: (round(v, 3) if isinstance(v, float) else v) for k, v in r.items()} for r in runs
        ],
    }


@contextmanager
def redis_server(folder: Path) -> Iterator[str]:
    """A throwaway redis-server on a free port, nothing written to disk; its URL."""
    binary = shutil.which("redis-server")
    if binary is None:
        raise RuntimeError("redis-server is missing: `make redis` installs it")
    port = free_port()
    (folder / "redis").mkdir(parents=True, exist_ok=True)
    process = subprocess.Popen(
        [
            *(binary, "--port", str(port), "--bind", "127.0.0.1", "--dir", str(folder / "redis")),
            *("--save", "", "--appendonly", "no"),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(200):
            if _redis_answers(port):
                break
            time.sleep(0.025)
        else:
            raise RuntimeError("redis-server did not start")
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def _redis_answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(64).startswith(b"+PONG")
    except OSError:
        return False


def measure_worker_death(app: App, blank: Path, folder: Path) -> dict[str, Any]:
    with redis_server(folder) as redis_url:
        server = _serve(app, {"WORKERS": "2", "REDIS_URL": redis_url})
        try:
            reference.wait_until(server.process, server.url("/login"), app.log_path)
            app_result = _kill_many(server)
        finally:
            reference.stop(server)
    blank_server = reference.serve_blank(blank, workers=2)
    try:
        blank_result = _kill_many(blank_server)
    finally:
        reference.stop(blank_server)
    return {
        "app": app_result,
        "blank": blank_result,
        "ratio_spawned": _ratio(app_result["spawned_s"], blank_result["spawned_s"]),
        "ratio_answered": _ratio(app_result["answered_s"], blank_result["answered_s"]),
        "ratio_steady": _ratio(app_result["steady_s"], blank_result["steady_s"]),
    }


# 3. SQLite save latency, synchronous=FULL against NORMAL.


def _normal(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _filesystem(path: Path) -> str:
    """The type of the filesystem path is on (fsync costs nothing on tmpfs)."""
    best, kind = "", "?"
    for line in Path("/proc/mounts").read_text().splitlines():
        fields = line.split()
        mount = fields[1]
        if str(path.resolve()).startswith(mount) and len(mount) > len(best):
            best, kind = mount, fields[2]
    return kind


def _percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[round(fraction * (len(ordered) - 1))]


def measure_sqlite(folder: Path, saves: int = SAVES) -> dict[str, Any]:
    from sqlalchemy import event
    from sqlalchemy.engine import Engine
    from sqlmodel import Session

    from companion.api import entries
    from companion.data import db as db_module
    from companion.data.migrate import upgrade
    from companion.localtime import local_today
    from companion.security import auth

    folder.mkdir(parents=True, exist_ok=True)
    engines: dict[str, Engine] = {}
    tokens: dict[str, str] = {}
    for mode in ("FULL", "NORMAL"):
        url = f"sqlite:///{folder / f'{mode.lower()}.db'}"
        upgrade(url)
        engine = db_module.make_engine(url)  # the app's engine: synchronous=FULL
        if mode == "NORMAL":
            event.listen(engine, "connect", _normal)  # after the app's own pragmas
        with Session(engine, expire_on_commit=False) as session:
            made = auth.sign_up(
                session, f"{mode.lower()}@example.com", "a long enough password", "UTC", "c", "d"
            )
            assert made.token is not None
            session.commit()
        engines[mode], tokens[mode] = engine, made.token
        with engine.connect() as connection:
            found = connection.exec_driver_sql("PRAGMA synchronous").scalar()
        assert found == {"FULL": 2, "NORMAL": 1}[mode], (mode, found)
    today = local_today("UTC")
    samples: dict[str, list[float]] = {"FULL": [], "NORMAL": []}
    original = db_module.get_engine
    warmup = 5

    def save(mode: str, day: date, mood: int) -> float:
        # POST /api/entries/checkin's own function (the ledger line and the upsert, one
        # transaction through session_scope), on this mode's engine.
        db_module.get_engine = lambda: engines[mode]  # type: ignore[assignment]
        body = {
            "id": uuid.uuid4().hex,
            "fields": {
                "day": day.isoformat(),
                "mood": str(mood),
                "anxiety": "3",
                "energy": "6",
                "sleep_hours": "7.5",
                "note": "",
            },
        }
        started = time.perf_counter()
        status, answer = entries.save("checkin", tokens[mode], body)
        elapsed = (time.perf_counter() - started) * 1000
        if status != 200 or not answer.get("saved"):
            raise RuntimeError(f"save failed: {status} {answer}")
        return elapsed

    try:
        for n in range(saves + warmup):
            day = today - timedelta(days=n)  # a new day each time: an insert, as backfilling
            # Alternate which goes first, so both see the same load on the machine.
            order = ("FULL", "NORMAL") if n % 2 == 0 else ("NORMAL", "FULL")
            for mode in order:
                elapsed = save(mode, day, n % 11)
                if n >= warmup:
                    samples[mode].append(elapsed)
    finally:
        db_module.get_engine = original
        for engine in engines.values():
            engine.dispose()
    stats = {
        mode: {
            "median_ms": round(statistics.median(values), 2),
            "p95_ms": round(_percentile(values, 0.95), 2),
        }
        for mode, values in samples.items()
    }
    return {
        "saves": saves,
        "filesystem": _filesystem(folder),
        "full": stats["FULL"],
        "normal": stats["NORMAL"],
        "ratio_median_full_to_normal": _ratio(
            stats["FULL"]["median_ms"], stats["NORMAL"]["median_ms"]
        ),
        "ratio_p95_full_to_normal": _ratio(stats["FULL"]["p95_ms"], stats["NORMAL"]["p95_ms"]),
    }


def run(folder: Path, app: App | None = None, blank: Path | None = None) -> dict[str, Any]:
    """Everything above, in folder: app/ and blank/ (built once each, unless given built),
    redis/, sqlite/."""
    folder.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    app = app or built_app(folder)
    blank = blank or reference.blank_app(folder, free_port())
    built = time.monotonic()
    return {
        "start": measure_start(app, blank),
        "worker_death": measure_worker_death(app, blank, folder),
        "sqlite": measure_sqlite(folder / "sqlite"),
        "build_s": round(built - started, 1),
        "measure_s": round(time.monotonic() - built, 1),
    }


def _s(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f} s"


def _x(value: float | None) -> str:
    return "-" if value is None else f"x{value:.2f}"


def table(results: dict[str, Any]) -> list[str]:
    """The ops results as lines of a table: each number, its reference and the ratio."""
    start, death, sqlite = results["start"], results["worker_death"], results["sqlite"]
    steps, share = start["steps_s"], start["share"]
    app, blank = death["app"], death["blank"]
    full, normal = sqlite["full"], sqlite["normal"]
    rows = [
        ("start to /login (make run, built)", _s(start["app_s"]), "blank Reflex, to /"),
        ("  migrate", _s(steps["migrate_s"]), f"{share['migrate']:.0%} of the start"),
        ("  build check (skips)", _s(steps["build_check_s"]), f"{share['build_check']:.0%}"),
        ("  serve to first answer", _s(steps["serve_s"]), f"{share['serve']:.0%}; blank, to /"),
        ("worker killed: new one exists", _s(app["spawned_s"]), "blank, 2 workers"),
        ("worker killed: new one answers", _s(app["answered_s"]), "blank, 2 workers"),
        (f"worker killed: {STEADY} pings in a row", _s(app["steady_s"]), "blank, 2 workers"),
        ("check-in save, synchronous=FULL", f"{full['median_ms']} ms", "synchronous=NORMAL"),
        ("  p95", f"{full['p95_ms']} ms", "NORMAL p95"),
    ]
    references = [
        (_s(start["blank_serve_s"]), _x(start["ratio_app_to_blank"])),
        ("", ""),
        ("", ""),
        (_s(start["blank_serve_s"]), _x(start["ratio_serve_step_to_blank"])),
        (_s(blank["spawned_s"]), _x(death["ratio_spawned"])),
        (_s(blank["answered_s"]), _x(death["ratio_answered"])),
        (_s(blank["steady_s"]), _x(death["ratio_steady"])),
        (f"{normal['median_ms']} ms", _x(sqlite["ratio_median_full_to_normal"])),
        (f"{normal['p95_ms']} ms", _x(sqlite["ratio_p95_full_to_normal"])),
    ]
    lines = [f"  {'':36} {'measured':>9}   {'reference':20} {'':>9} {'ratio':>6}"]
    for (label, value, what), (ref, ratio) in zip(rows, references, strict=True):
        lines.append(f"  {label:36} {value:>9}   {what:20} {ref:>9} {ratio:>6}")
    lines.append(
        f"  requests failed while workers were replaced: {app['failed_in_gap']} of "
        f"{app['failed_in_gap'] + app['answered_in_gap']} (blank: {blank['failed_in_gap']} of "
        f"{blank['failed_in_gap'] + blank['answered_in_gap']}); SQLite on {sqlite['filesystem']}"
    )
    return lines


if __name__ == "__main__":
    import json
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        print(json.dumps(run(Path(tmp)), indent=1))
