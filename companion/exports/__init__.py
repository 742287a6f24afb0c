"""Exports: the clinician's FHIR Bundle and CSV, the calendar feed, and "all my data".

Pure builders: each takes rows already loaded (companion.data) and returns text or a JSON-ready
dict; none runs a query.
"""

from companion.exports.csv_export import clinician_csv, csv_cell, spreadsheet_safe, write_csv
from companion.exports.fhir import fhir_bundle
from companion.exports.ical import calendar_ics, parse_reminder_time
from companion.exports.personal import personal_csv, personal_json

__all__ = [
    "calendar_ics",
    "clinician_csv",
    "csv_cell",
    "fhir_bundle",
    "parse_reminder_time",
    "personal_csv",
    "personal_json",
    "spreadsheet_safe",
    "write_csv",
]
