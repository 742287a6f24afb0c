"""Issue 12 budget 1: /trends on the slow phone against a blank Reflex page in the same run, from a
Chromium trace (main-thread busy), the first chart drawn, long tasks, and Lighthouse 12 mobile."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from playwright.sync_api import Browser, Page, sync_playwright

from bench import reference
from bench.browser import DEMO_PASSWORD, PHONE, SLOW_NETWORK, _sign_in
from tests.e2e.harness import (
    CHROMIUM,
    CHROMIUM_ARGS,
    ROOT,
    Server,
    copy_app,
    free_port,
    make_demo,
    start_app,
    stop_app,
)

RUNS = 3
# The pinned npm client (tests/node); a copy of the checkout has no node_modules of its own.
LIGHTHOUSE = os.environ.get(
    "LIGHTHOUSE", str(ROOT / "tests" / "node" / "node_modules" / ".bin" / "lighthouse")
)
TRACE_CATEGORIES = "devtools.timeline,disabled-by-default-devtools.timeline"
# Recorded in the page from its start: LCP, long tasks, and when the first chart is there (the
# server-drawn image loaded, or a Plotly chart's traces drawn).
PROBE = """
window.__kc = {lcp: 0, long: [], chart: 0, last: 0};
new PerformanceObserver(list => {
  for (const e of list.getEntries()) window.__kc.lcp = e.startTime;
}).observe({type: 'largest-contentful-paint', buffered: true});
new PerformanceObserver(list => {
  for (const e of list.getEntries()) {
    window.__kc.long.push([e.startTime, e.duration]);
    window.__kc.last = e.startTime + e.duration;
  }
}).observe({type: 'longtask', buffered: true});
// Drawn: on the screen, so after the next frame is painted (an image that arrived before the
// page's first paint is not seen before it).
const drawn = () => requestAnimationFrame(() => setTimeout(() => {
  window.__kc.chart = window.__kc.chart || performance.now();
}, 0));
const images = new WeakSet();
new MutationObserver((_, observer) => {
  const image = document.querySelector('img.chart-image');
  if (image && !images.has(image)) {
    images.add(image);
    if (image.complete && image.naturalWidth) drawn();
    else image.addEventListener('load', drawn, {once: true});
  }
  if (document.querySelector('svg.main-svg g.trace')) drawn();
  if (window.__kc.chart) observer.disconnect();
}).observe(document, {childList: true, subtree: true});
"""
# Settled: nothing long for 3 s (and, on /trends, the first chart is drawn).
QUIET = "() => performance.now() - Math.max(window.__kc.last, window.__kc.chart) > 3000"


def _trace(cdp: Any, page: Page) -> list[dict[str, Any]]:
    events: list[dict[str, Any]] = []
    done: list[bool] = []
    cdp.on("Tracing.dataCollected", lambda p: events.extend(p["value"]))
    cdp.on("Tracing.tracingComplete", lambda _: done.append(True))
    cdp.send("Tracing.end")
    while not done:
        page.wait_for_timeout(100)
    return events


def _main_thread(events: list[dict[str, Any]]) -> dict[str, float]:
    """Busy ms of the page's renderer main thread (top-level tasks), and the share in style and
    layout (where Plotly's text measurement lands) and in paint."""
    mains = {
        (e["pid"], e["tid"])
        for e in events
        if e.get("ph") == "M" and e.get("args", {}).get("name") == "CrRendererMain"
    }
    totals: dict[tuple[int, int], float] = {}
    for e in events:
        key = (e.get("pid"), e.get("tid"))
        if e.get("name") == "RunTask" and e.get("ph") == "X" and key in mains:
            totals[key] = totals.get(key, 0) + e.get("dur", 0)
    main = max(totals, key=lambda k: totals[k])

    def spent(*names: str) -> float:
        return sum(
            e.get("dur", 0)
            for e in events
            if (e.get("pid"), e.get("tid")) == main and e.get("name") in names
        )

    return {
        "busy_ms": round(totals[main] / 1000),
        "style_layout_ms": round(spent("Layout", "UpdateLayoutTree") / 1000),
        "paint_ms": round(spent("Paint", "PrePaint", "Layerize") / 1000),
    }


def _load(browser: Browser, url: str, state: Any, chart: bool) -> dict[str, Any]:
    """One cold load on the slow phone, traced until the page has settled."""
    context = browser.new_context(viewport=PHONE, storage_state=state)
    context.add_init_script(PROBE)
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", SLOW_NETWORK)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": 4})
    cdp.send("Tracing.start", {"categories": TRACE_CATEGORIES, "transferMode": "ReportEvents"})
    page.goto(url, timeout=120_000)
    if chart:
        page.wait_for_function("() => window.__kc.chart > 0", timeout=120_000, polling=200)
    page.wait_for_load_state("networkidle", timeout=120_000)
    page.wait_for_function(QUIET, timeout=120_000, polling=500)
    probe = page.evaluate("window.__kc")
    result = _main_thread(_trace(cdp, page))
    first = probe["chart"]
    after = [d for start, d in probe["long"] if chart and start >= first]
    result |= {
        "lcp_ms": round(probe["lcp"]),
        "longest_task_ms": round(max((d for _, d in probe["long"]), default=0)),
        "first_chart_ms": round(first),
        "longest_after_chart_ms": round(max(after, default=0)),
        "long_tasks_after_chart": len(after),
    }
    if chart:
        result |= _scroll_through(page)
    context.close()
    return result


def _scroll_through(page: Page) -> dict[str, Any]:
    """Charts drawn before any scrolling, then the longest task while scrolling to each card
    and waiting for its chart (cards without data have none)."""
    cards = page.locator("section.chart-card")
    drawn = page.evaluate(
        "[...document.querySelectorAll('section.chart-card img.chart-image')]"
        ".filter(i => i.complete && i.naturalWidth).length"
        " + document.querySelectorAll('section.chart-card svg.main-svg').length"
    )
    plotly = page.locator("section.chart-card:has(svg.main-svg)").count()
    mark = page.evaluate("performance.now()")
    for n in range(cards.count()):
        card = cards.nth(n)
        card.scroll_into_view_if_needed()
        if card.locator(".chart").count():
            card.locator("svg.main-svg g.trace").first.wait_for(timeout=60_000)
        if card.locator("img.chart-image").count():
            # Each chart a picture (lazy below the first screen): until it has come.
            card.locator("img.chart-image").evaluate(
                "i => i.complete && i.naturalWidth ? true : new Promise(r =>"
                " i.addEventListener('load', () => r(true), {once: true}))"
            )
    page.wait_for_function(QUIET, timeout=120_000, polling=500)
    long = page.evaluate("window.__kc.long")
    return {
        "charts_drawn_before_scroll": drawn,
        "plotly_drawn_before_scroll": plotly,
        "longest_while_scrolling_ms": round(max((d for s, d in long if s >= mark), default=0)),
    }


def _median(rows: list[dict[str, Any]]) -> dict[str, Any]:
    return {key: statistics.median(row[key] for row in rows) for key in rows[0]}


def _lighthouse(url: str, cookies: list[dict[str, Any]], folder: Path) -> dict[str, Any]:
    """Lighthouse 12 (pinned npm client), mobile defaults, performance only, in a Chromium that
    holds the patient's session cookies (a Cookie header alone never reaches the app's socket)
    and nothing else: its cache starts empty."""
    port = free_port()
    profile = folder / f"lighthouse-profile-{port}"
    flags = [f"--remote-debugging-port={port}", f"--user-data-dir={profile}", "about:blank"]
    log = folder / "lighthouse-chromium.log"
    with open(log, "w") as output:
        chromium = subprocess.Popen(
            [CHROMIUM, "--headless=new", *CHROMIUM_ARGS, *flags],
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        reference.wait_until(chromium, f"http://127.0.0.1:{port}/json/version", log)
        with sync_playwright() as p:
            browser = p.chromium.connect_over_cdp(f"http://127.0.0.1:{port}", timeout=60_000)
            if cookies:
                browser.contexts[0].add_cookies(cookies)  # type: ignore[arg-type]
        out = folder / "lighthouse.json"
        command = [LIGHTHOUSE, url, f"--port={port}", "--disable-storage-reset", "--quiet"]
        command += ["--only-categories=performance", "--output=json", f"--output-path={out}"]
        subprocess.run(command, check=True, timeout=300)
    finally:
        chromium.terminate()
        chromium.wait(timeout=20)
    report = json.loads(out.read_text())
    audits = report["audits"]
    return {
        "url": report["finalDisplayedUrl"].split(str(urlsplit(url).port), 1)[-1],
        "score": round(report["categories"]["performance"]["score"] * 100),
        "tbt_ms": round(audits["total-blocking-time"]["numericValue"]),
        "cls": round(audits["cumulative-layout-shift"]["numericValue"], 3),
        "lcp_ms": round(audits["largest-contentful-paint"]["numericValue"]),
    }


def _blank(folder: Path) -> Server:
    """The blank page, built once per folder (again only if its port is taken)."""
    root = folder / "blank"
    stamp = root / reference.PORT_FILE
    port = int(stamp.read_text()) if stamp.exists() else free_port()
    return reference.serve_blank(reference.blank_app(folder, port))


def measure(server: Server, blank: Server, folder: Path) -> dict[str, Any]:
    """Budget 1 on a running app (with the demo patient) and the blank page."""
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport=PHONE)
        _sign_in(context.new_page(), server)
        state = context.storage_state()
        context.close()
        blank_rows, trends_rows = [], []
        for _ in range(RUNS):  # interleaved, so both see the same machine load
            blank_rows.append(_load(browser, blank.url("/"), None, chart=False))
            trends_rows.append(_load(browser, server.url("/trends"), state, chart=True))
        browser.close()
    trends, blank_page = _median(trends_rows), _median(blank_rows)
    return {
        "runs": RUNS,
        "blank": blank_page,
        "trends": trends,
        "busy_ratio": round(trends["busy_ms"] / blank_page["busy_ms"], 2),
        "first_chart_ratio": round(trends["first_chart_ms"] / blank_page["lcp_ms"], 2),
        "lighthouse": {
            "/": _lighthouse(blank.url("/"), [], folder),
            "/trends": _lighthouse(server.url("/trends"), state["cookies"], folder),
        },
    }


def run(folder: Path, app: Path | None = None, port: int | None = None) -> dict[str, Any]:
    """Build a copy of the checkout (or serve `app`, already built for `port`) and the blank
    app in folder, and measure both."""
    app = app or copy_app(folder / "phone-app")
    server = start_app(folder, port, root=app)
    try:
        make_demo(server, DEMO_PASSWORD)
        blank = _blank(folder)
        try:
            return measure(server, blank, folder)
        finally:
            reference.stop(blank)
    finally:
        stop_app(server)


def table(results: dict[str, Any]) -> list[str]:
    """Lines for the bench report: /trends next to the blank page, with the budget's ratios."""
    trends, blank = results["trends"], results["blank"]
    lighthouse = results["lighthouse"]
    return [
        f"  {'median of ' + str(results['runs']):24} {'/trends':>9} {'blank':>9}"
        f" {'ratio':>6} {'budget':>8}",
        f"  {'main thread busy ms':24} {trends['busy_ms']:>9} {blank['busy_ms']:>9}"
        f" {results['busy_ratio']:>6} {'<= 2':>8}",
        f"  {'  of it style+layout ms':24} {trends['style_layout_ms']:>9}"
        f" {blank['style_layout_ms']:>9}",
        f"  {'first chart / LCP ms':24} {trends['first_chart_ms']:>9} {blank['lcp_ms']:>9}"
        f" {results['first_chart_ratio']:>6} {'<= 1.5':>8}",
        f"  {'longest task ms':24} {trends['longest_task_ms']:>9} {blank['longest_task_ms']:>9}",
        f"  {'longest task after ms':24} {trends['longest_after_chart_ms']:>9}"
        f" {'':>9} {'':>6} {'<= 200':>8}",
        f"  {'charts drawn unscrolled':24} {trends['charts_drawn_before_scroll']:>9}",
        f"  {'  of them Plotly':24} {trends['plotly_drawn_before_scroll']:>9}",
        f"  {'longest task scrolling':24} {trends['longest_while_scrolling_ms']:>9}",
        f"  {'Lighthouse score':24} {lighthouse['/trends']['score']:>9}"
        f" {lighthouse['/']['score']:>9} {'':>6} {'>= 80':>8}",
        f"  {'Lighthouse TBT ms':24} {lighthouse['/trends']['tbt_ms']:>9}"
        f" {lighthouse['/']['tbt_ms']:>9}",
        f"  {'Lighthouse CLS':24} {lighthouse['/trends']['cls']:>9}"
        f" {lighthouse['/']['cls']:>9} {'':>6} {'< 0.05':>8}",
    ]


if __name__ == "__main__":
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        print("\n".join(table(run(Path(tmp)))))
