"""POST /api/entries/<kind>: each entry saved once whatever arrives twice, a clear answer for
any payload, nothing half written, and a save racing the account's erasure leaves no row."""

from __future__ import annotations

import json
import threading
import uuid
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import func, select
from starlette.applications import Starlette
from starlette.routing import Route
from starlette.testclient import TestClient

from companion import routes
from companion.api import entries
from companion.data.checkins import CheckIn
from companion.data.infusions import Infusion, PostInfusionCheck
from companion.data.questionnaires import QuestionnaireResponse
from companion.data.safety_plans import SafetyPlan
from companion.data.submissions import Submission
from companion.localtime import local_today
from companion.security import auth
from tests.conftest import send_entry

TODAY = local_today("UTC")


def _yesterday_infusion(patient) -> int:
    day = (TODAY - timedelta(days=1)).isoformat()
    _status, answer = send_entry(patient, "infusion", {"date": day, "time": "09:00", "route": "iv"})
    return int(answer["infusion_id"])


def _every_kind(patient) -> dict[str, tuple[type, dict[str, object]]]:
    infusion = _yesterday_infusion(patient)
    return {
        "checkin": (CheckIn, {"mood": 6, "note": "once"}),
        "infusion": (Infusion, {"date": TODAY.isoformat(), "time": "07:00", "route": "im"}),
        "postcheck": (PostInfusionCheck, {"infusion": str(infusion), "when": "24h", "nausea": 1}),
        "questionnaire": (
            QuestionnaireResponse,
            {"instrument": "gad7", **{f"q{i}": 1 for i in range(1, 8)}},
        ),
        "safety_plan": (SafetyPlan, {"coping": "a walk"}),
    }


def _count(session, table) -> int:
    session.expire_all()
    return int(session.exec(select(func.count()).select_from(table)).one())


def test_the_same_id_twice_saves_once_and_answers_the_same(session, patient):
    for kind, (table, fields) in _every_kind(patient).items():
        before = _count(session, table)
        submission = str(uuid.uuid4())
        first = send_entry(patient, kind, fields, submission)
        again = send_entry(patient, kind, fields, submission)
        assert first[0] == again[0] == 200, (kind, first, again)
        assert {k: v for k, v in again[1].items() if k != "repeat"} == first[1]
        assert again[1]["repeat"] is True
        # A check-in or a plan is one row whatever happens; the rest: exactly one more.
        expected = 1 if kind in ("checkin", "safety_plan") else before + 1
        assert _count(session, table) == expected, kind


def test_the_same_id_from_two_requests_at_once_saves_once(session, patient):
    submission = str(uuid.uuid4())
    fields = {"date": TODAY.isoformat(), "time": "08:00", "route": "iv", "note": "together"}
    answers: list[tuple[int, dict]] = []

    def post() -> None:
        answers.append(send_entry(patient, "infusion", fields, submission))

    threads = [threading.Thread(target=post) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [status for status, _ in answers] == [200] * 6
    assert len({answer["infusion_id"] for _, answer in answers}) == 1
    session.expire_all()
    assert len(session.exec(select(Infusion).where(Infusion.note == "together")).all()) == 1
    assert _count(session, Submission) == 1


def test_a_save_for_an_erased_account_is_refused_and_leaves_no_row(session, patient):
    from companion.data import accounts

    token = patient.token
    accounts.delete_patient(session, patient.id)
    session.commit()
    status, _answer = entries.save(
        "checkin", token, {"id": str(uuid.uuid4()), "fields": {"mood": 5}}
    )
    assert status == 401  # the session went with the account
    assert _count(session, CheckIn) == 0


def test_a_save_racing_the_erasure_gets_a_clear_answer(session, patient, monkeypatch):
    """The account goes between the session check and the write (another tab's erasure)."""
    from companion.data import accounts, checkins

    real = checkins.write_checkin

    def erased_meanwhile(db, patient_id, changes):
        with __import__("companion.data.db", fromlist=["x"]).session_scope() as other:
            accounts.delete_patient(other, patient_id)
        return real(db, patient_id, changes)

    monkeypatch.setattr(checkins, "write_checkin", erased_meanwhile)
    status, answer = send_entry(patient, "checkin", {"mood": 5})
    assert status == 410 and answer["message"] == entries.GONE
    assert _count(session, CheckIn) == 0


def _client() -> TestClient:
    app = Starlette(routes=[Route(routes.ENTRIES, entries.post_entry, methods=["POST"])])
    return TestClient(app, base_url="http://localhost:3000")


HEADERS = {"origin": "http://localhost:3000", "content-type": "application/json"}


def test_over_http_only_our_pages_signed_in_with_a_readable_entry(session, patient):
    client = _client()
    body = json.dumps({"id": str(uuid.uuid4()), "fields": {"mood": 5}})
    assert client.post("/api/entries/checkin", content=body, headers=HEADERS).status_code == 401
    client.cookies.set(auth.SESSION_COOKIE, patient.token)
    evil = {**HEADERS, "origin": "https://evil.example"}
    assert client.post("/api/entries/checkin", content=body, headers=evil).status_code == 403
    assert client.post("/api/entries/notes", content=body, headers=HEADERS).status_code == 404
    for bad in (
        b"{",
        b"[]",
        b'{"id": "x"}',
        b'{"id": 5, "fields": {}}',
        b"x" * 70_000,
        b'{"id": "abcdefgh", "fields": {"mood": NaN}}',
        b'{"id": "abcdefgh", "fields": {"mood": Infinity}}',
    ):
        response = client.post("/api/entries/checkin", content=bad, headers=HEADERS)
        assert response.status_code == 400 and response.json()["message"], bad
        assert response.headers["cache-control"] == "no-store"
    ok = client.post("/api/entries/checkin", content=body, headers=HEADERS)
    assert ok.status_code == 200 and ok.json()["saved"] is True
    assert _count(session, CheckIn) == 1


JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=30)
    | st.sampled_from(["\ud800", "\x00", "2026-01-01", "7", "", " ", "passing", "mg/kg", "iv"]),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=12,
)
FIELD_NAMES = st.sampled_from(
    [
        "mood",
        "anxiety",
        "note",
        "tags",
        "day",
        "sleep_hours",
        "suicidal_thoughts",
        "date",
        "time",
        "route",
        "dose_value",
        "dose_unit",
        "infusion_id",
        "infusion",
        "when",
        "nausea",
        "systolic",
        "diastolic",
        "instrument",
        "q1",
        "q9",
        "difficulty",
        "coping",
        "helper_name_1",
        "helper_phone_1",
        "extra",
    ]
)


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    kind=st.sampled_from(sorted(entries.KINDS)),
    fields=st.dictionaries(FIELD_NAMES, JSON, max_size=6) | JSON,
    made_at=JSON,
)
def test_any_payload_gets_a_clear_answer_and_a_refusal_writes_nothing(
    session, patient, kind, fields, made_at
):
    tables = (CheckIn, Infusion, PostInfusionCheck, QuestionnaireResponse, SafetyPlan, Submission)
    before = [_count(session, table) for table in tables]
    body = {"id": str(uuid.uuid4()), "fields": fields, "made_at": made_at}
    status, answer = entries.save(kind, patient.token, body)
    assert status in (200, 400), (status, answer)
    assert isinstance(answer.get("message"), str) and answer["message"]
    assert "error occurred" not in answer["message"]
    if status == 400:
        assert [_count(session, table) for table in tables] == before


@pytest.mark.parametrize("kind", sorted(entries.KINDS))
def test_every_kind_refuses_text_a_database_cannot_hold(session, patient, kind):
    fields = {key: "bad \x00 text \ud800" for key in ("note", "clinic", "reflection", "coping")}
    fields |= {"mood": 5, "date": TODAY.isoformat(), "route": "iv", "instrument": "phq9"}
    status, answer = send_entry(patient, kind, fields)
    assert status == 400 and answer["message"]


def test_another_patients_rows_and_ids_are_out_of_reach(session, patient, other_patient):
    victim_infusion = _yesterday_infusion(patient)
    shared_id = str(uuid.uuid4())
    status, first = send_entry(patient, "checkin", {"mood": 2, "note": "VICTIM"}, shared_id)
    assert status == 200 and first["saved"] is True
    # The attacker replays the victim's submission id: it is their own, new entry.
    status, answer = send_entry(other_patient, "checkin", {"mood": 9}, shared_id)
    assert status == 200 and answer.get("repeat") is None
    edit = {"infusion_id": str(victim_infusion), "date": TODAY.isoformat(), "route": "im"}
    status, answer = send_entry(other_patient, "infusion", edit)
    assert status == 400 and answer["field"] == "infusion_id"
    check = {"infusion": str(victim_infusion), "when": "24h", "nausea": 2}
    status, answer = send_entry(other_patient, "postcheck", check)
    assert status == 400 and answer["field"] == "infusion"
    session.expire_all()
    victim_rows = session.exec(select(CheckIn).where(CheckIn.patient_id == patient.id)).all()
    assert [(row.mood, row.note) for row in victim_rows] == [(2, "VICTIM")]
    infusion = session.get(Infusion, victim_infusion)
    assert infusion is not None and infusion.route == "iv"
    assert _count(session, PostInfusionCheck) == 0
