"""The clinician CSV: columns, one row per day and per questionnaire, notes only when shared,
no cell a spreadsheet would run as a formula, and text Excel reads as UTF-8."""

from __future__ import annotations

import codecs
import csv
import io
import json
from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from companion.data.checkins import CheckIn
from companion.data.questionnaires import QuestionnaireResponse
from companion.exports.csv_export import clinician_csv, csv_cell, spreadsheet_safe

HEADER = (
    "record,date,mood,anxiety,energy,sleep_hours,pain,suicidal_thoughts,tags,infusion,durability,"
    "instrument,total,severity,item_answers,entered_later"
)
DANGEROUS_NOTE = '=HYPERLINK("x"), and\na new line'


def _checkin(day: date, mood: int, **fields: object) -> CheckIn:
    return CheckIn(id=day.toordinal(), patient_id=1, day=day, mood=mood, **fields)


def _response(
    response_id: int, day: date, instrument: str, answers: list[int]
) -> QuestionnaireResponse:
    return QuestionnaireResponse(
        id=response_id,
        patient_id=1,
        instrument=instrument,
        answers=json.dumps(answers),
        total=sum(answers),
        severity="mild",
        day=day,
        completed_at=datetime.combine(day, datetime.min.time(), tzinfo=UTC),
    )


@pytest.fixture
def checkins() -> list[CheckIn]:
    return [
        _checkin(date(2026, 3, 3), 6, note="Better today"),
        _checkin(
            date(2026, 3, 1),
            3,
            anxiety=7,
            energy=2,
            pain=1,
            sleep_hours=6.5,
            suicidal_thoughts="passing",
            tags="work,poor sleep",
            note=DANGEROUS_NOTE,
        ),
        _checkin(date(2026, 3, 2), 5, sleep_hours=8.0),
    ]


@pytest.fixture
def responses() -> list[QuestionnaireResponse]:
    return [
        _response(11, date(2026, 3, 2), "gad7", [1, 1, 1, 1, 1, 1, 1]),
        _response(10, date(2026, 3, 1), "phq9", [1, 1, 1, 1, 1, 0, 0, 0, 1]),
    ]


LABELS = {date(2026, 3, 2): "Induction 3 · IV infusion 0.5 mg/kg"}


def excel_text(data: bytes) -> str:
    """The text Excel sees in a CSV file: UTF-8 only after a byte-order mark, else the Windows
    code page (where UTF-8's "ë" reads as "Ã«")."""
    if data.startswith(codecs.BOM_UTF8):
        return data.decode("utf-8-sig")
    return data.decode("cp1252", errors="replace")


def excel_rows(data: bytes) -> list[dict[str, str]]:
    """The rows of a downloaded CSV file, keyed by header, as Excel opens it."""
    return list(csv.DictReader(io.StringIO(excel_text(data), newline="")))


def _rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(excel_text(text.encode("utf-8")), newline="")))


def test_header_and_crlf(checkins, responses):
    text = clinician_csv(checkins, responses, LABELS, include_notes=True)
    assert text.startswith("\ufeff" + HEADER + ",note\r\n")
    assert text.endswith("\r\n")


def test_excel_shows_accents_and_middle_dots_right(checkins, responses):
    checkins[0].note = "Zoë came along"
    checkins[0].tags = "Zoë,family"
    rows = excel_rows(clinician_csv(checkins, responses, LABELS, True).encode("utf-8"))
    assert [r["note"] for r in rows if r["date"] == "2026-03-03"] == ["Zoë came along"]
    assert [r["tags"] for r in rows if r["date"] == "2026-03-03"] == ["Zoë; family"]
    assert "Induction 3 · IV infusion 0.5 mg/kg" in [r["infusion"] for r in rows]


def test_one_row_per_day_and_per_questionnaire_in_date_order(checkins, responses):
    rows = _rows(clinician_csv(checkins, responses, LABELS, include_notes=True))
    header, body = rows[0], rows[1:]
    assert len(body) == len(checkins) + len(responses)
    records = [(r[0], r[1], r[header.index("instrument")]) for r in body]
    assert records == [
        ("day", "2026-03-01", ""),
        ("questionnaire", "2026-03-01", "PHQ-9"),
        ("day", "2026-03-02", ""),
        ("questionnaire", "2026-03-02", "GAD-7"),
        ("day", "2026-03-03", ""),
    ]


def test_day_and_questionnaire_values(checkins, responses):
    rows = _rows(clinician_csv(checkins, responses, LABELS, include_notes=True))
    header = rows[0]
    first = dict(zip(header, rows[1], strict=True))
    assert first["mood"] == "3" and first["anxiety"] == "7" and first["energy"] == "2"
    assert first["sleep_hours"] == "6.5" and first["pain"] == "1"
    assert first["suicidal_thoughts"] == "passing"
    assert first["tags"] == "work; poor sleep"
    assert first["infusion"] == ""
    phq = dict(zip(header, rows[2], strict=True))
    assert phq["total"] == "6" and phq["severity"] == "mild"
    assert phq["item_answers"] == "1 1 1 1 1 0 0 0 1"
    assert phq["mood"] == "" and phq["note"] == ""
    infusion_day = dict(zip(header, rows[3], strict=True))
    assert infusion_day["infusion"] == "Induction 3 · IV infusion 0.5 mg/kg"
    assert infusion_day["sleep_hours"] == "8"
    assert infusion_day["anxiety"] == ""


def test_a_questionnaire_entered_later_says_so_in_its_own_column(checkins, responses):
    responses[1].entered_later = True  # the PHQ-9 of 1 Mar, taken at the clinic
    rows = excel_rows(clinician_csv(checkins, responses, LABELS, False).encode("utf-8"))
    later = {(r["record"], r["date"], r["instrument"]): r["entered_later"] for r in rows}
    assert later == {
        ("day", "2026-03-01", ""): "",
        ("questionnaire", "2026-03-01", "PHQ-9"): "true",
        ("day", "2026-03-02", ""): "",
        ("questionnaire", "2026-03-02", "GAD-7"): "false",
        ("day", "2026-03-03", ""): "",
    }


def test_notes_column_is_left_out_when_not_included(checkins, responses):
    text = clinician_csv(checkins, responses, LABELS, include_notes=False)
    rows = _rows(text)
    assert rows[0] == HEADER.split(",")
    assert all(len(row) == len(rows[0]) for row in rows)
    assert "Better today" not in text and "HYPERLINK" not in text


def test_dangerous_note_round_trips_neutralised(checkins, responses):
    rows = _rows(clinician_csv(checkins, responses, LABELS, include_notes=True))
    header = rows[0]
    assert all(len(row) == len(header) for row in rows)
    note = dict(zip(header, rows[1], strict=True))["note"]
    assert note == "'" + DANGEROUS_NOTE
    assert "=HYPERLINK" not in [cell[:10] for row in rows for cell in row]


def test_an_infusion_day_without_a_check_in_still_has_a_row():
    rows = _rows(clinician_csv([], [], {date(2026, 3, 5): "Booster 1"}, include_notes=False))
    assert rows[1][:2] == ["day", "2026-03-05"]
    assert rows[1][rows[0].index("infusion")] == "Booster 1"
    assert rows[1][rows[0].index("mood")] == ""


def test_empty_export_is_just_the_header():
    assert clinician_csv([], [], {}, include_notes=False) == "\ufeff" + HEADER + "\r\n"


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_every_formula_trigger_is_neutralised(start):
    assert spreadsheet_safe(f"{start}1+1") == f"'{start}1+1"


def test_plain_text_and_numbers_are_left_alone():
    assert spreadsheet_safe("fine, thanks") == "fine, thanks"
    assert csv_cell(-2) == "-2"
    assert csv_cell(7.5) == "7.5"
    assert csv_cell(None) == ""
    assert csv_cell("-2") == "'-2"
    assert csv_cell(date(2026, 3, 1)) == "2026-03-01"


def test_moments_are_utc_to_the_second():
    new_york = timezone(timedelta(hours=-5))
    assert csv_cell(datetime(2026, 3, 1, 9, 30, 15, 987654, tzinfo=new_york)) == (
        "2026-03-01T14:30:15+00:00"
    )
    assert csv_cell(datetime(2026, 3, 1, 9, 30)) == "2026-03-01T09:30:00+00:00"
