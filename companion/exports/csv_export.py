"""The clinician CSV: one row per logged day and one per questionnaire, safe to open in Excel.

Any text a patient typed could start with "=", "+", "-" or "@", which a spreadsheet would run as
a formula (CSV injection, e.g. =HYPERLINK(...) leaking data): such cells get a leading "'".
Every CSV starts with a byte-order mark: without it Excel reads UTF-8 as its local code page and
shows "ZoÃ«" for "Zoë".
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, date, datetime

from companion.clinical.instruments import INSTRUMENTS
from companion.data.checkins import CheckIn
from companion.data.db import as_utc
from companion.data.questionnaires import QuestionnaireResponse

# Characters that make a spreadsheet read a cell as a formula (OWASP "CSV Injection").
# A suicidal-thoughts question the patient left unanswered: not the same as "none".
NOT_ANSWERED = "not answered"
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
BYTE_ORDER_MARK = "\ufeff"
# Between a day's tags, in every CSV (a tag never holds it: tags are stored comma-joined).
TAG_SEPARATOR = "; "

CLINICIAN_COLUMNS: tuple[str, ...] = (
    "record",
    "date",
    "mood",
    "anxiety",
    "energy",
    "sleep_hours",
    "pain",
    "suicidal_thoughts",
    "tags",
    "infusion",
    "durability",
    "instrument",
    "total",
    "severity",
    "item_answers",
    "entered_later",
    "note",
)


def spreadsheet_safe(text: str) -> str:
    """text with a leading "'" if a spreadsheet would otherwise take it for a formula."""
    return f"'{text}" if text.startswith(FORMULA_TRIGGERS) else text


def moment_text(value: datetime) -> str:
    """A moment as every export writes it: ISO 8601 in UTC, to the second."""
    return as_utc(value).astimezone(UTC).isoformat(timespec="seconds")


def csv_cell(value: object) -> str:
    """One cell: blank for None, ISO for dates, plain numbers, and text made spreadsheet-safe.

    Only text is neutralised: numbers are written by this code (a negative number such as the
    "-2" of "much worse" is a number to a spreadsheet, not a formula).
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return moment_text(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return f"{value:g}"
    return spreadsheet_safe(str(value))


def write_csv(columns: Sequence[str], rows: Iterable[Mapping[str, object]]) -> str:
    """CSV text (RFC 4180: CRLF, quoted where needed) of rows keyed by column; missing is blank.

    The text starts with a byte-order mark, so it must be written out as UTF-8 as it is.
    """
    buffer = io.StringIO()
    buffer.write(BYTE_ORDER_MARK)
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([csv_cell(row.get(column)) for column in columns])
    return buffer.getvalue()


def _instrument_name(key: str) -> str:
    instrument = INSTRUMENTS.get(key)
    return instrument.name if instrument is not None else key


def clinician_csv(
    checkins: Sequence[CheckIn],
    responses: Sequence[QuestionnaireResponse],
    infusion_labels: Mapping[date, str],
    include_notes: bool,
    durability: Mapping[date, str] | None = None,
) -> str:
    """The clinician's CSV of a period, in date order.

    A "day" row per check-in (and per infusion day with no check-in, so no infusion is lost),
    carrying that date's infusion label and durability (summary.durability_text); a
    "questionnaire" row per PHQ-9/GAD-7, after the day's own row. The note column exists only
    when include_notes is true.
    """
    columns = [c for c in CLINICIAN_COLUMNS if include_notes or c != "note"]
    durability = durability or {}
    keyed: list[tuple[tuple[date, int, float, int], dict[str, object]]] = []
    checkin_days = {checkin.day for checkin in checkins}
    for checkin in checkins:
        row: dict[str, object] = {
            "record": "day",
            "date": checkin.day,
            "mood": checkin.mood,
            "anxiety": checkin.anxiety,
            "energy": checkin.energy,
            "sleep_hours": checkin.sleep_hours,
            "pain": checkin.pain,
            "suicidal_thoughts": checkin.suicidal_thoughts or NOT_ANSWERED,
            "tags": TAG_SEPARATOR.join(checkin.tag_list),
            "infusion": infusion_labels.get(checkin.day),
            "durability": durability.get(checkin.day),
            "note": checkin.note,
        }
        keyed.append(((checkin.day, 0, 0.0, checkin.id or 0), row))
    for day, label in infusion_labels.items():
        if day not in checkin_days:
            row = {
                "record": "day",
                "date": day,
                "infusion": label,
                "durability": durability.get(day),
            }
            keyed.append(((day, 0, 0.0, 0), row))
    for response in responses:
        row = {
            "record": "questionnaire",
            "date": response.day,
            "instrument": _instrument_name(response.instrument),
            "total": response.total,
            "severity": response.severity,
            "item_answers": " ".join(str(a) for a in response.answer_list),
            # Taken on that day (at the clinic) and typed in by the patient afterwards.
            "entered_later": response.entered_later,
        }
        completed = as_utc(response.completed_at).timestamp()
        keyed.append(((response.day, 1, completed, response.id or 0), row))
    keyed.sort(key=lambda pair: pair[0])
    return write_csv(columns, (row for _, row in keyed))
