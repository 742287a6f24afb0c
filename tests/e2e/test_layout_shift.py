"""Nothing moves under a patient's thumb: on a slow phone at 360x640, what a page shows first
keeps its place once its data arrive (cumulative layout shift under 0.05, issue 12)."""

from __future__ import annotations

import re
import time
import urllib.request

import pytest
from playwright.sync_api import Browser, Page, expect

# DESIGN.md's slow phone (1.6 Mbit/s, 150 ms), as the benchmarks emulate it; CPU 4x slower.
from bench.browser import SLOW_NETWORK
from tests.browser import DEMO_PASSWORD, Server, db_rows, open_visit, sign_in

# Every layout shift not caused by the visitor's own input, with what moved.
OBSERVE_SHIFTS = """
window.__shifts = [];
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    if (entry.hadRecentInput) continue;
    const moved = entry.sources.map((s) => s.node
      ? `${s.node.nodeName}.${s.node.className || ""} "${(s.node.textContent || "").slice(0, 40)}"`
      : "?");
    window.__shifts.push({value: entry.value, moved});
  }
}).observe({type: "layout-shift", buffered: true});
"""
LIMIT = 0.05
# The demo patient's visit to the article, recorded (other tests' patients read it too).
READ = """SELECT 1 FROM article_read JOIN patient ON patient.id = article_read.patient_id
WHERE patient.email = :email AND article_read.slug = 'first-24-hours'"""
# What each page shows once its data are in (the state the patient ends up looking at).
LOADED = {
    "/": "text=/Checked in today|You haven't checked in today/",
    "/checkin": "form[data-kc-outbox]:not([data-kc-loading])",
    "/learn": ".read-badge",
    "/help": "a[aria-label=Settings]",
}


def _layout_shift(page: Page, url: str, loaded: str) -> tuple[float, list[dict]]:
    """Open url on the slow phone, wait until it shows what it loads, and sum its shifts."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", SLOW_NETWORK)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": 4})
    page.add_init_script(OBSERVE_SHIFTS)
    page.goto(url, wait_until="load")
    if loaded:
        page.locator(loaded).first.wait_for(state="attached", timeout=60_000)
    page.wait_for_load_state("networkidle")
    # Two frames after the last change, so its shift has been reported.
    page.evaluate("() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))")
    shifts = page.evaluate("window.__shifts")
    return sum(s["value"] for s in shifts), shifts


@pytest.fixture(scope="module")
def demo_state(browser: Browser, server: Server, demo_account: str, tmp_path_factory):
    """The demo patient signed in, and a link to their clinician summary."""
    visit = open_visit(browser, server)
    page = visit.new_page()
    sign_in(page, server, demo_account, DEMO_PASSWORD)
    page.wait_for_url(server.url("/"))
    # One article read, so /learn has a "Read" mark to place.
    page.goto(server.url("/learn/first-24-hours"))
    # The article is drawn before the app's scripts run: it counts as read once the app has
    # told the server, which is what /learn's mark then shows.
    deadline = time.monotonic() + 60
    while not db_rows(server, READ, email=demo_account):
        assert time.monotonic() < deadline, "the article was never marked read"
        page.wait_for_timeout(100)
    page.goto(server.url("/share"))
    page.get_by_role("button", name="Create link").click()
    link = page.locator("#share-new-url")
    expect(link).to_contain_text("/s/")
    url = link.inner_text()
    path = tmp_path_factory.mktemp("cls") / "state.json"
    visit.context.storage_state(path=str(path))
    visit.context.close()
    return path, "/s/" + url.split("/s/", 1)[1].split("#", 1)[0]


@pytest.mark.parametrize("path", ["/", "/checkin", "/learn", "/help"])
def test_signed_in_pages_keep_their_layout(browser: Browser, server: Server, demo_state, path):
    visit = open_visit(browser, server, storage_state=str(demo_state[0]))
    score, shifts = _layout_shift(visit.new_page(), server.url(path), LOADED[path])
    visit.context.close()
    assert score < LIMIT, f"{path} moved {score:.3f}: {shifts}"


@pytest.mark.parametrize("path", ["/login", "/help", "summary"])
def test_signed_out_pages_keep_their_layout(browser: Browser, server: Server, demo_state, path):
    url = server.url(demo_state[1] if path == "summary" else path)
    visit = open_visit(browser, server)
    score, shifts = _layout_shift(visit.new_page(), url, "")
    visit.context.close()
    assert score < LIMIT, f"{path} moved {score:.3f}: {shifts}"


@pytest.mark.parametrize("path", ["/login", "/", "/checkin", "/help"])
def test_no_script_holds_the_first_paint_back(server: Server, path: str):
    """A script in the head without defer, async or type=module stops the page from being drawn
    until it has come over the phone's connection (one more round trip before anything shows).
    The app's own scripts are deferred; they still run before the app's bundle."""
    with urllib.request.urlopen(server.url(path)) as response:  # noqa: S310 - our own server
        html = response.read().decode()
    head = html.split("<body", 1)[0]
    blocking = [
        tag
        for tag in re.findall(r"<script\b[^>]*\bsrc=[^>]*>", head)
        if not re.search(r"\b(defer|async)\b|type=\"module\"", tag)
    ]
    assert blocking == []
    # The connection watcher still comes before the bundle, which an inline module imports.
    assert html.index("/js/connection.js") < html.index('import("/assets/entry.client')
