"""Sign-up, sign-in, sessions, rate limits, device cookies and password changes, against a
real database."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from companion.data.accounts import AuthSession, Patient
from companion.data.db import utcnow
from companion.security import auth
from companion.security.tokens import hash_token
from companion.settings import settings

PASSWORD = "a long enough password"


def _signed_in(session, email="pat@example.com", password=PASSWORD, client="10.0.0.1"):
    result = auth.sign_up(session, email, password, "Europe/London", client, "Chrome on Linux")
    assert result.ok, result.message
    assert result.token is not None
    return result.token


def test_sign_up_creates_patient_with_argon2id_hash_and_timezone(session):
    token = _signed_in(session)
    patient = session.exec(select(Patient)).one()
    assert patient.email == "pat@example.com"
    assert patient.password_hash.startswith("$argon2id$")
    assert PASSWORD not in patient.password_hash
    assert patient.timezone == "Europe/London"
    assert auth.patient_for_token(session, token) == patient.id


def test_only_hashes_of_tokens_are_stored(session):
    token = _signed_in(session)
    stored = session.exec(select(AuthSession)).one()
    assert stored.token_hash == hash_token(token)
    assert token not in stored.token_hash


def test_an_unknown_time_zone_becomes_utc(session):
    auth.sign_up(session, "tz@example.com", PASSWORD, "Mars/Olympus", "c", "d")
    auth.sign_up(session, "tz2@example.com", PASSWORD, None, "c", "d")
    auth.sign_up(session, "tz3@example.com", PASSWORD, "Asia/Tokyo", "c", "d")
    zones = {p.email: p.timezone for p in session.exec(select(Patient)).all()}
    assert zones == {
        "tz@example.com": "UTC",
        "tz2@example.com": "UTC",
        "tz3@example.com": "Asia/Tokyo",
    }


def test_sign_up_rejects_short_password_and_bad_email(session):
    short = auth.sign_up(session, "a@example.com", "123456789", "UTC", "c", "d")
    assert not short.ok and "at least 10 characters" in short.message
    bad = auth.sign_up(session, "not-an-email", PASSWORD, "UTC", "c", "d")
    assert not bad.ok and bad.field == "email"
    assert session.exec(select(Patient)).all() == []


def test_a_never_traded_ticket_from_before_is_not_a_session(session):
    from companion.data import accounts
    from companion.security.tokens import new_token

    patient_id = auth.patient_for_token(session, _signed_in(session))
    ticket = new_token()
    accounts.create_session(session, patient_id, hash_token(ticket), "d")  # not activated
    assert auth.patient_for_token(session, ticket) is None


def test_wrong_password_and_unknown_email_get_the_same_message(session):
    _signed_in(session)
    wrong = auth.sign_in(session, "pat@example.com", "wrong password!", "c2", "d")
    unknown = auth.sign_in(session, "nobody@example.com", "wrong password!", "c3", "d")
    assert not wrong.ok and not unknown.ok
    assert wrong.message == unknown.message == auth.BAD_CREDENTIALS


def test_email_is_case_insensitive(session):
    _signed_in(session)
    assert auth.sign_in(session, "  PAT@Example.com ", PASSWORD, "c", "d").ok


def test_account_locks_after_five_failures_registered_or_not(session):
    _signed_in(session)
    for email in ("pat@example.com", "ghost@example.com"):
        for i in range(auth.MAX_FAILURES_PER_ACCOUNT):
            assert auth.sign_in(session, email, "nope nope nope", f"client-{i}", "d").message == (
                auth.BAD_CREDENTIALS
            )
        locked = auth.sign_in(session, email, PASSWORD, "fresh-client", "d")
        assert not locked.ok and locked.message == auth.TOO_MANY_TRIES
    # The window passes and the right password works again.
    later = utcnow() + auth.RATE_WINDOW + timedelta(seconds=1)
    assert auth.sign_in(session, "pat@example.com", PASSWORD, "fresh-client", "d", now=later).ok


def test_client_is_limited_across_accounts(session):
    _signed_in(session)
    for i in range(settings.signin_failures_per_client):
        auth.sign_in(session, f"user{i}@example.com", "nope nope nope", "attacker", "d")
    blocked = auth.sign_in(session, "pat@example.com", PASSWORD, "attacker", "d")
    assert blocked.message == auth.TOO_MANY_TRIES
    assert auth.sign_in(session, "pat@example.com", PASSWORD, "someone-else", "d").ok


def test_session_expires_after_30_idle_days_and_use_extends_it(session):
    token = _signed_in(session)
    now = utcnow()
    assert auth.patient_for_token(session, token, now=now + timedelta(days=29)) is not None
    # Used on day 29, so idle only since then.
    assert auth.patient_for_token(session, token, now=now + timedelta(days=58)) is not None
    assert auth.patient_for_token(session, token, now=now + timedelta(days=89)) is None
    assert session.exec(select(AuthSession)).all() == []


def test_sign_out_ends_the_session(session):
    token = _signed_in(session)
    auth.sign_out(session, token)
    assert auth.patient_for_token(session, token) is None


def test_change_password_signs_out_other_sessions(session):
    here = _signed_in(session)
    elsewhere = auth.sign_in(session, "pat@example.com", PASSWORD, "c", "d").token
    patient_id = auth.patient_for_token(session, here)
    mine = hash_token(here)
    assert auth.change_password(session, patient_id, mine, "wrong", "new password here") == (
        "Your current password is not right."
    )
    assert "at least 10" in auth.change_password(session, patient_id, mine, PASSWORD, "short")
    assert auth.change_password(session, patient_id, mine, PASSWORD, "new password here") is None
    assert auth.patient_for_token(session, here) == patient_id
    assert auth.patient_for_token(session, elsewhere) is None
    assert not auth.sign_in(session, "pat@example.com", PASSWORD, "c", "d").ok
    assert auth.sign_in(session, "pat@example.com", "new password here", "c", "d").ok


def test_signing_up_again_with_the_right_password_signs_in(session):
    _signed_in(session)
    again = auth.sign_up(session, "pat@example.com", PASSWORD, "UTC", "c", "d")
    assert again.ok
    other = auth.sign_up(session, "pat@example.com", "a different password", "UTC", "c", "d")
    assert not other.ok and other.message == auth.SIGNUP_REFUSED


def test_signing_in_clears_away_idle_sessions_and_stale_failures(session):
    from companion.data.accounts import LoginFailure

    old_token = _signed_in(session)
    auth.sign_in(session, "pat@example.com", "wrong password!!", "c9", "d")
    stored = session.exec(select(AuthSession)).one()
    stored.last_seen_at = utcnow() - timedelta(days=31)
    for failure in session.exec(select(LoginFailure)).all():
        failure.at = utcnow() - timedelta(hours=1)
    session.commit()
    assert auth.sign_in(session, "pat@example.com", PASSWORD, "c", "d").ok
    assert auth.patient_for_token(session, old_token) is None
    assert session.exec(select(LoginFailure)).all() == []
    assert len(session.exec(select(AuthSession)).all()) == 1


def test_wrong_passwords_in_settings_count_against_the_sign_in_limit(session):
    here = _signed_in(session)
    patient_id = auth.patient_for_token(session, here)
    for _ in range(auth.MAX_FAILURES_PER_ACCOUNT):
        assert auth.delete_account(session, patient_id, "guess") == (
            "That password is not right, so nothing was deleted."
        )
    # Even the right password is refused now: a phone left open can't be used to guess.
    assert auth.delete_account(session, patient_id, PASSWORD) == auth.WRONG_PASSWORD_LIMIT
    assert (
        auth.change_password(session, patient_id, hash_token(here), PASSWORD, "new password here")
        == auth.WRONG_PASSWORD_LIMIT
    )
    assert session.get(Patient, patient_id) is not None
    assert auth.sign_in(session, "pat@example.com", PASSWORD, "c", "d").message == (
        auth.TOO_MANY_TRIES
    )


def test_a_device_that_signed_in_before_keeps_its_own_allowance(session):
    """OWASP device cookies: a stranger's wrong guesses lock strangers out, not the owner."""
    _signed_in(session)
    phone = auth.sign_in(session, "pat@example.com", PASSWORD, "home", "d").device_cookie
    assert phone is not None
    # An attack from many addresses runs the account's allowance for strangers dry...
    for i in range(3 * auth.MAX_FAILURES_PER_ACCOUNT):
        auth.sign_in(session, "pat@example.com", f"guess number {i}", f"attacker-{i}", "d")
    stranger = auth.sign_in(session, "pat@example.com", PASSWORD, "cafe", "d")
    assert stranger.message == auth.TOO_MANY_TRIES and stranger.limited
    # ...while the owner's phone signs in, and gets a fresh device cookie.
    owner = auth.sign_in(session, "pat@example.com", PASSWORD, "home", "d", phone)
    assert owner.ok and owner.device_cookie not in (None, phone)
    # A device's own wrong tries lock that device only.
    again = owner.device_cookie
    for _ in range(auth.MAX_FAILURES_PER_DEVICE):
        auth.sign_in(session, "pat@example.com", "typo typo typo", "home", "d", again)
    assert auth.sign_in(session, "pat@example.com", PASSWORD, "home", "d", again).limited
    assert auth.sign_in(session, "pat@example.com", PASSWORD, "home", "d", phone).ok


def test_device_cookies_are_signed_and_belong_to_one_account(session):
    _signed_in(session)
    _signed_in(session, "other@example.com")
    mine = auth.sign_in(session, "pat@example.com", PASSWORD, "c", "d").device_cookie
    theirs = auth.sign_in(session, "other@example.com", PASSWORD, "c", "d").device_cookie
    pat = session.exec(select(Patient).where(Patient.email == "pat@example.com")).one()
    assert auth.trusted_device(mine, pat.id) is not None
    assert auth.trusted_device(theirs, pat.id) is None
    owner, nonce, signature = mine.split(".")
    assert auth.trusted_device(f"{owner}.{nonce}x.{signature}", pat.id) is None
    assert auth.trusted_device(f"{owner}.{nonce}.{'A' * 43}", pat.id) is None
    for forged in (None, "", "1.2", ["a"], "a.b.c.d"):
        assert auth.trusted_device(forged, pat.id) is None


def test_sign_up_is_limited_per_client_counting_successes(session):
    for i in range(settings.signups_per_client_hour):
        assert auth.sign_up(session, f"new{i}@example.com", PASSWORD, "UTC", "one-address", "d").ok
    refused = auth.sign_up(session, "late@example.com", PASSWORD, "UTC", "one-address", "d")
    assert not refused.ok and refused.message == auth.TOO_MANY_SIGNUPS and refused.limited
    assert auth.sign_up(session, "late@example.com", PASSWORD, "UTC", "another", "d").ok
    later = utcnow() + auth.SIGNUP_WINDOW + timedelta(seconds=1)
    assert auth.sign_up(
        session, "later@example.com", PASSWORD, "UTC", "one-address", "d", now=later
    ).ok
    assert session.exec(select(Patient).where(Patient.email == "late@example.com")).one()
