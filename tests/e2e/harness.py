"""Start and stop the production build for browser tests and benchmarks (one place for both)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

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

    def url(self, path: str) -> str:
        return self.base_url + path


class StartError(RuntimeError):
    """The app exited or did not answer in time; the message ends with its log."""


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
        }
    )
    env.setdefault("REFLEX_BUN_PATH", str(BUN))
    env.pop("ALLOWED_ORIGINS", None)
    env.pop("REDIS_URL", None)
    return env


def start_app(
    folder: Path,
    port: int | None = None,
    timeout: float = 900,
    root: Path = ROOT,
    extra_env: dict[str, str] | None = None,
) -> Server:
    """Migrate a fresh SQLite file in folder, build the app in root once, serve it on one port."""
    port = port or free_port()
    database_url = f"sqlite:///{folder / 'app.db'}"
    env = server_env(port, database_url) | (extra_env or {})
    subprocess.run([sys.executable, "-m", "companion.data.migrate"], cwd=root, env=env, check=True)
    log_path = folder / "server.log"
    reflex = str(Path(sys.executable).with_name("reflex"))
    command = [reflex, "run", "--env", "prod", "--single-port"]
    command += ["--frontend-port", str(port), "--backend-port", str(port)]
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            command, cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
    server = Server(f"http://localhost:{port}", port, database_url, log_path, process)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise StartError(f"the app exited while starting:\n{log_path.read_text()[-4000:]}")
        if http_status(server.url("/ping")) == 200 and http_status(server.url("/login/")) == 200:
            return server
        time.sleep(1)
    stop_app(server)
    raise StartError(f"the app did not start in time:\n{log_path.read_text()[-4000:]}")


def stop_app(server: Server) -> None:
    try:
        os.killpg(server.process.pid, signal.SIGTERM)
        server.process.wait(timeout=20)
    except ProcessLookupError:
        return
    except subprocess.TimeoutExpired:
        os.killpg(server.process.pid, signal.SIGKILL)


def make_demo(server: Server, password: str) -> None:
    """The `make demo` patient in this server's database."""
    env = server_env(server.port, server.database_url)
    env["DEMO_PASSWORD"] = password
    subprocess.run([sys.executable, "-m", "companion.demo"], cwd=ROOT, env=env, check=True)
