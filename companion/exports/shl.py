"""SMART Health Links (HL7 SMART Health Cards and Links IG, links specification): the
#shlink:/ payload a share link carries, and its file as a compact JWE (dir, A256GCM, DEF)."""

from __future__ import annotations

import base64
import json
import secrets
from datetime import date, datetime
from typing import Any

from joserfc import jwe
from joserfc.errors import JoseError
from joserfc.jwk import OctKey

from companion.clinical import format_short_date

FHIR_JSON = "application/fhir+json"
KEY_BYTES = 32  # the spec: 32 random bytes, 43 base64url characters
URL_MAX = 128  # the spec's limit on the manifest URL
LABEL_MAX = 80  # the spec's limit on the label
PREFIX = "#shlink:/"


def _registry() -> jwe.JWERegistry:
    registry = jwe.JWERegistry(algorithms=["dir", "A256GCM", "DEF"])
    # joserfc's default 64 KB cap would refuse a year of questionnaires (and the spec's example).
    registry.max_ciphertext_length = 8 * 1024 * 1024
    return registry


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def new_key() -> str:
    return _b64url(secrets.token_bytes(KEY_BYTES))


def _oct_key(key: str) -> OctKey:
    raw = _unb64url(key)
    if len(key) != 43 or len(raw) != KEY_BYTES:
        raise ValueError("an SHL key is 32 bytes as 43 base64url characters")
    return OctKey.import_key(raw)


def encrypt_file(plaintext: bytes, key: str, content_type: str = FHIR_JSON) -> str:
    """A compact JWE; each call draws a fresh random 96-bit nonce (joserfc)."""
    header = {"alg": "dir", "enc": "A256GCM", "cty": content_type, "zip": "DEF"}
    return jwe.encrypt_compact(header, plaintext, _oct_key(key), registry=_registry())


def decrypt_file(token: str, key: str) -> tuple[bytes, dict[str, Any]]:
    """The plaintext and protected header of a compact JWE; ValueError for a wrong key or a
    damaged or malformed JWE."""
    try:
        result = jwe.decrypt_compact(token, _oct_key(key), registry=_registry())
    except JoseError as error:
        raise ValueError(f"the file does not decrypt: {error}") from error
    return result.plaintext or b"", dict(result.protected)


def _day(value: date) -> str:
    return format_short_date(value).split(" ", 1)[1]  # "1 Sep", without the weekday


def label(start: date, end: date) -> str:
    """ "Ketamine Companion summary, 1 Sep–30 Nov" (with years when they differ)."""
    first, last = _day(start), _day(end)
    if start.year != end.year:
        first, last = f"{first} {start.year}", f"{last} {end.year}"
    return f"Ketamine Companion summary, {first}–{last}"[:LABEL_MAX]


def payload(
    manifest_url: str, key: str, expires_at: datetime, passcode: bool, text: str
) -> dict[str, Any]:
    """The SHL payload. No `L` flag: the file is a snapshot that never changes."""
    if len(manifest_url) > URL_MAX:
        raise ValueError(f"the manifest URL must be at most {URL_MAX} characters (PUBLIC_URL)")
    _oct_key(key)
    body: dict[str, Any] = {
        "url": manifest_url,
        "key": key,
        "exp": int(expires_at.timestamp()),
    }
    if passcode:
        body["flag"] = "P"
    body["label"] = text[:LABEL_MAX]
    body["v"] = 1
    return body


def shlink(page_url: str, body: dict[str, Any]) -> str:
    """The page's address with the payload after '#': browsers never send it to the server."""
    minified = json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode()
    return f"{page_url}{PREFIX}{_b64url(minified)}"


def parse_shlink(link: str) -> dict[str, Any]:
    """The payload of a link ending in #shlink:/…; ValueError if there is none."""
    _page, found, encoded = link.partition(PREFIX)
    if not found or not encoded:
        raise ValueError("not a SMART Health Link")
    parsed = json.loads(_unb64url(encoded))
    if not isinstance(parsed, dict):
        raise ValueError("not a SMART Health Link")
    return parsed
