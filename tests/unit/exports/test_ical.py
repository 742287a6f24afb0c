"""The calendar feed parses as iCalendar in two independent readers (icalendar, and ical.js under
Node), keeps the daily reminder at the patient's local time across daylight-saving changes,
folds and escapes correctly, gives stable unique UIDs, and holds no health data."""

from __future__ import annotations

import json
import subprocess
from datetime import UTC, date, datetime, time, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from dateutil.rrule import rrulestr
from icalendar import Calendar

from companion.exports.ical import (
    CalendarContent,
    CheckEvent,
    calendar_ics,
    escape_text,
    fold,
    upcoming_checks,
    upcoming_questionnaires,
)

EXPAND = Path(__file__).resolve().parents[2] / "node" / "expand_ics.mjs"
FEED_UID = "0123456789abcdef0123456789abcdef"
OTHER_UID = "fedcba9876543210fedcba9876543210"
GENERATED = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
NEW_YORK_WINTER = timezone(timedelta(hours=-5))
PLANNED = [
    (3, datetime(2026, 3, 5, 9, 30, tzinfo=NEW_YORK_WINTER), "Induction 3"),
    (4, datetime(2026, 3, 8, 14, 0, tzinfo=UTC), "Induction 4"),
]
# 60 days from 30 days before a change: spring forward, fall back, and the southern hemisphere
# (Sydney) and a half-hour change (Lord Howe).
ACROSS_A_CHANGE = [
    ("America/New_York", date(2026, 2, 6)),
    ("Europe/London", date(2026, 9, 25)),
    ("Australia/Sydney", date(2026, 3, 6)),
    ("Australia/Lord_Howe", date(2026, 9, 3)),
]


def _content(**changes) -> CalendarContent:
    base = CalendarContent(
        uid=FEED_UID,
        timezone="America/New_York",
        reminder_time="20:00",
        since=date(2026, 3, 1),
        today=date(2026, 3, 1),
        stamp=GENERATED,
        app_url="https://kc.example",
        infusions=PLANNED,
    )
    return CalendarContent(**{**{f: getattr(base, f) for f in base.__slots__}, **changes})


def _feed(planned=PLANNED, reminder="20:00", **changes) -> str:
    return calendar_ics(_content(infusions=planned, reminder_time=reminder, **changes))


def _uid(kind: str, feed_uid: str = FEED_UID) -> str:
    return f"{kind}-{feed_uid}@ketamine-companion"


def _events(text: str) -> dict[str, object]:
    calendar = Calendar.from_ical(text)
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def _ical_js(text: str, days: int = 60) -> list[dict]:
    run = subprocess.run(
        ["node", str(EXPAND), str(days)], input=text, capture_output=True, text=True, check=True
    )
    return json.loads(run.stdout)["events"]


def _expected_utc(tzid: str, since: date, clock: time, days: int) -> list[str]:
    """When the reminder should ring, by the Python standard library's own zone data."""
    zone = ZoneInfo(tzid)
    return [
        datetime.combine(since + timedelta(days=n), clock, zone)
        .astimezone(UTC)
        .strftime("%Y-%m-%dT%H:%M:%SZ")
        for n in range(days)
    ]


def test_calendar_properties():
    calendar = Calendar.from_ical(_feed())
    assert str(calendar["PRODID"]) == "-//Ketamine Companion//EN"
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["CALSCALE"]) == "GREGORIAN"
    assert str(calendar["METHOD"]) == "PUBLISH"
    assert str(calendar["X-WR-CALNAME"]) == "Ketamine Companion"


def test_crlf_line_endings_only():
    text = _feed()
    assert text.endswith("END:VCALENDAR\r\n")
    assert "\n" not in text.replace("\r\n", "")
    assert "\r" not in text.replace("\r\n", "")


def test_one_event_per_planned_infusion_and_the_daily_reminder():
    events = _events(_feed())
    assert set(events) == {_uid("infusion-3"), _uid("infusion-4"), _uid("daily-checkin")}


def test_uids_carry_the_feed_id_so_two_patients_never_share_one():
    mine = set(_events(_feed()))
    theirs = set(_events(_feed(uid=OTHER_UID)))
    assert mine.isdisjoint(theirs)
    assert all(FEED_UID in uid for uid in mine) and all(OTHER_UID in uid for uid in theirs)
    # The same content gives the same feed, byte for byte: UIDs and the ETag stay put.
    assert _feed() == _feed()
    with pytest.raises(ValueError):
        _feed(uid="1")


def test_infusion_event_starts_in_utc_with_an_alarm_and_the_driving_note():
    text = _feed()
    assert "DTSTART:20260305T143000Z\r\n" in text
    event = _events(text)[_uid("infusion-3")]
    start = event.decoded("DTSTART")
    assert start == datetime(2026, 3, 5, 14, 30, tzinfo=UTC)
    assert start.utcoffset() == timedelta(0)
    assert event.decoded("DURATION") == timedelta(hours=1)
    assert event.decoded("DTSTAMP") == GENERATED
    assert str(event["SUMMARY"]) == "Ketamine infusion · Induction 3"
    assert "No driving until tomorrow: arrange a ride home." in str(event["DESCRIPTION"])
    [alarm] = event.walk("VALARM")
    assert str(alarm["ACTION"]) == "DISPLAY"
    assert alarm.decoded("TRIGGER") == timedelta(hours=-1)
    assert str(alarm["DESCRIPTION"])


def test_daily_reminder_is_in_the_patients_zone_with_its_vtimezone():
    text = _feed(reminder="07:45")
    assert "DTSTART;TZID=America/New_York:20260301T074500\r\n" in text
    calendar = Calendar.from_ical(text)
    [zone] = calendar.walk("VTIMEZONE")
    assert str(zone["TZID"]) == "America/New_York"
    event = _events(text)[_uid("daily-checkin")]
    assert event.decoded("DTSTART") == datetime(
        2026, 3, 1, 7, 45, tzinfo=ZoneInfo("America/New_York")
    )
    assert event["RRULE"] == {"FREQ": ["DAILY"]}
    assert event.decoded("DURATION") == timedelta(minutes=5)
    assert str(event["SUMMARY"]) == "Daily check-in"
    assert "https://kc.example/checkin" in str(event["DESCRIPTION"])
    [alarm] = event.walk("VALARM")
    assert str(alarm["ACTION"]) == "DISPLAY"
    assert alarm.decoded("TRIGGER") == timedelta(0)


@pytest.mark.parametrize(("tzid", "since"), ACROSS_A_CHANGE)
def test_icalendar_expands_60_days_across_a_clock_change_at_20_00_local(tzid, since):
    text = _feed(planned=[], timezone=tzid, since=since, today=since)
    calendar = Calendar.from_ical(text)
    # The feed's own VTIMEZONE, not the reader's zone data: lookup_tzid=False.
    [vtimezone] = calendar.walk("VTIMEZONE")
    zone = vtimezone.to_tz(lookup_tzid=False)
    event = _events(text)[_uid("daily-checkin")]
    start = event.decoded("DTSTART").replace(tzinfo=zone)
    rule = rrulestr(event["RRULE"].to_ical().decode(), dtstart=start)
    occurrences = list(rule[:60])
    assert {o.astimezone(zone).strftime("%H:%M") for o in occurrences} == {"20:00"}
    utc = [o.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ") for o in occurrences]
    assert utc == _expected_utc(tzid, since, time(20), 60)
    assert len({o.utcoffset() for o in occurrences}) == 2  # the change is inside the 60 days


@pytest.mark.parametrize(("tzid", "since"), ACROSS_A_CHANGE)
def test_ical_js_expands_60_days_across_a_clock_change_at_20_00_local(tzid, since):
    text = _feed(planned=[], timezone=tzid, since=since, today=since)
    [reminder] = [e for e in _ical_js(text) if e["uid"] == _uid("daily-checkin")]
    occurrences = reminder["occurrences"]
    assert len(occurrences) == 60
    assert {o["local"][11:] for o in occurrences} == {"20:00:00"}
    assert {o["zone"] for o in occurrences} == {tzid}
    assert [o["local"][:10] for o in occurrences] == [
        (since + timedelta(days=n)).isoformat() for n in range(60)
    ]
    assert [o["utc"] for o in occurrences] == _expected_utc(tzid, since, time(20), 60)


def test_ical_js_reads_every_event_with_its_uid_and_time():
    checks = [
        CheckEvent(
            3, "24h", "After 24 hours", datetime(2026, 3, 6, 14, tzinfo=UTC), date(2026, 3, 5)
        )
    ]
    questionnaires = [(date(2026, 3, 20), "Every two weeks")]
    text = _feed(checks=checks, questionnaires=questionnaires)
    events = {e["uid"]: e for e in _ical_js(text, 1)}
    assert set(events) == set(_events(text))
    assert events[_uid("infusion-3")]["start"]["utc"] == "2026-03-05T14:30:00Z"
    assert events[_uid("check-3-24h")]["start"]["utc"] == "2026-03-06T14:00:00Z"
    assert events[_uid("questionnaire-20260320")]["start"]["local"] == "2026-03-20"


def test_post_infusion_checks_and_questionnaires_due_are_events():
    checks = [
        CheckEvent(
            3,
            "evening",
            "The same evening",
            datetime(2026, 3, 5, 17, 30, tzinfo=UTC),
            date(2026, 3, 5),
        )
    ]
    text = _feed(checks=checks, questionnaires=[(date(2026, 3, 20), "Every two weeks")])
    events = _events(text)
    check = events[_uid("check-3-evening")]
    assert str(check["SUMMARY"]) == "Post-infusion check: the same evening"
    assert check.decoded("DTSTART") == datetime(2026, 3, 5, 17, 30, tzinfo=UTC)
    assert str(check["DESCRIPTION"]) == (
        "How you feel after your infusion on Thu 5 Mar: "
        "https://kc.example/infusions/check?infusion=3&when=evening"
    )
    due = events[_uid("questionnaire-20260320")]
    assert str(due["SUMMARY"]) == "Questionnaire due"
    assert due.decoded("DTSTART") == date(2026, 3, 20)
    assert due.decoded("DTEND") == date(2026, 3, 21)
    assert str(due["DESCRIPTION"]) == (
        "Every two weeks. About two minutes: https://kc.example/questionnaires"
    )


def test_questionnaires_follow_the_clinical_schedule_two_weeks_apart():
    today = date(2026, 3, 1)
    # Nothing yet: a baseline today; planned infusions then end their induction series.
    first = [today + timedelta(days=n) for n in (3, 5, 7, 10, 12, 14)]
    due = upcoming_questionnaires(today, [], first, {})
    assert due[0] == (today, "Baseline before your first infusion")
    assert due[1] == (first[-1] + timedelta(days=1), "After your induction series")
    assert [d for d, _ in due[2:]] == [
        first[-1] + timedelta(days=1 + 14 * n) for n in range(1, len(due) - 1)
    ]
    assert all(reason == "Every two weeks" for _, reason in due[2:])
    assert max(d for d, _ in due) <= today + timedelta(days=60)
    # Taken yesterday: nothing due for the next 13 days.
    taken = {"phq9": [today - timedelta(days=1)], "gad7": [today - timedelta(days=1)]}
    assert upcoming_questionnaires(today, [today - timedelta(days=40)], [], taken)[0][0] == (
        today + timedelta(days=13)
    )


def test_checks_not_done_and_not_missed_each_at_the_time_it_opens():
    now = datetime(2026, 3, 6, 12, tzinfo=UTC)
    start = datetime(2026, 3, 5, 14, tzinfo=UTC)  # 22 hours ago
    planned = datetime(2026, 3, 9, 14, tzinfo=UTC)
    old = datetime(2026, 2, 20, 14, tzinfo=UTC)
    checks = upcoming_checks(
        now,
        [(1, old, date(2026, 2, 20)), (2, start, date(2026, 3, 5)), (3, planned, date(2026, 3, 9))],
        {(2, "evening")},
    )
    assert [(c.infusion_id, c.key) for c in checks] == [
        (2, "24h"),
        (2, "48h"),
        (3, "evening"),
        (3, "24h"),
        (3, "48h"),
    ]
    assert checks[0].opens_at == start + timedelta(hours=20)
    assert checks[2].opens_at == planned + timedelta(hours=3)


def test_no_planned_infusions_still_gives_the_reminder():
    events = _events(_feed(planned=[]))
    assert list(events) == [_uid("daily-checkin")]


def test_label_with_semicolon_and_comma_is_escaped():
    label = "Booster 2; IV, 0.5 mg/kg \\ back"
    text = _feed(planned=[(9, datetime(2026, 4, 1, 9, tzinfo=UTC), label)])
    assert "SUMMARY:Ketamine infusion · Booster 2\\; IV\\, 0.5 mg/kg \\\\ back\r\n" in text
    event = _events(text)[_uid("infusion-9")]
    assert str(event["SUMMARY"]) == f"Ketamine infusion · {label}"


def test_newlines_in_a_label_cannot_inject_properties():
    label = "Booster\r\nEND:VEVENT\nATTENDEE:mailto:x@example.com"
    text = _feed(planned=[(9, datetime(2026, 4, 1, 9, tzinfo=UTC), label)])
    assert "\r\nEND:VEVENT\nATTENDEE" not in text
    assert "\r\nATTENDEE" not in text
    event = _events(text)[_uid("infusion-9")]
    assert (
        str(event["SUMMARY"])
        == "Ketamine infusion · Booster\nEND:VEVENT\nATTENDEE:mailto:x@example.com"
    )


def test_long_label_is_folded_at_75_octets_and_unfolds_back():
    label = ("Maintenance booster at the clinic, with ä and — " * 5)[:200].strip()
    assert len(label) >= 190
    text = _feed(planned=[(5, datetime(2026, 4, 1, 9, tzinfo=UTC), label)])
    physical = text.split("\r\n")
    assert all(len(line.encode("utf-8")) <= 75 for line in physical)
    assert any(line.startswith(" ") for line in physical)
    event = _events(text)[_uid("infusion-5")]
    assert str(event["SUMMARY"]) == f"Ketamine infusion · {label}"


def test_fold_never_splits_a_multibyte_character():
    line = "SUMMARY:" + "é" * 100
    folded = fold(line)
    for part in folded.split("\r\n"):
        part.encode("utf-8").decode("utf-8")
        assert len(part.encode("utf-8")) <= 75
    assert folded.replace("\r\n ", "") == line


def test_escape_text():
    assert escape_text("a\\b;c,d\ne") == "a\\\\b\\;c\\,d\\ne"


def test_no_health_data_beyond_the_word_infusion_and_what_is_due():
    checks = [
        CheckEvent(
            3, "24h", "After 24 hours", datetime(2026, 3, 6, 14, tzinfo=UTC), date(2026, 3, 5)
        )
    ]
    text = _feed(checks=checks, questionnaires=[(date(2026, 3, 20), "Every two weeks")]).lower()
    for word in ("mood", "phq", "gad", "score", "dose", "suicid", "severity"):
        # "Log today's mood" is the reminder's prompt, not a mood value.
        if word == "mood":
            assert text.count("mood") == text.count("log today's mood")
            continue
        assert word not in text


@pytest.mark.parametrize(
    "bad", ["24:00", "8:00", "20:60", "2000", "", "20:00:00", " 20:00", "２０:００"]
)
def test_bad_reminder_time_is_refused(bad):
    with pytest.raises(ValueError):
        _feed(reminder=bad)


@pytest.mark.parametrize("good", ["00:00", "23:59", "09:05"])
def test_good_reminder_times(good):
    hour, minute = (int(p) for p in good.split(":"))
    event = _events(_feed(reminder=good))[_uid("daily-checkin")]
    assert event.decoded("DTSTART") == datetime.combine(
        date(2026, 3, 1), time(hour, minute), ZoneInfo("America/New_York")
    )


def test_naive_datetimes_and_unknown_zones_are_refused():
    with pytest.raises(ValueError):
        _feed(stamp=datetime(2026, 3, 1))
    with pytest.raises(ValueError):
        _feed(planned=[(1, datetime(2026, 3, 1, 9), "x")])
    with pytest.raises(ValueError):
        _feed(timezone="Mars/Olympus")


@pytest.mark.parametrize(("tzid", "since"), ACROSS_A_CHANGE)
def test_the_vtimezone_gives_the_zone_databases_offset_every_hour_of_the_year(tzid, since):
    [vtimezone] = Calendar.from_ical(_feed(timezone=tzid, since=since, today=since)).walk(
        "VTIMEZONE"
    )
    ours, real = vtimezone.to_tz(lookup_tzid=False), ZoneInfo(tzid)
    hour = datetime(since.year, 1, 1)
    while hour.year == since.year:
        # Wall times that happen twice or never have no single offset to compare.
        if hour.replace(tzinfo=real).utcoffset() == hour.replace(tzinfo=real, fold=1).utcoffset():
            assert hour.replace(tzinfo=ours).utcoffset() == hour.replace(tzinfo=real).utcoffset()
        hour += timedelta(hours=1)
