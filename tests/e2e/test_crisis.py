"""The crisis path as a patient in trouble meets it on a 360x640 phone: help one tap away at
every scroll position and offline, numbers for where they are, a screen that fits the answer,
a safety plan of their own, and answers recorded as given."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser import (
    PATIENT_TZ,
    PRIVATE_PAGES,
    PUBLIC_PAGES,
    Server,
    Visit,
    open_visit,
    patient_today,
    sign_up,
)

pytestmark = pytest.mark.e2e

SIGNED_IN_PAGES = [*PRIVATE_PAGES, "/help"]


def _header_help(page: Page):
    return page.locator("header.app-header .help-link")


def _to_the_bottom(page: Page) -> None:
    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    page.wait_for_timeout(150)
    assert page.evaluate("window.scrollY") > 0 or page.evaluate(
        "document.documentElement.scrollHeight <= window.innerHeight"
    )


def _save_clinic(page: Page, server: Server, phone: str = "555 0100") -> None:
    page.goto(server.url("/settings"))
    page.get_by_label("Clinic name").fill("Lakeside Clinic")
    page.get_by_label("Clinic phone").fill(phone)
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_text("Saved.")).to_be_visible()


def _write_plan(page: Page, server: Server) -> None:
    page.goto(server.url("/safety-plan"))
    page.get_by_label("My warning signs").fill("Lying awake past 3 am")
    page.get_by_label("Things I can do on my own").fill("Cold water on my face")
    page.get_by_label("Name 1").fill("Sam")
    page.get_by_label("Phone 1").fill("555 0123")
    page.get_by_role("button", name="Save my plan").click()
    expect(page.get_by_text("Saved. Your plan")).to_be_visible()


def test_get_help_now_stays_on_screen_at_the_bottom_of_every_page(page: Page, server: Server):
    for path in PUBLIC_PAGES:
        page.goto(server.url(path))
        page.locator("main h1").wait_for()
        _to_the_bottom(page)
        expect(_header_help(page)).to_be_in_viewport()
    sign_up(page, server)
    for path in SIGNED_IN_PAGES:
        page.goto(server.url(path))
        page.locator("main h1").wait_for()
        page.wait_for_timeout(300)  # the page's own data in, at its full height
        _to_the_bottom(page)
        expect(_header_help(page)).to_be_in_viewport()
    # At PHQ-9 question 9, the last question, one tap reaches the numbers.
    page.goto(server.url("/questionnaires/phq9"))
    page.get_by_role("radiogroup", name=re.compile("better off dead")).scroll_into_view_if_needed()
    expect(_header_help(page)).to_be_in_viewport()
    _header_help(page).click()
    page.wait_for_url(server.url("/help"))
    expect(page.get_by_role("link", name=re.compile("Call 988"))).to_be_visible()
    expect(page.get_by_text("Nobody watches your entries in real time.")).to_be_visible()


def _kept_help(page: Page) -> list[str]:
    """What the service worker keeps: the URLs in every cache of this origin."""
    return page.evaluate(
        """async () => {
            const urls = [];
            for (const name of await caches.keys()) {
                const cache = await caches.open(name);
                for (const request of await cache.keys()) urls.push(new URL(request.url).pathname);
            }
            return urls;
        }"""
    )


def _wait_for_kept_help(page: Page) -> None:
    page.wait_for_function("() => navigator.serviceWorker && navigator.serviceWorker.controller")
    for _ in range(50):
        if _kept_help(page) == ["/help/offline"]:
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"the help page was not kept: {_kept_help(page)}")


def test_help_works_offline_with_the_patients_own_numbers_and_plan(
    browser: Browser, server: Server
):
    visit = open_visit(browser, server, timezone_id="Europe/London", color_scheme="dark")
    page = visit.new_page()
    sign_up(page, server)
    _save_clinic(page, server, "020 7946 0000")
    _write_plan(page, server)
    page.goto(server.url("/checkin"))
    page.locator("main h1").wait_for()
    page.reload()  # the worker keeps the help page as it is now, clinic and plan included
    _wait_for_kept_help(page)
    visit.context.set_offline(True)
    try:
        # An open page: "Get help now" still answers, with the numbers and no browser error.
        _header_help(page).click()
        offline = page.locator("[data-offline-help]")
        expect(offline).to_be_visible()
        assert page.evaluate("location.pathname") == "/help"
        expect(
            page.get_by_role("link", name=re.compile("Call Samaritans on 116 123"))
        ).to_be_visible()
        expect(page.get_by_role("link", name="Call 999 Emergency services (UK)")).to_be_visible()
        expect(
            page.get_by_role("link", name=re.compile("Call your clinic: 020 7946 0000"))
        ).to_be_visible()
        expect(page.get_by_text("Lying awake past 3 am")).to_be_visible()
        expect(page.get_by_text("Nobody watches your entries in real time.")).to_be_visible()
        # Any page that cannot load offline shows help, not a browser error page.
        for path in ("/help", "/trends", "/checkin?day=" + patient_today().isoformat()):
            page.goto(server.url(path))
            expect(page.locator("[data-offline-help]")).to_be_visible()
            assert page.evaluate("location.href") == server.url(path)
        # Dark mode: light text on a dark page.
        background = page.evaluate("getComputedStyle(document.body).backgroundColor")
        assert background == "rgb(17, 19, 21)"
    finally:
        visit.context.set_offline(False)
    # Nothing but that page is ever kept.
    page.goto(server.url("/trends"))
    page.locator("main h1").wait_for()
    assert _kept_help(page) == ["/help/offline"]
    visit.context.close()


def _crisis_links(page: Page) -> list[tuple[str, float, float]]:
    panel = page.locator("#crisis-urgent .crisis-panel")
    return [
        (link.inner_text().split("\n")[0], box["y"], box["height"])
        for link in panel.locator("a.crisis-link").all()
        if (box := link.bounding_box())
    ]


def test_the_crisis_screen_fits_the_answer(page: Page, server: Server):
    sign_up(page, server)
    _save_clinic(page, server)
    _write_plan(page, server)
    page.goto(server.url("/checkin"))
    page.get_by_role("radiogroup", name="Mood").get_by_role("radio", name="2", exact=True).check()
    page.get_by_text("Thoughts with intent or plan").click()
    alert = page.locator("#crisis-urgent")
    expect(alert).to_be_in_viewport()
    expect(alert).not_to_contain_text("Thank you for telling us")
    links = _crisis_links(page)
    names = [name for name, _, _ in links]
    # One large call to 988 and one to 911 first, then the clinic, then the rest.
    assert names[:3] == ["Call 988", "Call 911", "Call your clinic: 555 0100"], names
    assert links[0][2] >= 56 and links[1][2] >= 56 and links[2][2] < links[0][2]
    assert [y for _, y, _ in links] == sorted(y for _, y, _ in links)
    expect(page.get_by_role("link", name=re.compile("Call 988"))).to_be_in_viewport()
    # Passing thoughts: the calmer set, the patient's own plan first.
    page.get_by_text("Passing thoughts").click()
    expect(alert).to_be_hidden()
    alert = page.locator("#crisis-support")
    expect(alert).to_be_in_viewport()
    plan = alert.get_by_role("region", name="My safety plan")
    expect(plan).to_contain_text("Cold water on my face")
    expect(plan.get_by_role("link", name=re.compile("Call Sam"))).to_have_attribute(
        "href", "tel:5550123"
    )
    first_line = alert.get_by_role("link", name=re.compile("^Call 988"))
    assert plan.bounding_box()["y"] < first_line.bounding_box()["y"]
    assert "crisis-link-big" not in (first_line.get_attribute("class") or "")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Saved for today")).to_be_visible()
    # Today leads with the plan and the help link for the next 72 hours.
    page.goto(server.url("/"))
    card = page.get_by_role("region", name="For the next few days")
    expect(card).to_contain_text("Lying awake past 3 am")
    expect(card.get_by_role("link", name="Get help now")).to_have_attribute("href", "/help")


def test_item_nine_puts_help_above_the_score(page: Page, server: Server):
    sign_up(page, server)
    page.goto(server.url("/questionnaires/phq9"))
    questions = page.get_by_role("group").filter(has=page.get_by_role("radio")).all()[:9]
    for question in questions[:8]:
        question.get_by_role("radio", name="Not at all").check()
    questions[8].get_by_role("radio", name="Several days").check()
    page.get_by_role("button", name="Submit").click()
    score = page.get_by_role("heading", name="PHQ-9 score: 1")
    expect(score).to_be_visible()
    panel = page.get_by_role("region", name="Crisis help")
    expect(panel.get_by_role("link", name=re.compile("Call 988"))).to_be_visible()
    assert panel.bounding_box()["y"] < score.bounding_box()["y"]


def test_questionnaire_answers_survive_a_visit_to_help(page: Page, server: Server):
    sign_up(page, server)
    page.goto(server.url("/questionnaires/gad7"))
    questions = page.get_by_role("group").filter(has=page.get_by_role("radio")).all()[:7]
    for question in questions[:4]:
        question.get_by_role("radio", name="More than half the days").check()
    _header_help(page).click()
    page.wait_for_url(server.url("/help"))
    page.go_back()
    page.wait_for_url(server.url("/questionnaires/gad7"))
    page.get_by_role("group").filter(has=page.get_by_role("radio")).first.wait_for()
    questions = page.get_by_role("group").filter(has=page.get_by_role("radio")).all()[:7]
    assert len(questions) == 7
    for question in questions[:4]:
        expect(question.get_by_role("radio", name="More than half the days")).to_be_checked()
    for question in questions[4:]:
        question.get_by_role("radio", name="Not at all").check()
    page.get_by_role("button", name="Submit").click()
    expect(page.get_by_role("heading", name="GAD-7 score: 8")).to_be_visible()
    # Saved: the next visit starts blank.
    page.goto(server.url("/questionnaires/gad7"))
    first = page.get_by_role("group").filter(has=page.get_by_role("radio")).first
    expect(first.get_by_role("radio", name="More than half the days")).not_to_be_checked()


def _sql_one(server: Server, query: str, *args):
    import sqlite3

    with sqlite3.connect(server.database_url.split("///", 1)[1]) as db:
        return db.execute(query, args).fetchall()


def _make_link(page: Page, server: Server, *, plan: bool, before: str = "") -> str:
    page.goto(server.url("/share"))
    page.get_by_role("button", name="Create link").wait_for()
    if plan:
        page.get_by_label("Include my safety plan").check()
    page.get_by_role("button", name="Create link").click()
    shown = page.locator("#share-new-url")
    # The link just made (the one made a moment before may still show while this one comes).
    expect(shown).not_to_have_text(before or "no link yet")
    expect(shown).to_contain_text("/s/")
    return shown.inner_text()


def test_unanswered_stays_unanswered_and_the_plan_goes_only_where_chosen(
    browser: Browser, server: Server, visit: Visit, page: Page
):
    email = sign_up(page, server)
    _write_plan(page, server)
    page.goto(server.url("/checkin"))
    page.get_by_role("radiogroup", name="Mood").get_by_role("radio", name="6", exact=True).check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Saved for today")).to_be_visible()
    [(stored,)] = _sql_one(
        server,
        "select c.suicidal_thoughts from checkin c join patient p on p.id = c.patient_id"
        " where p.email = ?",
        email,
    )
    assert stored is None
    # A backfilled day asks about that day.
    page.goto(server.url("/checkin?day=2026-01-15"))
    expect(page.get_by_text("Suicidal thoughts that day")).to_be_visible()
    # The export says "not answered" and carries the plan.
    page.goto(server.url("/settings"))
    with page.expect_download() as exported:
        page.get_by_role("link", name="Export my data").click()
    data = json.loads(Path(exported.value.path()).read_text(encoding="utf-8"))
    assert data["checkins"][0]["suicidal_thoughts"] == "not answered"
    assert data["safety_plan"]["warning_signs"] == "Lying awake past 3 am"
    assert data["safety_plan"]["helpers"] == [{"name": "Sam", "phone": "555 0123"}]
    # The summary counts the days answered and shows the plan only on a link that says so.
    without = _make_link(page, server, plan=False)
    with_plan = _make_link(page, server, plan=True, before=without)
    clinician = open_visit(browser, server)
    summary = clinician.new_page()
    summary.goto(without)
    safety = summary.get_by_role("region", name="Safety events")
    expect(safety).to_contain_text("not answered on any of the 30 days")
    expect(safety).not_to_contain_text("None recorded")
    expect(summary.locator("main")).not_to_contain_text("Lying awake past 3 am")
    summary.goto(with_plan)
    expect(summary.get_by_role("region", name=re.compile("Safety plan"))).to_contain_text(
        "Lying awake past 3 am"
    )
    clinician.context.close()


def test_numbers_fit_where_the_patient_is(browser: Browser, server: Server):
    visit = open_visit(browser, server, timezone_id="Australia/Sydney")
    page = visit.new_page()
    sign_up(page, server)
    page.goto(server.url("/help"))
    expect(page.get_by_role("link", name=re.compile("Call Lifeline on 13 11 14"))).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("Call 000"))).to_have_attribute(
        "href", "tel:000"
    )
    # Settings can say otherwise: a patient in Sydney who is being treated in New Zealand.
    page.goto(server.url("/settings"))
    page.get_by_label("Crisis numbers for").select_option("NZ")
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_text("Saved.")).to_be_visible()
    page.goto(server.url("/help"))
    expect(page.get_by_role("link", name=re.compile("^Call 1737"))).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("Call 111"))).to_be_visible()
    visit.context.close()
    assert PATIENT_TZ == "America/New_York"  # every other browser test runs as a US patient
