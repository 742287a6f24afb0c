"""The calendar feed over HTTP: ETag and 304, UIDs stable per feed and unique per patient, what is
due as events, the patient's own zone; and Settings showing the link until it is revoked,
without the link resting in the database."""

from __future__ import annotations

from datetime import timedelta

import pytest
from icalendar import Calendar
from sqlmodel import select
from starlette.applications import Starlette
from starlette.routing import Route
from starlette.testclient import TestClient

from companion import routes
from companion.api.downloads import calendar_feed
from companion.clinical.infusion_input import validate_infusion
from companion.data import accounts, infusions
from companion.data.calendar import CalendarFeed
from companion.data.db import utcnow
from companion.localtime import zone
from companion.ui.state.calendar import CalendarState
from tests.conftest import make_patient
from tests.state_helpers import make_state


@pytest.fixture
def client(engine):
    return TestClient(Starlette(routes=[Route(routes.CALENDAR_FEED, calendar_feed)]))


def _path(url: str) -> str:
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


def _feed_for(patient, reminder: str = "20:00") -> tuple[CalendarState, str]:
    state = make_state(CalendarState, patient.token)
    state.load()
    state.make_feed({"reminder_time": reminder})
    return state, _path(state.new_url)


def _plan(session, patient, days_ahead: int) -> None:
    when = utcnow() + timedelta(days=days_ahead)
    entry = {"date": when.date().isoformat(), "time": "10:00", "route": "iv"}
    infusions.add_infusion(session, patient.id, validate_infusion(entry, utcnow(), zone("UTC")))
    session.commit()


def _uids(text: str) -> list[str]:
    return [str(e["UID"]) for e in Calendar.from_ical(text).walk("VEVENT")]


def test_etag_and_304_on_if_none_match(session, patient, client):
    _, path = _feed_for(patient)
    first = client.get(path)
    etag = first.headers["etag"]
    assert first.status_code == 200 and etag.startswith('"') and len(etag) == 66
    assert first.headers["cache-control"] == "private, no-cache"
    again = client.get(path, headers={"if-none-match": etag})
    assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == etag
    # Listed among others, or weak: still the same body (RFC 9110 weak comparison).
    assert client.get(path, headers={"if-none-match": f'"x", W/{etag}'}).status_code == 304
    # An infusion planned since: a new body, a new ETag, and the old one gets it in full.
    _plan(session, patient, 3)
    changed = client.get(path, headers={"if-none-match": etag})
    assert changed.status_code == 200 and changed.headers["etag"] != etag
    assert "Ketamine infusion" in changed.text


def test_uids_are_stable_across_fetches_and_differ_between_patients(session, patient, client):
    other = make_patient(session, "other@example.com")
    _plan(session, patient, 3)
    _plan(session, other, 3)
    _, mine = _feed_for(patient)
    _, theirs = _feed_for(other)
    first, second = _uids(client.get(mine).text), _uids(client.get(mine).text)
    assert first == second and len(set(first)) == len(first)
    assert set(first).isdisjoint(_uids(client.get(theirs).text))
    # Today every patient's reminder had the same UID; now it is the feed's own.
    feed = session.exec(select(CalendarFeed).where(CalendarFeed.patient_id == patient.id)).one()
    assert f"daily-checkin-{feed.uid}@ketamine-companion" in first
    assert not any(uid.startswith("infusion-1@") for uid in first)
    # A new address (another reminder time) shows the same events, not copies of them.
    _, replaced = _feed_for(patient, "07:00")
    assert replaced != mine and client.get(mine).status_code == 404
    assert _uids(client.get(replaced).text) == first


def test_questionnaires_due_and_post_infusion_checks_are_events(session, patient, client):
    _plan(session, patient, 3)
    _, path = _feed_for(patient)
    events = Calendar.from_ical(client.get(path).text).walk("VEVENT")
    summaries = [str(e["SUMMARY"]) for e in events]
    assert summaries.count("Questionnaire due") >= 2  # the baseline, then after the series
    assert {
        "Post-infusion check: the same evening",
        "Post-infusion check: after 24 hours",
        "Post-infusion check: after 48 hours",
    } <= set(summaries)
    baseline = next(e for e in events if str(e["SUMMARY"]) == "Questionnaire due")
    assert str(baseline["DESCRIPTION"]).startswith("Baseline before your first infusion.")


def test_the_reminder_is_at_the_patients_local_time_in_their_zone(session, patient, client):
    accounts.update_profile(
        session, patient.id, timezone="Europe/London", clinic_name="", clinic_phone=""
    )
    session.commit()
    _, path = _feed_for(patient, "07:30")
    text = client.get(path).text
    calendar = Calendar.from_ical(text)
    assert [str(z["TZID"]) for z in calendar.walk("VTIMEZONE")] == ["Europe/London"]
    [reminder] = [e for e in calendar.walk("VEVENT") if str(e["SUMMARY"]) == "Daily check-in"]
    assert reminder["DTSTART"].params["TZID"] == "Europe/London"
    assert reminder.decoded("DTSTART").strftime("%H:%M") == "07:30"


def test_settings_shows_the_link_until_it_is_revoked_and_never_stores_it(session, patient, client):
    state, path = _feed_for(patient)
    url = state.new_url
    # A later visit (another tab, a reload) shows the same working link again.
    later = make_state(CalendarState, patient.token)
    later.load()
    assert later.new_url == url and later.webcal_url == "webcal://" + url.split("://", 1)[1]
    assert client.get(path).status_code == 200
    token = path.rsplit("/", 1)[1].removesuffix(".ics")
    stored = session.exec(select(CalendarFeed)).one()
    assert token not in repr(stored.model_dump())
    later.stop_feed()
    assert later.new_url == "" and client.get(path).status_code == 404
    gone = make_state(CalendarState, patient.token)
    gone.load()
    assert gone.new_url == "" and not gone.exists


def test_a_feed_whose_token_cannot_be_rebuilt_asks_for_a_new_link(session, patient, client):
    state, path = _feed_for(patient)
    feed = session.exec(select(CalendarFeed)).one()
    feed.token_seed = ""  # as for a link made before seeds, or after the server key changed
    session.add(feed)
    session.commit()
    state.load()
    assert state.exists and state.new_url == ""
    assert client.get(path).status_code == 200  # the old address still works until replaced
