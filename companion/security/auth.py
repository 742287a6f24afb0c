"""Sign-up, sign-in, sessions and password changes, with rate limits that reveal nothing.

Signing in is an HTTP POST (companion.api.auth_routes): the answer sets an HttpOnly,
SameSite=Strict cookie holding a 256-bit token, stored here only as its SHA-256.

Wrong passwords are limited per account and per client, and, following OWASP's "device
cookies" pattern, a browser that signed in to the account before carries a signed device
cookie with an allowance of its own: a stranger guessing the password locks out strangers,
never the owner's own phone.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session

from companion.data import accounts
from companion.data.db import Executor, utcnow
from companion.localtime import is_valid_timezone
from companion.security import secret
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
DEVICE_COOKIE = "kc_device"
# A device cookie lasts a year; each sign-in on that device replaces it with a new one.
DEVICE_LIFETIME = timedelta(days=365)
# Touching last_seen_at on every event would write on every click; minutes are precise enough
# for a 30-day idle limit.
TOUCH_EVERY = timedelta(minutes=5)
RATE_WINDOW = timedelta(minutes=15)
MAX_FAILURES_PER_ACCOUNT = 5
MAX_FAILURES_PER_DEVICE = 5
SIGNUP_WINDOW = timedelta(hours=1)

BAD_CREDENTIALS = "That email and password don't match. Check them and try again."
TOO_MANY_TRIES = "Too many sign-in attempts. Please wait 15 minutes, then try again."
TOO_MANY_SIGNUPS = (
    "Too many accounts were made from this network in the last hour. Please try again later."
)
WRONG_PASSWORD_LIMIT = (
    "Too many wrong passwords. Nothing was changed. Please wait 15 minutes, then try again."  # noqa: S105
)
DELETE_WRONG_PASSWORD = "That password is not right, so nothing was deleted."  # noqa: S105
SIGNUP_REFUSED = (
    "We couldn't create an account with these details. "
    "If you already have an account, sign in instead."
)
# Messages a page can show from `?error=<code>` after a form posted without JavaScript.
MESSAGE_CODES = {
    BAD_CREDENTIALS: "credentials",
    TOO_MANY_TRIES: "limit",
    TOO_MANY_SIGNUPS: "signups",
    SIGNUP_REFUSED: "refused",
    WRONG_PASSWORD_LIMIT: "limit",
    DELETE_WRONG_PASSWORD: "delete-password",
}
MESSAGES_BY_CODE = {
    **{code: message for message, code in MESSAGE_CODES.items()},
    "retry": "That didn't work. Check what you typed and try again.",
}
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True, slots=True)
class AuthResult:
    """A new session (its cookie value, and a fresh device cookie), or what to tell the user."""

    token: str | None = None
    device_cookie: str | None = None
    message: str = ""
    field: str = ""
    # True when a limit refused the attempt before any password was checked.
    limited: bool = False

    @property
    def ok(self) -> bool:
        return self.token is not None


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


def _signup_key(client: str) -> str:
    return f"signup:{client[:70]}"


# --- device cookies (OWASP: "Slow Down Online Guessing Attacks with Device Cookies") -------


def device_cookie_for(patient_id: int) -> str:
    """`<patient id>.<nonce>.<signature>`: proof that this browser signed in to this account."""
    nonce = secrets.token_urlsafe(16)
    body = f"{patient_id}.{nonce}"
    return f"{body}.{secret.sign('device-cookie', body)}"


def trusted_device(cookie: object, patient_id: int | None) -> str | None:
    """The nonce of a valid device cookie of this very account, else None."""
    if patient_id is None or not isinstance(cookie, str) or cookie.count(".") != 2:
        return None
    owner, nonce, signature = cookie.split(".")
    body = f"{owner}.{nonce}"
    if owner != str(patient_id) or not secret.verify("device-cookie", body, signature):
        return None
    return nonce


def _device_key(nonce: str) -> str:
    return f"device:{nonce[:40]}"


def _failures(session: Session, key: str, now: datetime, window: timedelta = RATE_WINDOW) -> int:
    return accounts.count_login_failures(session, key, now - window)


def _new_session(session: Session, patient_id: int, device: str) -> AuthResult:
    now = utcnow()
    # Housekeeping on the rare path: sessions idle past the limit and stale failures go.
    accounts.delete_idle_sessions(session, now - timedelta(days=settings.session_idle_days))
    accounts.prune_login_failures(session, now - SIGNUP_WINDOW)
    token = new_token()
    accounts.create_session(session, patient_id, hash_token(token), device, activated=True)
    return AuthResult(token=token, device_cookie=device_cookie_for(patient_id))


def sign_up(
    session: Session,
    email: object,
    password: object,
    timezone: object,
    client: str,
    device: str,
    now: datetime | None = None,
) -> AuthResult:
    """Create an account and sign it in, or say what to fix. Each client may make only a few
    accounts an hour, counted whether or not they succeed."""
    now = now or utcnow()
    if problem := email_problem(email):
        return AuthResult(message=problem, field="email")
    if problem := password_problem(password):
        return AuthResult(message=problem, field="password")
    assert isinstance(email, str) and isinstance(password, str)
    made = _failures(session, _signup_key(client), now, SIGNUP_WINDOW)
    if made >= settings.signups_per_client_hour:
        return AuthResult(message=TOO_MANY_SIGNUPS, limited=True)
    if _failures(session, _client_key(client), now) >= settings.signin_failures_per_client:
        return AuthResult(message=TOO_MANY_TRIES, limited=True)
    accounts.record_login_failure(session, [_signup_key(client)], now)
    existing = accounts.find_patient_by_email(session, email)
    if existing is not None:
        # The same person signing up twice with their password is simply signed in, within
        # the same limits as signing in.
        if _failures(session, _account_key(email), now) >= MAX_FAILURES_PER_ACCOUNT:
            return AuthResult(message=TOO_MANY_TRIES, limited=True)
        if existing.id is not None and verify_password(existing.password_hash, password):
            return _new_session(session, existing.id, device)
        accounts.record_login_failure(session, [_account_key(email), _client_key(client)], now)
        return AuthResult(message=SIGNUP_REFUSED)
    # "" means not known yet: the page sends the browser's zone with the form.
    zone = timezone if isinstance(timezone, str) and is_valid_timezone(timezone) else "UTC"
    patient = accounts.create_patient(session, email, hash_password(password), zone)
    assert patient.id is not None
    return _new_session(session, patient.id, device)


def sign_in(
    session: Session,
    email: object,
    password: object,
    client: str,
    device: str,
    device_cookie: object = None,
    now: datetime | None = None,
) -> AuthResult:
    """Check the password; the message is the same whether or not the email is registered."""
    now = now or utcnow()
    if not isinstance(email, str) or not email.strip():
        return AuthResult(message="Please enter your email address.", field="email")
    if not isinstance(password, str) or not password:
        return AuthResult(message="Please enter your password.", field="password")
    patient = accounts.find_patient_by_email(session, email)
    patient_id = patient.id if patient is not None else None
    nonce = trusted_device(device_cookie, patient_id)
    if nonce is not None:
        # The owner's own browser: only its own wrong tries count against it.
        limited = _failures(session, _device_key(nonce), now) >= MAX_FAILURES_PER_DEVICE
        failure_keys = [_device_key(nonce)]
    else:
        limited = (
            _failures(session, _account_key(email), now) >= MAX_FAILURES_PER_ACCOUNT
            or _failures(session, _client_key(client), now) >= settings.signin_failures_per_client
        )
        failure_keys = [_account_key(email), _client_key(client)]
    if limited:
        return AuthResult(message=TOO_MANY_TRIES, limited=True)
    if patient is None or patient_id is None:
        verify_password(dummy_hash(), password)
        accounts.record_login_failure(session, failure_keys, now)
        return AuthResult(message=BAD_CREDENTIALS)
    if not verify_password(patient.password_hash, password):
        accounts.record_login_failure(session, failure_keys, now)
        return AuthResult(message=BAD_CREDENTIALS)
    accounts.clear_login_failures(
        session, _device_key(nonce) if nonce is not None else _account_key(email)
    )
    if needs_rehash(patient.password_hash):
        accounts.set_password_hash(session, patient_id, hash_password(password))
    return _new_session(session, patient_id, device)


def patient_for_token(session: Session, token: object, now: datetime | None = None) -> int | None:
    """The patient a session token belongs to, or None if unknown, a ticket, or idle too long."""
    if not looks_like_token(token):
        return None
    assert isinstance(token, str)
    return patient_for_session_hash(session, hash_token(token), now)


def session_of(db: Executor, token: object) -> tuple[int, str] | None:
    """(patient id, the session's hash) for a live session cookie, else None."""
    if not looks_like_token(token):
        return None
    assert isinstance(token, str)
    token_hash = hash_token(token)
    patient_id = patient_for_session_hash(db, token_hash)
    return (patient_id, token_hash) if patient_id is not None else None


def patient_for_session_hash(
    db: Executor, token_hash: object, now: datetime | None = None
) -> int | None:
    """The same, from the SHA-256 the websocket layer hands on instead of the cookie."""
    if not isinstance(token_hash, str) or len(token_hash) != 64:
        return None
    now = now or utcnow()
    auth = accounts.find_session(db, token_hash)
    if auth is None or not auth.activated:
        return None
    idle = now - auth.last_seen_at
    if idle > timedelta(days=settings.session_idle_days):
        accounts.delete_session(db, token_hash)
        return None
    if idle > TOUCH_EVERY:
        accounts.touch_session(db, token_hash, now)
    return auth.patient_id


def sign_out(session: Session, token: object) -> tuple[int, str] | None:
    """End the session; returns (patient id, the session's hash) when there was one."""
    found = session_of(session, token)
    if found is not None:
        accounts.delete_session(session, found[1])
    return found


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
    session: Session, patient_id: int, token_hash: str, current: object, new: object
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
    accounts.delete_other_sessions(session, patient_id, token_hash)
    return None


def delete_account(session: Session, patient_id: int, password: object) -> str | None:
    """Erase the account and every row of the patient's (all cascade from patient.id).

    Failed sign-ins keyed by the account's hashed email go too, rather than waiting to be pruned.
    Returns a message when refused; the password is asked again so a left-open phone can't.
    """
    patient = accounts.get_patient(session, patient_id)
    if patient is None:
        return "Please sign in again."
    if refused := _password_refused(session, patient, password, DELETE_WRONG_PASSWORD):
        return refused
    accounts.clear_login_failures(session, _account_key(patient.email))
    accounts.delete_patient(session, patient_id)
    return None
