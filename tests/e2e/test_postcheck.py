"""The post-infusion check on a 360 x 640 phone: the infusion form's clinic and dose, the pinned
Save, "Saved" with what is next, and a home blood pressure of 180/120 or higher; deleting a
backfilled day; Back from an article."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser import (
    PATIENT_TZ,
    Server,
    db_rows,
    open_visit,
    patient_today,
    sign_in,
    sign_up,
)
from tests.e2e.test_foundation import fits_without_sideways_scroll, serious_axe_violations

pytestmark = pytest.mark.e2e

CLINIC = "Lakeside Infusion Clinic"
PHONE_NUMBER = "+1 555 0100"


def _wider_than_the_screen(page: Page, within: str = "main") -> list[str]:
    """What sticks out on the right of the screen, named by tag and class."""
    return page.evaluate(
        """within => [...document.querySelectorAll(`${within} *`)]
            .filter(el => el.getBoundingClientRect().right > window.innerWidth + 1)
            .slice(-6)
            .map(el => `${el.tagName}.${el.className}`)""",
        within,
    )


def _in_view(page: Page, locator) -> bool:
    box = locator.bounding_box()
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= 640


def test_check_saves_says_what_is_next_and_flags_a_crisis_reading(page: Page, server: Server):
    sign_up(page, server)
    page.goto(server.url("/settings"))
    page.get_by_label("Clinic name").fill(CLINIC)
    page.get_by_label("Clinic phone").fill(PHONE_NUMBER)
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_role("status").filter(has_text="Saved")).to_be_visible()

    # The infusion form starts with the clinic from Settings; the dose field is empty, with
    # its hint beside it rather than a greyed number inside it.
    page.goto(server.url("/infusions"))
    expect(page.get_by_label("Clinic")).to_have_value(CLINIC)
    dose = page.get_by_label("Dose (optional)")
    expect(dose).to_have_value("")
    assert dose.get_attribute("placeholder") in (None, "")
    expect(dose).to_have_accessible_description("A number, e.g. 0.5")
    start = datetime.now(ZoneInfo(PATIENT_TZ)) - timedelta(hours=4)
    page.get_by_label("Date").fill(start.date().isoformat())
    page.get_by_label("Time").fill(f"{start:%H:%M}")
    page.get_by_role("button", name="Save infusion").click()
    expect(page.get_by_role("status")).to_have_text("Infusion saved.")
    page.get_by_role("link", name="The same evening").click()
    page.wait_for_url(re.compile("/infusions/check"))

    # Save is pinned on screen wherever the page is scrolled.
    save = page.get_by_role("button", name="Save check")
    expect(save).to_be_visible()
    assert _in_view(page, save)
    systolic = page.get_by_label("Top number (systolic)")
    systolic.scroll_into_view_if_needed()
    assert _in_view(page, save)

    # 180/120 or higher: the message comes as the numbers are typed, before Save.
    crisis = page.get_by_role("alert").filter(has_text="180/120 or higher")
    expect(crisis).to_have_count(0)
    systolic.fill("185")
    page.get_by_label("Bottom number (diastolic)").fill("100")
    expect(crisis).to_be_visible()
    expect(crisis).to_contain_text("call your clinic now")
    expect(crisis.get_by_role("link", name="Call 911")).to_have_attribute("href", "tel:911")
    expect(crisis.get_by_role("link", name=re.compile("Call your clinic"))).to_have_attribute(
        "href", "tel:" + PHONE_NUMBER
    )
    assert "chest pain, shortness of breath, back pain, numbness, weakness" in (crisis.inner_text())

    save.click()
    saved = page.get_by_role("region", name="Saved")
    expect(saved).to_be_visible()
    expect(saved).to_be_in_viewport()
    opens = start + timedelta(hours=20)
    expect(saved).to_contain_text("Next: the check after 24 hours, from ")
    expect(saved).to_contain_text(f" at {opens:%H:%M}. It shows on Today then.")
    expect(saved.get_by_role("alert")).to_contain_text("180/120 or higher")
    # One message on the page, not two.
    expect(crisis).to_have_count(1)
    assert fits_without_sideways_scroll(page)
    assert serious_axe_violations(page) == []
    # At 200% text (the phone's text size: the browser's default font size doubled) nothing of
    # the check sticks out sideways, and the panel's links can still be tapped.
    page.context.new_cdp_session(page).send(
        "Page.setFontSizes", {"fontSizes": {"standard": 32, "fixed": 26}}
    )
    assert _wider_than_the_screen(page) == []
    saved.get_by_role("link", name="Back to your infusions").click()
    page.wait_for_url(re.compile(r"/infusions/?$"))
    expect(page.get_by_role("link", name="✓ The same evening")).to_be_visible()


def _day_rows(server: Server, email: str) -> list:
    return db_rows(
        server,
        "select c.day, c.mood from checkin c join patient p on p.id = c.patient_id "
        "where p.email = :e",
        e=email,
    )


def test_a_backfilled_day_is_deleted_and_its_unsent_entry_never_brings_it_back(
    page: Page, server: Server
):
    email = sign_up(page, server)
    day = (patient_today() - timedelta(days=3)).isoformat()
    page.goto(server.url(f"/checkin?day={day}"))
    mood = page.get_by_role("radiogroup", name="Mood")
    mood.get_by_role("radio", name="4", exact=True).check()
    page.get_by_role("button", name="Save").click()
    expect(page.locator("[data-kc-status]")).to_contain_text("Saved")
    # A change that cannot be sent yet: the entries route is down (the page opened again, so
    # its entries socket is new), the app's own connection is not.
    page.route("**/api/entries/**", lambda route: route.abort())
    page.route_web_socket(re.compile(r"/api/entries-socket$"), lambda ws: ws.close())
    page.reload()
    expect(mood.get_by_role("radio", name="4", exact=True)).to_be_checked()
    mood.get_by_role("radio", name="6", exact=True).check()
    page.get_by_role("button", name="Save").click()
    expect(page.locator("[data-kc-status]")).to_contain_text("Not sent yet")

    page.get_by_role("button", name="Delete this day's check-in").click()
    confirm = page.get_by_role("alert").filter(has_text="Delete the check-in of")
    expect(confirm).to_be_visible()
    confirm.get_by_role("button", name="Yes, delete").click()
    expect(page.get_by_role("status").filter(has_text="Deleted.")).to_be_visible()
    expect(mood.get_by_role("radio", name="6", exact=True)).not_to_be_checked()
    assert _day_rows(server, email) == []

    page.unroute_all()
    page.reload()
    page.get_by_role("radiogroup", name="Mood").wait_for()
    # Whatever the phone still held is sent now; the day stays deleted.
    page.evaluate("window.kcOutbox.flush()")
    page.wait_for_function("() => window.kcOutbox.entries().length === 0")
    assert _day_rows(server, email) == []


def test_another_phones_unsent_entry_for_a_deleted_day_does_not_bring_it_back(
    browser: Browser, page: Page, server: Server
):
    """The patient's second phone, offline, keeps a change to a day; the day is deleted on the
    first phone; back online, the second phone sends it: the day stays deleted (the entry was
    made before the deletion), and that phone says so."""
    email = sign_up(page, server)
    day = (patient_today() - timedelta(days=2)).isoformat()
    page.goto(server.url(f"/checkin?day={day}"))
    mood = page.get_by_role("radiogroup", name="Mood")
    mood.get_by_role("radio", name="4", exact=True).check()
    page.get_by_role("button", name="Save").click()
    expect(page.locator("[data-kc-status]")).to_contain_text("Saved")

    other = open_visit(browser, server)
    try:
        phone = other.new_page()
        sign_in(phone, server, email)
        phone.wait_for_url(server.url("/"))
        phone.goto(server.url(f"/checkin?day={day}"))
        their_mood = phone.get_by_role("radiogroup", name="Mood")
        expect(their_mood.get_by_role("radio", name="4", exact=True)).to_be_checked()
        other.context.set_offline(True)
        their_mood.get_by_role("radio", name="8", exact=True).check()
        phone.get_by_role("button", name="Save").click()
        expect(phone.locator("[data-kc-status]")).to_contain_text("Not sent yet")

        page.reload()
        page.get_by_role("button", name="Delete this day's check-in").click()
        page.get_by_role("alert").filter(has_text="Delete the check-in of").get_by_role(
            "button", name="Yes, delete"
        ).click()
        expect(page.get_by_role("status").filter(has_text="Deleted.")).to_be_visible()
        assert _day_rows(server, email) == []

        other.context.set_offline(False)
        expect(phone.locator("[data-kc-status]")).to_contain_text(
            "Not saved: the check-in of", timeout=30_000
        )
        phone.wait_for_function("() => window.kcOutbox.entries().length === 0")
        assert _day_rows(server, email) == []
        page.reload()
        expect(mood.get_by_role("radio").first).to_be_visible()
        expect(page.get_by_role("button", name="Delete this day's check-in")).to_have_count(0)
        expect(mood.locator("input:checked")).to_have_count(0)
    finally:
        other.context.close()
    assert other.foreign_requests() == []


def _made_last_evening(page: Page, stored: str) -> None:
    """Dates what the phone keeps under `stored` (its outbox, or a form's draft) 21:00 the
    evening before on the patient's calendar: the state a phone is in the morning after a
    check-in it could not send, or did not save."""
    yesterday = patient_today() - timedelta(days=1)
    evening = datetime(
        yesterday.year, yesterday.month, yesterday.day, 21, tzinfo=ZoneInfo(PATIENT_TZ)
    )
    # A tap made while the form still loads is held, and filed under the form's key once the
    # page knows which day it shows: wait for it there.
    page.wait_for_function("name => localStorage.getItem(name) !== null", arg=stored)
    page.evaluate(
        """([name, ms]) => {
            const kept = JSON.parse(localStorage.getItem(name));
            for (const item of Array.isArray(kept) ? kept : [kept]) item.made_at = ms;
            localStorage.setItem(name, JSON.stringify(kept));
        }""",
        [stored, int(evening.timestamp() * 1000)],
    )


def _days(server: Server, email: str) -> list[tuple[str, int]]:
    return [(str(row.day), row.mood) for row in _day_rows(server, email)]


def test_deleting_todays_check_in_keeps_last_evenings_unsent_entry(
    browser: Browser, page: Page, server: Server
):
    """Last evening's check-in, saved on a phone that could not send it, waits under "today";
    this morning the patient deletes today's check-in: last evening's entry is not dropped with
    it, and reaches its own day once the phone can send."""
    email = sign_up(page, server)
    yesterday = (patient_today() - timedelta(days=1)).isoformat()
    page.route("**/api/entries/**", lambda route: route.abort())
    page.route_web_socket(re.compile(r"/api/entries-socket$"), lambda ws: ws.close())
    page.goto(server.url("/checkin"))
    mood = page.get_by_role("radiogroup", name="Mood")
    mood.get_by_role("radio", name="7", exact=True).check()
    page.get_by_role("button", name="Save").click()
    expect(page.locator("[data-kc-status]")).to_contain_text("Not sent yet")
    _made_last_evening(page, "kc-outbox")

    # This morning: today's check-in is saved from the patient's other phone, then deleted here.
    other = open_visit(browser, server)
    try:
        phone = other.new_page()
        sign_in(phone, server, email)
        phone.wait_for_url(server.url("/"))
        phone.goto(server.url("/checkin"))
        phone.get_by_role("radiogroup", name="Mood").get_by_role(
            "radio", name="5", exact=True
        ).check()
        phone.get_by_role("button", name="Save").click()
        expect(phone.locator("[data-kc-status]")).to_contain_text("Saved")
    finally:
        other.context.close()
    page.reload()
    expect(mood.get_by_role("radio", name="5", exact=True)).to_be_checked()
    page.get_by_role("button", name="Delete this day's check-in").click()
    page.get_by_role("alert").filter(has_text="Delete the check-in of").get_by_role(
        "button", name="Yes, delete"
    ).click()
    expect(page.get_by_role("status").filter(has_text="Deleted.")).to_be_visible()
    assert page.evaluate("window.kcOutbox.entries().length") == 1

    page.unroute_all()
    page.evaluate("window.kcOutbox.flush()")
    page.wait_for_function("() => window.kcOutbox.entries().length === 0")
    assert _days(server, email) == [(yesterday, 7)]


def test_last_evenings_unsaved_taps_wait_on_their_own_day_not_on_today(page: Page, server: Server):
    """Taps left unsaved last evening are not shown as today's answers (a Save there would
    say "Saved" and file them under yesterday); they wait on yesterday's form."""
    email = sign_up(page, server)
    yesterday = (patient_today() - timedelta(days=1)).isoformat()
    page.goto(server.url("/checkin"))
    mood = page.get_by_role("radiogroup", name="Mood")
    mood.get_by_role("radio", name="3", exact=True).check()
    _made_last_evening(page, "kc-draft:checkin:today")

    page.reload()
    expect(mood.get_by_role("radio").first).to_be_visible()
    expect(page.locator("form[data-kc-outbox=checkin]")).to_have_attribute(
        "data-kc-day", patient_today().isoformat()
    )
    # Two frames: the phone has put back whatever it keeps for this form by then.
    page.evaluate("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    expect(mood.locator("input:checked")).to_have_count(0)

    page.goto(server.url(f"/checkin?day={yesterday}"))
    expect(mood.get_by_role("radio", name="3", exact=True)).to_be_checked()
    page.get_by_role("button", name="Save").click()
    expect(page.locator("[data-kc-status]")).to_contain_text("Saved")
    assert _days(server, email) == [(yesterday, 3)]


def test_back_from_an_article_returns_where_the_patient_came_from(page: Page, server: Server):
    sign_up(page, server)
    page.get_by_role("region", name="Suggested reading").get_by_role("link").click()
    page.wait_for_url(re.compile("/learn/"))
    page.get_by_role("link", name="Back", exact=True).click()
    page.wait_for_url(server.url("/"))
    expect(page.get_by_role("heading", name="Today", level=1)).to_be_visible()
    # Opened on its own (from a calendar, a new tab), Back leads to the articles.
    page.goto(server.url("/learn/why-six"))
    page.get_by_role("link", name="Back", exact=True).click()
    page.wait_for_url(re.compile(r"/learn/?$"))
