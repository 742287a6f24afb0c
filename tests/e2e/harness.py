"""Start and stop the production build for browser tests and benchmarks (one place for both)."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from tests import procinfo

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
BUN = ROOT / ".tools" / "node_modules" / "@oven" / "bun-linux-x64" / "bin" / "bun"


@dataclass
class Server:
    base_url: str
    port: int
    database_url: str
    log_path: Path
    process: subprocess.Popen[bytes]
    root: Path = ROOT

    @property
    def data_dir(self) -> Path:
        return Path(self.database_url.split("///", 1)[1]).parent

    def url(self, path: str) -> str:
        return self.base_url + path


class StartError(RuntimeError):
    """The app exited or did not answer in time; the message ends with its log."""


SKIP_AT_TOP = {".git", ".web", ".venv", ".tools", ".states", "data", "backups"}
SKIP_ANYWHERE = {"__pycache__", ".pytest_cache", ".mypy_cache", ".ruff_cache", "node_modules"}


def _ignore(folder: str, names: list[str]) -> set[str]:
    """What not to copy: the build, the environment and local data (at the top only)."""
    top = Path(folder) == ROOT
    return {n for n in names if n in SKIP_ANYWHERE or (top and n in SKIP_AT_TOP)}


def copy_app(target: Path) -> Path:
    """A copy of the checkout to build and serve on its own: a production build writes `.web/`
    where it runs, and must never touch the checkout's, which `make run` may be serving."""
    shutil.copytree(ROOT, target, ignore=_ignore)
    return target


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def http_status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - our own server
            return int(response.status)
    except Exception:
        return 0


def server_env(port: int, database_url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "PORT": str(port),
            "DATABASE_URL": database_url,
            "REFLEX_CHECK_LATEST_VERSION": "0",
            "REFLEX_TELEMETRY_ENABLED": "false",
            # Every browser test signs up from 127.0.0.1; the limit itself has its own tests.
            "SIGNUPS_PER_CLIENT_HOUR": "100000",
            "SIGNIN_FAILURES_PER_CLIENT": "100000",
        }
    )
    env.setdefault("REFLEX_BUN_PATH", str(BUN))
    env.pop("ALLOWED_ORIGINS", None)
    env.pop("REDIS_URL", None)
    return env


def serve(root: Path, port: int, env: dict[str, str], log_path: Path) -> subprocess.Popen[bytes]:
    """`python -m companion.serve PORT` on the build in root, in a session of its own."""
    with open(log_path, "a") as log:
        return subprocess.Popen(
            [sys.executable, "-m", "companion.serve", str(port)],
            cwd=root,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def worker_pids(server: Server) -> set[int]:
    """The backend workers: the serving process's children (not multiprocessing's helper)."""
    found = procinfo.children(server.process.pid)
    return {pid for pid in found if b"resource_tracker" not in procinfo.cmdline(pid)}


class Pinger:
    """GET path over and over from a thread, as a load balancer would: answered and failed."""

    def __init__(self, server: Server, path: str = "/healthz", pause: float = 0.005) -> None:
        self.server, self.path, self.pause = server, path, pause
        self.ok = self.failed = 0
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self.stop.is_set():
            if http_status(self.server.url(self.path)) == 200:
                self.ok += 1
            else:
                self.failed += 1
            time.sleep(self.pause)

    def __enter__(self) -> Pinger:
        self.thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.stop.set()
        self.thread.join(timeout=10)


def start_app(
    folder: Path,
    port: int | None = None,
    timeout: float = 900,
    *,
    root: Path,
    extra_env: dict[str, str] | None = None,
) -> Server:
    """Migrate a fresh SQLite file in folder, build the app in root once, serve it on one port.

    root is a copy made by copy_app, never the checkout: a build rewrites root's `.web`, which
    would break a `make run` serving the checkout."""
    assert root.resolve() != ROOT.resolve(), "build a copy of the checkout (copy_app), not it"
    port = port or free_port()
    database_url = f"sqlite:///{folder / 'data' / 'app.db'}"
    # The app's files (database, signing key) in the test's own folder, never the checkout's.
    env = server_env(port, database_url) | {"DATA_DIR": str(folder / "data")} | (extra_env or {})
    subprocess.run([sys.executable, "-m", "companion.data.migrate"], cwd=root, env=env, check=True)
    log_path = folder / "server.log"
    # As `make run` and `make prod` serve: the build (made only when the source changed),
    # then companion.serve, whose workers are replaced when one dies.
    with open(log_path, "w") as log:
        build = [sys.executable, "-m", "companion.build"]
        subprocess.run(build, cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT, check=True)
    process = serve(root, port, env, log_path)
    server = Server(f"http://localhost:{port}", port, database_url, log_path, process, root)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise StartError(f"the app exited while starting:\n{log_path.read_text()[-4000:]}")
        if http_status(server.url("/ping")) == 200 and http_status(server.url("/login/")) == 200:
            return server
        time.sleep(1)
    stop_app(server)
    raise StartError(f"the app did not start in time:\n{log_path.read_text()[-4000:]}")


def wait_gone(pgid: int, timeout: float = 20) -> None:
    """Until every process of the group has exited. Granian's listening socket is opened with
    SO_REUSEPORT: a server started on the same port while a worker of the last one is still
    dying binds beside it, and connections the kernel hands that worker are refused."""
    deadline = time.monotonic() + timeout
    while procinfo.running(pgid) and time.monotonic() < deadline:
        time.sleep(0.01)


def stop_app(server: Server) -> None:
    try:
        os.killpg(server.process.pid, signal.SIGTERM)
        server.process.wait(timeout=20)
    except ProcessLookupError:
        return
    except subprocess.TimeoutExpired:
        os.killpg(server.process.pid, signal.SIGKILL)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(server.process.pid, signal.SIGKILL)  # a worker the main process left behind
    wait_gone(server.process.pid)


def kill_app(server: Server) -> None:
    """SIGKILL the whole server (every worker), as a crash or an OOM kill would."""
    try:
        os.killpg(server.process.pid, signal.SIGKILL)
    except ProcessLookupError:
        return
    server.process.wait(timeout=20)
    wait_gone(server.process.pid)


def serve_again(server: Server, timeout: float = 120) -> float:
    """Start the server again on the build it made (`python -m companion.serve`, no rebuild),
    same port, database and data folder; the seconds until it answers."""
    env = server_env(server.port, server.database_url) | {"DATA_DIR": str(server.data_dir)}
    started = time.monotonic()
    server.process = serve(server.root, server.port, env, server.log_path)
    while time.monotonic() - started < timeout:
        if server.process.poll() is not None:
            raise StartError(
                f"the app exited while starting:\n{server.log_path.read_text()[-4000:]}"
            )
        if http_status(server.url("/ping")) == 200 and http_status(server.url("/login")) == 200:
            return time.monotonic() - started
        time.sleep(0.1)
    raise StartError(f"the app did not start again in time:\n{server.log_path.read_text()[-4000:]}")


def make_demo(server: Server, password: str) -> None:
    """The `make demo` patient in this server's database."""
    env = server_env(server.port, server.database_url)
    env["DEMO_PASSWORD"] = password
    env["DATA_DIR"] = str(server.data_dir)
    # The served copy's own code: the checkout's may be ahead of the copy's migrations.
    subprocess.run([sys.executable, "-m", "companion.demo"], cwd=server.root, env=env, check=True)
