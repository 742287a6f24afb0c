"""The private calendar feed (RFC 5545), written by hand: planned infusions, post-infusion checks,
questionnaires due and a daily reminder at the patient's own local time (TZID with a VTIMEZONE).

A phone's calendar fetches the feed with no account, and calendars sync to other services, so it
holds no health data beyond the word "infusion", each infusion's label and what is due: no
moods, no scores, no questionnaire names. UIDs carry the feed's random id, never a row id alone.
Lines end in CRLF, are folded at 75 octets (never inside a UTF-8 character) and TEXT values
are escaped.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from companion import routes
from companion.clinical import format_short_date, questionnaires_due
from companion.clinical.schedule import POST_CHECKS
from companion.localtime import is_valid_timezone

PRODID = "-//Ketamine Companion//EN"
CALENDAR_NAME = "Ketamine Companion"
UID_DOMAIN = "ketamine-companion"
INFUSION_SUMMARY = "Ketamine infusion"
NO_DRIVING = "No driving until tomorrow: arrange a ride home."
CHECKIN_SUMMARY = "Daily check-in"
QUESTIONNAIRE_SUMMARY = "Questionnaire due"
CHECK_SUMMARY = "Post-infusion check"
# How often a subscribed calendar should re-fetch (Apple and Google read these).
REFRESH = "PT12H"
# Questionnaires due are projected this far ahead, each assumed taken on the day it falls due.
QUESTIONNAIRE_HORIZON_DAYS = 60

_FOLD_AT = 75
_REMINDER_TIME = re.compile(r"([01][0-9]|2[0-3]):([0-5][0-9])")
# Control characters other than tab are not allowed in TEXT (RFC 5545 3.3.11); newlines are
# escaped before this runs.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")

Lines = list[tuple[str, str]]


@dataclass(frozen=True, slots=True)
class CheckEvent:
    """A post-infusion check: when it opens, its label and the infusion's local day."""

    infusion_id: int
    key: str
    label: str
    opens_at: datetime
    infusion_day: date


@dataclass(frozen=True, slots=True)
class CalendarContent:
    """Everything the feed shows. `since` is the reminder's first local day; `today` the
    patient's calendar day; `stamp` the feed's own time (kept stable so the ETag is)."""

    uid: str
    timezone: str
    reminder_time: str
    since: date
    today: date
    stamp: datetime
    app_url: str
    infusions: Sequence[tuple[int, datetime, str]] = ()
    checks: Sequence[CheckEvent] = ()
    questionnaires: Sequence[tuple[date, str]] = ()


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


def _aware(moment: datetime, what: str) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{what} must be timezone-aware, got {moment!r}")
    return moment


def _utc(moment: datetime, what: str) -> str:
    return _aware(moment, what).astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _offset(value: timedelta | None) -> str:
    seconds = int((value or timedelta(0)).total_seconds())
    sign = "-" if seconds < 0 else "+"
    hours, rest = divmod(abs(seconds), 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{sign}{hours:02d}{minutes:02d}" + (f"{seconds:02d}" if seconds else "")


def _observance(moment: datetime, zone: ZoneInfo) -> tuple[timedelta | None, str | None, bool]:
    local = moment.astimezone(zone)
    return local.utcoffset(), local.tzname(), bool(local.dst())


def _range_start(year: int) -> datetime:
    # A day before 1 January in UTC is before 1 January's first minute in every zone.
    return datetime(year, 1, 1, tzinfo=UTC) - timedelta(days=1)


@functools.cache
def _transitions(tzid: str, first_year: int, last_year: int) -> tuple[datetime, ...]:
    """Each UTC instant from first_year to last_year where the zone's offset or name changes.

    zoneinfo does not list its transitions, so each day is compared with the next and a change
    is narrowed to the second (no zone changes twice in a day).
    """
    zone = ZoneInfo(tzid)
    day = _range_start(first_year)
    end = datetime(last_year + 1, 1, 1, tzinfo=UTC)
    found: list[datetime] = []
    while day < end:
        after = day + timedelta(days=1)
        if _observance(day, zone)[:2] != _observance(after, zone)[:2]:
            low, high = day, after
            while high - low > timedelta(seconds=1):
                middle = low + timedelta(seconds=int((high - low).total_seconds()) // 2)
                if _observance(middle, zone)[:2] == _observance(low, zone)[:2]:
                    low = middle
                else:
                    high = middle
            found.append(high)
        day = after
    return tuple(found)


def _vtimezone(tzid: str, first_year: int, last_year: int) -> Lines:
    """The zone's observances for those years, one sub-component per change (RFC 5545 3.6.5).

    Listed one by one rather than as yearly rules: exact for any zone, and the feed is rebuilt
    at every fetch, always covering next year.
    """
    zone = ZoneInfo(tzid)
    lines: Lines = [("BEGIN", "VTIMEZONE"), ("TZID", tzid)]
    start = _range_start(first_year)
    changes = [
        (start, start),
        *((t - timedelta(seconds=1), t) for t in _transitions(tzid, first_year, last_year)),
    ]
    for before, after in changes:
        offset_from = _observance(before, zone)[0]
        offset_to, name, dst = _observance(after, zone)
        # DTSTART is the local time the change happens, read on the clock before it.
        onset = (after.replace(tzinfo=None) + (offset_from or timedelta(0))).strftime(
            "%Y%m%dT%H%M%S"
        )
        kind = "DAYLIGHT" if dst else "STANDARD"
        lines += [("BEGIN", kind), ("DTSTART", onset), ("TZOFFSETFROM", _offset(offset_from))]
        lines += [("TZOFFSETTO", _offset(offset_to)), ("TZNAME", escape_text(name or tzid))]
        lines.append(("END", kind))
    lines.append(("END", "VTIMEZONE"))
    return lines


def _uid(kind: str, feed_uid: str) -> str:
    return f"{kind}-{feed_uid}@{UID_DOMAIN}"


def _event(
    uid: str, stamp: str, start: tuple[str, str], body: Lines, alarm: tuple[str, str] | None
) -> Lines:
    """A VEVENT; alarm is (trigger, text) for a display alarm."""
    lines: Lines = [("BEGIN", "VEVENT"), ("UID", uid), ("DTSTAMP", stamp), start, *body]
    if alarm is not None:
        lines += [("BEGIN", "VALARM"), ("ACTION", "DISPLAY"), ("TRIGGER", alarm[0])]
        lines += [("DESCRIPTION", escape_text(alarm[1])), ("END", "VALARM")]
    lines.append(("END", "VEVENT"))
    return lines


def _infusion(content: CalendarContent, infusion_id: int, starts_at: datetime, label: str) -> Lines:
    summary = f"{INFUSION_SUMMARY} · {label.strip()}" if label.strip() else INFUSION_SUMMARY
    body: Lines = [
        ("DURATION", "PT1H"),
        ("SUMMARY", escape_text(summary)),
        ("DESCRIPTION", escape_text(NO_DRIVING)),
        ("TRANSP", "OPAQUE"),
    ]
    start = ("DTSTART", _utc(starts_at, "an infusion's start"))
    uid = _uid(f"infusion-{int(infusion_id)}", content.uid)
    stamp = _utc(content.stamp, "stamp")
    return _event(uid, stamp, start, body, ("-PT1H", f"{summary} in 1 hour. {NO_DRIVING}"))


def _check(content: CalendarContent, check: CheckEvent) -> Lines:
    summary = f"{CHECK_SUMMARY}: {check.label.lower()}"
    url = content.app_url.rstrip("/") + routes.post_check(check.infusion_id, check.key)
    day = format_short_date(check.infusion_day)
    body: Lines = [
        ("DURATION", "PT15M"),
        ("SUMMARY", escape_text(summary)),
        ("DESCRIPTION", escape_text(f"How you feel after your infusion on {day}: {url}")),
        ("TRANSP", "TRANSPARENT"),
    ]
    start = ("DTSTART", _utc(check.opens_at, "a check's opening"))
    uid = _uid(f"check-{int(check.infusion_id)}-{check.key}", content.uid)
    return _event(uid, _utc(content.stamp, "stamp"), start, body, ("PT0S", summary))


def _questionnaire(content: CalendarContent, day: date, reason: str) -> Lines:
    url = content.app_url.rstrip("/") + routes.QUESTIONNAIRES
    body: Lines = [
        ("DTEND;VALUE=DATE", f"{day + timedelta(days=1):%Y%m%d}"),
        ("SUMMARY", escape_text(QUESTIONNAIRE_SUMMARY)),
        ("DESCRIPTION", escape_text(f"{reason}. About two minutes: {url}")),
        ("TRANSP", "TRANSPARENT"),
    ]
    start = ("DTSTART;VALUE=DATE", f"{day:%Y%m%d}")
    uid = _uid(f"questionnaire-{day:%Y%m%d}", content.uid)
    return _event(uid, _utc(content.stamp, "stamp"), start, body, None)


def _reminder(content: CalendarContent, clock: time) -> Lines:
    url = content.app_url.rstrip("/") + routes.CHECKIN
    body: Lines = [
        ("RRULE", "FREQ=DAILY"),
        ("DURATION", "PT5M"),
        ("SUMMARY", escape_text(CHECKIN_SUMMARY)),
        ("DESCRIPTION", escape_text(f"Log today's mood: {url}")),
        ("TRANSP", "TRANSPARENT"),
    ]
    # The patient's own zone, not floating time: a floating time moves with the phone's zone
    # and some clients shift it by an hour across a daylight-saving change.
    start = (f"DTSTART;TZID={content.timezone}", f"{content.since:%Y%m%d}T{clock:%H%M}00")
    uid = _uid("daily-checkin", content.uid)
    return _event(uid, _utc(content.stamp, "stamp"), start, body, ("PT0S", CHECKIN_SUMMARY))


def calendar_ics(content: CalendarContent) -> str:
    """The feed. ValueError for a reminder time that is not HH:MM 00:00-23:59, a naive datetime,
    an unknown time zone or a feed uid that is not 32 hex digits."""
    clock = parse_reminder_time(content.reminder_time)
    if not re.fullmatch(r"[0-9a-f]{32}", content.uid):
        raise ValueError("the feed uid must be 32 lowercase hex digits")
    # Only a name from the zone database: it is written into a parameter unescaped.
    if not is_valid_timezone(content.timezone):
        raise ValueError(f"unknown time zone {content.timezone!r}")
    _aware(content.stamp, "stamp")
    for _, starts_at, _ in content.infusions:
        _aware(starts_at, "an infusion's start")
    for check in content.checks:
        _aware(check.opens_at, "a check's opening")
    lines: Lines = [
        ("BEGIN", "VCALENDAR"),
        ("VERSION", "2.0"),
        ("PRODID", PRODID),
        ("CALSCALE", "GREGORIAN"),
        ("METHOD", "PUBLISH"),
        ("X-WR-CALNAME", escape_text(CALENDAR_NAME)),
        ("X-WR-TIMEZONE", content.timezone),
        ("REFRESH-INTERVAL;VALUE=DURATION", REFRESH),
        ("X-PUBLISHED-TTL", REFRESH),
    ]
    lines += _vtimezone(content.timezone, content.since.year, content.today.year + 1)
    for infusion_id, starts_at, label in sorted(content.infusions, key=lambda p: (p[1], p[0])):
        lines += _infusion(content, infusion_id, starts_at, label)
    for check in sorted(content.checks, key=lambda c: (c.opens_at, c.infusion_id)):
        lines += _check(content, check)
    for day, reason in sorted(content.questionnaires):
        lines += _questionnaire(content, day, reason)
    lines += _reminder(content, clock)
    lines.append(("END", "VCALENDAR"))
    return "".join(fold(f"{name}:{value}") + "\r\n" for name, value in lines)


def upcoming_questionnaires(
    today: date,
    done: Sequence[date],
    planned: Sequence[date],
    taken: Mapping[str, Sequence[date]],
    horizon: int = QUESTIONNAIRE_HORIZON_DAYS,
) -> list[tuple[date, str]]:
    """Each day in the next `horizon` days on which a questionnaire falls due, with its reason,
    by companion.clinical's own rules: planned infusions before a day count as done by then,
    and each one due is taken as answered that day (so the next is two weeks on, not tomorrow)."""
    taken_so_far = {key: list(days) for key, days in taken.items()}
    found: list[tuple[date, str]] = []
    for offset in range(horizon + 1):
        day = today + timedelta(days=offset)
        done_by_then = [*done, *(p for p in planned if p < day)]
        due = questionnaires_due(day, done_by_then, planned, taken_so_far)
        if due:
            found.append((day, "; ".join(dict.fromkeys(item.reason for item in due))))
        for item in due:
            taken_so_far.setdefault(item.instrument, []).append(day)
    return found


def upcoming_checks(
    now: datetime,
    infusions: Sequence[tuple[int, datetime, date]],
    done: set[tuple[int, str]],
) -> list[CheckEvent]:
    """The post-infusion checks not done and not missed (open now or later), for infusions
    given as (id, start, local day), each at the time it opens."""
    _aware(now, "now")
    return [
        CheckEvent(infusion_id, point.key, point.label, start + point.opens_after, day)
        for infusion_id, start, day in infusions
        for point in POST_CHECKS
        if point.status(
            now - _aware(start, "an infusion's start"), (infusion_id, point.key) in done
        )
        in ("later", "due")
    ]
