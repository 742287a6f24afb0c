"""The clinician's page /s/<token> over HTTP: what it shows, the passcode and its grant, the
viewer's name, and that every bad link looks the same."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from sqlmodel import select
from starlette.applications import Starlette
from starlette.routing import Route
from starlette.testclient import TestClient

from companion import routes
from companion.api import shared
from companion.api.summary_page import day_text
from companion.clinical import score_phq9
from companion.clinical.checkin import validate_checkin
from companion.clinical.infusion_input import validate_infusion
from companion.data import checkins, infusions, questionnaires
from companion.data.db import utcnow
from companion.data.shares import ShareLink, ShareView
from companion.localtime import local_today, zone
from companion.security import sharing
from tests.conftest import make_link, send_entry

ORIGIN = {"origin": "http://localhost:3000"}


@pytest.fixture
def client(engine):
    app = Starlette(
        routes=[
            Route(routes.SHARE_PAGE, shared.show, methods=["GET"]),
            Route(routes.SHARE_PAGE, shared.act, methods=["POST"]),
            Route(routes.SHARE_CSV, shared.download_csv),
            Route(routes.SHARE_FHIR, shared.download_fhir),
        ]
    )
    return TestClient(app, base_url="http://localhost:3000", follow_redirects=False)


class _Text(HTMLParser):
    """The page's visible text, one string per element, and the ids present."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.ids: set[str] = set()
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("style", "script", "title"):
            self._skip += 1
        found = dict(attrs).get("id")
        if found:
            self.ids.add(found)

    def handle_endtag(self, tag):
        if tag in ("style", "script", "title"):
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip and data.strip():
            self.parts.append(data.strip())


def _text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return " ".join(parser.parts)


def _fill(session, patient, note="<b>hi</b>"):
    today = local_today("UTC")
    for offset, mood in [(0, 7), (1, 6), (2, 5)]:
        day = (today - timedelta(days=offset)).isoformat()
        entry = validate_checkin({"day": day, "mood": mood, "note": note}, today)
        checkins.save_checkin(session, patient.id, entry)
    questionnaires.save_response(session, patient.id, score_phq9([2] * 8 + [1]), today)
    session.commit()


def _views(session, made):
    session.expire_all()
    return session.exec(select(ShareView).where(ShareView.link_id == made.link.id)).all()


def test_the_summary_shows_the_patients_own_figures_as_plain_html(session, patient, client):
    _fill(session, patient)
    made = make_link(session, patient, include_notes=True)
    page = client.get(routes.shared_summary(made.token))
    assert page.status_code == 200 and page.headers["cache-control"] == "no-store"
    text = _text(page.text)
    assert "Check-ins on 3 of 30 days (10%)." in text
    assert text.count("<b>hi</b>") == 3 and "<b>hi</b>" not in page.text  # escaped, shown
    assert "PHQ-9" in text and "GAD-7" in text and "None taken" in text
    # Safety first: item 9 above 0 on the PHQ-9 is listed before the outcomes.
    assert text.index("Safety events") < text.index("PHQ-9 and GAD-7")
    assert "PHQ-9 item 9" in text
    # Both charts are inline SVG (wide and narrow) with their sentence; no script runs it.
    assert page.text.count("<svg") == 4
    assert not re.search(r"<script(?![^>]*\bsrc=)", page.text)
    assert [v.outcome for v in _views(session, made)] == ["opened"]


def _taken(instrument: str, answers: list[int], days_ago: int | None = None) -> dict[str, str]:
    """A questionnaire as the form posts it; with days_ago, one taken at the clinic that day."""
    form = {"instrument": instrument, **{f"q{i}": str(a) for i, a in enumerate(answers, 1)}}
    if days_ago is not None:
        form["taken_on"] = (local_today("UTC") - timedelta(days=days_ago)).isoformat()
    return form


def test_readings_entered_later_are_marked_in_words_on_the_page_and_in_the_csv(
    session, patient, client
):
    today = local_today("UTC")
    first_infusion = today - timedelta(days=35)
    infusions.add_infusion(
        session,
        patient.id,
        validate_infusion(
            {"date": first_infusion.isoformat(), "route": "iv"}, utcnow(), zone("UTC")
        ),
    )
    session.commit()
    # The baseline PHQ-9 (20) taken at the clinic before the first infusion, before the
    # 30-day period; a GAD-7 (14) taken at the clinic 5 days ago; today's PHQ-9 (8) typed in.
    for form in (
        _taken("phq9", [3, 3, 3, 3, 2, 2, 2, 2, 0], 40),
        _taken("gad7", [2] * 7, 5),
        _taken("phq9", [1] * 8 + [0]),
    ):
        assert send_entry(patient, "questionnaire", form)[0] == 200
    made = make_link(session, patient)
    page = client.get(routes.shared_summary(made.token))
    text = _text(page.text)
    baseline, gad7_day = today - timedelta(days=40), today - timedelta(days=5)
    # Beside the reading itself, in the outcomes table; today's typed-in PHQ-9 is not marked.
    assert f"20 on {day_text(baseline)} (entered later)" in text
    assert f"8 (mild) on {day_text(today)} (entered later)" not in text
    assert f"8 (mild) on {day_text(today)}" in text
    assert f"14 (moderate) on {day_text(gad7_day)} (entered later)" in text
    # And said once in a sentence, the baseline from before the period included.
    assert (
        "Entered later (taken on that day, e.g. at the clinic, and typed in by the patient "
        f"afterwards): PHQ-9 20 on {day_text(baseline)}; GAD-7 14 on {day_text(gad7_day)}."
    ) in text
    # The CSV (the period's rows) has a column for it.
    download = client.get(routes.share_download(made.token, "summary.csv"))
    rows = list(csv.DictReader(io.StringIO(download.text.lstrip("\ufeff"))))
    marked = {(r["instrument"], r["date"], r["entered_later"]) for r in rows if r["instrument"]}
    assert marked == {
        ("GAD-7", gad7_day.isoformat(), "true"),
        ("PHQ-9", today.isoformat(), "false"),
    }


def test_nothing_is_marked_when_every_reading_was_typed_in_on_its_day(session, patient, client):
    _fill(session, patient)
    page = client.get(routes.shared_summary(make_link(session, patient).token))
    assert "entered later" not in _text(page.text).lower()


def test_notes_stay_out_unless_the_link_includes_them(session, patient, client):
    _fill(session, patient, note="private words")
    made = make_link(session, patient, include_notes=False)
    page = client.get(routes.shared_summary(made.token))
    assert "private words" not in page.text and "Notes" not in _text(page.text)


def test_every_bad_link_gets_the_same_page_and_nothing_is_logged(session, patient, client):
    made = make_link(session, patient)
    locked = make_link(session, patient, passcode="blue heron")
    link = session.get(ShareLink, locked.link.id)
    link.locked = True
    revoked = make_link(session, patient)
    sharing.revoke(session, patient.id, revoked.link.id)
    expired = make_link(session, patient)
    row = session.get(ShareLink, expired.link.id)
    row.expires_at = row.created_at - timedelta(seconds=1)
    session.commit()
    altered = made.token[:-1] + ("A" if made.token[-1] != "A" else "B")
    pages = set()
    for bad in [altered, "x", "unknown" * 7, locked.token, revoked.token, expired.token]:
        response = client.get(routes.shared_summary(bad))
        assert response.status_code == 404
        pages.add(response.text)
        for kind in ("summary.csv", "fhir.json"):
            assert client.get(routes.share_download(bad, kind)).status_code == 404
    assert len(pages) == 1 and "This link is not valid" in pages.pop()
    session.expire_all()
    assert session.exec(select(ShareView)).all() == []


def test_a_passcode_opens_the_page_and_its_downloads_for_this_browser_only(
    session, patient, client
):
    _fill(session, patient)
    made = make_link(session, patient, passcode="blue heron")
    page = routes.shared_summary(made.token)
    gate = client.get(page)
    assert "protected by a passcode" in gate.text and "Check-ins on" not in gate.text
    assert client.get(routes.share_download(made.token, "summary.csv")).status_code == 404
    wrong = client.post(page, data={"action": "passcode", "passcode": "nope"}, headers=ORIGIN)
    assert wrong.status_code == 401 and "4 tries left" in _text(wrong.text)
    # Typed with the spaces a paste adds: compared as it was stored, without them.
    right = client.post(
        page,
        data={"action": "passcode", "passcode": "  blue heron ", "viewer_name": "Dr Lee"},
        headers=ORIGIN,
    )
    assert right.status_code == 303 and right.headers["location"] == page
    cookie = right.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and f"Path={page}" in cookie
    opened = client.get(page)
    assert "Check-ins on 3 of 30 days" in _text(opened.text)
    assert client.get(routes.share_download(made.token, "fhir.json")).status_code == 200
    # The grant is a cookie of this browser: another one still meets the passcode.
    stranger = TestClient(client.app, base_url="http://localhost:3000")
    assert "protected by a passcode" in stranger.get(page).text
    outcomes = [(v.outcome, v.viewer_name) for v in _views(session, made)]
    assert ("opened", "Dr Lee") in outcomes and ("wrong_passcode", "") in outcomes
    # Opening the page again with the grant is the same opening, not a new one.
    assert sum(1 for o, _ in outcomes if o == "opened") == 1


def test_five_wrong_passcodes_lock_the_link_for_everyone(session, patient, client):
    made = make_link(session, patient, passcode="blue heron")
    page = routes.shared_summary(made.token)
    for _ in range(sharing.MAX_PASSCODE_TRIES - 1):
        client.post(page, data={"action": "passcode", "passcode": "nope"}, headers=ORIGIN)
    last = client.post(page, data={"action": "passcode", "passcode": "nope"}, headers=ORIGIN)
    assert "now locked" in _text(last.text)
    after = client.post(page, data={"action": "passcode", "passcode": "blue heron"}, headers=ORIGIN)
    assert after.status_code == 404


def test_the_viewer_may_add_a_name_to_their_own_opening_only(session, patient, client):
    made = make_link(session, patient)
    page = routes.shared_summary(made.token)
    first = client.get(page)
    ref = re.search(r'name="view" value="([^"]+)"', first.text).group(1)
    named = client.post(
        page, data={"action": "name", "view": ref, "viewer_name": "Dr Ada Lee"}, headers=ORIGIN
    )
    assert named.status_code == 303
    back = client.get(named.headers["location"])
    assert "The patient will see that Dr Ada Lee viewed this." in _text(back.text)
    views = _views(session, made)
    assert [(v.outcome, v.viewer_name) for v in views] == [("opened", "Dr Ada Lee")]
    # Another opening's number, a forged signature, or a name that is too long changes nothing.
    view_id = int(ref.split(".")[0])
    for forged in (f"{view_id + 1}.{ref.split('.')[1]}", f"{view_id}.AAAA", "1", ""):
        response = client.post(
            page, data={"action": "name", "view": forged, "viewer_name": "Mallory"}, headers=ORIGIN
        )
        assert response.status_code == 404
    long = client.post(
        page, data={"action": "name", "view": ref, "viewer_name": "x" * 81}, headers=ORIGIN
    )
    assert "up to 80 characters" in _text(long.text)
    assert {v.viewer_name for v in _views(session, made)} == {"Dr Ada Lee"}


def test_forms_posted_from_another_site_are_refused(session, patient, client):
    made = make_link(session, patient, passcode="blue heron")
    response = client.post(
        routes.shared_summary(made.token),
        data={"action": "passcode", "passcode": "blue heron"},
        headers={"origin": "https://evil.example"},
    )
    assert response.status_code == 403
    assert _views(session, made) == []


def test_hostile_names_are_text_on_the_page(session, patient, client):
    from companion.data import accounts

    accounts.update_profile(
        session,
        patient.id,
        timezone="UTC",
        clinic_name='<img src=x onerror="alert(1)">',
        clinic_phone="",
        summary_name='</style><script>alert(1)</script>"',
    )
    session.commit()
    _fill(session, patient)
    made = make_link(session, patient)
    page = client.get(routes.shared_summary(made.token)).text
    assert "<script>alert" not in page and "<img src=x" not in page
    assert '</style><script>alert(1)</script>"' in _text(page)
