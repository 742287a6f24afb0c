"""The HTTP downloads: same token rules as the summary, the patient's export, the calendar."""

from __future__ import annotations

import codecs
import json
import re
from datetime import timedelta

import pytest
from fhir.resources.R4B.bundle import Bundle
from icalendar import Calendar
from sqlmodel import select
from starlette.applications import Starlette
from starlette.routing import Route
from starlette.testclient import TestClient

from companion import routes
from companion.api import auth_routes, shared
from companion.api.downloads import calendar_feed, export_mine
from companion.clinical import score_phq9
from companion.clinical.checkin import validate_checkin
from companion.clinical.infusion_input import validate_infusion
from companion.data import accounts, checkins, infusions, questionnaires
from companion.data.accounts import LoginFailure
from companion.data.db import utcnow
from companion.data.tables import metadata
from companion.localtime import local_today, zone
from companion.security import auth, sharing
from companion.settings import settings
from companion.ui.state.calendar import CalendarState
from tests.conftest import make_link
from tests.state_helpers import make_state
from tests.unit.exports.test_csv import excel_rows


@pytest.fixture
def client(engine):
    app = Starlette(
        routes=[
            Route(routes.SHARE_CSV, shared.download_csv),
            Route(routes.SHARE_FHIR, shared.download_fhir),
            Route(routes.EXPORT, export_mine),
            Route(routes.CALENDAR_FEED, calendar_feed),
            Route(routes.AUTH_DELETE, auth_routes.delete_account, methods=["POST"]),
        ]
    )
    return TestClient(app)


ORIGIN = {"origin": "http://localhost:3000", "accept": "application/json"}


def _fill(session, patient):
    today = local_today("UTC")
    for offset, mood in [(0, 7), (1, 6), (3, 4)]:
        day = (today - timedelta(days=offset)).isoformat()
        checkins.save_checkin(
            session, patient.id, validate_checkin({"day": day, "mood": mood, "note": "=1+2"}, today)
        )
    questionnaires.save_response(session, patient.id, score_phq9([2] * 8 + [1]), today)
    when = utcnow() + timedelta(days=5)
    infusions.add_infusion(
        session,
        patient.id,
        validate_infusion(
            {
                "date": when.date().isoformat(),
                "time": "10:00",
                "route": "iv",
                "dose_value": "0.5",
                "dose_unit": "mg/kg",
            },
            utcnow(),
            zone("UTC"),
        ),
    )
    session.commit()


def _link(session, patient, **choices):
    return make_link(session, patient, **({"include_notes": True} | choices))


def test_csv_and_fhir_through_a_valid_link(session, patient, client):
    _fill(session, patient)
    made = _link(session, patient)
    response = client.get(routes.share_download(made.token, "summary.csv"))
    assert response.status_code == 200 and "attachment" in response.headers["content-disposition"]
    assert response.headers["cache-control"] == "no-store"
    assert response.content.startswith(codecs.BOM_UTF8)
    rows = excel_rows(response.content)
    assert [r["record"] for r in rows].count("day") == 3
    assert [r["record"] for r in rows].count("questionnaire") == 1
    assert {r["note"] for r in rows if r["record"] == "day"} == {"'=1+2"}
    bundle = client.get(routes.share_download(made.token, "fhir.json")).json()
    assert Bundle.model_validate(bundle).type == "transaction"
    codes = {
        c["code"]
        for e in bundle["entry"]
        if e["resource"]["resourceType"] == "Observation"
        for c in e["resource"]["code"]["coding"]
    }
    assert {"44249-1", "44261-6", "44260-8"} <= codes


def test_both_csvs_open_in_excel_alike_with_one_tag_separator_and_one_time_precision(
    session, patient, client
):
    _fill(session, patient)
    today = local_today("UTC")
    day = today - timedelta(days=2)  # a day _fill leaves empty
    entry = {"day": day.isoformat(), "mood": "5", "tags": ["Zoë", "work"], "note": "Zoë · tired"}
    checkins.save_checkin(session, patient.id, validate_checkin(entry, today))
    session.commit()
    made = _link(session, patient)
    shared_csv = client.get(routes.share_download(made.token, "summary.csv")).content
    client.cookies.set(auth.SESSION_COOKIE, patient.token)
    mine = client.get("/api/export.csv").content
    for data in (shared_csv, mine):
        # Without the byte-order mark Excel reads UTF-8 as its code page: "ZoÃ«".
        assert data.startswith(codecs.BOM_UTF8)
    shared_rows, my_rows = excel_rows(shared_csv), excel_rows(mine)
    [shared_day] = [r for r in shared_rows if r["record"] == "day" and r["date"] == str(day)]
    [my_day] = [r for r in my_rows if r["table"] == "checkin" and r["day"] == str(day)]
    assert shared_day["tags"] == my_day["tags"] == "zoë; work"
    assert shared_day["note"] == my_day["note"] == "Zoë · tired"
    moments = [v for r in my_rows for v in r.values() if re.match(r"\d{4}-\d\d-\d\dT", v or "")]
    assert len(moments) >= 5
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00", m) for m in moments)


def test_fhir_patient_is_the_random_export_id_with_the_shared_name(
    session, patient, other_patient, client
):
    _fill(session, patient)
    accounts.update_profile(
        session, patient.id, timezone="UTC", clinic_name="", clinic_phone="", summary_name="Zoë"
    )
    session.commit()
    stored = session.get(accounts.Patient, patient.id)
    other = session.get(accounts.Patient, other_patient.id)
    # Made at sign-up, random: 128 bits, one per patient, nothing like the row id.
    assert re.fullmatch(r"[0-9a-f]{32}", stored.export_id) and stored.export_id != other.export_id
    made = _link(session, patient)
    bundle = client.get(routes.share_download(made.token, "fhir.json")).json()
    [entry] = [e for e in bundle["entry"] if e["resource"]["resourceType"] == "Patient"]
    system = f"{settings.public_url}/patient-id"
    assert entry["resource"]["identifier"] == [{"system": system, "value": stored.export_id}]
    assert entry["request"]["ifNoneExist"] == f"identifier={system}|{stored.export_id}"
    assert entry["resource"]["name"][0]["given"] == ["Zoë"]
    text = json.dumps(bundle)
    assert patient.email not in text and f'"{patient.id}"' not in text


def test_downloads_honour_the_same_token_rules(session, patient, client):
    made = _link(session, patient)
    altered = made.token[:-1] + ("A" if made.token[-1] != "A" else "B")
    for bad in ["unknown" * 7, altered, "x"]:
        response = client.get(routes.share_download(bad, "summary.csv"))
        assert response.status_code == 404 and "This link is not valid" in response.text
    sharing.revoke(session, patient.id, made.link.id)
    session.commit()
    assert client.get(routes.share_download(made.token, "fhir.json")).status_code == 404


def test_passcode_links_need_the_grant_from_an_opening(session, patient, client):
    made = _link(session, patient, passcode="blue heron")
    assert client.get(routes.share_download(made.token, "summary.csv")).status_code == 404
    link = sharing.find_usable(session, made.token)
    opening = sharing.open_link(session, link, "Firefox on macOS", "", "blue heron")
    session.commit()
    client.cookies.set(shared.GRANT_COOKIE, opening.grant)
    ok = client.get(routes.share_download(made.token, "summary.csv"))
    assert ok.status_code == 200


def test_export_needs_the_session_cookie_and_holds_only_my_rows(
    session, patient, other_patient, client
):
    _fill(session, patient)
    assert client.get("/api/export.json").status_code == 401
    client.cookies.set(auth.SESSION_COOKIE, patient.token)
    data = client.get("/api/export.json").json()
    assert data["account"]["email"] == patient.email and len(data["checkins"]) == 3
    raw = client.get("/api/export.json").text
    assert "$argon2" not in raw and "token_hash" not in raw
    assert "other@example.com" not in raw
    table = client.get("/api/export.csv").text
    assert "checkin" in table and "$argon2" not in table


def test_calendar_feed_has_planned_infusions_and_a_daily_reminder(session, patient, client):
    _fill(session, patient)
    state = make_state(CalendarState, patient.token)
    state.load()
    state.make_feed({"reminder_time": "21:15"})
    path = state.new_url.split("://", 1)[1].split("/", 1)[1]
    response = client.get("/" + path)
    assert response.status_code == 200 and response.headers["content-type"].startswith(
        "text/calendar"
    )
    calendar = Calendar.from_ical(response.text)
    events = list(calendar.walk("VEVENT"))
    summaries = {str(e["SUMMARY"]) for e in events}
    assert {"Daily check-in", "Ketamine infusion · Induction 1"} <= summaries
    daily = next(e for e in events if str(e["SUMMARY"]) == "Daily check-in")
    assert daily["RRULE"]["FREQ"] == ["DAILY"] and daily["DTSTART"].dt.hour == 21
    # A calendar is often synced to other services: no dose, no scores, no notes.
    assert "mg/kg" not in response.text and "=1+2" not in response.text
    state.make_feed({"reminder_time": "08:00"})
    assert client.get("/" + path).status_code == 404  # the old address stopped working
    state.stop_feed()
    assert state.new_url == "" and not state.exists


def test_forged_reminder_times_are_refused(session, patient):
    state = make_state(CalendarState, patient.token)
    for value in ("25:00", "8pm", None, ["20:00"]):
        state.make_feed({"reminder_time": value})
        assert state.error and not state.exists


def test_delete_account_erases_every_row_and_ends_links(session, patient, other_patient, client):
    _fill(session, patient)
    _fill(session, other_patient)
    made = _link(session, patient)
    # Failed sign-ins are kept (keyed by the hashed email) for rate limiting; the patient's must
    # go with the account, the other patient's and the client's stay.
    auth.sign_in(session, other_patient.email, "wrong password", "client", "device")
    session.commit()
    kept_keys = {f.key for f in session.exec(select(LoginFailure)).all()}
    auth.sign_in(session, " " + patient.email.upper(), "wrong password", "client", "device")
    session.commit()
    patient_keys = {f.key for f in session.exec(select(LoginFailure)).all()} - kept_keys
    assert len(patient_keys) == 1
    client.cookies.set(auth.SESSION_COOKIE, patient.token)
    refused = client.post(routes.AUTH_DELETE, data={"password": "wrong password"}, headers=ORIGIN)
    assert refused.status_code == 400 and "nothing was deleted" in refused.json()["message"]
    assert client.get(routes.share_download(made.token, "summary.csv")).status_code == 200
    # From another site's page, even the right password deletes nothing.
    forged = {**ORIGIN, "origin": "https://evil.example"}
    ok = {"password": "a long enough password"}
    assert client.post(routes.AUTH_DELETE, data=ok, headers=forged).status_code == 403
    done = client.post(routes.AUTH_DELETE, data=ok, headers=ORIGIN)
    assert done.json() == {"next": "/login?deleted=1"}
    assert "kc_session=;" in done.headers["set-cookie"]
    session.expire_all()
    for table in metadata.sorted_tables:
        if "patient_id" in table.c:
            mine = session.exec(select(table).where(table.c.patient_id == patient.id)).all()
            assert mine == [], table.name
            theirs = session.exec(select(table).where(table.c.patient_id == other_patient.id)).all()
            if table.name in ("checkin", "auth_session"):
                assert theirs, table.name
    assert client.get(routes.share_download(made.token, "summary.csv")).status_code == 404
    assert auth.patient_for_token(session, patient.token) is None
    assert {f.key for f in session.exec(select(LoginFailure)).all()} == kept_keys
