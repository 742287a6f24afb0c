"""Calendar-day helpers shared by the clinical rules: one day per date, English short dates.

Formatting is done by hand rather than with strftime so the output never depends on the locale.
"""

from __future__ import annotations

import math
from datetime import date, datetime

_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def calendar_day(value: date) -> date:
    """The calendar date of a date or datetime (a datetime's own wall-clock date, not UTC's)."""
    # datetime is a subclass of date, so the check must look for datetime first.
    if isinstance(value, datetime):
        return value.date()
    return value


def format_short_date(value: date) -> str:
    """ "Tue 3 Dec": the same as strftime("%a %-d %b") in an English locale, on every platform."""
    day = calendar_day(value)
    return f"{_WEEKDAYS[day.weekday()]} {day.day} {_MONTHS[day.month - 1]}"


def whole_days(days: float) -> int:
    """A number rounded half up (12.5 is 13), the same wherever a median or change is shown."""
    return math.floor(days + 0.5)


def signed(value: float, suffix: str = "") -> str:
    """A change as people read it: "+3", "−16%" (a true minus sign), "0"; whole numbers,
    rounded half up on the size, as in the chart summaries."""
    size = whole_days(abs(value))
    if size == 0:
        return f"0{suffix}"
    return f"{'+' if value > 0 else '−'}{size}{suffix}"


def days_phrase(days: int) -> str:
    """ "1 day", "18 days"."""
    return "1 day" if days == 1 else f"{days} days"
