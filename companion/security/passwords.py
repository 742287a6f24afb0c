"""Password hashing with argon2id, run off the event loop with a cap, and the password rules."""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable
from typing import ParamSpec, TypeVar

import anyio
import anyio.to_thread
from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 256


# At most this many hashes run at once in a process, each in a worker thread (argon2 releases
# the GIL): a burst of sign-ins queues here instead of taking every core from other patients.
HASHES_AT_ONCE = 1

P = ParamSpec("P")
R = TypeVar("R")


@functools.cache
def _hasher() -> PasswordHasher:
    # argon2id, 64 MiB, 3 passes as in RFC 9106's second choice, but one lane: one hash uses
    # one core, so on a small server the event loop keeps the other (hashes made with four
    # lanes still verify, and are re-hashed at the next sign-in).
    return PasswordHasher(type=Type.ID, time_cost=3, memory_cost=65536, parallelism=1)


_limiters: dict[int, anyio.CapacityLimiter] = {}


def _limiter() -> anyio.CapacityLimiter:
    # One per event loop: a worker process has one; tests may start several in turn.
    loop = id(asyncio.get_running_loop())
    if loop not in _limiters:
        _limiters[loop] = anyio.CapacityLimiter(HASHES_AT_ONCE)
    return _limiters[loop]


async def off_the_loop(work: Callable[P, R], *args: P.args, **kwargs: P.kwargs) -> R:
    """Run work that hashes or verifies passwords in a worker thread, a few at a time."""
    return await anyio.to_thread.run_sync(
        functools.partial(work, *args, **kwargs), limiter=_limiter()
    )


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
