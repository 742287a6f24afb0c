"""Save sends the entry on the page's open /api/entries socket (one message, answered once it is
committed); when that socket goes quiet or closes, the same entry goes by POST, saved once."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import Page, WebSocketRoute, expect

from tests.browser import Server, patient_today, sign_up
from tests.e2e.test_entries_survive import day_loaded, mood, moods, status

pytestmark = pytest.mark.e2e


def _posts(page: Page) -> list[str]:
    sent: list[str] = []
    page.on(
        "request",
        lambda r: sent.append(r.url) if r.method == "POST" and "/api/entries" in r.url else None,
    )
    return sent


def test_save_goes_on_the_open_socket_and_is_saved_once(page: Page, server: Server):
    email = sign_up(page, server)
    frames: list[str] = []
    page.on(
        "websocket",
        lambda ws: (
            ws.on("framesent", lambda f: frames.append(f))
            if ws.url.endswith("/api/entries")
            else None
        ),
    )
    posts = _posts(page)
    page.goto(server.url("/checkin"))
    day_loaded(page)
    mood(page, 5).check()
    page.get_by_role("button", name="Save").click()
    expect(status(page)).to_contain_text("Saved for today")
    assert [json.loads(f)["fields"]["mood"] for f in frames] == ["5"]
    assert posts == []
    assert moods(server, email) == [(patient_today().isoformat(), 5)]


def test_when_the_socket_closes_unanswered_the_entry_goes_by_post_once(page: Page, server: Server):
    email = sign_up(page, server)
    frames: list[str] = []

    def drop_after_the_message(ws: WebSocketRoute) -> None:
        # The server never sees the message: as if the connection died with it on its way.
        ws.on_message(lambda message: (frames.append(str(message)), ws.close()))

    page.route_web_socket("**/api/entries", drop_after_the_message)
    posts = _posts(page)
    page.goto(server.url("/checkin"))
    day_loaded(page)
    mood(page, 8).check()
    page.get_by_role("button", name="Save").click()
    expect(status(page)).to_contain_text("Saved for today")
    assert len(frames) == 1 and len(posts) == 1
    assert moods(server, email) == [(patient_today().isoformat(), 8)]
