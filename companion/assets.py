"""The app's static scripts in assets/js/, linked with a content hash so a release updates
them at once and browsers may keep them for a year."""

from __future__ import annotations

import functools
import hashlib

import reflex as rx

from companion.settings import PROJECT_ROOT

JS_DIR = PROJECT_ROOT / "assets" / "js"


@functools.cache
def versioned(name: str) -> str:
    """/js/<name>?v=<first 12 hex of its SHA-256>."""
    digest = hashlib.sha256((JS_DIR / name).read_bytes()).hexdigest()[:12]
    return f"/js/{name}?v={digest}"


def script_tags(*names: str, defer: bool = True) -> list[rx.Component]:
    return [rx.el.script(src=versioned(name), defer=defer) for name in names]
