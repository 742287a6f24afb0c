"""The SMART Health Link payload and its JWE file, checked against the spec's own example."""

from __future__ import annotations

import base64
import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from companion import routes
from companion.exports import shl
from companion.security.tokens import new_token
from companion.settings import PUBLIC_URL_MAX, Settings

EXAMPLE = Path(__file__).parent / "shl_spec_example"
# The key of the IG's IPS example (IPS_IG-bundle-01-shl-details.json).
EXAMPLE_KEY = "rxTgYlOaKJPFtcEd0qcceN8wEU4p94SqAwIWQe6uX7Q"
PAGE = "https://companion.example.org/s/" + "A" * 43
MANIFEST = PAGE + "/shl"
EXPIRES = datetime(2026, 12, 31, 12, 0, tzinfo=UTC)


def _segments(token: str) -> list[bytes]:
    return [base64.urlsafe_b64decode(p + "=" * (-len(p) % 4)) for p in token.split(".")]


def test_the_specs_example_decrypts_to_the_specs_plaintext():
    plaintext, header = shl.decrypt_file(
        (EXAMPLE / "IPS_IG-bundle-01-enc.txt").read_text().strip(), EXAMPLE_KEY
    )
    assert plaintext == (EXAMPLE / "IPS_IG-bundle-01.json").read_bytes()
    assert (header["alg"], header["enc"]) == ("dir", "A256GCM")
    assert json.loads(plaintext)["id"] == "IPS-examples-Bundle-01"


def test_a_file_is_a_compact_jwe_the_key_opens_and_no_other_does():
    key = shl.new_key()
    bundle = json.dumps({"resourceType": "Bundle", "type": "collection"}).encode()
    token = shl.encrypt_file(bundle, key)
    header = json.loads(_segments(token)[0])
    assert header == {"alg": "dir", "enc": "A256GCM", "cty": "application/fhir+json", "zip": "DEF"}
    assert _segments(token)[1] == b""  # "dir": no encrypted key
    assert shl.decrypt_file(token, key) == (bundle, header)
    with pytest.raises(ValueError):
        shl.decrypt_file(token, shl.new_key())


def test_every_encryption_draws_a_fresh_nonce():
    key = shl.new_key()
    ivs = {_segments(shl.encrypt_file(b"{}", key))[2] for _ in range(20)}
    assert len(ivs) == 20 and all(len(iv) == 12 for iv in ivs)


def test_keys_are_43_base64url_characters_of_32_random_bytes():
    keys = {shl.new_key() for _ in range(50)}
    assert len(keys) == 50
    for key in keys:
        assert len(key) == 43 and set(key) <= set(
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
        )
        assert len(base64.urlsafe_b64decode(key + "=")) == 32


def test_the_payload_has_the_specs_fields_and_rides_after_the_hash():
    key = shl.new_key()
    body = shl.payload(MANIFEST, key, EXPIRES, False, "Ketamine Companion summary")
    assert body == {
        "url": MANIFEST,
        "key": key,
        "exp": 1798718400,
        "label": "Ketamine Companion summary",
        "v": 1,
    }
    link = shl.shlink(PAGE, body)
    page, encoded = link.split("#shlink:/")
    assert page == PAGE and "=" not in encoded and " " not in encoded
    decoded = base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4))
    assert json.loads(decoded) == body
    assert decoded == json.dumps(body, separators=(",", ":")).encode()  # minified
    assert shl.parse_shlink(link) == body


def test_a_passcode_sets_the_p_flag_and_a_snapshot_never_claims_l():
    body = shl.payload(MANIFEST, shl.new_key(), EXPIRES, True, "x")
    assert body["flag"] == "P"
    assert "flag" not in shl.payload(MANIFEST, shl.new_key(), EXPIRES, False, "x")


def test_labels_name_the_period_and_stay_within_80_characters():
    assert shl.label(date(2026, 9, 1), date(2026, 11, 30)) == (
        "Ketamine Companion summary, 1 Sep–30 Nov"
    )
    assert shl.label(date(2025, 12, 20), date(2026, 1, 5)) == (
        "Ketamine Companion summary, 20 Dec 2025–5 Jan 2026"
    )
    assert len(shl.payload(MANIFEST, shl.new_key(), EXPIRES, False, "x" * 200)["label"]) == 80


def test_a_manifest_url_over_128_characters_or_a_bad_key_is_refused():
    with pytest.raises(ValueError, match="128"):
        shl.payload("https://" + "a" * 121, shl.new_key(), EXPIRES, False, "x")
    assert len(shl.payload("https://" + "a" * 120, shl.new_key(), EXPIRES, False, "x")["url"])
    for bad in ("short", shl.new_key() + "A", "!" * 43):
        with pytest.raises(ValueError):
            shl.payload(MANIFEST, bad, EXPIRES, False, "x")


def test_a_link_without_a_payload_is_not_a_smart_health_link():
    for bad in (PAGE, PAGE + "#shlink:/", PAGE + "#shlink:/" + "WzFd"):
        with pytest.raises(ValueError):
            shl.parse_shlink(bad)


def test_a_public_address_too_long_for_a_manifest_url_is_refused_at_start(monkeypatch):
    longest = "https://" + "a" * (PUBLIC_URL_MAX - len("https://"))
    monkeypatch.setenv("PUBLIC_URL", longest)
    # The longest address the app accepts still gives manifest URLs the spec allows.
    manifest = Settings().public_url + routes.shl_manifest(new_token())
    assert len(manifest) == shl.URL_MAX
    assert shl.payload(manifest, shl.new_key(), EXPIRES, False, "x")["url"] == manifest
    monkeypatch.setenv("PUBLIC_URL", longest + "a")
    with pytest.raises(ValueError, match="PUBLIC_URL must be at most 78 characters"):
        Settings()
