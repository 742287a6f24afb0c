"""On a slow phone a page is drawn before its scripts are fetched, and then comes alive as before
(companion.paint_first, issue 12 point 2)."""

from __future__ import annotations

from playwright.sync_api import Browser, expect

from bench.browser import SLOW_NETWORK
from companion.paint_first import AFTER_PAINT
from tests.browser import Server, open_visit, sign_up

# When the first paint came, and when the first of the app's modules was asked for.
ORDER = """() => ({
  painted: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null,
  scripts: performance.getEntriesByType('resource')
    .filter((r) => r.initiatorType !== 'css' && /\\/assets\\/.*\\.js$/.test(r.name))
    .map((r) => r.startTime),
})"""


def test_every_built_page_asks_for_its_scripts_after_it_is_drawn(server: Server):
    pages = sorted((server.root / ".web" / "build" / "client").rglob("*.html"))
    assert len(pages) > 20
    for page in pages:
        html = page.read_text()
        assert 'rel="modulepreload"' not in html, page.name
        assert AFTER_PAINT in html, page.name


def test_a_slow_phone_draws_the_page_then_fetches_and_runs_the_app(
    browser: Browser, server: Server
):
    visit = open_visit(browser, server)
    page = visit.new_page()
    sign_up(page, server)
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", SLOW_NETWORK)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": 4})
    page.goto(server.url("/"), wait_until="commit")
    # The app runs: Today asks the server over its socket and shows the answer.
    expect(page.get_by_text("You haven't checked in today")).to_be_visible(timeout=60_000)
    order = page.evaluate(ORDER)
    assert order["painted"] is not None and order["scripts"], order
    assert min(order["scripts"]) > order["painted"], order
    visit.context.close()
