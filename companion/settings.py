"""Configuration read from the environment once, with safe defaults for a single machine."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent

# Every file this process creates (the database and its WAL, the signing key, backups) is
# readable by the app's own user only: health data never rests in a world-readable file.
os.umask(0o077)


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    return int(raw) if raw else default


def _bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name, "").strip().lower()
    if not raw:
        return default
    return raw in {"1", "true", "yes", "on"}


def _data_dir() -> Path:
    return Path(os.environ.get("DATA_DIR") or PROJECT_ROOT / "data")


def _default_database_url() -> str:
    return f"sqlite:///{_data_dir() / 'companion.db'}"


def _origins(port: int) -> tuple[str, ...]:
    raw = os.environ.get("ALLOWED_ORIGINS", "").strip()
    if raw:
        return tuple(o.strip().rstrip("/") for o in raw.split(",") if o.strip())
    # The app's own origin only: a websocket opened from any other page is refused.
    return (f"http://localhost:{port}", f"http://127.0.0.1:{port}")


# Every share link is a SMART Health Link whose manifest address, <PUBLIC_URL>/s/<token>/shl with
# a 43-character token, may be at most 128 characters (HL7's links specification).
PUBLIC_URL_MAX = 128 - len("/s/") - 43 - len("/shl")


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything the app reads from its environment."""

    port: int = field(default_factory=lambda: _int("PORT", 3000))
    database_url: str = field(
        default_factory=lambda: os.environ.get("DATABASE_URL") or _default_database_url()
    )
    redis_url: str | None = field(default_factory=lambda: os.environ.get("REDIS_URL") or None)
    # Sessions end after this many days without use (issue 2).
    session_idle_days: int = field(default_factory=lambda: _int("SESSION_IDLE_DAYS", 30))
    # Cookies carry the Secure flag behind HTTPS; plain http://localhost needs it off.
    cookie_secure: bool = field(default_factory=lambda: _bool("COOKIE_SECURE", False))
    allowed_origins: tuple[str, ...] = ()
    # Where the app keeps its files: the SQLite database, the signing key, backups.
    data_dir: Path = field(default_factory=_data_dir)
    # Reverse proxies in front of the app whose X-Forwarded-For may be believed (0: none).
    trusted_proxy_hops: int = field(default_factory=lambda: _int("TRUSTED_PROXY_HOPS", 0))
    # Accounts one client address may create per hour (counted whether or not they succeed).
    signups_per_client_hour: int = field(default_factory=lambda: _int("SIGNUPS_PER_CLIENT_HOUR", 5))
    # Wrong passwords one client address may try in 15 minutes, across accounts.
    signin_failures_per_client: int = field(
        default_factory=lambda: _int("SIGNIN_FAILURES_PER_CLIENT", 20)
    )
    # How long an idle tab's server-side state is kept (memory or Redis), in seconds.
    tab_state_seconds: int = field(default_factory=lambda: _int("TAB_STATE_SECONDS", 3600))

    def __post_init__(self) -> None:
        if not self.allowed_origins:
            object.__setattr__(self, "allowed_origins", _origins(self.port))
        if len(self.public_url) > PUBLIC_URL_MAX:
            # Refused at start rather than at the first share link a patient makes.
            raise ValueError(
                f"PUBLIC_URL must be at most {PUBLIC_URL_MAX} characters: share links carry"
                " <PUBLIC_URL>/s/<token>/shl, which a SMART Health Link keeps within 128"
            )

    @property
    def public_url(self) -> str:
        """The address people use to reach the app: share links and the calendar feed use it."""
        return (os.environ.get("PUBLIC_URL") or self.allowed_origins[0]).rstrip("/")


settings = Settings()
