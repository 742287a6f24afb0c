"""The private calendar feed (RFC 5545), written by hand: planned infusions and a daily reminder.

A phone's calendar fetches the feed with no account, and calendars sync to other services, so it
holds no health data beyond the word "infusion" and each infusion's label: no moods, no scores.
Lines end in CRLF, are folded at 75 octets (never inside a UTF-8 character) and TEXT values
are escaped.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, date, datetime, time

PRODID = "-//Ketamine Companion//EN"
CALENDAR_NAME = "Ketamine Companion"
UID_DOMAIN = "ketamine-companion"
INFUSION_SUMMARY = "Ketamine infusion"
NO_DRIVING = "No driving until tomorrow: arrange a ride home."
CHECKIN_SUMMARY = "Daily check-in"
# How often a subscribed calendar should re-fetch (Apple and Google read these).
REFRESH = "PT12H"

_FOLD_AT = 75
_REMINDER_TIME = re.compile(r"([01][0-9]|2[0-3]):([0-5][0-9])")
# Control characters other than tab are not allowed in TEXT (RFC 5545 3.3.11); newlines are
# escaped before this runs.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def parse_reminder_time(value: str) -> time:
    """ "20:00" as a time; ValueError unless it is HH:MM from 00:00 to 23:59."""
    match = _REMINDER_TIME.fullmatch(value) if isinstance(value, str) else None
    if match is None:
        raise ValueError(f"reminder time must be HH:MM from 00:00 to 23:59, got {value!r}")
    return time(int(match.group(1)), int(match.group(2)))


def escape_text(value: str) -> str:
    """A TEXT value escaped: backslash, semicolon, comma and newlines (RFC 5545 3.3.11)."""
    escaped = (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\r", "\\n")
        .replace("\n", "\\n")
    )
    return _CONTROL.sub("", escaped)


def fold(line: str) -> str:
    """A content line folded to at most 75 octets per physical line, joined with CRLF + space."""
    parts: list[str] = []
    current = ""
    size = 0
    limit = _FOLD_AT
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            parts.append(current)
            # A continuation line starts with a space, which counts toward its 75 octets.
            current, size, limit = "", 0, _FOLD_AT - 1
        current += char
        size += width
    parts.append(current)
    return "\r\n ".join(parts)


def _utc(moment: datetime, what: str) -> str:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{what} must be timezone-aware, got {moment!r}")
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _floating(day: date, clock: time) -> str:
    return f"{day:%Y%m%d}T{clock:%H%M}00"


def _infusion_event(
    infusion_id: int, starts_at: datetime, label: str, stamp: str
) -> list[tuple[str, str]]:
    summary = f"{INFUSION_SUMMARY} · {label.strip()}" if label.strip() else INFUSION_SUMMARY
    return [
        ("BEGIN", "VEVENT"),
        ("UID", f"infusion-{int(infusion_id)}@{UID_DOMAIN}"),
        ("DTSTAMP", stamp),
        ("DTSTART", _utc(starts_at, "an infusion's start")),
        ("DURATION", "PT1H"),
        ("SUMMARY", escape_text(summary)),
        ("DESCRIPTION", escape_text(NO_DRIVING)),
        ("TRANSP", "OPAQUE"),
        ("BEGIN", "VALARM"),
        ("ACTION", "DISPLAY"),
        ("TRIGGER", "-PT1H"),
        ("DESCRIPTION", escape_text(f"{summary} in 1 hour. {NO_DRIVING}")),
        ("END", "VALARM"),
        ("END", "VEVENT"),
    ]


def _checkin_event(day: date, clock: time, app_url: str, stamp: str) -> list[tuple[str, str]]:
    url = f"{app_url.rstrip('/')}/checkin"
    return [
        ("BEGIN", "VEVENT"),
        ("UID", f"daily-checkin@{UID_DOMAIN}"),
        ("DTSTAMP", stamp),
        # Floating (no Z, no TZID): the reminder follows the phone's own time zone.
        ("DTSTART", _floating(day, clock)),
        ("RRULE", "FREQ=DAILY"),
        ("DURATION", "PT5M"),
        ("SUMMARY", escape_text(CHECKIN_SUMMARY)),
        ("DESCRIPTION", escape_text(f"Log today's mood: {url}")),
        ("TRANSP", "TRANSPARENT"),
        ("BEGIN", "VALARM"),
        ("ACTION", "DISPLAY"),
        ("TRIGGER", "PT0S"),
        ("DESCRIPTION", escape_text(CHECKIN_SUMMARY)),
        ("END", "VALARM"),
        ("END", "VEVENT"),
    ]


def calendar_ics(
    planned: Sequence[tuple[int, datetime, str]],
    reminder_time: str,
    app_url: str,
    generated_at: datetime,
) -> str:
    """The feed: one VEVENT per planned infusion (id, aware start, label) and the daily reminder.

    The reminder starts on generated_at's own calendar date (pass it in the patient's zone) at
    reminder_time as a floating local time, repeating daily. ValueError for a reminder_time that
    is not HH:MM 00:00-23:59, or a naive datetime.
    """
    clock = parse_reminder_time(reminder_time)
    stamp = _utc(generated_at, "generated_at")
    lines: list[tuple[str, str]] = [
        ("BEGIN", "VCALENDAR"),
        ("VERSION", "2.0"),
        ("PRODID", PRODID),
        ("CALSCALE", "GREGORIAN"),
        ("METHOD", "PUBLISH"),
        ("X-WR-CALNAME", escape_text(CALENDAR_NAME)),
        ("REFRESH-INTERVAL;VALUE=DURATION", REFRESH),
        ("X-PUBLISHED-TTL", REFRESH),
    ]
    for _, starts_at, _ in planned:
        _utc(starts_at, "an infusion's start")
    for infusion_id, starts_at, label in sorted(planned, key=lambda p: (p[1], p[0])):
        lines.extend(_infusion_event(infusion_id, starts_at, label, stamp))
    lines.extend(_checkin_event(generated_at.date(), clock, app_url, stamp))
    lines.append(("END", "VCALENDAR"))
    return "".join(fold(f"{name}:{value}") + "\r\n" for name, value in lines)
