"""A coarse device description ("Chrome on Windows") from a User-Agent, for the logs."""

from __future__ import annotations

_BROWSERS = (
    ("Edg/", "Edge"),
    ("OPR/", "Opera"),
    ("SamsungBrowser/", "Samsung Internet"),
    ("Firefox/", "Firefox"),
    ("FxiOS/", "Firefox"),
    ("CriOS/", "Chrome"),
    ("Chrome/", "Chrome"),
    ("Safari/", "Safari"),
)
_SYSTEMS = (
    ("iPhone", "iPhone"),
    ("iPad", "iPad"),
    ("Android", "Android"),
    ("Windows", "Windows"),
    ("CrOS", "ChromeOS"),
    ("Mac OS X", "macOS"),
    ("Macintosh", "macOS"),
    ("Linux", "Linux"),
)


def coarse_device(user_agent: str | None) -> str:
    """Browser and system only: never the version or anything that singles a person out."""
    ua = user_agent or ""
    browser = next((name for marker, name in _BROWSERS if marker in ua), "A browser")
    system = next((name for marker, name in _SYSTEMS if marker in ua), "an unknown system")
    return f"{browser} on {system}"
