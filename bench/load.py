"""Load (issue 12 point 6): N signed-in patients, each saving a check-in every 5 s as
assets/js/outbox.js does and opening Trends every 30 s over Reflex's websocket, on the
`make run` server (one worker, SQLite) and the `make prod` stack (PostgreSQL, Redis, 2 workers).

For each N: events/s, save-to-acknowledged p50/p95/p99, errors, lost saves (acknowledged but
not in the database) and the memory the server takes (its processes' PSS summed; their RSS summed
beside it), each N on a server started afresh. `python -m bench.load [SECONDS]` runs it
alone on a copy of the checkout; all traffic goes to 127.0.0.1.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import random
import re
import resource
import shutil
import subprocess
import sys
import time
import uuid
from collections import deque
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
from wsproto import ConnectionType, WSConnection
from wsproto.events import (
    AcceptConnection,
    CloseConnection,
    Message,
    Ping,
    RejectConnection,
    Request,
    TextMessage,
)

from bench import reference
from tests import procinfo
from tests.e2e.harness import Server, free_port, http_status

PATIENTS = (50, 100, 200, 400)
SAVE_EVERY = 5.0
TRENDS_EVERY = 30.0
STEADY_S = 60.0
TIMEOUT_S = 30.0  # a save or a page open not answered by then counts as an error
OPEN_S = 60.0  # for all the patients' tabs to open, before the steady part
# The target on this 2-core machine.
TARGET = {"patients": 200, "p95_ms": 300.0, "memory_mb": 400.0}
# Beyond this a level is broken past measuring: larger ones are not run.
GIVE_UP = {"error_share": 0.2, "p95_ms": 10_000.0}
NAMESPACE = "/_event"
ROOT_STATE = "reflex___state____state"
ON_LOAD = f"{ROOT_STATE}.reflex___state____on_load_internal_state.on_load_internal"
HYDRATED = "is_hydrated_rx_state_"
PACKET = f"42{NAMESPACE},"


# ------------------------------------------------------------------------ the websocket


class Socket:
    """Reflex's Socket.IO over one plain websocket (Engine.IO 4), on asyncio streams."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer = reader, writer
        self.ws = WSConnection(ConnectionType.CLIENT)
        self.parts: list[str] = []
        # Events read but not handled yet: one read often holds several messages.
        self.pending: deque[Any] = deque()

    @classmethod
    async def open(cls, port: int, target: str, headers: dict[str, str]) -> Socket:
        reader, writer = await asyncio.open_connection("127.0.0.1", port, limit=2**24)
        sock = cls(reader, writer)
        extra = [(k.lower().encode(), v.encode()) for k, v in headers.items()]
        request = Request(host=f"127.0.0.1:{port}", target=target, extra_headers=extra)
        writer.write(sock.ws.send(request))
        while True:
            event = await sock._next()
            if isinstance(event, AcceptConnection):
                return sock
            if isinstance(event, RejectConnection):
                raise ConnectionRefusedError(f"websocket refused: {event.status_code}")

    async def _next(self) -> Any:
        while not self.pending:
            data = await self.reader.read(2**16)
            if not data:
                raise ConnectionResetError("the server closed the websocket")
            self.ws.receive_data(data)
            self.pending.extend(self.ws.events())
        return self.pending.popleft()

    def send(self, text: str) -> None:
        self.writer.write(self.ws.send(Message(data=text)))

    async def receive(self) -> str:
        """The next whole text message (answering pings on the way)."""
        while True:
            event = await self._next()
            if isinstance(event, TextMessage):
                self.parts.append(event.data)
                if event.message_finished:
                    text, self.parts = "".join(self.parts), []
                    return text
            elif isinstance(event, Ping):
                self.writer.write(self.ws.send(event.response()))
            elif isinstance(event, CloseConnection):
                raise ConnectionResetError("the server closed the websocket")

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.writer.close()


@dataclass
class Tab:
    """One patient's open tab: its socket, the states' full names, and the page opens waiting
    for the update that ends them, in the order they were sent."""

    socket: Socket
    names: dict[str, str] = field(default_factory=dict)
    waiting: list[tuple[Callable[[dict[str, Any]], bool], asyncio.Future[None]]] = field(
        default_factory=list
    )
    reader: asyncio.Task[None] | None = None
    page: str = "/checkin"

    def emit(self, name: str, path: str, payload: dict[str, Any] | None = None) -> None:
        event = {
            "name": name,
            "payload": payload or {},
            "router_data": {"pathname": path, "query": {}, "asPath": path},
        }
        self.socket.send(PACKET + json.dumps(["event", event]))

    async def load(self, name: str, path: str, ends: Callable[[dict[str, Any]], bool]) -> None:
        """Send a page's load event and wait for the update that ends it (ends(delta))."""
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        waiter = (ends, done)
        self.waiting.append(waiter)
        try:
            self.emit(name, path)
            await asyncio.wait_for(done, TIMEOUT_S)
        finally:
            self.waiting.remove(waiter)

    async def read(self) -> None:
        try:
            while True:
                packet = await self.socket.receive()
                if packet == "2":  # Engine.IO ping
                    self.socket.send("3")
                    continue
                if not packet.startswith(PACKET):
                    continue
                name, *body = json.loads(packet[len(PACKET) :])
                delta = body[0].get("delta", {}) if name == "event" and body else {}
                for state in delta:
                    self.names.setdefault(state.rsplit(".", 1)[-1], state)
                waiter = next((w for w in self.waiting if not w[1].done() and w[0](delta)), None)
                if waiter is not None:
                    waiter[1].set_result(None)
        except (ConnectionError, OSError, ValueError) as problem:
            for _, done in self.waiting:
                if not done.done():
                    done.set_exception(ConnectionResetError(str(problem)))

    def state(self, suffix: str) -> str:
        return next(name for short, name in self.names.items() if short.endswith(suffix))

    def close(self) -> None:
        if self.reader is not None:
            self.reader.cancel()
        self.socket.close()


# ---------------------------------------------------------------------- the patients


@dataclass
class Patient:
    patient_id: int
    cookie: str
    tab: Tab | None = None
    saves: int = 0
    acked: dict[str, int] = field(default_factory=dict)  # day -> mood the server acknowledged


def make_patients(root: Path, database_url: str, count: int, label: str) -> list[Patient]:
    """count accounts, each with a live session, made by the served copy's own code (the
    checkout's may be ahead of the copy's migrations)."""
    made = subprocess.run(
        [sys.executable, "-m", "bench.load", "--make-patients", database_url, str(count), label],
        cwd=root,
        env={**os.environ, "PYTHONPATH": str(root)},
        capture_output=True,
        text=True,
        check=True,
    )
    return [Patient(pid, f"kc_session={token}") for pid, token in json.loads(made.stdout)]


def _make_patients(database_url: str, count: int, label: str) -> list[tuple[int, str]]:
    """Through the app's own data functions, with one password hash for all (hashing is the
    sign-in's cost, measured elsewhere)."""
    from sqlmodel import Session

    from companion.data import accounts
    from companion.data.db import make_engine
    from companion.security.passwords import hash_password
    from companion.security.tokens import hash_token, new_token

    engine = make_engine(database_url)
    password_hash = hash_password("a long enough password")
    made = []
    try:
        with Session(engine) as session:
            for n in range(count):
                patient = accounts.create_patient(
                    session, f"load-{label}-{n}@example.com", password_hash, "UTC"
                )
                assert patient.id is not None
                token = new_token()
                accounts.create_session(
                    session, patient.id, hash_token(token), "Chrome on Android", activated=True
                )
                made.append((patient.id, token))
            session.commit()
    finally:
        engine.dispose()
    return made


def lost_saves(database_url: str, patients: list[Patient]) -> int:
    """Saves the server acknowledged whose check-in is not in the database as acknowledged."""
    from sqlalchemy import text

    from companion.data.db import make_engine

    engine = make_engine(database_url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                text("SELECT patient_id, day, mood FROM checkin WHERE patient_id >= :low"),
                {"low": min(p.patient_id for p in patients)},
            ).all()
    finally:
        engine.dispose()
    found = {(pid, str(day)[:10]): mood for pid, day, mood in rows}
    return sum(
        1
        for p in patients
        for day, mood in p.acked.items()
        if found.get((p.patient_id, day)) != mood
    )


# ------------------------------------------------------------------------------ the run


@dataclass
class Tally:
    save_ms: list[float] = field(default_factory=list)
    trends_ms: list[float] = field(default_factory=list)
    events: int = 0  # answered: saves acknowledged, and page opens (to Trends and back)
    errors: dict[str, int] = field(default_factory=dict)

    def error(self, what: str) -> None:
        self.errors[what] = self.errors.get(what, 0) + 1


def _hydrated(delta: dict[str, Any]) -> bool:
    return delta.get(ROOT_STATE, {}).get(HYDRATED) is True


def _trends_loaded(delta: dict[str, Any]) -> bool:
    return _hydrated(delta) or any(name.endswith("____trends_state") for name in delta)


async def _open_tab(server: Server, patient: Patient) -> None:
    target = f"{NAMESPACE}/?EIO=4&transport=websocket&token={quote(str(uuid.uuid4()))}"
    headers = {"Origin": server.base_url, "Cookie": patient.cookie}
    socket = await asyncio.wait_for(Socket.open(server.port, target, headers), TIMEOUT_S)
    opened = await asyncio.wait_for(socket.receive(), TIMEOUT_S)
    if not opened.startswith("0"):
        raise ConnectionError(f"no Engine.IO open packet: {opened[:80]}")
    socket.send(f"40{NAMESPACE},{{}}")
    tab = Tab(socket)
    tab.reader = asyncio.create_task(tab.read())
    # As a page load does: hydrate, then the page's on_load handlers (the check-in page).
    await tab.load(f"{ROOT_STATE}.hydrate_and_load", "/checkin", _hydrated)
    patient.tab = tab


async def _save(client: httpx.AsyncClient, server: Server, patient: Patient, tally: Tally) -> None:
    """One check-in as outbox.js sends it (for a new day each time, back from today, so each
    acknowledgement names one row), then the page's refresh event."""
    day = (datetime.now(UTC).date() - timedelta(days=patient.saves)).isoformat()
    first = patient.saves == 0
    patient.saves += 1
    mood = random.randint(0, 10)
    body = {
        "id": str(uuid.uuid4()),
        "fields": {"mood": str(mood), "day": "" if first else day},
        "made_at": int(time.time() * 1000),
    }
    headers = {
        "Content-Type": "application/json",
        "Accept": "application/json",
        "Origin": server.base_url,
        "Cookie": patient.cookie,
    }
    started = time.perf_counter()
    try:
        response = await client.post(
            "/api/entries/checkin", content=json.dumps(body), headers=headers, timeout=TIMEOUT_S
        )
        answer = response.json()
    except (httpx.HTTPError, ValueError) as problem:
        tally.error(f"save: {type(problem).__name__}")
        return
    elapsed = (time.perf_counter() - started) * 1000
    if response.status_code != 200 or not answer.get("saved"):
        tally.error(f"save: HTTP {response.status_code}")
        return
    tally.save_ms.append(elapsed)
    tally.events += 1
    patient.acked[answer.get("day", day)] = mood
    if patient.tab is not None and patient.tab.page == "/checkin":
        # outbox.js clicks the check-in page's refresh once saved
        with contextlib.suppress(OSError, StopIteration):
            patient.tab.emit(f"{patient.tab.state('____check_in_state')}.refresh", "/checkin")


async def _open_trends(patient: Patient, tally: Tally) -> None:
    """Tap Trends in the tab bar (a client-side navigation: on_load_internal for /trends),
    then back to the check-in page."""
    if patient.tab is None:
        tally.error("trends: no websocket")
        return
    started = time.perf_counter()
    try:
        patient.tab.page = "/trends"
        # Answered: TrendsState's figures arrive, or the page is marked loaded (is_hydrated).
        await patient.tab.load(ON_LOAD, "/trends", _trends_loaded)
        tally.trends_ms.append((time.perf_counter() - started) * 1000)
        tally.events += 1
    except (TimeoutError, ConnectionError, OSError) as problem:
        tally.error(f"trends: {type(problem).__name__}")
    finally:
        # Back to the check-in page; not waited for (its loads may change nothing, and then
        # nothing comes back to wait for).
        with contextlib.suppress(OSError):
            patient.tab.emit(ON_LOAD, "/checkin")
        patient.tab.page = "/checkin"


async def _patient(
    client: httpx.AsyncClient, server: Server, patient: Patient, tally: Tally, seconds: float
) -> None:
    """This patient's timetable: saves every SAVE_EVERY s, Trends every TRENDS_EVERY s, each
    from a random offset (phones are not in step); sent on time whether or not the last one
    has been answered, as separate phones would."""
    loop = asyncio.get_running_loop()
    start = loop.time()
    when = [(random.uniform(0, SAVE_EVERY), "save"), (random.uniform(0, TRENDS_EVERY), "trends")]
    plan = sorted(
        (t + k * every, what)
        for (t, what), every in zip(when, (SAVE_EVERY, TRENDS_EVERY), strict=True)
        for k in range(int(seconds // every) + 1)
        if t + k * every < seconds
    )
    running = []
    for at, what in plan:
        await asyncio.sleep(max(0.0, start + at - loop.time()))
        job = (
            _save(client, server, patient, tally)
            if what == "save"
            else _open_trends(patient, tally)
        )
        running.append(asyncio.create_task(_counted(job, tally)))
    await asyncio.gather(*running)


async def _counted(job: Awaitable[None], tally: Tally) -> None:
    """A save or a page open; one still unanswered when the level ends is an error."""
    try:
        await job
    except asyncio.CancelledError:
        tally.error("not answered when the level ended")
        raise


def _percentile(samples: list[float], fraction: float) -> float | None:
    if not samples:
        return None
    ordered = sorted(samples)
    return round(ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))], 1)


class MemoryWatch:
    """The most memory each part was seen to take, sampled every second: its processes' PSS
    summed (what they take together: the workers share the pages of the parent they were forked
    from), and their RSS summed (each shared page counted in every process), for comparison."""

    def __init__(self, groups: dict[str, Any]) -> None:
        self.groups = groups  # name -> a callable giving that part's pids
        self.peak = dict.fromkeys(groups, 0.0)
        self.peak_rss = dict.fromkeys(groups, 0.0)
        self.running = True

    def sample(self) -> None:
        for name, pids in self.groups.items():
            found = pids()
            self.peak[name] = max(self.peak[name], procinfo.pss_mb(found))
            self.peak_rss[name] = max(self.peak_rss[name], procinfo.rss_mb(found))

    async def watch(self) -> None:
        while self.running:
            await asyncio.to_thread(self.sample)
            await asyncio.sleep(1)


async def _level(server: Server, patients: list[Patient], seconds: float, memory: MemoryWatch):
    tally = Tally()
    limits = httpx.Limits(max_connections=len(patients), max_keepalive_connections=len(patients))
    async with httpx.AsyncClient(base_url=server.base_url, limits=limits) as client:
        gate = asyncio.Semaphore(25)  # tabs open a few at a time before the steady part

        async def connect(patient: Patient) -> None:
            async with gate:
                try:
                    await _open_tab(server, patient)
                except (TimeoutError, ConnectionError, OSError) as problem:
                    # What refused it (the TCP connect, or the handshake's HTTP status) is said.
                    tally.error(f"open tab: {type(problem).__name__} {str(problem)[:60]}".strip())

        opening = time.monotonic()
        # Bounded: a tab not open by then is an error, and its patient only saves.
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(asyncio.gather(*(connect(p) for p in patients)), OPEN_S)
        opened_s = time.monotonic() - opening
        unopened = sum(1 for p in patients if p.tab is None) - sum(tally.errors.values())
        for _ in range(unopened):
            tally.error(f"open tab: not within {OPEN_S:.0f} s")
        watcher = asyncio.create_task(memory.watch())
        cpu = resource.getrusage(resource.RUSAGE_SELF)
        started = time.monotonic()
        timetables = [
            asyncio.create_task(_patient(client, server, p, tally, seconds)) for p in patients
        ]
        # Bounded too: what is unanswered TIMEOUT_S after the last send is cancelled.
        _, late = await asyncio.wait(timetables, timeout=seconds + TIMEOUT_S)
        for task in late:
            task.cancel()
        await asyncio.gather(*late, return_exceptions=True)
        elapsed = time.monotonic() - started
        used = resource.getrusage(resource.RUSAGE_SELF)
        memory.running = False
        await watcher
    tabs = [p.tab for p in patients if p.tab is not None]
    for tab in tabs:
        tab.close()
    await asyncio.gather(*(t.reader for t in tabs if t.reader), return_exceptions=True)
    cpu_s = used.ru_utime + used.ru_stime - cpu.ru_utime - cpu.ru_stime
    return tally, elapsed, opened_s, cpu_s


def measure(
    server: Server, database_url: str, parts: dict[str, Any], label: str, count: int, seconds: float
) -> dict[str, Any]:
    patients = make_patients(server.root, database_url, count, label)
    idle = MemoryWatch(parts)
    idle.sample()
    memory = MemoryWatch(parts)
    tally, elapsed, opened_s, cpu_s = asyncio.run(_level(server, patients, seconds, memory))
    errors = sum(tally.errors.values())
    return {
        "patients": count,
        "seconds": round(elapsed, 1),
        "events_per_s": round(tally.events / elapsed, 1),
        "saves": len(tally.save_ms),
        "save_p50_ms": _percentile(tally.save_ms, 0.5),
        "save_p95_ms": _percentile(tally.save_ms, 0.95),
        "save_p99_ms": _percentile(tally.save_ms, 0.99),
        "trends_opened": len(tally.trends_ms),
        "trends_p50_ms": _percentile(tally.trends_ms, 0.5),
        "trends_p95_ms": _percentile(tally.trends_ms, 0.95),
        "errors": errors,
        "error_kinds": tally.errors,
        "lost": lost_saves(database_url, patients),
        "memory_mb": {name: round(peak, 1) for name, peak in memory.peak.items()},
        "rss_sum_mb": {name: round(peak, 1) for name, peak in memory.peak_rss.items()},
        "idle_mb": {name: round(peak, 1) for name, peak in idle.peak.items()},
        "tabs_opened_s": round(opened_s, 1),
        "load_generator_cpu_s": round(cpu_s, 1),
    } | ({"server_said": _problems(server.log_path)} if errors else {})


def _problems(log: Path, most: int = 12) -> list[str]:
    """The server log's last lines that name an error: the stack is gone after the run."""
    try:
        lines = log.read_text(errors="replace").splitlines()
    except OSError:
        return []
    said = [line[:200] for line in lines if re.search(r"error|exception|traceback", line, re.I)]
    return said[-most:]


def _broken(row: dict[str, Any]) -> bool:
    attempts = row["saves"] + row["errors"]
    share = row["errors"] / attempts if attempts else 1.0
    return share > GIVE_UP["error_share"] or (row["save_p95_ms"] or 0) > GIVE_UP["p95_ms"]


def meets_target(row: dict[str, Any]) -> bool:
    return (
        row["errors"] == 0
        and row["lost"] == 0
        and (row["save_p95_ms"] or 1e9) <= TARGET["p95_ms"]
        and row["memory_mb"]["server"] <= TARGET["memory_mb"]
    )


def levels(
    start: Callable[[], Any], stack: str, seconds: float, counts: tuple[int, ...]
) -> list[dict[str, Any]]:
    """Each N in turn with new patients, each on a stack started afresh (so its memory is that
    N's, not what earlier levels' closed tabs left); once one is broken past measuring, no
    larger one."""
    rows: list[dict[str, Any]] = []
    for count in counts:
        if rows and _broken(rows[-1]):
            rows.append({"patients": count, "skipped": f"broken at {rows[-1]['patients']}"})
            continue
        with start() as (server, database_url, parts):
            rows.append(measure(server, database_url, parts, f"{stack}{count}", count, seconds))
        # A long run says where it is: a level takes a minute or more.
        print(f"load {stack} N={count}: {json.dumps(rows[-1])}", file=sys.stderr, flush=True)
    return rows


# --------------------------------------------------------------------------- the stacks


def _wait(server: Server, timeout: float = 600) -> None:
    deadline = time.monotonic() + timeout
    while http_status(server.url("/ping")) != 200:
        if server.process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"the server did not start:\n{server.log_path.read_text()[-3000:]}")
        time.sleep(0.2)


def _group(pid: int):
    return lambda: procinfo.group(pid)


@contextlib.contextmanager
def run_stack(app: Any, folder: Path) -> Iterator[tuple[Server, str, dict[str, Any]]]:
    """`make run` on the built copy: one worker, a new SQLite file."""
    from tests.e2e.harness import serve, server_env

    database_url = f"sqlite:///{folder / 'run-data' / 'app.db'}"
    env = server_env(app.port, database_url) | {"DATA_DIR": str(folder / "run-data")}
    env.pop("WORKERS", None)
    subprocess.run(
        [sys.executable, "-m", "companion.data.migrate"], cwd=app.root, env=env, check=True
    )
    log = folder / "load-run.log"
    process = serve(app.root, app.port, env, log)
    server = Server(f"http://127.0.0.1:{app.port}", app.port, database_url, log, process, app.root)
    try:
        _wait(server)
        yield server, database_url, {"server": _group(process.pid)}
    finally:
        reference.stop(server)


def _services(prod: Path) -> set[int]:
    """PostgreSQL's postmaster and its children, and Redis, from their pid files."""
    roots = []
    for pid_file in (prod / "postgres" / "postmaster.pid", prod / "run" / "redis.pid"):
        with contextlib.suppress(OSError, ValueError, IndexError):
            roots.append(int(pid_file.read_text().split()[0]))
    return procinfo.tree(roots)


@contextlib.contextmanager
def prod_stack(app: Any) -> Iterator[tuple[Server, str, dict[str, Any]]]:
    """`make prod` on the built copy: PostgreSQL and Redis under a throwaway PROD_DIR, migrations,
    the build check, two workers. The folder is one the postgres user can pass through."""
    from companion.prod import prod_env
    from tests.e2e.harness import server_env

    top = Path(subprocess.check_output(["mktemp", "-d"], text=True).strip())
    top.chmod(0o711)
    env = server_env(app.port, "") | {
        "PROD_DIR": str(top / "prod"),
        "PG_PORT": str(free_port()),
        "REDIS_PORT": str(free_port()),
        "WORKERS": "2",
        "DATA_DIR": str(top / "data"),
    }
    for name in ("DATABASE_URL", "REDIS_URL", "ALLOWED_ORIGINS"):
        env.pop(name, None)
    log = top / "prod.log"
    with open(log, "w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "companion.prod", "up"],
            cwd=app.root,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    server = Server(f"http://127.0.0.1:{app.port}", app.port, "", log, process, app.root)
    try:
        _wait(server)
        database_url = prod_env(top / "prod")["DATABASE_URL"]
        parts = {"server": _group(process.pid), "postgres_redis": lambda: _services(top / "prod")}
        yield server, database_url, parts
    finally:
        reference.stop(server)
        subprocess.run(
            [sys.executable, "-m", "companion.prod", "stop"],
            cwd=app.root,
            env=env,
            capture_output=True,
            check=False,
        )
        shutil.rmtree(top, ignore_errors=True)


def run(
    folder: Path, app: Any = None, seconds: float = STEADY_S, counts: tuple[int, ...] = PATIENTS
) -> dict[str, Any]:
    """Both stacks on one built copy of the checkout (ops.built_app: built once, never the
    checkout itself), each N in turn."""
    from bench import ops

    folder.mkdir(parents=True, exist_ok=True)
    app = app or ops.built_app(folder)
    results: dict[str, Any] = {"steady_s": seconds, "target": TARGET}
    for name, stack in (("run", lambda: run_stack(app, folder)), ("prod", lambda: prod_stack(app))):
        results[name] = levels(stack, name, seconds, counts)
    return results


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{value:.0f}"


def table(results: dict[str, Any]) -> list[str]:
    """One line per stack and N; the target's verdict and where it breaks."""
    lines = [
        f"  {'stack':5} {'N':>4} {'events/s':>9} {'p50':>6} {'p95':>6} {'p99':>6} "
        f"{'Trends p95':>10} {'errors':>7} {'lost':>5} {'server MB':>10} {'(RSS sum)':>9} "
        f"{'+PG/Redis':>9}  target"
    ]
    for name in [stack for stack in ("run", "prod") if stack in results]:
        for row in results[name]:
            if "skipped" in row:
                lines.append(f"  {name:5} {row['patients']:>4}   not run: {row['skipped']}")
                continue
            memory = row["memory_mb"]
            verdict = "met" if meets_target(row) else "missed"
            lines.append(
                f"  {name:5} {row['patients']:>4} {row['events_per_s']:>9} "
                f"{_ms(row['save_p50_ms']):>6} {_ms(row['save_p95_ms']):>6} "
                f"{_ms(row['save_p99_ms']):>6} {_ms(row['trends_p95_ms']):>10} "
                f"{row['errors']:>7} {row['lost']:>5} {memory['server']:>10} "
                f"{row.get('rss_sum_mb', {}).get('server', '-'):>9} "
                f"{memory.get('postgres_redis', '-'):>9}  {verdict}"
            )
        missed = [r["patients"] for r in results[name] if "skipped" in r or not meets_target(r)]
        said = f"misses the target from N = {missed[0]}" if missed else "meets it at every N"
        lines.append(f"  {name}: {said}")
    lines.append(
        f"  (save-to-acknowledged ms over {results['steady_s']:.0f} s steady; target: "
        f"{TARGET['patients']} patients, p95 <= {TARGET['p95_ms']:.0f} ms, 0 errors, 0 lost, "
        f"<= {TARGET['memory_mb']:.0f} MB, the server's processes' PSS summed)"
    )
    return lines


if __name__ == "__main__":
    import tempfile

    if sys.argv[1:2] == ["--make-patients"]:
        print(json.dumps(_make_patients(sys.argv[2], int(sys.argv[3]), sys.argv[4])))
        sys.exit(0)

    steady = float(sys.argv[1]) if len(sys.argv) > 1 else STEADY_S
    with tempfile.TemporaryDirectory() as tmp:
        found = run(Path(tmp), seconds=steady)
    print(json.dumps(found, indent=1))
    print("\n".join(table(found)))
