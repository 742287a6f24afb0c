"""Share links: creation, the rules that decide whether a link opens, passcodes and locks.

Tokens are 256 random bits, stored as SHA-256 and looked up by that hash. Unknown, malformed,
expired, revoked and locked links are all simply "not valid": nothing tells them apart.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session

from companion.data import shares
from companion.data.db import utcnow
from companion.security.passwords import hash_password, verify_password
from companion.security.tokens import hash_token, looks_like_token, new_token

EXPIRY_DAYS = (7, 30, 90)
DEFAULT_EXPIRY_DAYS = 30
PERIODS: dict[str, tuple[str, int | None]] = {
    "30d": ("Last 30 days", 30),
    "90d": ("Last 90 days", 90),
    "all": ("All data", None),
}
MAX_PASSCODE_TRIES = 5
PASSCODE_MIN, PASSCODE_MAX = 4, 64
# Downloads from a passcode link need the grant its opening issued, for this long.
GRANT_LIFETIME = timedelta(hours=2)
NOT_VALID = "This link is not valid"


@dataclass(frozen=True, slots=True)
class NewLink:
    link: shares.ShareLink | None
    token: str = ""
    message: str = ""


def _as_int(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def create_share_link(
    session: Session,
    patient_id: int,
    expiry_days: object,
    period: object,
    include_notes: object,
    passcode: object,
    now: datetime | None = None,
    include_safety_plan: object = None,
) -> NewLink:
    """A new link, or a message saying which choice is not allowed (nothing is created).
    The safety plan is left out unless the patient ticked it."""
    now = now or utcnow()
    days = _as_int(expiry_days)
    if days not in EXPIRY_DAYS:
        return NewLink(None, message="Choose when the link expires: 7, 30 or 90 days.")
    if not isinstance(period, str) or period not in PERIODS:
        return NewLink(None, message="Choose the period the summary covers.")
    if include_notes not in (True, False, "on", "true", "", None):
        return NewLink(None, message="Choose whether to include your notes.")
    notes = include_notes in (True, "on", "true")
    if include_safety_plan not in (True, False, "on", "true", "", None):
        return NewLink(None, message="Choose whether to include your safety plan.")
    plan = include_safety_plan in (True, "on", "true")
    code = passcode.strip() if isinstance(passcode, str) else None
    if passcode not in (None, "") and code is None:
        return NewLink(None, message="The passcode must be text.")
    if code and not PASSCODE_MIN <= len(code) <= PASSCODE_MAX:
        return NewLink(
            None,
            message=f"A passcode needs {PASSCODE_MIN} to {PASSCODE_MAX} characters, or none.",
        )
    token = new_token()
    link = shares.create_link(
        session,
        patient_id,
        hash_token(token),
        now + timedelta(days=days),
        period,
        notes,
        hash_password(code) if code else None,
        created_at=now,
        include_safety_plan=plan,
    )
    return NewLink(link, token)


def find_usable(
    session: Session, token: object, now: datetime | None = None
) -> shares.ShareLink | None:
    """The link for a token if it may be opened now; None for anything else, alike."""
    now = now or utcnow()
    if not looks_like_token(token):
        return None
    assert isinstance(token, str)
    link = shares.find_by_hash(session, hash_token(token))
    if link is None or link.revoked_at is not None or link.locked or link.expires_at <= now:
        return None
    return link


@dataclass(frozen=True, slots=True)
class Opening:
    """The result of opening a link: the view logged, a download grant, or a message."""

    view: shares.ShareView | None
    grant: str = ""
    message: str = ""


def passcode_ok(
    session: Session, link: shares.ShareLink, device: str, viewer_name: str, passcode: object
) -> bool:
    """True for a link without a passcode or the right one; a miss is logged and counted, and
    the fifth locks the link (the page and the SMART Health Link manifest count together)."""
    if link.passcode_hash is None:
        return True
    # Compared as it was stored: without surrounding spaces (a pasted passcode often has one).
    typed = passcode.strip() if isinstance(passcode, str) else None
    if typed and verify_password(link.passcode_hash, typed):
        link.failed_attempts = 0
        return True
    shares.count_wrong_passcode(session, link, MAX_PASSCODE_TRIES)
    shares.log_view(session, link, device, "wrong_passcode", viewer_name)
    return False


def tries_left(link: shares.ShareLink) -> int:
    return max(0, MAX_PASSCODE_TRIES - link.failed_attempts)


def open_link(
    session: Session,
    link: shares.ShareLink,
    device: str,
    viewer_name: str = "",
    passcode: object = None,
    now: datetime | None = None,
) -> Opening:
    """Log an opening; for a passcode link the passcode must match, and 5 misses lock it."""
    now = now or utcnow()
    name = viewer_name.strip()[:80] if isinstance(viewer_name, str) else ""
    if not passcode_ok(session, link, device, name, passcode):
        if link.locked:
            return Opening(
                None,
                message="Too many wrong tries: this link is now locked. "
                "Ask the patient to unlock it or send a new one.",
            )
        left = tries_left(link)
        tries = "try" if left == 1 else "tries"
        return Opening(None, message=f"That passcode is not right. {left} {tries} left.")
    grant = new_token()
    view = shares.log_view(
        session, link, device, "opened", name, hash_token(grant), now + GRANT_LIFETIME
    )
    return Opening(view, grant)


def hash_grant(grant: str) -> str:
    return hash_token(grant)


def grant_allows(
    session: Session, link: shares.ShareLink, grant: object, now: datetime | None = None
) -> bool:
    """Downloads: links without a passcode need only the token; others a fresh grant."""
    if link.passcode_hash is None:
        return True
    now = now or utcnow()
    if not looks_like_token(grant):
        return False
    assert isinstance(grant, str)
    view = shares.find_grant(session, link, hash_token(grant))
    return view is not None and view.grant_expires_at is not None and view.grant_expires_at > now


def revoke(session: Session, patient_id: int, link_id: int, now: datetime | None = None) -> bool:
    link = shares.get_link(session, patient_id, link_id)
    if link is None:
        return False
    link.revoked_at = link.revoked_at or (now or utcnow())
    session.add(link)
    return True


def unlock(session: Session, patient_id: int, link_id: int) -> bool:
    link = shares.get_link(session, patient_id, link_id)
    if link is None or link.revoked_at is not None:
        return False
    link.locked = False
    link.failed_attempts = 0
    session.add(link)
    return True
