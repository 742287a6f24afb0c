"""Patients live in their own time zone: "today" is the patient's calendar day, not the server's."""

from __future__ import annotations

import functools
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones


@functools.cache
def timezone_names() -> tuple[str, ...]:
    """Every IANA zone name this machine knows, sorted, for the settings picker."""
    return tuple(sorted(available_timezones()))


# Zones most patients pick, with the names people use for them (checked against each zone's
# own rules in zoneinfo: Phoenix keeps no daylight saving time).
COMMON_ZONES: tuple[tuple[str, str], ...] = (
    ("America/New_York", "New York (Eastern Time)"),
    ("America/Chicago", "Chicago (Central Time)"),
    ("America/Denver", "Denver (Mountain Time)"),
    ("America/Phoenix", "Phoenix (Mountain Time, no daylight saving)"),
    ("America/Los_Angeles", "Los Angeles (Pacific Time)"),
    ("America/Anchorage", "Anchorage (Alaska Time)"),
    ("Pacific/Honolulu", "Honolulu (Hawaii Time)"),
    ("America/Toronto", "Toronto (Eastern Time)"),
    ("America/Vancouver", "Vancouver (Pacific Time)"),
    ("Europe/London", "London (UK Time)"),
    ("Europe/Dublin", "Dublin (Irish Time)"),
    ("Europe/Paris", "Paris (Central European Time)"),
    ("Europe/Berlin", "Berlin (Central European Time)"),
    ("Asia/Kolkata", "India (India Standard Time)"),
    ("Australia/Sydney", "Sydney (Australian Eastern Time)"),
    ("Australia/Perth", "Perth (Australian Western Time)"),
    ("Pacific/Auckland", "Auckland (New Zealand Time)"),
    ("UTC", "UTC (Coordinated Universal Time)"),
)
_COMMON = dict(COMMON_ZONES)
# Places, not the legacy aliases (US/Eastern, EST5EDT, Etc/GMT+5) kept only for old data.
_REGIONS = (
    "Africa",
    "America",
    "Antarctica",
    "Asia",
    "Atlantic",
    "Australia",
    "Europe",
    "Indian",
    "Pacific",
)


def readable_zone(name: str) -> str:
    """ "New York (Eastern Time)" for a common zone, else the place first: "Buenos Aires
    (Argentina, America)" for America/Argentina/Buenos_Aires."""
    if name in _COMMON:
        return _COMMON[name]
    *region, place = name.replace("_", " ").split("/")
    return f"{place} ({', '.join(reversed(region))})" if region else place


@functools.cache
def other_zones() -> tuple[tuple[str, str], ...]:
    """Every place's zone that is not a common one, as (name, readable name), by readable name."""
    places = [n for n in timezone_names() if n.split("/")[0] in _REGIONS and n not in _COMMON]
    return tuple(sorted(((n, readable_zone(n)) for n in places), key=lambda pair: pair[1]))


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
