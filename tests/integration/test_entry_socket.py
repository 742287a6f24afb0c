"""The /api/entries socket: the same saves as POST /api/entries/<kind>, each answered once it is
committed, the session checked for every entry, and other sites' pages refused."""

from __future__ import annotations

import json
import uuid

import pytest
from sqlmodel import func, select
from starlette.applications import Starlette
from starlette.routing import Route, WebSocketRoute
from starlette.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from companion import routes
from companion.api import entries
from companion.data.checkins import CheckIn
from companion.data.submissions import Submission
from companion.security import auth

ORIGIN = {"origin": "http://localhost:3000"}


def _client(token: str | None) -> TestClient:
    app = Starlette(
        routes=[
            Route(routes.ENTRIES, entries.post_entry, methods=["POST"]),
            WebSocketRoute(routes.ENTRIES_SOCKET, entries.entry_socket),
        ]
    )
    client = TestClient(app, base_url="http://localhost:3000")
    if token:
        client.cookies.set(auth.SESSION_COOKIE, token)
    return client


def _count(session, table) -> int:
    session.expire_all()
    return int(session.exec(select(func.count()).select_from(table)).one())


def test_an_entry_sent_on_the_socket_is_committed_before_its_answer_and_saved_once(
    session, patient
):
    submission = str(uuid.uuid4())
    entry = {"kind": "checkin", "id": submission, "fields": {"mood": 6}}
    with _client(patient.token).websocket_connect(routes.ENTRIES_SOCKET, headers=ORIGIN) as ws:
        ws.send_text(json.dumps(entry))
        first = ws.receive_json()
        # Answered: already in the database, seen from another connection.
        assert _count(session, CheckIn) == 1
        ws.send_text(json.dumps(entry))
        again = ws.receive_json()
    assert first["id"] == submission and first["status"] == 200
    assert first["answer"]["message"] == "Saved for today. You can change it any time."
    assert again["status"] == 200 and again["answer"]["repeat"] is True
    assert (_count(session, CheckIn), _count(session, Submission)) == (1, 1)
    # The same id by POST afterwards (the phone's fallback) is the same entry, not a second one.
    response = _client(patient.token).post(
        "/api/entries/checkin", content=json.dumps(entry), headers=ORIGIN
    )
    assert response.json()["repeat"] is True
    assert _count(session, Submission) == 1


def test_the_socket_answers_as_post_does_for_what_cannot_be_saved(session, patient):
    with _client(patient.token).websocket_connect(routes.ENTRIES_SOCKET, headers=ORIGIN) as ws:
        answers = []
        for message in (
            "{",
            json.dumps({"kind": "notes", "id": str(uuid.uuid4()), "fields": {"mood": 5}}),
            json.dumps({"kind": "checkin", "id": "x", "fields": {"mood": 5}}),
            json.dumps({"kind": "checkin", "id": str(uuid.uuid4()), "fields": {"mood": 11}}),
            '{"kind": "checkin", "id": "abcdefgh", "fields": {"mood": NaN}}',
            json.dumps({"kind": "checkin", "id": "a" * 10, "fields": {"mood": 1}}) + " " * 70_000,
        ):
            ws.send_text(message)
            answers.append(ws.receive_json())
    assert [a["status"] for a in answers] == [400, 404, 400, 400, 400, 400]
    assert all(a["answer"]["message"] for a in answers)
    assert answers[3]["answer"]["field"] == "mood"
    assert (_count(session, CheckIn), _count(session, Submission)) == (0, 0)


def test_the_session_is_checked_for_every_entry_on_an_open_socket(session, patient):
    entry = {"kind": "checkin", "fields": {"mood": 4}}
    with _client(patient.token).websocket_connect(routes.ENTRIES_SOCKET, headers=ORIGIN) as ws:
        ws.send_text(json.dumps({**entry, "id": str(uuid.uuid4())}))
        assert ws.receive_json()["status"] == 200
        auth.sign_out(session, patient.token)
        session.commit()
        ws.send_text(json.dumps({**entry, "id": str(uuid.uuid4()), "fields": {"mood": 9}}))
        signed_out = ws.receive_json()
    assert signed_out["status"] == 401
    assert "Sign in again" in signed_out["answer"]["message"]
    session.expire_all()
    assert [row.mood for row in session.exec(select(CheckIn)).all()] == [4]


def test_no_socket_without_a_session_nor_from_another_sites_page(session, patient):
    with _client(None).websocket_connect(routes.ENTRIES_SOCKET, headers=ORIGIN) as ws:
        ws.send_text(json.dumps({"kind": "checkin", "id": str(uuid.uuid4()), "fields": {}}))
        assert ws.receive_json()["status"] == 401
    evil = {"origin": "https://evil.example"}
    client = _client(patient.token)
    with (
        pytest.raises(WebSocketDisconnect),
        client.websocket_connect(routes.ENTRIES_SOCKET, headers=evil) as ws,
    ):
        ws.send_text(json.dumps({"kind": "checkin", "id": str(uuid.uuid4()), "fields": {}}))
        ws.receive_json()
    assert _count(session, CheckIn) == 0
