"""Export all my data: every row of the patient's, none of anyone else's, and no secret hash."""

from __future__ import annotations

import codecs
import csv
import io
import json
import re
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlmodel import Session, select

from companion.clinical import score_gad7, score_phq9, validate_checkin
from companion.clinical.infusion_input import validate_infusion, validate_post_check
from companion.clinical.safety import safety_kind_for_checkin, safety_kind_for_phq9
from companion.data import calendar, checkins, infusions, learn, questionnaires, safety, shares
from companion.data.accounts import AuthSession, Patient, create_session
from companion.data.calendar import CalendarFeed
from companion.data.checkins import CheckIn
from companion.data.everything import Everything, load_everything
from companion.data.infusions import Infusion, PostInfusionCheck
from companion.data.learn import ArticleRead
from companion.data.questionnaires import QuestionnaireResponse
from companion.data.safety import SafetyEvent
from companion.data.shares import ShareLink, ShareView
from companion.exports.personal import personal_csv, personal_json
from companion.localtime import zone
from companion.security.passwords import hash_password
from companion.security.tokens import hash_token, new_token
from tests.unit.exports.test_csv import excel_rows

NOW = datetime.now(UTC).replace(microsecond=0)
TODAY = NOW.date()
EXPORTED_AT = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
SECRET_KEYS = ("password_hash", "token_hash", "passcode_hash", "grant_hash")


@dataclass
class Made:
    """What _populate wrote, to compare the export against."""

    marker: str
    checkin_ids: list[int]
    infusion_ids: list[int]
    post_check_ids: list[int]
    response_ids: list[int]
    safety_ids: list[int]
    link_ids: list[int]
    view_ids: list[int]
    sign_in_ids: list[int]
    secrets: list[str]


def _populate(session: Session, patient_id: int, marker: str) -> Made:
    """A few rows in every table for one patient; `marker` tags their free text."""
    made = Made(marker, [], [], [], [], [], [], [], [], [])
    # The fixture's signed-in browser, and a sign-in ticket that was never traded for a cookie.
    signed_in = session.exec(select(AuthSession).where(AuthSession.patient_id == patient_id)).all()
    ticket_hash = hash_token(new_token())
    made.secrets.append(ticket_hash)
    ticket = create_session(session, patient_id, ticket_hash, f"{marker} phone")
    assert ticket.id is not None
    made.sign_in_ids = [s.id for s in signed_in if s.id is not None] + [ticket.id]
    for days_ago, mood, thoughts in ((3, 4, "none"), (2, 2, "passing"), (1, 6, "none")):
        entry = validate_checkin(
            {
                "day": (TODAY - timedelta(days=days_ago)).isoformat(),
                "mood": str(mood),
                "anxiety": "5",
                "sleep_hours": "7.5",
                "suicidal_thoughts": thoughts,
                "tags": "work, family",
                "note": f"{marker} day {days_ago}",
            },
            TODAY,
        )
        row = checkins.save_checkin(session, patient_id, entry)
        assert row.id is not None
        made.checkin_ids.append(row.id)
        kind = safety_kind_for_checkin(thoughts)
        if kind is not None:
            event = safety.record_safety_event(
                session, patient_id, row.day, kind, "checkin", row.id
            )
            assert event.id is not None
            made.safety_ids.append(event.id)

    utc = zone("UTC")
    for days, note in ((-2, f"{marker} done"), (5, f"{marker} planned")):
        day = (TODAY + timedelta(days=days)).isoformat()
        raw = {"date": day, "time": "09:30", "route": "iv", "dose_value": "0.5"}
        entry_i = validate_infusion({**raw, "dose_unit": "mg/kg", "note": note}, NOW, utc)
        infusion = infusions.add_infusion(session, patient_id, entry_i)
        assert infusion.id is not None
        made.infusion_ids.append(infusion.id)
    for timepoint in ("evening", "24h"):
        check_input = validate_post_check(
            {"timepoint": timepoint, "nausea": "2", "reflection": f"{marker} {timepoint}"}
        )
        check = infusions.save_post_check(session, patient_id, made.infusion_ids[0], check_input)
        assert check is not None and check.id is not None
        made.post_check_ids.append(check.id)

    phq_answers = [1, 2, 1, 0, 0, 1, 0, 0, 1]
    phq = questionnaires.save_response(
        session, patient_id, score_phq9(phq_answers), TODAY - timedelta(days=1), difficulty=1
    )
    gad = questionnaires.save_response(
        session, patient_id, score_gad7([1, 1, 1, 1, 0, 0, 0]), TODAY - timedelta(days=1)
    )
    assert phq.id is not None and gad.id is not None
    made.response_ids += [phq.id, gad.id]
    kind = safety_kind_for_phq9(phq_answers)
    assert kind is not None
    event = safety.record_safety_event(session, patient_id, phq.day, kind, "phq9", phq.id)
    assert event.id is not None
    made.safety_ids.append(event.id)

    for passcode in ("a secret passcode", None):
        token_hash = hash_token(new_token())
        passcode_hash = hash_password(passcode) if passcode else None
        link = shares.create_link(
            session, patient_id, token_hash, NOW + timedelta(days=30), "90d", True, passcode_hash
        )
        assert link.id is not None
        made.link_ids.append(link.id)
        made.secrets.append(token_hash)
        if passcode_hash:
            made.secrets.append(passcode_hash)
        grant_hash = hash_token(new_token())
        made.secrets.append(grant_hash)
        view = shares.log_view(
            session, link, "Desktop · Chrome", "opened", f"Dr {marker}", grant_hash, NOW
        )
        assert view.id is not None
        made.view_ids.append(view.id)

    feed_hash = hash_token(new_token())
    made.secrets.append(feed_hash)
    calendar.replace_feed(session, patient_id, feed_hash, "08:15" if marker == "MINE" else "21:00")
    learn.mark_read(session, patient_id, "why-six")
    learn.mark_read(session, patient_id, "side-effects" if marker == "MINE" else "first-infusion")
    session.commit()
    return made


@pytest.fixture
def both(session, patient, other_patient) -> tuple[Made, Made]:
    return _populate(session, patient.id, "MINE"), _populate(session, other_patient.id, "THEIRS")


def _secrets_of_accounts(session: Session) -> list[str]:
    secrets = [p.password_hash for p in session.exec(select(Patient)).all()]
    secrets += [s.token_hash for s in session.exec(select(AuthSession)).all()]
    return secrets


def test_load_everything_has_every_row_of_the_patient_and_none_of_the_other(session, patient, both):
    mine, theirs = both
    data = load_everything(session, patient.id)
    assert isinstance(data, Everything)
    assert not {c.id for c in data.checkins} & set(theirs.checkin_ids)
    assert data.patient.id == patient.id and data.patient.email == patient.email
    assert [c.id for c in data.checkins] == mine.checkin_ids
    assert [i.id for i in data.infusions] == mine.infusion_ids
    assert sorted(c.id for c in data.post_checks) == sorted(mine.post_check_ids)
    assert sorted(r.id for r in data.questionnaires) == sorted(mine.response_ids)
    assert sorted(e.id for e in data.safety_events) == sorted(mine.safety_ids)
    assert sorted(link.id for link in data.share_links) == sorted(mine.link_ids)
    assert sorted(v.id for v in data.share_views) == sorted(mine.view_ids)
    assert data.calendar_feed is not None and data.calendar_feed.reminder_time == "08:15"
    assert sorted(r.slug for r in data.article_reads) == ["side-effects", "why-six"]
    assert [s.id for s in data.sign_in_sessions] == mine.sign_in_ids

    # Every table holding patient rows: each of this patient's rows is loaded, and nothing else.
    for table, loaded in (
        (CheckIn, data.checkins),
        (Infusion, data.infusions),
        (PostInfusionCheck, data.post_checks),
        (QuestionnaireResponse, data.questionnaires),
        (SafetyEvent, data.safety_events),
        (ShareLink, data.share_links),
        (ArticleRead, data.article_reads),
        (AuthSession, data.sign_in_sessions),
    ):
        rows = session.exec(select(table)).all()
        expected = {r.id for r in rows if r.patient_id == patient.id}
        assert {r.id for r in loaded} == expected, table.__name__
        assert len(expected) < len(rows), f"{table.__name__}: the other patient has rows too"
    link_ids = set(mine.link_ids)
    all_views = session.exec(select(ShareView)).all()
    assert {v.id for v in data.share_views} == {v.id for v in all_views if v.link_id in link_ids}
    feeds = session.exec(select(CalendarFeed)).all()
    assert len(feeds) == 2 and data.calendar_feed.patient_id == patient.id


def test_load_everything_of_an_empty_account(session, patient):
    data = load_everything(session, patient.id)
    assert data.checkins == [] and data.share_views == [] and data.calendar_feed is None
    document = json.loads(personal_json(data, EXPORTED_AT))
    assert document["calendar_feed"] is None and document["infusions"] == []
    rows = excel_rows(personal_csv(data).encode("utf-8"))
    # The only row besides the account: the browser that signed up.
    assert [r["table"] for r in rows] == ["account", "sign_in_session"]


def test_unknown_patient_is_a_lookup_error(session):
    with pytest.raises(LookupError):
        load_everything(session, 999_999)


def test_personal_json_has_every_row_and_nothing_of_the_other(session, patient, both):
    mine, theirs = both
    text = personal_json(load_everything(session, patient.id), EXPORTED_AT)
    document = json.loads(text)
    assert not {i["id"] for i in document["infusions"]} & set(theirs.infusion_ids)
    assert document["format"] == "ketamine-companion/1"
    assert document["exported_at"] == "2026-03-02T09:00:00+00:00"
    assert document["account"]["email"] == patient.email
    assert set(document["account"]) == {
        "email",
        "timezone",
        "clinic_name",
        "clinic_phone",
        "summary_name",
        "crisis_country",
        "created_at",
    }
    assert datetime.fromisoformat(document["account"]["created_at"]).tzinfo is not None

    assert [c["id"] for c in document["checkins"]] == mine.checkin_ids
    first = document["checkins"][0]
    assert first["day"] == (TODAY - timedelta(days=3)).isoformat()
    assert first["tags"] == ["work", "family"] and first["sleep_hours"] == 7.5
    assert first["note"] == "MINE day 3"

    assert [i["id"] for i in document["infusions"]] == mine.infusion_ids
    done = document["infusions"][0]
    assert datetime.fromisoformat(done["starts_at"]).utcoffset() == timedelta(0)
    assert [c["id"] for c in done["post_infusion_checks"]] == mine.post_check_ids
    assert done["post_infusion_checks"][0]["nausea"] == 2
    assert document["infusions"][1]["post_infusion_checks"] == []

    by_instrument = {q["instrument"]: q for q in document["questionnaires"]}
    assert by_instrument["phq9"]["answers"] == [1, 2, 1, 0, 0, 1, 0, 0, 1]
    assert by_instrument["phq9"]["total"] == 6 and by_instrument["phq9"]["severity"] == "mild"
    assert by_instrument["phq9"]["difficulty_answer"] == "Somewhat difficult"
    assert sorted(q["id"] for q in document["questionnaires"]) == sorted(mine.response_ids)
    assert sorted(e["id"] for e in document["safety_events"]) == sorted(mine.safety_ids)

    links = document["share_links"]
    assert sorted(link["id"] for link in links) == sorted(mine.link_ids)
    assert sorted(link["has_passcode"] for link in links) == [False, True]
    for link in links:
        assert {"created", "expires", "period", "include_notes", "revoked", "views"} <= set(link)
        assert link["revoked"] is False and link["period"] == "90d"
        [view] = link["views"]
        assert view["viewer_name"] == "Dr MINE" and view["link_id"] == link["id"]
    assert document["calendar_feed"]["reminder_time"] == "08:15"
    assert [a["slug"] for a in document["articles_read"]] == ["why-six", "side-effects"]

    sign_ins = document["sign_in_sessions"]
    assert [s["id"] for s in sign_ins] == mine.sign_in_ids
    assert [(s["device"], s["signed_in"]) for s in sign_ins] == [
        ("device", True),
        ("MINE phone", False),
    ]
    for sign_in in sign_ins:
        assert set(sign_in) == {"id", "device", "created_at", "last_seen_at", "signed_in"}
        assert datetime.fromisoformat(sign_in["last_seen_at"]).utcoffset() == timedelta(0)

    assert "THEIRS" not in text and "other@example.com" not in text


def _walk_keys(value: object) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in _walk_keys(v)}
    if isinstance(value, list):
        return {k for v in value for k in _walk_keys(v)}
    return set()


def test_no_secret_hash_in_either_export(session, patient, both):
    mine, theirs = both
    data = load_everything(session, patient.id)
    json_text = personal_json(data, EXPORTED_AT)
    csv_text = personal_csv(data)
    secrets = mine.secrets + theirs.secrets + _secrets_of_accounts(session)
    assert any(s.startswith("$argon2") for s in secrets)
    for text in (json_text, csv_text):
        assert "$argon2" not in text
        for key in SECRET_KEYS:
            assert key not in text
        for secret in secrets:
            assert secret not in text
    assert not _walk_keys(json.loads(json_text)) & set(SECRET_KEYS)
    # No column of a sign-in session's secret under any name: token, ticket, hash or secret.
    header = next(csv.reader(io.StringIO(csv_text)))
    session_keys = set(json.loads(json_text)["sign_in_sessions"][0])
    for name in (*header, *session_keys):
        for word in ("token", "ticket", "hash", "secret"):
            assert word not in name, name


def test_personal_csv_has_every_row_and_nothing_of_the_other(session, patient, both):
    mine, theirs = both
    text = personal_csv(load_everything(session, patient.id))
    assert "\r\n" in text
    rows = excel_rows(text.encode("utf-8"))
    assert next(iter(rows[0])) == "table"
    assert not {int(r["id"]) for r in rows if r["table"] == "share_view"} & set(theirs.view_ids)
    counts = Counter(r["table"] for r in rows)
    assert counts == {
        "account": 1,
        "checkin": 3,
        "infusion": 2,
        "post_infusion_check": 2,
        "questionnaire": 2,
        "safety_event": 2,
        "share_link": 2,
        "share_view": 2,
        "calendar_feed": 1,
        "article_read": 2,
        "sign_in_session": 2,
    }

    def ids(table: str) -> list[int]:
        return sorted(int(r["id"]) for r in rows if r["table"] == table)

    assert ids("checkin") == sorted(mine.checkin_ids)
    assert ids("infusion") == sorted(mine.infusion_ids)
    assert ids("post_infusion_check") == sorted(mine.post_check_ids)
    assert ids("questionnaire") == sorted(mine.response_ids)
    assert ids("safety_event") == sorted(mine.safety_ids)
    assert ids("share_link") == sorted(mine.link_ids)
    assert ids("share_view") == sorted(mine.view_ids)
    assert ids("sign_in_session") == sorted(mine.sign_in_ids)
    phone = next(r for r in rows if r["table"] == "sign_in_session" and r["signed_in"] == "false")
    assert phone["device"] == "MINE phone" and phone["last_seen_at"]
    checkin = next(r for r in rows if r["table"] == "checkin")
    # One tag separator in both CSVs: the clinician's and this one.
    assert checkin["tags"] == "work; family" and checkin["mood"] == "4"
    phq = next(r for r in rows if r["table"] == "questionnaire" and r["instrument"] == "phq9")
    assert phq["answers"] == "1 2 1 0 0 1 0 0 1"
    assert "THEIRS" not in text and "other@example.com" not in text


def test_personal_csv_neutralises_formulas(session, patient):
    entry = validate_checkin(
        {"day": TODAY.isoformat(), "mood": "5", "note": '=HYPERLINK("http://x", "y")'}, TODAY
    )
    checkins.save_checkin(session, patient.id, entry)
    session.commit()
    rows = excel_rows(personal_csv(load_everything(session, patient.id)).encode("utf-8"))
    [checkin] = [r for r in rows if r["table"] == "checkin"]
    assert checkin["note"] == "'" + '=HYPERLINK("http://x", "y")'


def test_personal_csv_opens_in_excel_with_accents_and_moments_to_the_second(session, patient):
    entry = validate_checkin(
        {"day": TODAY.isoformat(), "mood": "5", "tags": ["Zoë", "work"], "note": "Zoë · tired"},
        TODAY,
    )
    checkins.save_checkin(session, patient.id, entry)
    session.commit()
    data = personal_csv(load_everything(session, patient.id)).encode("utf-8")
    assert data.startswith(codecs.BOM_UTF8)
    rows = excel_rows(data)
    [checkin] = [r for r in rows if r["table"] == "checkin"]
    assert checkin["note"] == "Zoë · tired" and checkin["tags"] == "zoë; work"
    moments = [v for r in rows for k, v in r.items() if k.endswith("_at") and v]
    assert moments and all(
        re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00", m) for m in moments
    )


def test_a_patients_rows_are_gone_from_the_other_export_after_deletion(
    session, patient, other_patient, both
):
    # The export follows the database: nothing is cached between exports.
    from companion.data.accounts import delete_patient

    delete_patient(session, other_patient.id)
    session.commit()
    data = load_everything(session, patient.id)
    assert len(data.checkins) == 3
    assert session.exec(select(CheckIn)).all() == data.checkins


def test_dates_are_iso_and_moments_carry_an_offset(session, patient, both):
    document = json.loads(personal_json(load_everything(session, patient.id), EXPORTED_AT))
    date.fromisoformat(document["checkins"][0]["day"])
    for key in ("created_at", "updated_at"):
        moment = datetime.fromisoformat(document["checkins"][0][key])
        assert moment.utcoffset() == timedelta(0)
    view = document["share_links"][0]["views"][0]
    assert datetime.fromisoformat(view["at"]).utcoffset() == timedelta(0)
