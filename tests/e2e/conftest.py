"""Browser tests: the production build served once per session, driven in headless Chromium.

No skips: without Chromium or a build these tests fail, because `make test` installs both.
"""

from __future__ import annotations

import os
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
    make_demo,
    start_app,
    stop_app,
)

PHONE = {"width": 360, "height": 640}
# Every browser context runs in this zone, so patients who sign up get it as theirs.
PATIENT_TZ = "America/New_York"
DESKTOP = {"width": 1280, "height": 800}
PASSWORD = "a calm long password"


@pytest.fixture(scope="session")
def server(tmp_path_factory) -> Iterator[Server]:
    """Migrate a fresh SQLite file, build the app once, serve it on a free port."""
    port = int(os.environ.get("E2E_PORT") or 0) or None
    try:
        app = start_app(tmp_path_factory.mktemp("e2e"), port)
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


def patient_today() -> date:
    """Today on the test patients' own calendar (not the machine's, which may be a day ahead)."""
    return datetime.now(ZoneInfo(PATIENT_TZ)).date()


def unique_email() -> str:
    return f"patient-{uuid.uuid4().hex[:10]}@example.com"


def sign_up(page: Page, server: Server, email: str | None = None) -> str:
    """Create an account through the form and wait for Today; returns the email."""
    email = email or unique_email()
    page.goto(server.url("/signup"))
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    page.wait_for_url(server.url("/"))
    page.get_by_role("heading", name="Today", level=1).wait_for()
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
