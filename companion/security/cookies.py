"""Cookies read from a raw ASGI scope, for the middleware layers that run before any route."""

from __future__ import annotations

from http.cookies import CookieError, SimpleCookie

from starlette.types import Scope


def parse_cookie_header(raw: str) -> dict[str, str]:
    jar: SimpleCookie = SimpleCookie()
    try:
        jar.load(raw)
    except CookieError:
        return {}
    return {name: morsel.value for name, morsel in jar.items()}


def cookie_from_scope(scope: Scope, name: str) -> str | None:
    for header, value in scope.get("headers", []):
        if header == b"cookie":
            found = parse_cookie_header(value.decode("latin-1")).get(name)
            if found is not None:
                return found
    return None
