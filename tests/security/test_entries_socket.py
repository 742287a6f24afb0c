"""The entries socket (/api/entries-socket) against an attacker with a raw websocket client: any
Origin, any cookie or none, any message. Only the app's own pages may open it, a save needs a
live session, hostile messages get a clear refusal and save nothing, and an id saves once."""

from __future__ import annotations

import json
import uuid

import pytest
import simple_websocket
from playwright.sync_api import Page

from tests.browser import Server, db_rows, sign_up
from tests.e2e.test_entries_survive import moods

PATH = "/api/entries-socket"


def _connect(server: Server, origin: str | None, cookie: str = "") -> simple_websocket.Client:
    headers = {"Origin": origin} if origin is not None else {}
    if cookie:
        headers["Cookie"] = cookie
    return simple_websocket.Client.connect(
        server.base_url.replace("http://", "ws://", 1) + PATH, headers=headers
    )


def _ask(ws: simple_websocket.Client, message: str) -> dict:
    ws.send(message)
    reply = ws.receive(timeout=10)
    assert reply is not None, "no answer"
    return json.loads(reply)


def _entry(mood: object = 6, **extra: object) -> dict:
    return {"kind": "checkin", "id": uuid.uuid4().hex, "fields": {"mood": mood}, **extra}


@pytest.fixture
def patient(page: Page, server: Server) -> tuple[str, str]:
    """A signed-up patient's email and their browser's cookies, as a header."""
    email = sign_up(page, server)
    cookies = "; ".join(f"{c['name']}={c['value']}" for c in page.context.cookies())
    return email, cookies


@pytest.mark.parametrize("origin", ["http://evil.example", "null", None])
def test_another_sites_page_cannot_open_it_even_with_the_cookie(
    server: Server, patient: tuple[str, str], origin: str | None
):
    email, cookie = patient
    try:
        ws = _connect(server, origin, cookie)
    except simple_websocket.ConnectionError as refused:
        assert refused.status_code == 403  # refused at the handshake
    else:
        try:
            with pytest.raises(
                (simple_websocket.ConnectionError, simple_websocket.ConnectionClosed)
            ):
                ws.send(json.dumps(_entry()))
                assert ws.receive(timeout=3) is None
                ws.send(json.dumps(_entry()))
        finally:
            ws.close()
    assert moods(server, email) == []


def test_without_a_session_nothing_is_saved(server: Server, patient: tuple[str, str]):
    email, _ = patient
    ws = _connect(server, server.base_url)
    try:
        reply = _ask(ws, json.dumps(_entry()))
        assert reply["status"] == 401
        assert "kept on this phone" in reply["answer"]["message"]
        forged = _ask(ws, json.dumps(_entry(patient_id=1, email=email)))
        assert forged["status"] == 401
    finally:
        ws.close()
    assert moods(server, email) == []


HOSTILE = [
    ("not json", 400),
    ("[1, 2]", 400),
    ('{"kind": "checkin", "id": "x", "fields": {"mood": NaN}}', 400),
    (json.dumps({"kind": "../etc/passwd", "id": uuid.uuid4().hex, "fields": {}}), 404),
    (json.dumps({"kind": "checkin", "fields": {"mood": 5}}), 400),
    (json.dumps({"kind": "checkin", "id": "<script>", "fields": {"mood": 5}}), 400),
    (json.dumps(_entry(mood=11)), 400),
    (json.dumps(_entry(mood="<img src=x onerror=alert(1)>")), 400),
    (json.dumps(_entry(note="x" * 70_000)), 400),
]


def test_hostile_messages_get_a_clear_refusal_and_change_nothing(
    server: Server, patient: tuple[str, str]
):
    email, cookie = patient
    ws = _connect(server, server.base_url, cookie)
    try:
        for message, status in HOSTILE:
            reply = _ask(ws, message)
            assert reply["status"] == status, (message[:60], reply)
            assert reply["answer"]["message"], message[:60]
            assert "Traceback" not in json.dumps(reply)
        assert moods(server, email) == []
        # The socket still saves after all that, and the same id only once.
        entry = _entry(mood=4)
        first = _ask(ws, json.dumps(entry))
        again = _ask(ws, json.dumps(entry))
    finally:
        ws.close()
    assert first["status"] == 200 and first["answer"]["saved"] is True
    assert first["id"] == entry["id"]
    assert again["status"] == 200 and again["answer"]["repeat"] is True
    assert [mood for _, mood in moods(server, email)] == [4]
    ledger = db_rows(
        server, "select count(*) from submission where submission_id = :i", i=entry["id"]
    )
    assert ledger == [(1,)]


def test_a_session_ended_meanwhile_saves_nothing_more(
    page: Page, server: Server, patient: tuple[str, str]
):
    email, cookie = patient
    ws = _connect(server, server.base_url, cookie)
    try:
        assert _ask(ws, json.dumps(_entry(mood=3)))["status"] == 200
        page.goto(server.url("/settings"))
        page.get_by_role("button", name="Sign out").click()
        page.wait_for_url("**/login**")
        after = _ask(ws, json.dumps(_entry(mood=8)))
    finally:
        ws.close()
    assert after["status"] == 401
    assert [mood for _, mood in moods(server, email)] == [3]
