"""Infusion and post-infusion check input: clear messages for anything wrong."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from companion.clinical.checkin import ValidationError
from companion.clinical.infusion_input import validate_infusion, validate_post_check

NOW = datetime(2026, 11, 27, 15, 0, tzinfo=UTC)
NY = ZoneInfo("America/New_York")


def test_local_date_and_time_become_an_aware_moment():
    entry = validate_infusion({"date": "2026-11-27", "time": "09:30", "route": "iv"}, NOW, NY)
    assert entry.starts_at == datetime(2026, 11, 27, 9, 30, tzinfo=NY)
    assert entry.starts_at.astimezone(UTC).hour == 14
    assert entry.dose_value is None and entry.dose_unit is None


def test_time_defaults_to_nine_and_planned_dates_are_allowed():
    entry = validate_infusion({"date": "2026-12-05", "route": "esketamine"}, NOW, NY)
    assert entry.starts_at.hour == 9 and entry.starts_at > NOW


def test_dose_needs_a_unit_and_a_plausible_value():
    ok = validate_infusion(
        {"date": "2026-11-20", "route": "iv", "dose_value": "0,5", "dose_unit": "mg/kg"}, NOW, NY
    )
    assert (ok.dose_value, ok.dose_unit) == (0.5, "mg/kg")
    esk = validate_infusion(
        {"date": "2026-11-20", "route": "esketamine", "dose_value": "84", "dose_unit": "mg"},
        NOW,
        NY,
    )
    assert esk.dose_value == 84


@pytest.mark.parametrize(
    ("raw", "field", "words"),
    [
        ({"route": "iv"}, "date", "date of the infusion"),
        ({"date": "27/11/2026", "route": "iv"}, "date", "2026-11-27"),
        ({"date": "2026-11-27", "time": "9.30pm", "route": "iv"}, "time", "09:30"),
        ({"date": "2026-11-27", "route": "snorted"}, "route", "how the ketamine"),
        ({"date": "2028-01-01", "route": "iv"}, "date", "a year ahead"),
        ({"date": "2020-01-01", "route": "iv"}, "date", "two years"),
        ({"date": "2026-11-27", "route": "iv", "dose_value": "abc"}, "dose_value", "number"),
        ({"date": "2026-11-27", "route": "iv", "dose_value": "5"}, "dose_unit", "mg/kg or mg"),
        (
            {"date": "2026-11-27", "route": "iv", "dose_value": "50", "dose_unit": "mg/kg"},
            "dose_value",
            "between",
        ),
        ({"date": "2026-11-27", "route": "iv", "note": "x" * 2001}, "note", "2,000"),
        ({"date": "2026-11-27", "route": "iv", "clinic": 7}, "clinic", "text"),
    ],
)
def test_bad_infusion_input_names_the_field(raw, field, words):
    with pytest.raises(ValidationError) as problem:
        validate_infusion(raw, NOW, NY)
    assert problem.value.field == field
    assert words in problem.value.message


def test_post_check_defaults_to_none_and_keeps_answers():
    entry = validate_post_check(
        {
            "timepoint": "evening",
            "nausea": "2",
            "dissociation": 6,
            "systolic": "135",
            "diastolic": "85",
            "compared_with_before": "1",
            "reflection": " calmer ",
        }
    )
    assert entry.side_effects["nausea"] == 2 and entry.side_effects["headache"] == 0
    assert (entry.dissociation, entry.systolic, entry.diastolic) == (6, 135, 85)
    assert entry.compared_with_before == 1 and entry.reflection == "calmer"


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        ({"timepoint": "week"}, "which check"),
        ({"timepoint": "24h", "nausea": "4"}, "0 to 3"),
        ({"timepoint": "24h", "nausea": True}, "0 to 3"),
        ({"timepoint": "24h", "dissociation": "11"}, "0 to 10"),
        ({"timepoint": "24h", "systolic": "120"}, "both"),
        ({"timepoint": "24h", "systolic": "80", "diastolic": "120"}, "larger"),
        ({"timepoint": "24h", "systolic": "400", "diastolic": "80"}, "60 to 260"),
        ({"timepoint": "24h", "compared_with_before": "3"}, "-2 to 2"),
        ({"timepoint": "24h", "reflection": "x" * 1001}, "1,000"),
    ],
)
def test_bad_post_check_input(raw, words):
    with pytest.raises(ValidationError) as problem:
        validate_post_check(raw)
    assert words in problem.value.message
