"""Patients live in their own time zone: "today" is the patient's calendar day, not the server's."""

from __future__ import annotations

import functools
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones


@functools.cache
def timezone_names() -> tuple[str, ...]:
    """Every IANA zone name this machine knows, sorted, for the settings picker."""
    return tuple(sorted(available_timezones()))


def is_valid_timezone(name: object) -> bool:
    return isinstance(name, str) and name in set(timezone_names())


def zone(name: str) -> ZoneInfo:
    """The zone for name, falling back to UTC for anything unknown (never raises)."""
    try:
        return ZoneInfo(name) if is_valid_timezone(name) else ZoneInfo("UTC")
    except ZoneInfoNotFoundError:
        return ZoneInfo("UTC")


def local_now(tz: str, now: datetime | None = None) -> datetime:
    return (now or datetime.now(UTC)).astimezone(zone(tz))


def local_today(tz: str, now: datetime | None = None) -> date:
    """The patient's calendar day at this moment."""
    return local_now(tz, now).date()


def to_local(moment: datetime, tz: str) -> datetime:
    """A stored (UTC) moment in the patient's zone; naive values are taken as UTC."""
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    return aware.astimezone(zone(tz))
