"""Trends with the demo patient's 180 days, Learn articles, and Plotly only where charts are."""

from __future__ import annotations

import re
import urllib.request

import pytest
from playwright.sync_api import Page, expect

from tests.browser import DEMO_PASSWORD, DESKTOP, Server, open_visit, sign_in, sign_up
from tests.e2e.test_foundation import (
    fits_without_sideways_scroll,
    list_markers,
    serious_axe_violations,
)

CHART_TITLES = [
    "Mood by day",
    "How each infusion worked",
    "PHQ-9 (depression)",
    "GAD-7 (anxiety)",
    "Sleep, anxiety, energy and pain",
    "Side effects per infusion",
]


def _scripts(page: Page, path: str, server: Server, until: str = "") -> list[str]:
    """The scripts the page loads, once it shows `until` (charts draw after their data come:
    Plotly is fetched only then)."""
    urls: list[str] = []
    page.on(
        "response", lambda r: urls.append(r.url) if r.request.resource_type == "script" else None
    )
    page.goto(server.url(path))
    page.get_by_role("heading", level=1).wait_for()
    if until:
        page.locator(until).first.wait_for()
    page.wait_for_load_state("networkidle")
    return urls


def _body(url: str) -> str:
    with urllib.request.urlopen(url) as response:  # noqa: S310 - our own server
        return response.read().decode("utf-8", "replace")


@pytest.mark.parametrize("viewport", [None, DESKTOP], ids=["phone", "desktop"])
def test_demo_trends_show_every_chart_with_its_summary(browser, server, demo_account, viewport):
    visit = open_visit(browser, server, **({"viewport": viewport} if viewport else {}))
    page = visit.new_page()
    sign_in(page, server, demo_account, DEMO_PASSWORD)
    page.wait_for_url(server.url("/"))
    page.get_by_role("link", name="Trends", exact=True).click()
    page.wait_for_url(re.compile("/trends"))
    for title in CHART_TITLES:
        card = page.get_by_role("region", name=title)
        expect(card.locator("svg.main-svg").first).to_be_attached(timeout=30_000)
        summary = card.locator(".chart-summary").inner_text()
        assert len(summary) > 30 and not summary.startswith(("Log ", "Take ", "Answer "))
    expect(
        page.get_by_text(re.compile(r"Your infusions lasted about \d+ days \(median\)\.")).first
    ).to_be_visible()
    page.get_by_role("group", name="Range").get_by_role("button", name="All").click()
    expect(page.get_by_role("button", name="All")).to_have_attribute("aria-pressed", "true")
    expect(
        page.get_by_role("region", name="Mood by day").locator(".chart-summary")
    ).to_contain_text("180 days")
    # Every infusion of the 180 days is marked (10 given and 1 planned is after today).
    markers = page.get_by_role("region", name="Mood by day").locator(
        "g.trace.scatter:has(path.point) path.point"
    )
    assert markers.count() > 10
    assert fits_without_sideways_scroll(page)
    assert page.locator(".modebar").count() == 0
    assert serious_axe_violations(page) == []
    assert visit.foreign_requests() == []
    visit.context.close()


def test_new_patient_sees_what_to_log_instead_of_empty_charts(page: Page, server: Server):
    sign_up(page, server)
    page.goto(server.url("/trends"))
    expect(
        page.get_by_text("Log your mood on at least two days to see this chart.")
    ).to_be_visible()
    expect(page.get_by_text("Take a PHQ-9 to see this chart.")).to_be_visible()
    assert page.locator("svg.main-svg").count() == 0


def test_plotly_loads_on_trends_only(page: Page, server: Server, demo_account: str):
    sign_in(page, server, demo_account, DEMO_PASSWORD)
    page.wait_for_url(server.url("/"))
    trends = _scripts(page, "/trends", server, until="svg.main-svg")
    plotly_scripts = {u for u in trends if "Plotly" in _body(u) and "plotly.js" in _body(u)}
    assert plotly_scripts, "the trends page should load Plotly"
    assert all("plotly-basic" in u for u in plotly_scripts), "only the basic bundle"
    fresh = page.context.new_page()
    checkin = _scripts(fresh, "/checkin", server)
    assert checkin, "scripts on /checkin were recorded"
    assert not set(checkin) & plotly_scripts
    assert not [u for u in checkin if "plotly" in u.lower() or "plotly.js" in _body(u)]
    assert fresh.evaluate("typeof window.Plotly") == "undefined"


def test_learn_groups_articles_opens_one_and_marks_it_read(page: Page, server: Server):
    sign_up(page, server)
    page.get_by_role("link", name="Learn", exact=True).click()
    page.wait_for_url(re.compile("/learn"))
    for heading in ["Before you start", "During the induction series", "Maintenance and boosters"]:
        expect(page.get_by_role("heading", name=heading, level=2)).to_be_visible()
    expect(page.get_by_text("Read", exact=True)).to_have_count(0)
    page.get_by_role("link", name="Why a series of six").click()
    page.wait_for_url(re.compile("/learn/why-six"))
    expect(page.get_by_role("heading", name="Why a series of six", level=1)).to_be_visible()
    expect(page.get_by_text("Last reviewed")).to_be_visible()
    expect(page.get_by_text("not medical advice")).to_be_visible()
    expect(page.get_by_role("heading", name="Sources")).to_be_visible()
    assert fits_without_sideways_scroll(page)
    assert serious_axe_violations(page) == []
    page.get_by_role("link", name="All articles").click()
    page.wait_for_url(re.compile(r"/learn/?$"))
    entry = page.locator("li").filter(has=page.get_by_role("link", name="Why a series of six"))
    expect(entry.get_by_text("Read", exact=True)).to_be_visible()


def test_article_lists_headings_and_links_to_the_apps_pages(page: Page, server: Server):
    sign_up(page, server)
    page.goto(server.url("/learn/clinician-summary"))
    heading = page.get_by_role("heading", name="What your clinician sees", level=2)
    expect(heading).to_be_visible()
    page.wait_for_load_state("networkidle")
    # Subheadings look like headings: bold and larger than the text.
    weight, size = heading.evaluate(
        "h => [Number(getComputedStyle(h).fontWeight), parseFloat(getComputedStyle(h).fontSize)]"
    )
    body_size = page.locator(".prose p").first.evaluate(
        "p => parseFloat(getComputedStyle(p).fontSize)"
    )
    assert weight >= 700 and size > body_size
    # Bulleted and numbered lists keep their markers, indented within a 360 px screen.
    bullets = list_markers(page, ".prose ul > li")
    numbers = list_markers(page, ".prose ol > li")
    assert bullets and numbers
    assert all(style == "disc" and 12 <= indent <= 40 for style, indent in bullets), bullets
    assert all(style == "decimal" and 12 <= indent <= 40 for style, indent in numbers), numbers
    assert {style for style, _ in list_markers(page, ".sources > li")} == {"decimal"}
    assert fits_without_sideways_scroll(page)
    assert serious_axe_violations(page) == []
    # A page named in the text is a link into the app; the closing line opens /help.
    expect(page.get_by_role("link", name="Share page")).to_have_attribute("href", "/share")
    page.get_by_role("link", name="Get help now page").click()
    page.wait_for_url(re.compile(r"/help/?$"))
    expect(page.get_by_role("heading", name="Get help now", level=1)).to_be_visible()
    expect(page.get_by_role("navigation", name="Tabs")).to_be_visible()


def test_today_suggests_an_article_with_its_reason(page: Page, server: Server):
    sign_up(page, server)
    card = page.get_by_role("region", name="Suggested reading")
    expect(card.get_by_text("Because your first infusion is still ahead")).to_be_visible()
    card.get_by_role("link").click()
    page.wait_for_url(re.compile("/learn/"))
