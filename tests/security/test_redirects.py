"""No open redirect: whatever `next` or signed-out path a link carries, signing in leads to a
page of this app, in a real browser (which strips tabs and newlines, folds backslashes and
full-width characters, and would follow `//host` anywhere)."""

from __future__ import annotations

import contextlib
import re
from urllib.parse import quote, urlsplit

import pytest
from playwright.sync_api import Browser, Page
from playwright.sync_api import Error as PlaywrightError

from companion import routes
from tests.browser import PASSWORD, Server, open_visit, sign_up

pytestmark = pytest.mark.e2e

EVIL = "evil.example"
# Known ways around a "starts with /" check, from public open-redirect payload lists.
BYPASSES = [
    "//evil.example",
    "///evil.example",
    "////evil.example/",
    "/\\evil.example",
    "\\\\evil.example",
    "/\\/evil.example",
    "\\/\\/evil.example",
    "/\t/evil.example",
    "/\n/evil.example",
    "/\r/evil.example",
    "/\t\t//evil.example",
    " //evil.example",
    "/ /evil.example",
    "/\x00/evil.example",
    "/\u2028/evil.example",
    "https://evil.example",
    "http:evil.example",
    "http:/evil.example",
    "https:/\\evil.example",
    "javascript:alert(document.domain)",
    "JaVaScRiPt:alert(1)",
    "/javascript:alert(1)",
    "java\tscript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "/%2F%2Fevil.example",
    "/%2f%2fevil.example",
    "%2F%2Fevil.example",
    "/%5Cevil.example",
    "/%5C%5Cevil.example",
    "/%09/evil.example",
    "/%0A/evil.example",
    "/%0D%0A/evil.example",
    "/.%2E/%2E%2E/evil.example",
    "/..//evil.example",
    "/./..//evil.example",
    "//evil%E3%80%82example",
    "/%09/evil%E3%80%82example",
    "//evil\u3002example",
    "\uff0f\uff0fevil.example",
    "/\uff0fevil.example",
    "//user@evil.example",
    "/@evil.example",
    "//localhost@evil.example",
    "//evil.example%23.localhost",
    "//evil.example?.localhost",
    "/checkin@evil.example",
    "//%65vil.example",
    "//evil.example\\@localhost",
    "/checkin/../../evil.example",
    "/checkin?next=//evil.example#",
]


def _leave(page: Page) -> Page:
    """Leave the app before its cookies go, in a new tab: an open page reacts to them going, and
    navigating it away can be interrupted or held by the page; closing it never is."""
    context = page.context
    fresh = context.new_page()
    # Not waiting for the old tab to go: a CI run once waited 10 minutes on a close that never
    # returned. Its cookies are cleared after this, and nothing more is read from it.
    page.close(run_before_unload=True)
    return fresh


def _landed_home(page: Page, server: Server) -> str:
    page.wait_for_load_state()
    page.wait_for_timeout(300)
    return page.url


def _assert_ours(url: str, server: Server, payload: str, *, anywhere: bool = False) -> None:
    """On this app's host; unless `anywhere`, on a page that carries nothing of the payload."""
    parts = urlsplit(url)
    assert parts.scheme == "http" and parts.netloc == urlsplit(server.base_url).netloc, (
        f"{payload!r} led to {url}"
    )
    if not anywhere:
        assert EVIL not in url and "evil\u3002" not in url and "alert" not in url, (payload, url)


def test_the_corpus_has_thirty_or_more_known_bypasses():
    assert len(BYPASSES) >= 30
    assert {routes.safe_next(p) for p in BYPASSES} == {routes.TODAY}


def test_sign_in_never_follows_a_next_off_this_app(browser: Browser, server: Server):
    visit = open_visit(browser, server)
    page = visit.new_page()
    dialogs: list[str] = []
    visit.context.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    email = sign_up(page, server)
    home = re.compile(re.escape(server.base_url) + r"/(\?.*)?$")
    # Already signed in, /login sends the visitor on at once: the same rule, every payload.
    for payload in BYPASSES:
        page.goto(server.url("/login?next=" + quote(payload, safe="")))
        page.wait_for_url(home)
        _assert_ours(_landed_home(page, server), server, payload)
    # Signing in through the form (argon2 each time, so the first 30).
    for payload in BYPASSES[:30]:
        page = _leave(page)
        visit.context.clear_cookies()
        page.goto(server.url("/login?next=" + quote(payload, safe="")))
        page.get_by_label("Email").fill(email)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(home)
        _assert_ours(_landed_home(page, server), server, payload)
    assert dialogs == []
    # A safe page of ours is still reached, with its query.
    page = _leave(page)
    visit.context.clear_cookies()
    page.goto(server.url("/login?next=" + quote("/checkin?day=2026-01-01", safe="")))
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(server.url("/checkin?day=2026-01-01"))
    visit.context.close()


def test_a_signed_out_visit_to_a_crafted_path_remembers_nothing_unsafe(
    browser: Browser, server: Server
):
    visit = open_visit(browser, server)
    page = visit.new_page()
    email = sign_up(page, server)
    paths = [p for p in BYPASSES if p.startswith("/") and "\x00" not in p]
    for path in paths[:12]:
        page = _leave(page)
        visit.context.clear_cookies()
        # Our 404 page may replace its own address at once (the router's own navigation
        # interrupts the one asked for): what counts is where the page ends up.
        with contextlib.suppress(PlaywrightError):
            page.goto(server.url(quote(path, safe="/%@:?=&")), wait_until="commit")
        page.wait_for_timeout(800)
        page.wait_for_load_state()
        # Either our /login (remembering only a safe page) or our 404: never another host.
        _assert_ours(page.url, server, path, anywhere=True)
        if "/login" not in page.url:
            continue
        next_value = dict(
            pair.split("=", 1) for pair in urlsplit(page.url).query.split("&") if "=" in pair
        ).get("next", "")
        assert routes.safe_next(next_value.replace("%2F", "/")) != "" and EVIL not in next_value
        page.get_by_label("Email").fill(email)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(re.compile(re.escape(server.base_url) + r"/.*"))
        _assert_ours(_landed_home(page, server), server, path)
    visit.context.close()
