"""A stranger guessing a patient's password cannot lock the patient out: their phone, which
signed in before, keeps its own allowance (OWASP's device cookies). The limits themselves are
tested without a browser in tests/integration/test_auth_routes.py."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect

from companion.security import auth
from tests.browser import PASSWORD, Server, open_visit, sign_in, sign_up

pytestmark = pytest.mark.e2e


def test_the_owners_phone_signs_in_while_a_stranger_is_locked_out(browser: Browser, server: Server):
    phone = open_visit(browser, server)
    mine = phone.new_page()
    email = sign_up(mine, server)
    device = next(c for c in phone.context.cookies() if c["name"] == auth.DEVICE_COOKIE)
    assert device["httpOnly"] and device["sameSite"] == "Strict" and device["path"] == "/auth"
    mine.goto(server.url("/settings"))
    mine.get_by_role("button", name="Sign out").click()
    mine.wait_for_url("**/login")

    attacker = open_visit(browser, server)
    theirs = attacker.new_page()
    for attempt in range(auth.MAX_FAILURES_PER_ACCOUNT):
        sign_in(theirs, server, email, f"guess number {attempt} is wrong")
        expect(theirs.get_by_role("alert")).to_contain_text("don't match")
    # Now even the right password is refused to a browser that never signed in here...
    sign_in(theirs, server, email, PASSWORD)
    expect(theirs.get_by_role("alert")).to_contain_text("Too many sign-in attempts")
    assert "kc_session" not in {c["name"] for c in attacker.context.cookies()}
    # ...while the owner's phone, with its device cookie, signs straight in.
    sign_in(mine, server, email, PASSWORD)
    mine.wait_for_url(server.url("/"))
    expect(mine.get_by_role("heading", name="Today", level=1)).to_be_visible()
    renewed = next(c for c in phone.context.cookies() if c["name"] == auth.DEVICE_COOKIE)
    assert renewed["value"] != device["value"]
    # A copy of the device cookie with a changed signature is just a stranger's browser.
    forged = {**device, "value": device["value"][:-4] + "AAAA"}
    attacker.context.add_cookies([forged])
    sign_in(theirs, server, email, PASSWORD)
    expect(theirs.get_by_role("alert")).to_contain_text("Too many sign-in attempts")
    phone.context.close()
    attacker.context.close()
