"""First-run set-up on a 360 x 640 phone, step by step and skippable; a PHQ-9 taken at the clinic
entered later as the baseline; the time-zone picker's readable names; Today's and Trends' next
step as a button."""

from __future__ import annotations

import re
from datetime import timedelta

from playwright.sync_api import Browser, Page, expect

from tests.browser import (
    PASSWORD,
    PATIENT_TZ,
    Server,
    db_rows,
    open_visit,
    patient_today,
    sign_in,
    sign_up,
    unique_email,
)
from tests.e2e.test_foundation import (
    fits_without_sideways_scroll,
    serious_axe_violations,
    small_tap_targets,
)

CLINIC_PHONE = "+1 555 0100"


WIDER_THAN_SCREEN = """() => [...document.querySelectorAll('main *')]
    .filter((el) => el.getBoundingClientRect().right > innerWidth + 1)
    .map((el) => el.tagName + '.' + el.className + ' ' + (el.textContent || '').slice(0, 30))"""


def _fits(page: Page) -> None:
    """At 360 px, with 44 px targets and no serious axe finding; then at 200% text (the
    phone's text-size setting) still with no sideways scrolling."""
    assert fits_without_sideways_scroll(page)
    assert small_tap_targets(page, "main button, main a.primary-link, main summary") == []
    assert serious_axe_violations(page) == []
    cdp = page.context.new_cdp_session(page)
    cdp.send("Page.setFontSizes", {"fontSizes": {"standard": 32, "fixed": 26}})
    assert fits_without_sideways_scroll(page), page.evaluate(WIDER_THAN_SCREEN)[:5]
    cdp.send("Page.setFontSizes", {"fontSizes": {"standard": 16, "fixed": 13}})


def test_a_new_account_is_set_up_step_by_step_then_again_from_settings(page: Page, server: Server):
    page.goto(server.url("/signup"))
    page.wait_for_load_state("load")
    page.get_by_label("Email").fill(unique_email())
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    page.wait_for_url(server.url("/setup"))
    expect(page.get_by_text("Step 1 of 4")).to_be_visible()
    expect(page.get_by_role("heading", name="Your clinic")).to_be_visible()
    _fits(page)
    page.get_by_label("Clinic name").fill("Bright Clinic")
    page.get_by_label("Clinic phone").fill(CLINIC_PHONE)
    page.get_by_role("button", name="Save and continue").click()

    expect(page.get_by_role("heading", name="Daily reminder")).to_be_visible()
    expect(page.get_by_label("Daily reminder at")).to_be_visible()
    expect(page.get_by_role("button", name="Create calendar link")).to_be_visible()
    page.get_by_role("button", name="Skip this step").click()

    # Joining mid-series: each infusion had so far, then the phase follows from their dates.
    expect(page.get_by_role("heading", name="Your infusions")).to_be_visible()
    _fits(page)
    for days in (8, 4):
        page.get_by_label("Date of the infusion").fill(
            (patient_today() - timedelta(days=days)).isoformat()
        )
        page.get_by_role("button", name="Add this infusion").click()
        expect(page.get_by_role("status").filter(has_text="Infusion on")).to_be_visible()
    expect(page.get_by_text("Induction: infusion 2 of 6").first).to_be_visible()
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", name="Baseline PHQ-9")).to_be_visible()
    expect(page.get_by_role("link", name="Take the PHQ-9 now")).to_be_visible()
    page.get_by_role("button", name="Finish").click()
    page.wait_for_url(server.url("/"))
    expect(page.get_by_text("Induction: infusion 2 of 6")).to_be_visible()
    # The clinic saved in step 1 is on the help page every crisis panel links to.
    page.goto(server.url("/help"))
    expect(page.get_by_text(CLINIC_PHONE).first).to_be_visible()

    page.goto(server.url("/settings"))
    page.get_by_role("link", name="Open the set-up steps").click()
    page.wait_for_url(server.url("/setup"))
    expect(page.get_by_label("Clinic phone")).to_have_value(CLINIC_PHONE)
    page.get_by_role("button", name="Skip this step").click()
    page.get_by_role("button", name="Back").click()
    expect(page.get_by_role("heading", name="Your clinic")).to_be_visible()


def _answer_phq9(page: Page, answer: str) -> None:
    for question in page.get_by_role("group").filter(has=page.get_by_role("radio")).all()[:9]:
        question.get_by_role("radio", name=answer).check()


def test_a_clinic_phq9_entered_later_is_the_baseline(page: Page, server: Server):
    sign_up(page, server)
    # Empty Today: the next step is a button into the set-up's infusion step.
    page.get_by_role("link", name="Add your infusion dates").click()
    page.wait_for_url(re.compile(r"/setup\?step=infusions$"))
    page.get_by_label("Date of the infusion").fill(
        (patient_today() - timedelta(days=5)).isoformat()
    )
    page.get_by_role("button", name="Add this infusion").click()
    saved = page.get_by_role("status").filter(has_text="Induction: infusion 1 of 6")
    expect(saved).to_be_visible()

    # Today's PHQ-9, after the first infusion (in another tab: each tab has its own form).
    today = page.context.new_page()
    today.goto(server.url("/questionnaires/phq9"))
    _answer_phq9(today, "Several days")
    today.get_by_role("button", name="Submit").click()
    expect(today.get_by_text("PHQ-9 score: 9")).to_be_visible()
    today.close()

    page.goto(server.url("/questionnaires/phq9"))
    _answer_phq9(page, "Nearly every day")
    page.locator("summary", has_text="Took it on an earlier day?").click()
    taken = page.get_by_label("I took this at my clinic on")
    taken.fill((patient_today() + timedelta(days=1)).isoformat())
    page.get_by_role("button", name="Submit").click()
    expect(page.get_by_text("can't be in the future")).to_be_visible()
    taken.fill((patient_today() - timedelta(days=7)).isoformat())
    page.get_by_role("button", name="Submit").click()
    expect(page.get_by_text("PHQ-9 score: 27")).to_be_visible()
    expect(page.get_by_text("entered later.")).to_be_visible()

    page.goto(server.url("/"))
    expect(page.get_by_text("Baseline PHQ-9: 27")).to_be_visible()
    page.goto(server.url("/setup?step=baseline"))
    expect(page.get_by_text("Your baseline PHQ-9: 27")).to_be_visible()
    expect(page.get_by_role("link", name="Take the PHQ-9 now")).to_have_count(0)


def test_time_zones_read_as_places_with_the_patients_own_first(page: Page, server: Server):
    sign_up(page, server)
    page.goto(server.url("/trends"))
    # Nothing logged: what to do first, as buttons.
    expect(page.get_by_role("link", name="Check in now")).to_be_visible()
    expect(page.get_by_role("link", name="Take a PHQ-9")).to_be_visible()

    page.goto(server.url("/settings"))
    picker = page.get_by_label("Time zone")
    expect(picker).to_have_value("America/New_York")
    options = picker.locator("option")
    expect(options.first).to_have_text("Your zone now: New York (Eastern Time)")
    expect(picker.locator("optgroup").first).to_have_attribute("label", "Common time zones")
    expect(picker.locator("option", has_text="Buenos Aires (Argentina, America)")).to_have_count(1)
    expect(picker.locator("option", has_text="_")).to_have_count(0)
    picker.select_option(label="Chicago (Central Time)")
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_role("status").filter(has_text="Saved.")).to_be_visible()
    page.reload()
    # Saved and picked; this phone's own zone (New York) is offered above it.
    picker = page.get_by_label("Time zone")
    expect(picker).to_have_value("America/Chicago")
    expect(picker.locator("option").nth(1)).to_have_text("Your zone now: Chicago (Central Time)")
    expect(picker.locator("option").first).to_have_text(
        "Detected on this phone: New York (Eastern Time)"
    )


def _zone_of(server: Server, email: str) -> str:
    return db_rows(server, "SELECT timezone FROM patient WHERE email = :e", e=email)[0][0]


def test_a_new_patient_is_offered_the_phones_own_zone_first_and_picked(
    browser: Browser, server: Server
):
    """A sign-up sent before the page's scripts ran (a slow phone) makes the account UTC: the
    set-up's first step offers the zone the phone is in, first and already picked."""
    visit = open_visit(browser, server, timezone_id="America/Chicago")
    try:
        page = visit.new_page()
        email = unique_email()
        signed_up = page.request.post(
            server.url("/auth/signup"),
            form={"email": email, "password": PASSWORD, "timezone": ""},
            headers={"Origin": server.base_url, "Accept": "application/json"},
        )
        assert signed_up.ok and _zone_of(server, email) == "UTC"
        page.goto(server.url("/setup"))
        picker = page.get_by_label("Time zone")
        options = picker.locator("option")
        expect(options.first).to_have_text("Detected on this phone: Chicago (Central Time)")
        expect(picker).to_have_value("America/Chicago")
        expect(options.nth(1)).to_have_text("Your zone now: UTC (Coordinated Universal Time)")
        _fits(page)
        page.get_by_role("button", name="Save and continue").click()
        expect(page.get_by_role("heading", name="Daily reminder")).to_be_visible()
        assert _zone_of(server, email) == "America/Chicago"
        assert visit.foreign_requests() == []
    finally:
        visit.context.close()


def test_settings_offer_the_phones_zone_first_and_keep_the_saved_one(
    browser: Browser, server: Server, page: Page
):
    email = sign_up(page, server)  # in New York: the account's zone
    travelling = open_visit(browser, server, timezone_id="Europe/London")
    try:
        phone = travelling.new_page()
        sign_in(phone, server, email)
        phone.wait_for_url(server.url("/"))
        phone.goto(server.url("/settings"))
        picker = phone.get_by_label("Time zone")
        options = picker.locator("option")
        expect(options.first).to_have_text("Detected on this phone: London (UK Time)")
        # The saved zone stays picked: the patient chose it, and a trip may be short.
        expect(picker).to_have_value(PATIENT_TZ)
        expect(options.nth(1)).to_have_text("Your zone now: New York (Eastern Time)")
        picker.select_option(index=0)
        phone.get_by_role("button", name="Save settings").click()
        expect(phone.get_by_role("status").filter(has_text="Saved.")).to_be_visible()
        assert _zone_of(server, email) == "Europe/London"
        # Saved: one entry for it, no longer a separate "detected" one.
        phone.reload()
        picker = phone.get_by_label("Time zone")
        expect(picker.locator("option").first).to_have_text("Your zone now: London (UK Time)")
        expect(picker.locator("option", has_text="Detected on this phone")).to_have_count(0)
    finally:
        travelling.context.close()
