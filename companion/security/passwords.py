"""Password hashing with argon2id (RFC 9106 defaults from argon2-cffi) and the password rules."""

from __future__ import annotations

import functools

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 256


@functools.cache
def _hasher() -> PasswordHasher:
    # argon2id, 64 MiB, 3 passes: the argon2-cffi defaults that follow RFC 9106's second choice.
    return PasswordHasher(type=Type.ID)


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """True when password matches; never raises for a wrong password or a damaged hash."""
    try:
        return _hasher().verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher().check_needs_rehash(password_hash)


@functools.cache
def dummy_hash() -> str:
    """A hash to verify against when no account matches, so both paths take as long."""
    return hash_password("no account has this password, it only burns time")


def password_problem(password: object) -> str | None:
    """A message saying what is wrong with a new password, or None when it is acceptable."""
    if not isinstance(password, str):
        return "Please enter a password."
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"Use at least {MIN_PASSWORD_LENGTH} characters for your password."
    if len(password) > MAX_PASSWORD_LENGTH:
        return f"Use at most {MAX_PASSWORD_LENGTH} characters for your password."
    if not password.strip():
        return "A password of only spaces is too easy to guess."
    return None
