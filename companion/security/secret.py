"""The server's own signing key: device cookies, tab binding and derived feed tokens use it.

It comes from SECRET_KEY when set (several machines behind one address must share it), else
from `<DATA_DIR>/secret.key`, made on first use with 256 random bits and mode 0600 so only the
app's user can read it. It never leaves the server and is never logged.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import os
import secrets
from pathlib import Path

from companion.settings import settings

KEY_FILE = "secret.key"
KEY_BYTES = 32


def _read_or_create(path: Path) -> bytes:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    try:
        # O_EXCL: two workers starting at once never write two different keys.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        key = base64.urlsafe_b64decode(path.read_text().strip() + "==")
        if len(key) < KEY_BYTES:
            raise RuntimeError(f"{path} holds a key shorter than {KEY_BYTES} bytes") from None
        return key
    key = secrets.token_bytes(KEY_BYTES)
    with os.fdopen(fd, "w") as handle:
        handle.write(base64.urlsafe_b64encode(key).decode().rstrip("="))
    return key


@functools.cache
def server_key() -> bytes:
    configured = os.environ.get("SECRET_KEY", "").strip()
    if configured:
        # Any string of enough entropy; hashed so every length gives a 256-bit key.
        return hashlib.sha256(configured.encode()).digest()
    return _read_or_create(settings.data_dir / KEY_FILE)


def digest(purpose: str, message: str) -> bytes:
    """HMAC-SHA256 of message under a key of its own for each purpose (32 bytes)."""
    key = hmac.new(server_key(), purpose.encode(), hashlib.sha256).digest()
    return hmac.new(key, message.encode(), hashlib.sha256).digest()


def sign(purpose: str, message: str) -> str:
    """The same, URL-safe base64 without padding: 43 characters."""
    return base64.urlsafe_b64encode(digest(purpose, message)).decode().rstrip("=")


def verify(purpose: str, message: str, signature: str) -> bool:
    return hmac.compare_digest(sign(purpose, message), signature)
