"""A blank Reflex 0.10 app, built once and served as the app is, for benchmarks to measure
against in the same run: one page, `rx.text("blank")`, with the project's Reflex settings
(theme, plugins, no telemetry) and its pinned frontend packages (reflex.lock/), nothing else.

    root = blank_app(folder, port)        # folder/"blank", built for that port (once)
    server = serve_blank(root)            # python -m companion.serve on its build port
    ...
    stop(server)
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.e2e.harness import BUN, ROOT, Server, StartError, http_status, serve, wait_gone

PORT_FILE = "bench-port"
BUILT = Path(".web") / "build" / "client" / "index.html"
RXCONFIG = '''"""The project's Reflex settings (its rxconfig.py), under another app name."""

import reflex as rx

config = rx.Config(
    app_name="blank",
    telemetry_enabled=False,
    show_built_with_reflex=False,
    state_manager_mode="memory",
    frontend_port={port},
    backend_port={port},
    default_color_mode="system",
    plugins=[
        rx.plugins.RadixThemesPlugin(
            theme=rx.theme(
                appearance="inherit",
                accent_color="teal",
                gray_color="slate",
                radius="large",
                scaling="100%",
            )
        ),
    ],
    disable_plugins=[rx.plugins.SitemapPlugin],
)
'''
PAGE = """import reflex as rx


class Taps(rx.State):
    count: int = 0

    @rx.event
    def tap(self):
        self.count += 1


def index() -> rx.Component:
    # A heading, and the smallest round trip a Reflex page makes: a tap, an event, a delta.
    return rx.el.main(
        rx.heading("blank", as_="h1"),
        rx.button("Tap", on_click=Taps.tap, id="tap"),
        rx.text(Taps.count, id="taps"),
    )


app = rx.App()
app.add_page(index, route="/")
"""


def reflex_env(port: int) -> dict[str, str]:
    """As the Makefile runs Reflex: our own bun, no update probe, no telemetry; and the port
    the bundle is built for. No REDIS_URL: Reflex would read it into the blank app's config."""
    env = dict(os.environ)
    env.update(
        {
            "PORT": str(port),
            "REFLEX_CHECK_LATEST_VERSION": "0",
            "REFLEX_TELEMETRY_ENABLED": "false",
        }
    )
    env.setdefault("REFLEX_BUN_PATH", str(BUN))
    env.pop("REDIS_URL", None)
    return env


def blank_app(folder: Path, port: int) -> Path:
    """folder/"blank": the blank app's source and production build for port (the bundle holds
    the server's address); built only when it isn't yet, or was for another port."""
    root = folder / "blank"
    stamp = root / PORT_FILE
    if (root / BUILT).exists() and stamp.exists() and stamp.read_text() == str(port):
        return root
    (root / "blank").mkdir(parents=True, exist_ok=True)
    (root / "rxconfig.py").write_text(RXCONFIG.replace("{port}", str(port)))
    (root / "blank" / "__init__.py").write_text("")
    (root / "blank" / "blank.py").write_text(PAGE)
    # The project's pinned frontend packages: the same versions, resolved without a network
    # search (bun's cache already holds them after the app's own build).
    shutil.rmtree(root / "reflex.lock", ignore_errors=True)
    shutil.copytree(ROOT / "reflex.lock", root / "reflex.lock")
    reflex = str(Path(sys.executable).with_name("reflex"))
    with open(folder / "blank-build.log", "w") as log:
        subprocess.run(
            [reflex, "export", "--frontend-only", "--no-zip", "--env", "prod"],
            cwd=root,
            env=reflex_env(port),
            stdout=log,
            stderr=subprocess.STDOUT,
            check=True,
        )
    (root / PORT_FILE).write_text(str(port))
    return root


def blank_port(root: Path) -> int:
    """The port the blank app at root was built for."""
    return int((root / PORT_FILE).read_text())


def serve_env(port: int, workers: int) -> dict[str, str]:
    """The blank app's environment to serve in: the checkout on the path, for companion.serve
    (which loads the app the cwd's rxconfig.py names)."""
    return reflex_env(port) | {
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
        "WORKERS": str(workers),
    }


def wait_until(
    process: subprocess.Popen[bytes], url: str, log_path: Path, timeout: float = 120
) -> float:
    """Poll url every 20 ms until it answers 200; the seconds it took from now."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if process.poll() is not None:
            raise StartError(f"the server exited while starting:\n{log_path.read_text()[-4000:]}")
        if http_status(url) == 200:
            return time.monotonic() - started
        time.sleep(0.02)
    raise StartError(f"the server did not answer in time:\n{log_path.read_text()[-4000:]}")


def serve_blank(root: Path, workers: int = 1, log_path: Path | None = None) -> Server:
    """Serve the blank app's build as the app is served (companion.serve, which loads the app
    named by the cwd's rxconfig.py), on its build port; returns once `/` answers 200."""
    port = blank_port(root)
    log_path = log_path or root.parent / "blank-serve.log"
    process = serve(root, port, serve_env(port, workers), log_path)
    server = Server(f"http://127.0.0.1:{port}", port, "", log_path, process, root)
    try:
        wait_until(process, server.url("/"), log_path)
    except BaseException:
        stop(server)
        raise
    return server


def stop(server: Server) -> None:
    """SIGTERM to the server's whole process group (granian stops its workers), SIGKILL after
    20 s; then SIGKILL to the group again, for any worker the main process left behind."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(server.process.pid, signal.SIGTERM)
    try:
        server.process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.process.pid, signal.SIGKILL)
        server.process.wait(timeout=20)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(server.process.pid, signal.SIGKILL)
    wait_gone(server.process.pid)
