"""Sign-up, sign-in, sessions and password changes, with rate limits that reveal nothing.

A sign-in creates a one-time ticket; the browser trades it at /auth/session for an HttpOnly,
SameSite=Strict cookie holding a 256-bit token. Only SHA-256 hashes of either are stored.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session

from companion.data import accounts
from companion.data.db import as_utc, utcnow
from companion.localtime import is_valid_timezone
from companion.security.passwords import (
    dummy_hash,
    hash_password,
    needs_rehash,
    password_problem,
    verify_password,
)
from companion.security.tokens import hash_token, looks_like_token, new_token
from companion.settings import settings

SESSION_COOKIE = "kc_session"
# Where a signed-out visitor was going. The redirect to /login stores it as pending; the next
# load of the form makes it ready for that load only; signing in there reads it.
RETURN_COOKIE = "kc_return"
RETURN_PENDING = "pending."
RETURN_READY = "ready."
TICKET_LIFETIME = timedelta(minutes=2)
# Touching last_seen_at on every event would write on every click; minutes are precise enough
# for a 30-day idle limit.
TOUCH_EVERY = timedelta(minutes=5)
RATE_WINDOW = timedelta(minutes=15)
MAX_FAILURES_PER_ACCOUNT = 5
MAX_FAILURES_PER_CLIENT = 20

BAD_CREDENTIALS = "That email and password don't match. Check them and try again."
TOO_MANY_TRIES = "Too many sign-in attempts. Please wait 15 minutes, then try again."
WRONG_PASSWORD_LIMIT = (
    "Too many wrong passwords. Nothing was changed. Please wait 15 minutes, then try again."  # noqa: S105
)
SIGNUP_REFUSED = (
    "We couldn't create an account with these details. "
    "If you already have an account, sign in instead."
)
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True, slots=True)
class AuthResult:
    """The outcome of a sign-up or sign-in: a ticket to trade for a cookie, or a message."""

    ticket: str | None = None
    message: str = ""
    field: str = ""

    @property
    def ok(self) -> bool:
        return self.ticket is not None


def email_problem(email: object) -> str | None:
    if not isinstance(email, str) or not email.strip():
        return "Please enter your email address."
    if len(email.strip()) > 254 or not _EMAIL.match(email.strip()):
        return "Please enter an email address like name@example.com."
    return None


def _account_key(email: str) -> str:
    # Keyed by the hash of the typed email, registered or not, so locking says nothing.
    digest = hashlib.sha256(accounts.normalise_email(email).encode()).hexdigest()[:40]
    return f"acct:{digest}"


def _client_key(client: str) -> str:
    return f"client:{client[:70]}"


def _is_limited(session: Session, email: str, client: str, now: datetime) -> bool:
    since = now - RATE_WINDOW
    return (
        accounts.count_login_failures(session, _account_key(email), since)
        >= MAX_FAILURES_PER_ACCOUNT
        or accounts.count_login_failures(session, _client_key(client), since)
        >= MAX_FAILURES_PER_CLIENT
    )


def _issue_ticket(session: Session, patient_id: int, device: str) -> str:
    now = utcnow()
    # Housekeeping on the rare path: sessions idle past the limit and stale failures go.
    accounts.delete_idle_sessions(session, now - timedelta(days=settings.session_idle_days))
    accounts.prune_login_failures(session, now - RATE_WINDOW)
    ticket = new_token()
    accounts.create_session(session, patient_id, hash_token(ticket), device)
    return ticket


def sign_up(
    session: Session,
    email: object,
    password: object,
    timezone: object,
    client: str,
    device: str,
    now: datetime | None = None,
) -> AuthResult:
    """Create an account and return a sign-in ticket, or say what to fix."""
    now = now or utcnow()
    if problem := email_problem(email):
        return AuthResult(message=problem, field="email")
    if problem := password_problem(password):
        return AuthResult(message=problem, field="password")
    assert isinstance(email, str) and isinstance(password, str)
    if (
        accounts.count_login_failures(session, _client_key(client), now - RATE_WINDOW)
        >= MAX_FAILURES_PER_CLIENT
    ):
        return AuthResult(message=TOO_MANY_TRIES)
    existing = accounts.find_patient_by_email(session, email)
    if existing is not None:
        # The same person signing up twice with their password is simply signed in.
        if existing.id is not None and verify_password(existing.password_hash, password):
            return AuthResult(ticket=_issue_ticket(session, existing.id, device))
        accounts.record_login_failure(session, [_client_key(client)], now)
        return AuthResult(message=SIGNUP_REFUSED)
    # "" means not known yet: the browser sends its zone with the ticket (adopt_timezone).
    zone = timezone if isinstance(timezone, str) and is_valid_timezone(timezone) else ""
    patient = accounts.create_patient(session, email, hash_password(password), zone)
    assert patient.id is not None
    return AuthResult(ticket=_issue_ticket(session, patient.id, device))


def sign_in(
    session: Session,
    email: object,
    password: object,
    client: str,
    device: str,
    now: datetime | None = None,
) -> AuthResult:
    """Check the password; the message is the same whether or not the email is registered."""
    now = now or utcnow()
    if not isinstance(email, str) or not email.strip():
        return AuthResult(message="Please enter your email address.", field="email")
    if not isinstance(password, str) or not password:
        return AuthResult(message="Please enter your password.", field="password")
    if _is_limited(session, email, client, now):
        return AuthResult(message=TOO_MANY_TRIES)
    patient = accounts.find_patient_by_email(session, email)
    if patient is None or patient.id is None:
        verify_password(dummy_hash(), password)
        accounts.record_login_failure(session, [_account_key(email), _client_key(client)], now)
        return AuthResult(message=BAD_CREDENTIALS)
    if not verify_password(patient.password_hash, password):
        accounts.record_login_failure(session, [_account_key(email), _client_key(client)], now)
        return AuthResult(message=BAD_CREDENTIALS)
    accounts.clear_login_failures(session, _account_key(email))
    if needs_rehash(patient.password_hash):
        accounts.set_password_hash(session, patient.id, hash_password(password))
    return AuthResult(ticket=_issue_ticket(session, patient.id, device))


def redeem_ticket(session: Session, ticket: object, now: datetime | None = None) -> str | None:
    """Trade a fresh, unused ticket for a session token (the cookie value), else None."""
    now = now or utcnow()
    if not looks_like_token(ticket):
        return None
    assert isinstance(ticket, str)
    auth = accounts.find_session(session, hash_token(ticket))
    if auth is None or auth.activated or now - as_utc(auth.created_at) > TICKET_LIFETIME:
        return None
    token = new_token()
    accounts.activate_session(session, auth, hash_token(token), now)
    return token


def adopt_timezone(session: Session, token: str, timezone: object) -> None:
    """Give a new account the browser's time zone if sign-up could not learn it in time."""
    patient_id = patient_for_token(session, token)
    patient = accounts.get_patient(session, patient_id) if patient_id is not None else None
    if patient is None or patient.timezone:
        return
    valid = isinstance(timezone, str) and is_valid_timezone(timezone)
    patient.timezone = timezone if valid and isinstance(timezone, str) else "UTC"
    session.add(patient)


def patient_for_token(session: Session, token: object, now: datetime | None = None) -> int | None:
    """The patient a session token belongs to, or None if unknown, a ticket, or idle too long."""
    now = now or utcnow()
    if not looks_like_token(token):
        return None
    assert isinstance(token, str)
    auth = accounts.find_session(session, hash_token(token))
    if auth is None or not auth.activated:
        return None
    idle = now - auth.last_seen_at
    if idle > timedelta(days=settings.session_idle_days):
        accounts.delete_session(session, auth.token_hash)
        return None
    if idle > TOUCH_EVERY:
        accounts.touch_session(session, auth, now)
    return auth.patient_id


def sign_out(session: Session, token: object) -> None:
    if looks_like_token(token):
        assert isinstance(token, str)
        accounts.delete_session(session, hash_token(token))


def _password_refused(
    session: Session, patient: accounts.Patient, password: object, wrong: str
) -> str | None:
    """None when `password` is the patient's. Wrong tries count against the same per-account
    limit as sign-in, so a phone left open can't be used to guess the password here either."""
    now = utcnow()
    key = _account_key(patient.email)
    if accounts.count_login_failures(session, key, now - RATE_WINDOW) >= MAX_FAILURES_PER_ACCOUNT:
        return WRONG_PASSWORD_LIMIT
    if not isinstance(password, str) or not verify_password(patient.password_hash, password):
        accounts.record_login_failure(session, [key], now)
        return wrong
    return None


def change_password(
    session: Session, patient_id: int, token: str, current: object, new: object
) -> str | None:
    """Change the password; every other session ends. Returns a message when refused."""
    patient = accounts.get_patient(session, patient_id)
    if patient is None:
        return "Please sign in again."
    if refused := _password_refused(
        session, patient, current, "Your current password is not right."
    ):
        return refused
    assert isinstance(current, str)
    if problem := password_problem(new):
        return problem
    assert isinstance(new, str)
    if new == current:
        return "Choose a new password that differs from the current one."
    accounts.set_password_hash(session, patient_id, hash_password(new))
    accounts.delete_other_sessions(session, patient_id, hash_token(token))
    return None


def delete_account(session: Session, patient_id: int, password: object) -> str | None:
    """Erase the account and every row of the patient's (all cascade from patient.id).

    Failed sign-ins keyed by the account's hashed email go too, rather than waiting to be pruned.
    Returns a message when refused; the password is asked again so a left-open phone can't.
    """
    patient = accounts.get_patient(session, patient_id)
    if patient is None:
        return "Please sign in again."
    if refused := _password_refused(
        session, patient, password, "That password is not right, so nothing was deleted."
    ):
        return refused
    accounts.clear_login_failures(session, _account_key(patient.email))
    accounts.delete_patient(session, patient_id)
    return None
