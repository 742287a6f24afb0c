"""Sign-up, sign-in, sessions, rate limits and password changes against a real database."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from companion.data.accounts import AuthSession, Patient
from companion.data.db import utcnow
from companion.security import auth
from companion.security.tokens import hash_token

PASSWORD = "a long enough password"


def _signed_in(session, email="pat@example.com", password=PASSWORD, client="10.0.0.1"):
    result = auth.sign_up(session, email, password, "Europe/London", client, "Chrome on Linux")
    assert result.ok, result.message
    token = auth.redeem_ticket(session, result.ticket)
    assert token is not None
    return token


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


def test_time_zone_comes_with_the_ticket_when_sign_up_did_not_know_it(session):
    # A quick tap on "Create account" can beat the browser's answer about its zone.
    unknown = auth.sign_up(session, "tz@example.com", PASSWORD, "Mars/Olympus", "c", "d")
    token = auth.redeem_ticket(session, unknown.ticket)
    assert session.exec(select(Patient)).one().timezone == ""
    auth.adopt_timezone(session, token, "Europe/Paris")
    assert session.exec(select(Patient)).one().timezone == "Europe/Paris"
    auth.adopt_timezone(session, token, "Asia/Tokyo")  # never overrides a known zone
    assert session.exec(select(Patient)).one().timezone == "Europe/Paris"
    other = auth.sign_up(session, "tz2@example.com", PASSWORD, None, "c", "d")
    other_token = auth.redeem_ticket(session, other.ticket)
    auth.adopt_timezone(session, other_token, "Mars/Olympus")
    zones = {p.email: p.timezone for p in session.exec(select(Patient)).all()}
    assert zones["tz2@example.com"] == "UTC"


def test_sign_up_rejects_short_password_and_bad_email(session):
    short = auth.sign_up(session, "a@example.com", "123456789", "UTC", "c", "d")
    assert not short.ok and "at least 10 characters" in short.message
    bad = auth.sign_up(session, "not-an-email", PASSWORD, "UTC", "c", "d")
    assert not bad.ok and bad.field == "email"
    assert session.exec(select(Patient)).all() == []


def test_ticket_works_once_and_expires(session):
    result = auth.sign_up(session, "t@example.com", PASSWORD, "UTC", "c", "d")
    assert auth.redeem_ticket(session, result.ticket) is not None
    assert auth.redeem_ticket(session, result.ticket) is None
    later = auth.sign_in(session, "t@example.com", PASSWORD, "c", "d")
    assert auth.redeem_ticket(session, later.ticket, now=utcnow() + timedelta(minutes=3)) is None
    # An unredeemed ticket is not a session.
    assert auth.patient_for_token(session, later.ticket) is None


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
    for i in range(auth.MAX_FAILURES_PER_CLIENT):
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
    elsewhere = auth.redeem_ticket(
        session, auth.sign_in(session, "pat@example.com", PASSWORD, "c", "d").ticket
    )
    patient_id = auth.patient_for_token(session, here)
    assert auth.change_password(session, patient_id, here, "wrong", "new password here") == (
        "Your current password is not right."
    )
    assert "at least 10" in auth.change_password(session, patient_id, here, PASSWORD, "short")
    assert auth.change_password(session, patient_id, here, PASSWORD, "new password here") is None
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
        auth.change_password(session, patient_id, here, PASSWORD, "new password here")
        == auth.WRONG_PASSWORD_LIMIT
    )
    assert session.get(Patient, patient_id) is not None
    assert auth.sign_in(session, "pat@example.com", PASSWORD, "c", "d").message == (
        auth.TOO_MANY_TRIES
    )
