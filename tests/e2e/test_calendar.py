"""The calendar feed in Settings on a 360 x 640 phone: the link, its Copy button and the set-up
steps for iPhone, Google Calendar and Android, still there after a reload until revoked."""

from __future__ import annotations

import urllib.error
import urllib.request

from icalendar import Calendar
from playwright.sync_api import Browser, expect

from tests.browser import PATIENT_TZ, Server, open_visit, sign_up
from tests.e2e.test_foundation import (
    fits_without_sideways_scroll,
    serious_axe_violations,
    small_tap_targets,
)


def _get(url: str, **headers: str) -> tuple[int, bytes, dict[str, str]]:
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 - our own server
    try:
        with urllib.request.urlopen(request) as response:  # noqa: S310
            return response.status, response.read(), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, error.read(), dict(error.headers)


def test_calendar_link_copy_and_set_up_steps_stay_until_revoked(browser: Browser, server: Server):
    visit = open_visit(browser, server, permissions=["clipboard-read", "clipboard-write"])
    page = visit.new_page()
    sign_up(page, server)
    page.goto(server.url("/settings"))
    page.get_by_role("button", name="Create calendar link").click()
    link = page.locator("#calendar-url")
    expect(link).to_contain_text("/api/calendar/")
    url = link.inner_text().strip()

    page.reload()
    expect(link).to_have_text(url)
    page.get_by_role("button", name="Copy calendar link").click()
    expect(page.locator("#calendar-copy-status")).to_have_text("Copied.")
    assert page.evaluate("navigator.clipboard.readText()") == url
    subscribe = page.get_by_role("link", name="Subscribe on this device")
    expect(subscribe).to_have_attribute("href", "webcal://" + url.split("://", 1)[1])
    for name in ("iPhone or iPad", "Google Calendar", "Android with ICSx⁵"):
        page.locator("summary", has_text=name).click()
    expect(page.get_by_text("then Add Subscription Calendar")).to_be_visible()
    expect(page.get_by_text("choose “From URL”")).to_be_visible()
    expect(page.get_by_text("Install ICSx⁵ from F-Droid or Google Play.")).to_be_visible()
    # Numbered steps, in order (the base reset hides list numbers unless asked for).
    steps = page.locator("details ol").first
    assert steps.evaluate("el => getComputedStyle(el).listStyleType") == "decimal"
    expect(steps.get_by_role("listitem")).to_have_count(3)
    assert fits_without_sideways_scroll(page)
    assert small_tap_targets(page, "main button, main summary, main a.download") == []
    assert serious_axe_violations(page) == []
    # At 200% text (the phone's text size: the browser's default font size doubled) the long
    # link wraps instead of pushing the page sideways.
    cdp = page.context.new_cdp_session(page)
    cdp.send("Page.setFontSizes", {"fontSizes": {"standard": 32, "fixed": 26}})
    expect(link).to_be_visible()
    assert fits_without_sideways_scroll(page)
    cdp.send("Page.setFontSizes", {"fontSizes": {"standard": 16, "fixed": 13}})

    # What a calendar app fetches: the patient's zone, and 304 when nothing changed.
    status, body, headers = _get(url)
    assert status == 200
    [zone] = Calendar.from_ical(body).walk("VTIMEZONE")
    assert str(zone["TZID"]) == PATIENT_TZ
    assert _get(url, **{"If-None-Match": headers["etag"]})[0] == 304

    page.get_by_role("button", name="Stop the calendar feed").click()
    expect(page.get_by_text("Calendar feed stopped: its address no longer works.")).to_be_visible()
    expect(link).to_have_count(0)
    page.reload()
    expect(page.get_by_role("button", name="Create calendar link")).to_be_visible()
    expect(link).to_have_count(0)
    assert _get(url)[0] == 404
    visit.context.close()
    assert visit.foreign_requests() == []
