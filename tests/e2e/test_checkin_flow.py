"""The heart of the product in a phone-sized browser: check-in, crisis screens, infusions, PHQ-9."""

from __future__ import annotations

import re
from datetime import timedelta

from playwright.sync_api import Page, expect

from tests.browser import Server, db_rows, patient_today, sign_up
from tests.e2e.test_foundation import (
    fits_without_sideways_scroll,
    serious_axe_violations,
    small_tap_targets,
)

PHQ9_ANSWERS = ["Several days"] * 8


def test_mood_only_checkin_takes_two_taps(page: Page, server: Server):
    email = sign_up(page, server)
    page.goto(server.url("/checkin"))
    mood = page.get_by_role("radiogroup", name="Mood")
    expect(mood.get_by_role("radio")).to_have_count(11)
    expect(mood.get_by_role("radio", name="0", exact=True)).to_be_visible()
    expect(mood.get_by_role("radio", name="10", exact=True)).to_be_visible()
    mood.get_by_role("radio", name="7", exact=True).check()  # tap 1
    page.get_by_role("button", name="Save").click()  # tap 2
    expect(page.locator("[data-kc-status]")).to_contain_text("Saved")
    expect(mood.get_by_role("radio", name="7", exact=True)).to_be_checked()
    assert fits_without_sideways_scroll(page)
    # Every button, day chip and tab is a full 44 x 44 target at 360 px.
    assert small_tap_targets(page) == []
    rows = db_rows(
        server,
        "select c.mood from checkin c join patient p on p.id = c.patient_id where p.email = :e",
        e=email,
    )
    assert rows == [(7,)]
    # Opening the page again shows the saved answer: the day can be edited.
    page.reload()
    expect(page.get_by_text("editing your check-in")).to_be_visible()
    expect(
        page.get_by_role("radiogroup", name="Mood").get_by_role("radio", name="7", exact=True)
    ).to_be_checked()


CLINIC_PHONE = "+1 555 0100"


def _save_clinic(page: Page, server: Server) -> None:
    page.goto(server.url("/settings"))
    page.get_by_label("Clinic name").fill("Lakeside Infusion Clinic")
    page.get_by_label("Clinic phone").fill(CLINIC_PHONE)
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_role("status").filter(has_text="Saved")).to_be_visible()


def _expect_clinic_in(crisis) -> None:
    clinic = crisis.get_by_role("link", name=re.compile("Call your clinic"))
    expect(clinic).to_contain_text("Lakeside Infusion Clinic")
    expect(clinic).to_have_attribute("href", "tel:" + CLINIC_PHONE)


def test_suicidal_thoughts_answer_shows_the_crisis_screen_at_once(page: Page, server: Server):
    sign_up(page, server)
    _save_clinic(page, server)
    page.goto(server.url("/checkin"))
    thoughts = page.get_by_role("radiogroup", name="Suicidal thoughts today")
    expect(thoughts.get_by_role("radio")).to_have_count(3)
    expect(page.get_by_role("alert").filter(has_text="988")).to_have_count(0)
    thoughts.get_by_role("radio", name="Passing thoughts").check()
    crisis = page.get_by_role("alert").filter(has_text="988")
    expect(crisis).to_be_visible()
    expect(crisis.get_by_role("link", name=re.compile("Call 988"))).to_have_attribute(
        "href", "tel:988"
    )
    # On screen at once, above the Save bar, not somewhere below the fold.
    call = crisis.get_by_role("link", name=re.compile("Call 988"))
    expect(call).to_be_in_viewport()
    box, bar = call.bounding_box(), page.locator(".save-bar").bounding_box()
    assert box is not None and bar is not None
    assert box["y"] + box["height"] <= bar["y"]
    # The patient's own clinic is on the screen they see at the moment of risk, right after 988.
    _expect_clinic_in(crisis)
    links = crisis.get_by_role("link").all_inner_texts()
    assert links[0].startswith("Call 988") and links[1].startswith("Call your clinic")
    thoughts.get_by_role("radio", name="None").check()
    expect(page.get_by_role("alert").filter(has_text="988")).to_have_count(0)
    thoughts.get_by_role("radio", name="Thoughts with intent or plan").check()
    expect(page.get_by_role("alert").filter(has_text="988")).to_be_visible()


def _answer_phq9(page: Page, item9: str) -> None:
    for question in page.get_by_role("group").filter(has=page.get_by_role("radio")).all()[:8]:
        question.get_by_role("radio", name="Several days").check()
    page.get_by_role(
        "group", name="Thoughts that you would be better off dead or of hurting yourself"
    ).get_by_role("radio", name=item9).check()


def test_phq9_from_start_to_score(page: Page, server: Server):
    sign_up(page, server)
    page.get_by_role("link", name="Take the PHQ-9").click()
    page.wait_for_url(re.compile("/questionnaires/phq9"))
    expect(
        page.get_by_text("Over the last 2 weeks, how often have you been bothered")
    ).to_be_visible()
    first = page.get_by_role("group", name="Little interest or pleasure in doing things")
    for option in ["Not at all", "Several days", "More than half the days", "Nearly every day"]:
        expect(first.get_by_role("radio", name=option)).to_have_count(1)
    # The question sits inside its card, not on the card's top border.
    card, legend = first.bounding_box(), first.locator("legend").bounding_box()
    assert card is not None and legend is not None
    assert legend["y"] >= card["y"] + 8
    assert fits_without_sideways_scroll(page)
    assert serious_axe_violations(page) == []
    _answer_phq9(page, "Not at all")
    page.get_by_role("button", name="Submit").click()
    expect(page.get_by_text("PHQ-9 score: 8")).to_be_visible()
    expect(page.get_by_text("mild", exact=True)).to_be_visible()
    expect(page.get_by_role("alert").filter(has_text="988")).to_have_count(0)
    expect(page.get_by_text("Pfizer")).to_be_visible()


def test_phq9_item9_shows_the_crisis_screen(page: Page, server: Server):
    email = sign_up(page, server)
    _save_clinic(page, server)
    page.goto(server.url("/questionnaires/phq9"))
    _answer_phq9(page, "Several days")
    page.get_by_role("button", name="Submit").click()
    expect(page.get_by_text("PHQ-9 score: 9")).to_be_visible()
    crisis = page.get_by_role("alert").filter(has_text="988")
    expect(crisis).to_be_visible()
    _expect_clinic_in(crisis)
    events = db_rows(
        server,
        "select s.kind from safety_event s join patient p on p.id = s.patient_id "
        "where p.email = :e",
        e=email,
    )
    assert events == [("phq9_item9",)]


def test_gad7_page_fits_and_scores(page: Page, server: Server):
    sign_up(page, server)
    page.goto(server.url("/questionnaires/gad7"))
    assert fits_without_sideways_scroll(page)
    for question in page.get_by_role("group").filter(has=page.get_by_role("radio")).all()[:7]:
        question.get_by_role("radio", name="More than half the days").check()
    page.get_by_role("button", name="Submit").click()
    expect(page.get_by_text("GAD-7 score: 14")).to_be_visible()
    expect(page.get_by_text("moderate", exact=True)).to_be_visible()


def test_log_an_infusion_and_answer_its_check(page: Page, server: Server):
    sign_up(page, server)
    page.goto(server.url("/infusions"))
    yesterday = (patient_today() - timedelta(days=1)).isoformat()
    page.get_by_label("Date").fill(yesterday)
    page.get_by_label("Time").fill("06:30")
    page.get_by_label("Route").select_option(label="IV infusion")
    page.get_by_label("Dose (optional)").fill("0.5")
    page.get_by_label("Dose unit").select_option("mg/kg")
    page.get_by_label("Clinic").fill("Lakeside")
    page.get_by_role("button", name="Save infusion").click()
    expect(page.get_by_role("status")).to_have_text("Infusion saved.")
    expect(page.get_by_text("Induction 1")).to_be_visible()
    expect(page.get_by_text("0.5 mg/kg")).to_be_visible()
    assert fits_without_sideways_scroll(page)
    assert serious_axe_violations(page) == []
    page.get_by_role("link", name="After 24 hours").click()
    page.wait_for_url(re.compile("/infusions/check"))
    expect(page.get_by_role("heading", name="Post-infusion check", level=1)).to_be_visible()
    assert fits_without_sideways_scroll(page)
    assert serious_axe_violations(page) == []
    # What to do about a severe reaction comes first, with a number to tap, on screen at once.
    emergency = page.get_by_role("link", name="Call 911 in an emergency")
    expect(emergency).to_have_attribute("href", "tel:911")
    expect(emergency).to_be_in_viewport()
    # Much worse ... much better reads top to bottom, one answer per line.
    scale = page.get_by_role("radiogroup", name="Compared with before this infusion I feel")
    tops = [box["y"] for box in (r.bounding_box() for r in scale.locator("label").all()) if box]
    assert len(tops) == 5 and tops == sorted(tops) and len(set(tops)) == 5
    page.get_by_role("radiogroup", name="Nausea or vomiting").get_by_role(
        "radio", name="Mild"
    ).check()
    page.get_by_role("radiogroup", name="Dissociation or feeling unreal").get_by_role(
        "radio", name="5", exact=True
    ).check()
    page.get_by_role("radiogroup", name="Compared with before this infusion I feel").get_by_role(
        "radio", name="A little better"
    ).check()
    page.get_by_role("button", name="Save check").click()
    saved = page.get_by_role("region", name="Saved")
    saved.get_by_role("link", name="Back to your infusions").click()
    page.wait_for_url(re.compile(r"/infusions/?$"))
    expect(page.get_by_role("link", name="✓ After 24 hours")).to_be_visible()


def test_each_day_shows_its_own_answers_as_the_patient_moves_between_days(
    page: Page, server: Server
):
    """The form is not re-drawn when another day loads: it is reset to what the server sent for
    that day, and only then is that day's unsaved draft put back (assets/js/outbox.js)."""
    sign_up(page, server)
    page.goto(server.url("/checkin"))
    mood = page.get_by_role("radiogroup", name="Mood")
    anxiety = page.get_by_role("radiogroup", name="Anxiety")
    work = page.get_by_role("checkbox", name="work")
    mood.get_by_role("radio", name="8", exact=True).check()
    anxiety.get_by_role("radio", name="2", exact=True).check()
    work.check()
    page.get_by_role("button", name="Save").click()
    expect(page.locator("[data-kc-status]")).to_contain_text("Saved")

    chips = page.get_by_role("navigation", name="The last seven days").get_by_role("link")
    chips.nth(5).click()  # yesterday: nothing logged
    expect(page).to_have_url(re.compile(r"\?day=\d{4}-\d{2}-\d{2}$"))
    expect(page.get_by_text("editing your check-in")).to_have_count(0)
    expect(mood.locator("input:checked")).to_have_count(0)
    expect(anxiety.locator("input:checked")).to_have_count(0)
    expect(work).not_to_be_checked()
    mood.get_by_role("radio", name="3", exact=True).check()  # a draft, not saved

    chips.nth(6).click()  # today, as saved
    expect(page.get_by_text("editing your check-in")).to_be_visible()
    expect(mood.get_by_role("radio", name="8", exact=True)).to_be_checked()
    expect(anxiety.get_by_role("radio", name="2", exact=True)).to_be_checked()
    expect(work).to_be_checked()

    chips.nth(5).click()  # yesterday again: its draft is still there, and nothing of today's
    expect(mood.get_by_role("radio", name="3", exact=True)).to_be_checked()
    expect(anxiety.locator("input:checked")).to_have_count(0)
    expect(work).not_to_be_checked()
