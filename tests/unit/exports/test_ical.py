"""The calendar feed parses as iCalendar, folds and escapes correctly, and holds no health data."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, timezone

import pytest
from icalendar import Calendar

from companion.exports.ical import calendar_ics, escape_text, fold

GENERATED = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
NEW_YORK_WINTER = timezone(timedelta(hours=-5))
PLANNED = [
    (3, datetime(2026, 3, 5, 9, 30, tzinfo=NEW_YORK_WINTER), "Induction 3"),
    (4, datetime(2026, 3, 8, 14, 0, tzinfo=UTC), "Induction 4"),
]


def _feed(planned=PLANNED, reminder="20:00") -> str:
    return calendar_ics(planned, reminder, "https://kc.example", GENERATED)


def _events(text: str) -> dict[str, object]:
    calendar = Calendar.from_ical(text)
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


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
    assert set(events) == {
        "infusion-3@ketamine-companion",
        "infusion-4@ketamine-companion",
        "daily-checkin@ketamine-companion",
    }


def test_infusion_event_starts_in_utc_with_an_alarm_and_the_driving_note():
    text = _feed()
    assert "DTSTART:20260305T143000Z\r\n" in text
    event = _events(text)["infusion-3@ketamine-companion"]
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


def test_daily_reminder_is_a_floating_daily_event_at_the_reminder_time():
    text = _feed(reminder="07:45")
    assert "DTSTART:20260301T074500\r\n" in text
    event = _events(text)["daily-checkin@ketamine-companion"]
    start = event.decoded("DTSTART")
    assert start == datetime(2026, 3, 1, 7, 45)
    assert start.tzinfo is None
    assert event["RRULE"] == {"FREQ": ["DAILY"]}
    assert event.decoded("DURATION") == timedelta(minutes=5)
    assert str(event["SUMMARY"]) == "Daily check-in"
    assert "https://kc.example/checkin" in str(event["DESCRIPTION"])
    [alarm] = event.walk("VALARM")
    assert str(alarm["ACTION"]) == "DISPLAY"
    assert alarm.decoded("TRIGGER") == timedelta(0)


def test_no_planned_infusions_still_gives_the_reminder():
    events = _events(_feed(planned=[]))
    assert list(events) == ["daily-checkin@ketamine-companion"]


def test_label_with_semicolon_and_comma_is_escaped():
    label = "Booster 2; IV, 0.5 mg/kg \\ back"
    text = _feed(planned=[(9, datetime(2026, 4, 1, 9, tzinfo=UTC), label)])
    assert "SUMMARY:Ketamine infusion · Booster 2\\; IV\\, 0.5 mg/kg \\\\ back\r\n" in text
    event = _events(text)["infusion-9@ketamine-companion"]
    assert str(event["SUMMARY"]) == f"Ketamine infusion · {label}"


def test_newlines_in_a_label_cannot_inject_properties():
    label = "Booster\r\nEND:VEVENT\nATTENDEE:mailto:x@example.com"
    text = _feed(planned=[(9, datetime(2026, 4, 1, 9, tzinfo=UTC), label)])
    assert "\r\nEND:VEVENT\nATTENDEE" not in text
    assert "\r\nATTENDEE" not in text
    event = _events(text)["infusion-9@ketamine-companion"]
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
    event = _events(text)["infusion-5@ketamine-companion"]
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


def test_no_health_data_beyond_the_word_infusion_and_the_label():
    text = _feed().lower()
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
    event = _events(_feed(reminder=good))["daily-checkin@ketamine-companion"]
    assert event.decoded("DTSTART") == datetime.combine(date(2026, 3, 1), time(hour, minute))


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError):
        calendar_ics([], "20:00", "https://kc.example", datetime(2026, 3, 1))
    with pytest.raises(ValueError):
        _feed(planned=[(1, datetime(2026, 3, 1, 9), "x")])
