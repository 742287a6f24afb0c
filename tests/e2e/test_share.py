"""Sharing with a clinician in real browsers: the link, the summary, print, downloads, erasure."""

from __future__ import annotations

import json
import re
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from fhir.resources.R4B.bundle import Bundle
from icalendar import Calendar
from playwright.sync_api import Page, expect
from sqlalchemy import text

from companion.data.db import make_engine
from tests.browser import (
    DEMO_PASSWORD,
    DESKTOP,
    PASSWORD,
    Server,
    open_visit,
    patient_today,
    sign_in,
    sign_up,
)
from tests.e2e.test_foundation import fits_without_sideways_scroll, serious_axe_violations

NOT_VALID = "This link is not valid"


def _sql(server: Server, statement: str, **params):
    engine = make_engine(server.database_url)
    with engine.begin() as connection:
        result = connection.execute(text(statement), params)
        rows = result.all() if result.returns_rows else []
    engine.dispose()
    return rows


def _create_link(page: Page, server: Server, *, period="30d", notes=False, passcode="") -> str:
    page.goto(server.url("/share"))
    page.get_by_label("Period covered").select_option(period)
    if notes:
        page.get_by_label("Include notes").check()
    if passcode:
        page.get_by_label("Passcode (optional)").fill(passcode)
    page.get_by_role("button", name="Create link").click()
    link = page.locator("#share-new-url")
    expect(link).to_contain_text("/s/")
    return link.inner_text()


def _open_as_clinician(browser, server: Server, url: str, **options):
    visit = open_visit(browser, server, **({"viewport": DESKTOP} | options))
    assert visit.context.cookies() == []
    page = visit.new_page()
    page.goto(url)
    return visit, page


def test_summary_figures_match_the_patients_data(browser, server: Server, demo_account: str):
    visit = open_visit(browser, server, permissions=["clipboard-read", "clipboard-write"])
    page = visit.new_page()
    sign_in(page, server, demo_account, DEMO_PASSWORD)
    page.wait_for_url(server.url("/"))
    url = _create_link(page, server)
    expect(page.get_by_role("img", name=re.compile("QR code"))).to_be_visible()
    expect(page.get_by_role("figure")).to_contain_text("scan this with their phone's camera")
    page.get_by_role("button", name="Copy link").click()
    expect(page.locator("#share-copy-status")).to_have_text("Copied.")
    assert page.evaluate("navigator.clipboard.readText()") == url
    clinician, summary = _open_as_clinician(browser, server, url)
    expect(summary.get_by_role("heading", name=re.compile("Clinician summary"))).to_be_visible()
    main = summary.locator("main")
    expect(main.get_by_role("region", name="Safety events")).to_be_visible()
    # Whose summary it is, as the patient chose to show it in Settings.
    expect(main.locator("#summary-whose")).to_have_text(
        "Patient: Alex Morgan (demo) · Clinic: Lakeside Ketamine Clinic"
    )

    [(patient_id, tz)] = _sql(
        server, "select id, timezone from patient where email = :e", e=demo_account
    )
    today = datetime.now(ZoneInfo(tz)).date()  # the patient's own calendar decides
    start = today - timedelta(days=29)
    [(logged,)] = _sql(
        server,
        "select count(*) from checkin where patient_id = :p and day >= :s and day <= :t",
        p=patient_id,
        s=start.isoformat(),
        t=today.isoformat(),
    )
    expect(main.get_by_text(f"Check-ins on {logged} of 30 days")).to_be_visible()
    phq9 = _sql(
        server,
        "select total, severity from questionnaire_response where patient_id = :p and "
        "instrument = 'phq9' order by day, completed_at",
        p=patient_id,
    )
    row = main.get_by_role("row").filter(has=summary.get_by_role("rowheader", name="PHQ-9"))
    expect(row).to_contain_text(f"{phq9[-1][0]} ({phq9[-1][1]})")
    expect(row).to_contain_text("20 on")  # the demo's pre-treatment baseline
    events = _sql(
        server,
        "select count(*) from safety_event where patient_id = :p and day >= :s",
        p=patient_id,
        s=start.isoformat(),
    )[0][0]
    safety = main.get_by_role("region", name="Safety events")
    if events:
        expect(safety.get_by_role("listitem")).to_have_count(events)
    else:
        # Never "None recorded": how many of the days answered the question is said instead.
        expect(safety.locator("#safety-answered")).to_contain_text("days answered of 30")
    [(before,)] = _sql(
        server,
        "select count(*) from safety_event where patient_id = :p and day < :s",
        p=patient_id,
        s=start.isoformat(),
    )
    assert before > 0  # the demo's June events: a short period must still mention them
    noun = "event" if before == 1 else "events"
    expect(safety.locator("#safety-before")).to_contain_text(
        f"Before this period: {before} safety {noun}."
    )
    infusions = _sql(
        server,
        "select starts_at from infusion where patient_id = :p order by starts_at",
        p=patient_id,
    )
    in_period = [r for r in infusions if start.isoformat() <= str(r[0])[:10] <= today.isoformat()]
    table = main.get_by_role("region", name="Infusions").locator("tbody tr")
    assert abs(table.count() - len(in_period)) <= 1  # a time near midnight may change its day
    expect(main.locator("#mood .chart-wide svg")).to_have_attribute("role", "img")
    expect(main.get_by_role("img", name="PHQ-9 over time")).to_be_visible()
    # When a booster may be due, from the last infusion and the next planned one.
    now = datetime.now(UTC)
    planned = [r for r in infusions if datetime.fromisoformat(str(r[0])).replace(tzinfo=UTC) > now]
    outlook = main.locator("#booster-outlook")
    expect(outlook).to_contain_text("the last infusion (")
    expect(outlook).to_contain_text("Next planned infusion:" if planned else "No infusion planned.")
    # Order: safety first, then treatment, outcomes, infusions, charts, adherence.
    ids = main.locator("section.summary-section").evaluate_all("els => els.map(e => e.id)")
    assert ids[:7] == [
        "safety",
        "treatment",
        "outcomes",
        "infusions",
        "mood",
        "phq9",
        "adherence",
    ]
    assert clinician.foreign_requests() == []
    # Nothing leads into the patient's pages.
    assert summary.get_by_role("link", name="Today").count() == 0
    clinician.context.close()
    visit.context.close()


def test_view_log_name_and_revoke(page: Page, browser, server: Server):
    sign_up(page, server)
    url = _create_link(page, server)
    clinician, summary = _open_as_clinician(browser, server, url)
    summary.get_by_label("Your name").fill("Dr Ada Lee")
    summary.get_by_role("button", name="Add my name").click()
    expect(summary.get_by_role("status")).to_contain_text("Dr Ada Lee")
    page.goto(server.url("/share"))
    card = page.locator("li.card").first
    expect(card).to_contain_text("Views1")
    card.get_by_text("Who opened it").click()
    expect(card.get_by_role("cell", name="Dr Ada Lee")).to_be_visible()
    expect(card.get_by_role("cell", name=re.compile("Chrome on"))).to_be_visible()
    card.get_by_role("button", name="Revoke", exact=True).click()
    expect(card).to_contain_text("Revoked")
    summary.goto(url)
    expect(summary.get_by_text(NOT_VALID)).to_be_visible()
    expect(summary.locator("main")).not_to_contain_text("Safety events")
    clinician.context.close()


def test_unknown_malformed_and_expired_links_look_the_same(page: Page, browser, server: Server):
    email = sign_up(page, server)
    url = _create_link(page, server)
    _sql(
        server,
        "update share_link set expires_at = '2000-01-01 00:00:00' where patient_id = "
        "(select id from patient where email = :e)",
        e=email,
    )
    texts = []
    clinician = open_visit(browser, server)
    viewer = clinician.new_page()
    for target in [url, server.url("/s/" + "A" * 43), server.url("/s/not-a-token"), url + "x"]:
        viewer.goto(target)
        expect(viewer.get_by_text(NOT_VALID)).to_be_visible()
        texts.append(viewer.locator("main").inner_text())
        assert email not in viewer.content()
    assert len(set(texts)) == 1
    response = viewer.goto(server.url("/s/" + "A" * 43))
    assert response.headers["referrer-policy"] == "same-origin"
    assert "noindex" in response.headers["x-robots-tag"]
    assert viewer.locator("meta[name=robots]").get_attribute("content").startswith("noindex")
    clinician.context.close()


def test_typed_html_in_notes_shows_as_text_and_runs_nothing(page: Page, browser, server: Server):
    sign_up(page, server)
    hostile = ["<img src=x onerror=alert(1)>", "<script>alert(2)</script>"]
    for offset, note in enumerate(hostile):
        day = (patient_today() - timedelta(days=offset)).isoformat()
        page.goto(server.url(f"/checkin?day={day}"))
        page.get_by_role("radiogroup", name="Mood").get_by_role(
            "radio", name="5", exact=True
        ).check()
        page.get_by_label("Note").fill(note)
        page.get_by_role("button", name="Save").click()
        expect(page.locator("[data-kc-status]")).to_contain_text("Saved")
    url = _create_link(page, server, notes=True)
    clinician, summary = _open_as_clinician(
        browser, server, url, viewport={"width": 360, "height": 640}
    )
    dialogs: list[str] = []
    summary.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    notes = summary.get_by_role("region", name="Notes")
    for note in hostile:
        expect(notes.get_by_text(note, exact=True)).to_be_visible()
    assert notes.locator("img, script").count() == 0
    summary.wait_for_timeout(500)
    assert dialogs == []
    assert fits_without_sideways_scroll(summary)
    # Every cell of the outcomes table is on screen at 360 px (each row a card), none cut off.
    cells = summary.locator("#outcomes td").all()
    rights = [box["x"] + box["width"] for box in (c.bounding_box() for c in cells) if box]
    assert len(rights) == 12 and max(rights) <= 360
    assert serious_axe_violations(summary) == []
    clinician.context.close()


def test_passcode_link_then_downloads_csv_and_fhir(page: Page, browser, server: Server, tmp_path):
    sign_up(page, server)
    page.goto(server.url("/questionnaires/phq9"))
    for question in page.get_by_role("group").filter(has=page.get_by_role("radio")).all()[:9]:
        question.get_by_role("radio", name="Several days").check()
    page.get_by_role("button", name="Submit").click()
    expect(page.get_by_text("PHQ-9 score: 9")).to_be_visible()
    url = _create_link(page, server, passcode="blue heron")
    clinician, summary = _open_as_clinician(browser, server, url)
    expect(summary.get_by_label("Passcode")).to_be_visible()
    expect(summary.locator("main")).not_to_contain_text("Safety events")
    summary.get_by_label("Passcode").fill("wrong one")
    summary.get_by_role("button", name="Open summary").click()
    expect(summary.get_by_role("alert")).to_contain_text("4 tries left")
    summary.get_by_label("Passcode").fill("blue heron")
    summary.get_by_label("Your name").fill("Nurse Kim")
    summary.get_by_role("button", name="Open summary").click()
    safety = summary.get_by_role("region", name="Safety events")
    expect(safety).to_contain_text("PHQ-9 item 9")
    with summary.expect_download() as csv_download:
        summary.get_by_role("link", name="Download CSV").click()
    # utf-8-sig: the file starts with a byte-order mark, for Excel.
    body = Path(csv_download.value.path()).read_text(encoding="utf-8-sig")
    assert body.startswith("record,date") and "PHQ-9" in body
    with summary.expect_download() as fhir_download:
        summary.get_by_role("link", name="Download FHIR").click()
    bundle = json.loads(Path(fhir_download.value.path()).read_text(encoding="utf-8"))
    Bundle.model_validate(bundle)
    assert any(
        c["code"] == "44261-6"
        for e in bundle["entry"]
        if e["resource"]["resourceType"] == "Observation"
        for c in e["resource"]["code"]["coding"]
    )
    clinician.context.close()


def test_summary_prints_cleanly_on_a4_and_letter(browser, server: Server, demo_account: str):
    visit = open_visit(browser, server)
    page = visit.new_page()
    sign_in(page, server, demo_account, DEMO_PASSWORD)
    page.wait_for_url(server.url("/"))
    url = _create_link(page, server, period="90d", notes=True)
    for paper, width_px in (("A4", 794), ("Letter", 816)):
        clinician, summary = _open_as_clinician(browser, server, url)
        expect(summary.locator("#mood .chart-wide svg")).to_be_attached()
        summary.emulate_media(media="print")
        # Printable width: the paper less the 14 mm margins of the print stylesheet, in CSS px.
        printable = width_px - round(2 * 14 * 96 / 25.4)
        summary.set_viewport_size({"width": printable, "height": 1000})
        summary.wait_for_timeout(500)
        assert summary.locator("header.app-header").is_hidden()
        assert summary.locator(".downloads").is_hidden()
        widest = summary.evaluate(
            "[...document.querySelectorAll('main *')].map(e => [e.getBoundingClientRect().right,"
            " e.tagName + '.' + (e.getAttribute('class') || '')]).sort((a, b) => b[0] - a[0])[0]"
        )
        assert widest[0] <= printable + 1, (
            f"{paper}: {widest[1]} reaches {widest[0]} of {printable}"
        )
        assert (
            summary.evaluate("getComputedStyle(document.querySelector('tbody tr')).breakInside")
            == "avoid"
        )
        pdf = summary.pdf(format=paper, print_background=True)
        assert pdf.startswith(b"%PDF") and pdf.count(b"/Type /Page") >= 2
        clinician.context.close()
    visit.context.close()


def test_export_calendar_and_delete_account(page: Page, browser, server: Server):
    email = sign_up(page, server)
    page.goto(server.url("/checkin"))
    page.get_by_role("radiogroup", name="Mood").get_by_role("radio", name="6", exact=True).check()
    page.get_by_role("button", name="Save").click()
    expect(page.locator("[data-kc-status]")).to_contain_text("Saved")
    url = _create_link(page, server)
    page.goto(server.url("/settings"))
    expect(page.get_by_role("link", name="Export my data")).to_have_count(1)
    with page.expect_download() as exported:
        page.get_by_role("link", name="Export my data").click()
    exported_text = Path(exported.value.path()).read_text(encoding="utf-8")
    data = json.loads(exported_text)
    assert data["account"]["email"] == email and data["checkins"][0]["mood"] == 6
    assert any(s["signed_in"] for s in data["sign_in_sessions"])
    assert "token_hash" not in exported_text and "$argon2" not in exported_text
    with page.expect_download() as exported_csv:
        page.get_by_role("link", name="Export as a spreadsheet (CSV)").click()
    assert "checkin" in Path(exported_csv.value.path()).read_text(encoding="utf-8")

    page.get_by_label("Daily reminder at").fill("21:30")
    page.get_by_role("button", name="Create calendar link").click()
    feed = page.locator("#calendar-url")
    expect(feed).to_contain_text("/api/calendar/")
    subscribe = page.get_by_role("link", name="Subscribe on this device")
    assert subscribe.get_attribute("href") == "webcal://" + feed.inner_text().split("://", 1)[1]
    with urllib.request.urlopen(feed.inner_text()) as response:  # noqa: S310 - our own server
        calendar = Calendar.from_ical(response.read())
    # No infusion yet: the daily reminder and the baseline questionnaire, nothing else.
    summaries = {str(e["SUMMARY"]) for e in calendar.walk("VEVENT")}
    assert summaries == {"Daily check-in", "Questionnaire due"}

    page.get_by_label("Your password, to confirm").fill(PASSWORD)
    page.get_by_role("button", name="Delete my account").click()
    page.wait_for_url(re.compile(r"/login"))
    expect(page.get_by_role("status")).to_contain_text("deleted")
    assert _sql(server, "select count(*) from patient where email = :e", e=email) == [(0,)]
    sign_in(page, server, email)
    expect(page.get_by_role("alert")).to_contain_text("don't match")
    page.goto(url)
    expect(page.get_by_text(NOT_VALID)).to_be_visible()
