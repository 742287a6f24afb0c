"""Today and Trends tell the demo patient, at 360x640, where they are against their own
durability."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser import DEMO_PASSWORD, open_visit, sign_in
from tests.e2e.test_foundation import fits_without_sideways_scroll

# The demo's last infusion was 17 days ago; its boosters fell back after 19, 26 and 29 days
# (the induction series' last infusion held until the first booster: a lower bound, left out).
OUTLOOK = re.compile(
    r"^Day 17 since your last infusion\. Yours have lasted 19–29 days \(median 26\)\. "
    r"A booster may be due around \w{3} \d{1,2} \w{3}; talk to your clinic\.$"
)


def test_today_shows_the_demo_patient_where_they_are_against_their_durability(
    browser, server, demo_account
):
    visit = open_visit(browser, server)
    page = visit.new_page()
    sign_in(page, server, demo_account, DEMO_PASSWORD)
    page.wait_for_url(server.url("/"))
    treatment = page.get_by_role("region", name="Treatment")
    line = treatment.get_by_text(OUTLOOK)
    expect(line).to_be_visible()
    box = line.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 360
    assert fits_without_sideways_scroll(page)
    assert visit.foreign_requests() == []
    visit.context.close()


def test_trends_shows_the_same_outlook_as_today(browser, server, demo_account):
    """Trends says where the patient is against their durability in Today's words (issue 14,
    points 1 and 2: one method for every view), fully inside the 360 px screen."""
    visit = open_visit(browser, server)
    page = visit.new_page()
    sign_in(page, server, demo_account, DEMO_PASSWORD)
    page.wait_for_url(server.url("/"))
    today_line = page.get_by_role("region", name="Treatment").get_by_text(OUTLOOK)
    expect(today_line).to_be_visible()
    on_today = today_line.inner_text()
    page.goto(server.url("/trends"))
    line = page.locator(".durability-line")
    expect(line).to_be_visible()
    # The same sentences, the booster's day among them, as Today's a moment ago.
    expect(line).to_have_text(on_today)
    assert "A booster may be due around" in on_today
    line.scroll_into_view_if_needed()
    box = line.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 360
    # Its words inside its own box: none cut off or spilling past the screen's edge.
    assert line.evaluate(
        """l => { const r = document.createRange(); r.selectNodeContents(l);
           const w = r.getBoundingClientRect(), b = l.getBoundingClientRect();
           return w.left >= b.left - 1 && w.right <= b.right + 1 && w.right <= innerWidth; }"""
    )
    assert fits_without_sideways_scroll(page)
    assert visit.foreign_requests() == []
    visit.context.close()
