"""Secret tokens: 256 random bits, URL-safe, stored only as their SHA-256 hash."""

from __future__ import annotations

import hashlib
import re
import secrets

TOKEN_BYTES = 32  # 256 bits, well above the 128 the threat model asks for
_TOKEN_SHAPE = re.compile(r"^[A-Za-z0-9_-]{43}$")


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def looks_like_token(value: object) -> bool:
    """Cheap shape check before any lookup: malformed input never reaches the database."""
    return isinstance(value, str) and bool(_TOKEN_SHAPE.match(value))
