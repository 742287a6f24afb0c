"""A raw websocket attacker against the running app: the victim's tab token with no cookie, a
forged one, a signed-out one or the attacker's own, then every public handler with hostile
payloads. Nothing of the victim's may come back, and none of their rows may change."""

from __future__ import annotations

import json
import secrets
import sqlite3
import urllib.request
from dataclasses import dataclass
from datetime import timedelta

import pytest
from playwright.sync_api import Browser, expect

from tests.browser import PASSWORD, Server, open_visit, patient_today, sign_up, unique_email
from tests.security.handlers import PAGES, REVIEWED, Victim, public_handlers
from tests.security.rawsocket import ROOT, RawTab, text_of

pytestmark = pytest.mark.e2e


@dataclass
class Planted:
    """The victim: an account with data, a tab that showed it, and what must never leak."""

    email: str
    patient_id: int
    cookie: str
    tab: str
    secrets: tuple[str, ...]
    victim: Victim


def _db(server: Server) -> sqlite3.Connection:
    return sqlite3.connect(server.database_url.split("///", 1)[1])


def snapshot(server: Server, patient_id: int) -> str:
    """Every row of the patient's, in every table, as text."""
    with _db(server) as db:
        tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        rows: dict[str, list] = {}
        for table in sorted(tables):
            columns = [r[1] for r in db.execute(f"PRAGMA table_info({table})")]
            if "patient_id" in columns:
                rows[table] = db.execute(
                    f"SELECT * FROM {table} WHERE patient_id = ? ORDER BY id",  # noqa: S608
                    (patient_id,),
                ).fetchall()
        rows["patient"] = db.execute("SELECT * FROM patient WHERE id = ?", (patient_id,)).fetchall()
        rows["share_view"] = db.execute(
            "SELECT v.* FROM share_view v JOIN share_link l ON l.id = v.link_id"
            " WHERE l.patient_id = ? ORDER BY v.id",
            (patient_id,),
        ).fetchall()
    return json.dumps(rows, default=str)


def http_session(server: Server, path: str, fields: str) -> str:
    """Sign in or up over HTTP as a script would; returns the kc_session cookie."""
    request = urllib.request.Request(  # noqa: S310 - our own server
        server.url(path),
        data=fields.encode(),
        headers={"Origin": server.base_url, "Accept": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request) as response:  # noqa: S310
        cookies = response.headers.get_all("set-cookie")
    value = next(c for c in cookies if c.startswith("kc_session="))
    return value.split(";", 1)[0]


def sign_out_over_http(server: Server, cookie: str) -> None:
    request = urllib.request.Request(  # noqa: S310
        server.url("/auth/signout"),
        data=b"",
        headers={"Origin": server.base_url, "Accept": "application/json", "Cookie": cookie},
        method="POST",
    )
    urllib.request.urlopen(request).close()  # noqa: S310


def plant(browser: Browser, server: Server) -> Planted:
    visit = open_visit(browser, server)
    page = visit.new_page()
    email = sign_up(page, server)
    marker = secrets.token_hex(4)
    page.goto(server.url("/settings"))
    page.get_by_label("Clinic name").fill(f"VICTIM-CLINIC-{marker}")
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_text("Saved.")).to_be_visible()
    page.goto(server.url("/infusions"))
    yesterday = (patient_today() - timedelta(days=1)).isoformat()
    page.get_by_label("Date").fill(yesterday)
    page.get_by_label("Note").fill(f"VICTIM-INFUSION-{marker}")
    page.get_by_role("button", name="Save infusion").click()
    expect(page.get_by_text("Infusion saved.")).to_be_visible()
    page.goto(server.url("/share"))
    page.get_by_role("button", name="Create link").click()
    share_url = page.locator("#share-new-url").inner_text()
    page.goto(server.url("/checkin"))
    page.get_by_role("radiogroup", name="Mood").get_by_role("radio", name="4", exact=True).check()
    page.get_by_label("Note").fill(f"VICTIM-NOTE-{marker}")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Saved for today")).to_be_visible()
    tab = page.evaluate("sessionStorage.getItem('token')")
    cookie = next(c for c in visit.context.cookies() if c["name"] == "kc_session")
    with _db(server) as db:
        patient_id = db.execute("SELECT id FROM patient WHERE email = ?", (email,)).fetchone()[0]
        infusion = db.execute("SELECT id FROM infusion WHERE patient_id = ?", (patient_id,))
        link = db.execute("SELECT id FROM share_link WHERE patient_id = ?", (patient_id,))
        victim = Victim(infusion.fetchone()[0], link.fetchone()[0], patient_today().isoformat())
    visit.context.close()
    return Planted(
        email=email,
        patient_id=patient_id,
        cookie=f"kc_session={cookie['value']}",
        tab=tab,
        secrets=(
            email,
            f"VICTIM-CLINIC-{marker}",
            f"VICTIM-INFUSION-{marker}",
            f"VICTIM-NOTE-{marker}",
            share_url.split("#")[0].rsplit("/", 1)[-1],
            cookie["value"],
        ),
        victim=victim,
    )


def attack(server: Server, planted: Planted, cookie: str, tab: str | None = None) -> str:
    """Hydrate with the victim's tab token, then every handler with a hostile payload."""
    raw = RawTab(server.base_url, tab or planted.tab, cookie)
    names = public_handlers()
    raw.emit(f"{ROOT}.hydrate_and_load", {}, "/settings")
    for short, payload in REVIEWED.items():
        path = PAGES.get(short.split(".")[0], "/")
        raw.emit(names[short], payload(planted.victim), path)
    raw.emit(f"{ROOT}.hydrate", {}, "/settings")
    sent = text_of(raw.updates(seconds=8))
    raw.close()
    return sent


def leaked(sent: str, planted: Planted) -> list[str]:
    return [s for s in planted.secrets if s in sent]


@pytest.fixture(scope="module")
def planted(browser: Browser, server: Server) -> Planted:
    return plant(browser, server)


def test_a_left_over_tab_token_opens_nothing_whatever_the_cookie(server: Server, planted):
    before = snapshot(server, planted.patient_id)
    signed_out = http_session(
        server, "/auth/signin", f"email={planted.email}&password={PASSWORD.replace(' ', '+')}"
    )
    sign_out_over_http(server, signed_out)
    stranger = http_session(
        server,
        "/auth/signup",
        f"email={unique_email()}&password=another+long+password&timezone=UTC",
    )
    cases = {
        "no cookie": "",
        "forged cookie": f"kc_session={secrets.token_urlsafe(32)}",
        "signed-out cookie": signed_out,
        "another patient's cookie": stranger,
        "the cookie's hash as a cookie": "kc_sid=" + "0" * 64,
    }
    for case, cookie in cases.items():
        sent = attack(server, planted, cookie)
        assert '"delta"' in sent, f"{case}: the server answered nothing at all"
        assert leaked(sent, planted) == [], case
        assert snapshot(server, planted.patient_id) == before, case


def test_a_guessed_tab_token_with_the_victims_own_cookie_sees_only_a_fresh_tab(
    server: Server, planted
):
    """The cookie alone (say, stolen) reaches the account through pages, not through another
    tab's state: a new tab token gives a new, empty state."""
    sent = attack(server, planted, "", tab=secrets.token_hex(16))
    assert leaked(sent, planted) == []


def test_signing_out_drops_every_tab_of_that_session(browser: Browser, server: Server):
    planted = plant(browser, server)
    # The victim's own cookie still opens their own tab, with their data.
    raw = RawTab(server.base_url, planted.tab, planted.cookie)
    raw.emit(f"{ROOT}.hydrate_and_load", {}, "/checkin")
    assert "VICTIM-NOTE" in text_of(raw.updates(seconds=4))
    raw.close()
    sign_out_over_http(server, planted.cookie)
    # Afterwards the same tab token and the same (now signed-out) cookie get nothing.
    sent = attack(server, planted, planted.cookie)
    assert '"delta"' in sent and leaked(sent, planted) == []
