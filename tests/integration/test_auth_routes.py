"""The HTTP routes that sign in, up and out: cookies and their attributes, the answers with and
without JavaScript, the limits as a client meets them, and forms from other sites refused."""

from __future__ import annotations

import pytest
from starlette.applications import Starlette
from starlette.routing import Route
from starlette.testclient import TestClient

from companion import routes
from companion.api import auth_routes
from companion.security import auth
from companion.settings import settings

PASSWORD = "a long enough password"
JSON = {"origin": "http://localhost:3000", "accept": "application/json"}


@pytest.fixture
def client(engine):
    app = Starlette(
        routes=[
            Route(routes.AUTH_SIGNIN, auth_routes.sign_in, methods=["POST"]),
            Route(routes.AUTH_SIGNUP, auth_routes.sign_up, methods=["POST"]),
            Route(routes.AUTH_SIGNOUT, auth_routes.sign_out, methods=["POST"]),
        ]
    )
    return TestClient(app, base_url="http://localhost:3000", follow_redirects=False)


def _cookies(response) -> dict[str, str]:
    found = {}
    for header in response.headers.get_list("set-cookie"):
        name, rest = header.split("=", 1)
        found[name] = rest
    return found


def test_sign_up_sets_a_strict_httponly_session_and_a_device_cookie(client):
    made = client.post(
        routes.AUTH_SIGNUP,
        data={"email": "a@example.com", "password": PASSWORD, "timezone": "Europe/Paris"},
        headers=JSON,
    )
    assert made.status_code == 200 and made.json() == {"next": "/setup"}
    cookies = _cookies(made)
    session, device = cookies[auth.SESSION_COOKIE], cookies[auth.DEVICE_COOKIE]
    assert "HttpOnly" in session and "SameSite=Strict" in session and "Path=/;" in session
    assert "HttpOnly" in device and "Path=/auth" in device and "Max-Age=31536000" in device
    assert made.headers["cache-control"] == "no-store"


def test_without_javascript_the_form_gets_a_redirect_with_a_message_code(client):
    client.post(
        routes.AUTH_SIGNUP, data={"email": "a@example.com", "password": PASSWORD}, headers=JSON
    )
    plain = {"origin": "http://localhost:3000"}
    wrong = client.post(
        routes.AUTH_SIGNIN,
        data={"email": "a@example.com", "password": "nope nope nope"},
        headers=plain,
    )
    assert wrong.status_code == 303 and wrong.headers["location"] == "/login?error=credentials"
    right = client.post(
        routes.AUTH_SIGNIN,
        data={"email": "a@example.com", "password": PASSWORD, "next": "/checkin?day=2026-01-02"},
        headers=plain,
    )
    assert right.status_code == 303 and right.headers["location"] == "/checkin?day=2026-01-02"
    evil = client.post(
        routes.AUTH_SIGNIN,
        data={"email": "a@example.com", "password": PASSWORD, "next": "//evil.example"},
        headers=plain,
    )
    assert evil.headers["location"] == "/"


def test_one_message_for_a_wrong_password_or_an_unknown_email(client):
    client.post(
        routes.AUTH_SIGNUP, data={"email": "a@example.com", "password": PASSWORD}, headers=JSON
    )
    for email in ("a@example.com", "nobody@example.com"):
        refused = client.post(
            routes.AUTH_SIGNIN, data={"email": email, "password": "wrong wrong"}, headers=JSON
        )
        assert refused.status_code == 400
        assert refused.json() == {"message": auth.BAD_CREDENTIALS, "field": ""}
        assert auth.SESSION_COOKIE not in _cookies(refused)


def test_sign_up_is_limited_per_client_and_says_so(client):
    for i in range(settings.signups_per_client_hour):
        made = client.post(
            routes.AUTH_SIGNUP,
            data={"email": f"n{i}@example.com", "password": PASSWORD},
            headers=JSON,
        )
        assert made.status_code == 200, made.text
    refused = client.post(
        routes.AUTH_SIGNUP, data={"email": "late@example.com", "password": PASSWORD}, headers=JSON
    )
    assert refused.status_code == 429 and refused.json()["message"] == auth.TOO_MANY_SIGNUPS


def test_a_locked_account_answers_429_but_the_owners_device_gets_in(client):
    client.post(
        routes.AUTH_SIGNUP, data={"email": "a@example.com", "password": PASSWORD}, headers=JSON
    )
    device = client.cookies.get(auth.DEVICE_COOKIE)
    client.cookies.clear()
    for _ in range(auth.MAX_FAILURES_PER_ACCOUNT):
        client.post(
            routes.AUTH_SIGNIN, data={"email": "a@example.com", "password": "wrong"}, headers=JSON
        )
    right = {"email": "a@example.com", "password": PASSWORD}
    locked = client.post(routes.AUTH_SIGNIN, data=right, headers=JSON)
    assert locked.status_code == 429 and locked.json()["message"] == auth.TOO_MANY_TRIES
    client.cookies.set(auth.DEVICE_COOKIE, device, path="/auth")
    assert client.post(routes.AUTH_SIGNIN, data=right, headers=JSON).status_code == 200


def test_forms_from_another_site_are_refused_and_same_origin_forms_pass(client):
    data = {"email": "a@example.com", "password": PASSWORD}
    for headers in (
        {"origin": "https://evil.example"},
        {"origin": "null", "sec-fetch-site": "cross-site"},
        {"sec-fetch-site": "same-site"},
        {},
    ):
        assert client.post(routes.AUTH_SIGNUP, data=data, headers=headers).status_code == 403
    # A form on a page whose referrer policy hides the origin: the browser vouches for it.
    ok = {"origin": "null", "sec-fetch-site": "same-origin", "accept": "application/json"}
    assert client.post(routes.AUTH_SIGNUP, data=data, headers=ok).status_code == 200


def test_sign_out_ends_the_session_and_clears_the_cookie(client, session):
    client.post(
        routes.AUTH_SIGNUP, data={"email": "a@example.com", "password": PASSWORD}, headers=JSON
    )
    token = client.cookies.get(auth.SESSION_COOKIE)
    out = client.post(routes.AUTH_SIGNOUT, headers=JSON)
    assert out.json() == {"next": "/login"}
    assert (
        _cookies(out)[auth.SESSION_COOKIE].startswith(";")
        or "Max-Age=0" in _cookies(out)[auth.SESSION_COOKIE]
    )
    assert auth.patient_for_token(session, token) is None
