"""Several backend workers with Reflex state in Redis (REDIS_URL), as a clinic group would run.

The `worker_server` fixture (tests/browser.py) serves a second copy of the app, built in its
own folder, with REDIS_URL pointing at a throwaway redis-server from Debian's packages.
"""

from __future__ import annotations

import os
import signal
import time
from datetime import timedelta

from playwright.sync_api import Browser, expect

from tests.browser import RedisServer, db_rows, open_visit, patient_today, sign_up
from tests.e2e.harness import Pinger, Server, worker_pids


def test_several_workers_share_state_through_redis(browser: Browser, worker_server: Server):
    # Alone, the app runs one worker; with Redis, WORKERS of them (2 here).
    assert len(worker_pids(worker_server)) == 2, worker_server.log_path.read_text()[-2000:]
    visit = open_visit(browser, worker_server)
    page = visit.new_page()
    sign_up(page, worker_server)
    for value in ("6", "7", "8"):  # each reload is a new websocket, likely on another worker
        page.goto(worker_server.url("/checkin"))
        mood = page.get_by_role("radiogroup", name="Mood")
        mood.get_by_role("radio", name=value, exact=True).check()
        expect(mood.get_by_role("radio", name=value, exact=True)).to_be_checked()
        page.get_by_role("button", name="Save").click()
        expect(page.locator("[data-kc-status]")).to_contain_text("Saved")
    # Save again with nothing changed: said so, not "choose your mood first".
    page.goto(worker_server.url("/checkin"))
    expect(mood.get_by_role("radio", name="8", exact=True)).to_be_checked()
    page.get_by_role("button", name="Save").click()
    expect(page.locator("[data-kc-status]")).to_have_text(
        "Already saved. Change an answer, then Save."
    )
    page.goto(worker_server.url("/"))
    expect(page.get_by_text("Checked in today: mood 8 of 10.")).to_be_visible()
    assert visit.foreign_requests() == []
    visit.context.close()


def test_a_killed_worker_is_replaced_in_seconds_while_the_other_serves(
    browser: Browser, worker_server: Server
):
    visit = open_visit(browser, worker_server)
    page = visit.new_page()
    sign_up(page, worker_server)
    before = worker_pids(worker_server)
    assert len(before) == 2
    victim = min(before)
    with Pinger(worker_server) as pinger:
        time.sleep(0.3)
        killed_at = time.monotonic()
        os.kill(victim, signal.SIGKILL)
        while len(worker_pids(worker_server) - {victim}) < 2 and time.monotonic() - killed_at < 10:
            time.sleep(0.02)
        replaced_in = time.monotonic() - killed_at
        time.sleep(1)
    after = worker_pids(worker_server)
    assert victim not in after and len(after) == 2, (before, after)
    assert replaced_in < 5, replaced_in
    # The server as a whole kept answering: at most the one request the killed worker had.
    assert pinger.failed <= 1 and pinger.ok > 10, (pinger.ok, pinger.failed)
    print(
        f"worker replaced in {replaced_in:.2f} s; /healthz {pinger.ok} ok, {pinger.failed} failed"
    )
    # The patient's tab goes on: its state is in Redis, whichever worker takes it.
    page.goto(worker_server.url("/checkin"))
    mood = page.get_by_role("radiogroup", name="Mood")
    mood.get_by_role("radio", name="6", exact=True).check()
    page.get_by_role("button", name="Save").click()
    expect(page.locator("[data-kc-status]")).to_contain_text("Saved")
    visit.context.close()


WATCH_ERRORS = """
// The framework's toasts are not mounted in this app, so watch what the patient reads: any
// line saying an error, a failure or a lost connection to the server, and any refused entry.
window.__generic = 0;
const said = new Set();
new MutationObserver(() => {
  const text = document.body ? document.body.innerText : "";
  const lines = text.match(/[^\\n]*(error|went wrong|cannot connect|failed)[^\\n]*/gi);
  for (const phrase of lines || []) {
    if (!said.has(phrase)) { said.add(phrase); window.__generic += 1; }
  }
  for (const line of document.querySelectorAll('[data-kc-state="error"]')) {
    if (!line.dataset.kcSeen) { line.dataset.kcSeen = "1"; window.__generic += 1; }
  }
}).observe(document, {subtree: true, childList: true, characterData: true, attributes: true});
"""


def test_a_redis_restart_under_saves_from_several_phones_loses_and_doubles_nothing(
    browser: Browser, worker_server: Server, redis_server: RedisServer
):
    """Three patients save a check-in for each of 6 days, one after another, while Redis is
    killed and started again (from its append-only file). Every "Saved" is in the database once,
    every tapped day is saved in the end, and no framework error is ever shown."""
    phones = []
    for _ in range(3):
        visit = open_visit(browser, worker_server)
        visit.context.add_init_script(WATCH_ERRORS)
        page = visit.new_page()
        phones.append((visit, page, sign_up(page, worker_server)))
    today = patient_today()
    days = [(today - timedelta(days=n)).isoformat() for n in range(1, 7)]
    sent = acknowledged = 0
    generic = 0
    for round_, day in enumerate(days):
        if round_ == 2:
            redis_server.kill()
        if round_ == 3:
            redis_server.start()
        for n, (_, page, _) in enumerate(phones):
            page.goto(worker_server.url(f"/checkin?day={day}"), wait_until="commit")
            mood = page.get_by_role("radiogroup", name="Mood")
            mood.get_by_role("radio", name=str(n + round_), exact=True).check()
            page.get_by_role("button", name="Save").click()
            sent += 1
            try:
                expect(page.locator("[data-kc-status]")).to_contain_text("Saved", timeout=20_000)
                acknowledged += 1
            except AssertionError:
                pass  # kept on the phone: sent when the server can take it (counted below)
            generic += page.evaluate("window.__generic")
    # What was kept on a phone goes once the app can take it; each phone shows "Saved".
    for _, page, _ in phones:
        page.goto(worker_server.url(f"/checkin?day={days[-1]}"))
        page.wait_for_function(
            "() => !localStorage.getItem('kc-outbox') || "
            "JSON.parse(localStorage.getItem('kc-outbox')).length === 0",
            timeout=60_000,
        )
        generic += page.evaluate("window.__generic")
    found = {}
    for n, (_, _, email) in enumerate(phones):
        rows = db_rows(
            worker_server,
            "select c.day, c.mood from checkin c join patient p on p.id = c.patient_id "
            "where p.email = :e order by c.day",
            e=email,
        )
        found[n] = [(str(day), mood) for day, mood in rows]
    expected = {
        n: [(day, n + r) for r, day in sorted(enumerate(days), key=lambda x: x[1])]
        for n in range(3)
    }
    print(
        f"sent {sent}, acknowledged {acknowledged}, found {sum(map(len, found.values()))}, "
        f"generic errors {generic}"
    )
    assert found == expected  # each tapped day once, with the mood tapped: none lost or doubled
    assert generic == 0
    # Redis's data lost altogether: sessions live in the database, so nobody signs in again;
    # each page loads its day from the database.
    redis_server.cli("FLUSHALL")
    for n, (visit, page, _) in enumerate(phones):
        page.goto(worker_server.url(f"/checkin?day={days[0]}"))
        expect(page).to_have_url(worker_server.url(f"/checkin?day={days[0]}"))
        mood = page.get_by_role("radiogroup", name="Mood")
        expect(mood.get_by_role("radio", name=str(n), exact=True)).to_be_checked()
        visit.context.close()
