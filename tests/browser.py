"""Browser fixtures: the production build served once per session, driven in headless Chromium
(a pytest plugin of tests/conftest.py, for tests/e2e and tests/security).

No skips: without Chromium or a build these tests fail, because `make test` installs both.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright

from tests.e2e.harness import (
    CHROMIUM,
    CHROMIUM_ARGS,
    Server,
    StartError,
    copy_app,
    free_port,
    make_demo,
    start_app,
    stop_app,
)

PHONE = {"width": 360, "height": 640}
# Every page of the app (the clinician's /s/ page has its own tests).
PRIVATE_PAGES = [
    "/",
    "/checkin",
    "/infusions",
    "/questionnaires/phq9",
    "/questionnaires/gad7",
    "/trends",
    "/learn",
    "/learn/first-24-hours",
    "/share",
    "/settings",
    "/safety-plan",
]
PUBLIC_PAGES = ["/login", "/signup", "/help"]
# Every browser context runs in this zone, so patients who sign up get it as theirs.
PATIENT_TZ = "America/New_York"
DESKTOP = {"width": 1280, "height": 800}
PASSWORD = "a calm long password"


@pytest.fixture(scope="session")
def server(tmp_path_factory) -> Iterator[Server]:
    """Migrate a fresh SQLite file, build a copy of the app once, serve it on a free port."""
    port = int(os.environ.get("E2E_PORT") or 0) or None
    folder = tmp_path_factory.mktemp("e2e")
    try:
        app = start_app(folder, port, root=copy_app(folder / "app"))
    except StartError as problem:
        pytest.fail(str(problem))
    yield app
    stop_app(app)


@dataclass
class RedisServer:
    url: str
    port: int
    folder: Path
    process: subprocess.Popen[bytes] | None = None

    def cli(self, *args: str) -> str:
        command = ["redis-cli", "-p", str(self.port), *args]
        return subprocess.run(
            command, capture_output=True, text=True, check=True, timeout=20
        ).stdout

    def start(self) -> None:
        """Persisting as `make prod`'s does (append-only, fsync every second) in its folder."""
        binary = shutil.which("redis-server")
        assert binary, "redis-server is missing: `make test` installs it"
        self.process = subprocess.Popen(
            [
                *(binary, "--port", str(self.port), "--bind", "127.0.0.1"),
                *("--dir", str(self.folder), "--appendonly", "yes", "--appendfsync", "everysec"),
                *("--save", ""),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(100):
            if (
                subprocess.run(
                    ["redis-cli", "-p", str(self.port), "ping"],
                    capture_output=True,
                    text=True,
                    timeout=20,
                ).stdout.strip()
                == "PONG"
            ):
                return
            time.sleep(0.05)
        raise AssertionError("redis-server did not start")

    def kill(self) -> None:
        """SIGKILL, as a crash or an OOM kill would: what it had not written is gone."""
        assert self.process is not None
        self.process.kill()
        self.process.wait(timeout=10)


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory) -> Iterator[RedisServer]:
    """A throwaway redis-server from Debian's packages, so tests can search what it wrote."""
    server = RedisServer("", free_port(), tmp_path_factory.mktemp("redis"))
    server.url = f"redis://127.0.0.1:{server.port}/0"
    server.start()
    yield server
    if server.process is not None:
        server.process.terminate()
        server.process.wait(timeout=10)


@pytest.fixture(scope="session")
def worker_server(tmp_path_factory, redis_server: RedisServer) -> Iterator[Server]:
    """A second copy of the app, built in its own folder (the main server keeps its build),
    with several backend workers sharing tab state through Redis."""
    copy = copy_app(tmp_path_factory.mktemp("workers") / "app")
    try:
        app = start_app(
            copy.parent, root=copy, extra_env={"REDIS_URL": redis_server.url, "WORKERS": "2"}
        )
    except StartError as problem:
        pytest.fail(str(problem))
    yield app
    stop_app(app)


@pytest.fixture(scope="session")
def playwright_instance() -> Iterator[Playwright]:
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(playwright_instance: Playwright) -> Iterator[Browser]:
    assert Path(CHROMIUM).exists(), f"{CHROMIUM} is missing: `make test` installs it"
    b = playwright_instance.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield b
    b.close()


@dataclass
class Visit:
    """A browser context with everything it requested, to prove no other host was asked."""

    context: BrowserContext
    server: Server
    requests: list[str] = field(default_factory=list)

    def new_page(self) -> Page:
        page = self.context.new_page()
        page.set_default_timeout(20_000)
        return page

    def foreign_requests(self) -> list[str]:
        own = urlsplit(self.server.base_url).netloc
        return [
            u
            for u in self.requests
            if urlsplit(u).scheme in ("http", "https", "ws", "wss") and urlsplit(u).netloc != own
        ]


def open_visit(browser: Browser, server: Server, **options) -> Visit:
    options.setdefault("viewport", PHONE)
    options.setdefault("timezone_id", PATIENT_TZ)
    context = browser.new_context(**options)
    visit = Visit(context, server)
    context.on("request", lambda request: visit.requests.append(request.url))
    context.on("websocket", lambda ws: visit.requests.append(ws.url))
    return visit


@pytest.fixture
def visit(browser: Browser, server: Server) -> Iterator[Visit]:
    """A fresh phone-sized context with no cookies; it must not reach any other host."""
    v = open_visit(browser, server)
    yield v
    v.context.close()
    assert v.foreign_requests() == [], "the browser contacted another host"


@pytest.fixture
def page(visit: Visit) -> Page:
    return visit.new_page()


def db_rows(server: Server, sql: str, **params) -> list:
    """What the server's own database holds, read the way an operator would."""
    from sqlalchemy import text

    from companion.data.db import make_engine

    engine = make_engine(server.database_url)
    with engine.connect() as connection:
        result = connection.execute(text(sql), params).all()
    engine.dispose()
    return result


def patient_today() -> date:
    """Today on the test patients' own calendar (not the machine's, which may be a day ahead)."""
    return datetime.now(ZoneInfo(PATIENT_TZ)).date()


def unique_email() -> str:
    return f"patient-{uuid.uuid4().hex[:10]}@example.com"


def sign_up(page: Page, server: Server, email: str | None = None) -> str:
    """Create an account through the form, leave the set-up it opens for Today; returns the
    email."""
    email = email or unique_email()
    page.goto(server.url("/signup"))
    # forms.js gives the new account this browser's time zone; on a slow machine a form sent
    # before the script ran would make the account UTC, a day ahead of the patient's evening.
    page.wait_for_load_state("load")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    page.wait_for_url(server.url("/setup"))
    page.goto(server.url("/"))
    page.get_by_role("heading", name="Today", level=1).wait_for()
    # The page is drawn before its scripts run: Today's own answer means the app is connected
    # (and this tab's state token kept, which a test refusing storage from here on relies on).
    page.get_by_text("You haven't checked in today.").wait_for()
    return email


def sign_in(page: Page, server: Server, email: str, password: str = PASSWORD) -> None:
    page.goto(server.url("/login"))
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


DEMO_EMAIL = "demo@example.com"
DEMO_PASSWORD = "demo password for the browser tests"


@pytest.fixture(scope="session")
def demo_account(server: Server) -> str:
    """The `make demo` patient, created in the browser tests' own database."""
    make_demo(server, DEMO_PASSWORD)
    return DEMO_EMAIL
