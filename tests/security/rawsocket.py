"""A raw Socket.IO client for Reflex's websocket, as an attacker would write one: any tab token,
any cookie, any Origin, any handler name and payload. Engine.IO 4 over a plain websocket."""

from __future__ import annotations

import contextlib
import json
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import simple_websocket

NAMESPACE = "/_event"
ROOT = "reflex___state____state"


@dataclass
class RawTab:
    base_url: str
    token: str
    cookie: str = ""
    origin: str = ""
    received: list[dict[str, Any]] = field(default_factory=list)

    def __post_init__(self) -> None:
        url = self.base_url.replace("http://", "ws://", 1)
        url += f"{NAMESPACE}/?EIO=4&transport=websocket&token={quote(self.token)}"
        headers = {"Origin": self.origin or self.base_url}
        if self.cookie:
            headers["Cookie"] = self.cookie
        # A server busy with a burst from the last client (or a machine busy with something
        # else: a CI run beside a build) may drop a fresh connection; a few tries, backing off.
        for attempt in range(5):
            self.ws = simple_websocket.Client.connect(url, headers=headers)
            opened = self._receive(10)
            if opened and opened.startswith("0"):
                break
            self.close()
            time.sleep(1 + attempt)
        else:
            raise ConnectionError(f"no Engine.IO open packet: {opened!r}")
        self.ws.send(f"40{NAMESPACE},{{}}")
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            packet = self._receive(deadline - time.monotonic())
            if packet and packet.startswith(f"40{NAMESPACE}"):
                return
            if packet and packet.startswith(f"44{NAMESPACE}"):
                raise ConnectionRefusedError(packet)
        raise TimeoutError("no namespace connect")

    def _receive(self, timeout: float) -> str | None:
        try:
            packet = self.ws.receive(timeout=max(timeout, 0.01))
        except simple_websocket.ConnectionClosed:
            return None
        if packet == "2":  # Engine.IO ping
            self.ws.send("3")
            return self._receive(timeout)
        return packet if isinstance(packet, str) else None

    def emit(self, handler: str, payload: dict[str, Any] | None = None, path: str = "/") -> None:
        """Send one event: `handler` is "<state full name>.<handler>"."""
        event = {
            "name": handler,
            "payload": payload or {},
            "router_data": {"pathname": path, "query": {}, "asPath": path},
        }
        self.ws.send(f"42{NAMESPACE}," + json.dumps(["event", event]))

    def updates(self, seconds: float = 3.0) -> list[dict[str, Any]]:
        """Every state update that arrives within `seconds` (or until a final one and a lull)."""
        got: list[dict[str, Any]] = []
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            packet = self._receive(min(0.5, deadline - time.monotonic()))
            if packet is None:
                if got and got[-1].get("final"):
                    break
                continue
            prefix = f"42{NAMESPACE},"
            if packet.startswith(prefix):
                name, *body = json.loads(packet[len(prefix) :])
                if name == "event" and body:
                    got.append(body[0])
        self.received.extend(got)
        return got

    def call(self, handler: str, payload: dict[str, Any] | None = None, path: str = "/"):
        self.emit(handler, payload, path)
        return self.updates()

    def close(self) -> None:
        with contextlib.suppress(Exception):  # already closed by the server
            self.ws.close()


def text_of(updates: list[dict[str, Any]]) -> str:
    """Everything the server sent, as one string to search for leaked values."""
    return json.dumps(updates, default=str)
