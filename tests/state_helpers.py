"""Build Reflex states the way a websocket event would see them, cookie header included.

As behind companion.security.tabs.TabGuard, the state sees the session only as `kc_sid`, the
SHA-256 of the session cookie."""

from __future__ import annotations

import dataclasses
from typing import TypeVar

import reflex as rx
from reflex.istate.data import RouterData

from companion.security.tabs import SESSION_HASH_COOKIE
from companion.security.tokens import hash_token

S = TypeVar("S", bound=rx.State)

USER_AGENT = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/150.0.0.0 Safari/537.36"
)


def make_state(
    cls: type[S],
    token: str | None = None,
    path: str = "/",
    query: str = "",
    cookies: str = "",
    socket: str = "first-socket",
) -> S:
    """A fresh state tree whose router carries the session (or none), any other cookies
    (`cookies`, as in a Cookie header), a path and the page's websocket id."""
    headers = {"user-agent": USER_AGENT, "origin": "http://localhost:3000"}
    jar = ["other=1"]
    if token is not None:
        jar.append(f"{SESSION_HASH_COOKIE}={hash_token(token)}")
    if cookies:
        jar.append(cookies)
    headers["cookie"] = "; ".join(jar)
    router = RouterData.from_router_data(
        {
            "headers": headers,
            "ip": "203.0.113.7",
            "pathname": path,
            "asPath": path + (f"?{query}" if query else ""),
            "query": {},
            "sid": socket,
        }
    )
    root = rx.State(_reflex_internal_init=True)
    root.router = router
    return root.get_substate(cls.get_full_name().split(".")[1:])


def over_socket(state: rx.State, socket: str) -> None:
    """Events from here on come over another websocket: a page opened anew (a reload, a link,
    another tab) connects with a new one, though its tab and session stay the same."""
    root = state._get_root_state()
    session = dataclasses.replace(root.router.session, session_id=socket)
    root.router = dataclasses.replace(root.router, session=session)


def events_text(result: object) -> str:
    """The events a handler returned, as text, to see where it redirects."""
    return repr(result)
