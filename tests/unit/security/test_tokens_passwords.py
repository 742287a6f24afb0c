"""Tokens are long, random and stored hashed; passwords are argon2id with clear rules."""

from __future__ import annotations

import math

from companion.security.devices import coarse_device
from companion.security.passwords import hash_password, password_problem, verify_password
from companion.security.tokens import hash_token, looks_like_token, new_token


def test_tokens_carry_at_least_128_random_bits_and_differ():
    tokens = {new_token() for _ in range(200)}
    assert len(tokens) == 200
    sample = next(iter(tokens))
    # base64url carries 6 bits a character
    assert len(sample) * 6 >= 128
    assert math.log2(64) * len(sample) >= 256
    assert all(looks_like_token(t) for t in tokens)


def test_token_hash_is_sha256_hex_and_not_the_token():
    token = new_token()
    digest = hash_token(token)
    assert len(digest) == 64 and int(digest, 16) >= 0
    assert token not in digest
    assert hash_token(token) == digest


def test_malformed_tokens_are_rejected_before_any_lookup():
    for bad in ["", "short", "x" * 43 + "!", None, 42, "a" * 44, "../../etc/passwd"]:
        assert not looks_like_token(bad)


def test_password_hash_is_argon2id_and_verifies():
    stored = hash_password("correct horse battery")
    assert stored.startswith("$argon2id$")
    assert verify_password(stored, "correct horse battery")
    assert not verify_password(stored, "correct horse batterY")
    assert not verify_password("not a hash", "anything")


def test_password_rules():
    assert password_problem("123456789") == "Use at least 10 characters for your password."
    assert password_problem("1234567890") is None
    assert password_problem(" " * 12) == "A password of only spaces is too easy to guess."
    assert password_problem(None) == "Please enter a password."
    assert password_problem("x" * 257) is not None


def test_coarse_device_names_browser_and_system_only():
    chrome_windows = (
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/131.0.0.0 Safari/537.36"
    )
    safari_iphone = (
        "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 "
        "(KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1"
    )
    assert coarse_device(chrome_windows) == "Chrome on Windows"
    assert coarse_device(safari_iphone) == "Safari on iPhone"
    assert coarse_device(None) == "A browser on an unknown system"
