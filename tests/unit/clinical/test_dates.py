"""Calendar-day helpers."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

from companion.clinical.dates import calendar_day, format_short_date, signed


def test_calendar_day_of_date_is_itself() -> None:
    assert calendar_day(date(2026, 12, 3)) == date(2026, 12, 3)


def test_calendar_day_of_datetime_uses_its_own_wall_clock() -> None:
    late = datetime(2026, 12, 3, 23, 30, tzinfo=timezone(timedelta(hours=-8)))
    assert calendar_day(late) == date(2026, 12, 3)
    assert calendar_day(late.astimezone(UTC)) == date(2026, 12, 4)
    assert type(calendar_day(late)) is date


def test_format_short_date() -> None:
    assert format_short_date(date(2024, 12, 3)) == "Tue 3 Dec"
    assert format_short_date(date(2026, 1, 31)) == "Sat 31 Jan"
    assert format_short_date(datetime(2026, 11, 27, 9, 0)) == "Fri 27 Nov"


def test_format_matches_strftime_in_c_locale() -> None:
    day = date(2026, 1, 1)
    for n in range(366):
        current = day + timedelta(days=n)
        expected = f"{current:%a} {current.day} {current:%b}"
        assert format_short_date(current) == expected


def test_signed_changes_read_as_printed() -> None:
    assert signed(-16) == "−16"
    assert signed(3) == "+3"
    assert signed(0) == "0"
    assert signed(-79.5, "%") == "−80%"  # half up on the size, as in the chart summaries
    assert signed(-57.9, "%") == "−58%"
    assert signed(0.4, "%") == "0%"
