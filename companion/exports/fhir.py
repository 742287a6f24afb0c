"""A FHIR R4 Bundle of completed PHQ-9 and GAD-7 questionnaires, for a clinician's EHR to import.

Each questionnaire becomes a QuestionnaireResponse and Observations (one per item, one for the
total, one panel grouping them), coded in LOINC as in US Core's screening-assessment examples.
Every code comes from the instrument declarations in companion.clinical.instruments: a code typed
here a second time could drift (public samples mix up 44260-8, PHQ-9 item 9, with the total
44261-6). Full URLs are urn:uuid:s derived from the response id, so the same data always gives
the same Bundle. The Patient carries only the opaque reference the caller passes: the app keeps
no name to share, and the email address is not for the clinician.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from companion.clinical.instruments import INSTRUMENTS, Instrument
from companion.clinical.scoring import validate_answers
from companion.data.db import as_utc
from companion.data.questionnaires import QuestionnaireResponse

LOINC_SYSTEM = "http://loinc.org"
UCUM_SYSTEM = "http://unitsofmeasure.org"
OBSERVATION_CATEGORY_SYSTEM = "http://terminology.hl7.org/CodeSystem/observation-category"
# The LOINC form definitions, as US Core's examples reference them.
QUESTIONNAIRE_BASE = "http://loinc.org/q/"

# Fixed forever: changing it would give every exported resource a new identity.
FHIR_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://ketamine-companion.app/fhir")

# LOINC display names of the panels and totals (the codes themselves come from the instruments).
PANEL_DISPLAY: dict[str, str] = {
    "phq9": "PHQ-9 quick depression assessment panel [Reported.PHQ]",
    "gad7": "Generalized anxiety disorder 7 item (GAD-7)",
}
TOTAL_DISPLAY: dict[str, str] = {
    "phq9": "Patient Health Questionnaire 9 item (PHQ-9) total score [Reported]",
    "gad7": "Generalized anxiety disorder 7 item (GAD-7) total score [Reported.PHQ]",
}

# A FHIR id: 1-64 of letters, digits, "-" and ".".
_FHIR_ID = re.compile(r"[A-Za-z0-9\-.]{1,64}")

JSON = dict[str, Any]


def _urn(name: str) -> str:
    return f"urn:uuid:{uuid.uuid5(FHIR_NAMESPACE, name)}"


def _aware(moment: datetime, what: str) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{what} must be timezone-aware, got {moment!r}")
    return moment


def _instant(moment: datetime) -> str:
    """ISO 8601 with its offset, to the second (FHIR dateTime and instant both accept it)."""
    return moment.isoformat(timespec="seconds")


def _loinc(code: str, display: str | None = None) -> JSON:
    coding: JSON = {"system": LOINC_SYSTEM, "code": code}
    if display is not None:
        coding["display"] = display
    return coding


def _survey_category() -> list[JSON]:
    return [
        {"coding": [{"system": OBSERVATION_CATEGORY_SYSTEM, "code": "survey", "display": "Survey"}]}
    ]


def _instrument(response: QuestionnaireResponse) -> Instrument:
    instrument = INSTRUMENTS.get(response.instrument)
    if instrument is None:
        raise ValueError(f"unknown instrument {response.instrument!r} in response {response.id}")
    return instrument


def _entry(full_url: str, resource: JSON) -> JSON:
    return {"fullUrl": full_url, "resource": resource}


def _response_entries(response: QuestionnaireResponse, subject: JSON) -> list[JSON]:
    """The QuestionnaireResponse, item Observations, total Observation and panel Observation."""
    if response.id is None:
        raise ValueError("only saved questionnaire responses (with an id) can be exported")
    instrument = _instrument(response)
    answers = validate_answers(instrument, response.answer_list)
    options = {option.value: option for option in instrument.options}
    authored = _instant(as_utc(response.completed_at))
    base = f"questionnaire-response/{response.id}"
    qr_url = _urn(base)
    derived_from = [{"reference": qr_url}]

    def observation(url: str, code: JSON, **fields: Any) -> JSON:
        return _entry(
            url,
            {
                "resourceType": "Observation",
                "id": url.removeprefix("urn:uuid:"),
                "status": "final",
                "category": _survey_category(),
                "code": code,
                "subject": subject,
                "effectiveDateTime": authored,
                "derivedFrom": derived_from,
                **fields,
            },
        )

    qr_items: list[JSON] = []
    item_entries: list[JSON] = []
    for item, value in zip(instrument.items, answers, strict=True):
        option = options[value]
        answer = _loinc(option.loinc, option.text)
        qr_items.append(
            {"linkId": item.loinc, "text": item.text, "answer": [{"valueCoding": answer}]}
        )
        item_entries.append(
            observation(
                _urn(f"{base}/item/{item.loinc}"),
                {"coding": [_loinc(item.loinc)], "text": item.text},
                valueCodeableConcept={"coding": [answer], "text": option.text},
            )
        )

    total_display = TOTAL_DISPLAY[instrument.key]
    qr_items.append(
        {
            "linkId": instrument.total_loinc,
            "text": total_display,
            "answer": [{"valueInteger": response.total}],
        }
    )
    total_entry = observation(
        _urn(f"{base}/total"),
        {"coding": [_loinc(instrument.total_loinc, total_display)], "text": total_display},
        valueQuantity={
            "value": response.total,
            "system": UCUM_SYSTEM,
            "code": "{score}",
            "unit": "{score}",
        },
        interpretation=[{"text": response.severity}],
    )

    if response.difficulty is not None:
        if not 0 <= response.difficulty < len(instrument.difficulty_options):
            raise ValueError(f"difficulty {response.difficulty} out of range in {response.id}")
        # The LOINC answer codes of this question are not declared with the instrument, so the
        # answer goes as its exact text rather than as a code typed here unchecked.
        qr_items.append(
            {
                "linkId": instrument.difficulty_loinc,
                "text": instrument.difficulty_question,
                "answer": [{"valueString": instrument.difficulty_options[response.difficulty]}],
            }
        )

    members = [*item_entries, total_entry]
    panel_display = PANEL_DISPLAY[instrument.key]
    panel_entry = observation(
        _urn(f"{base}/panel"),
        {"coding": [_loinc(instrument.panel_loinc, panel_display)], "text": instrument.name},
        hasMember=[{"reference": member["fullUrl"]} for member in members],
    )

    questionnaire_response = _entry(
        qr_url,
        {
            "resourceType": "QuestionnaireResponse",
            "id": qr_url.removeprefix("urn:uuid:"),
            "questionnaire": f"{QUESTIONNAIRE_BASE}{instrument.panel_loinc}",
            "status": "completed",
            "subject": subject,
            "authored": authored,
            "item": qr_items,
        },
    )
    return [questionnaire_response, *members, panel_entry]


def fhir_bundle(
    responses: Sequence[QuestionnaireResponse], patient_ref: str, generated_at: datetime
) -> dict[str, Any]:
    """A JSON-ready FHIR R4 collection Bundle: the Patient, then each response's resources.

    patient_ref is an opaque FHIR id for the patient (letters, digits, "-" and ".", at most 64);
    generated_at must be timezone-aware. Responses are ordered by completion time, then id.
    ValueError for a bad patient_ref, a naive generated_at, an unsaved response, an unknown
    instrument or answers the instrument can't give.
    """
    if not isinstance(patient_ref, str) or not _FHIR_ID.fullmatch(patient_ref):
        raise ValueError(f"patient_ref must be a FHIR id, got {patient_ref!r}")
    _aware(generated_at, "generated_at")
    patient_url = _urn(f"patient/{patient_ref}")
    subject = {"reference": patient_url}
    entries: list[JSON] = [_entry(patient_url, {"resourceType": "Patient", "id": patient_ref})]
    ordered = sorted(responses, key=lambda r: (as_utc(r.completed_at), r.id or 0))
    for response in ordered:
        entries.extend(_response_entries(response, subject))
    return {
        "resourceType": "Bundle",
        "type": "collection",
        "timestamp": _instant(generated_at),
        "entry": entries,
    }
