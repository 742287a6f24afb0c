"""A FHIR R4 transaction Bundle of completed PHQ-9 and GAD-7 questionnaires, meeting US Core, that
an EHR can import, and import again without creating anything twice.

Each questionnaire becomes a QuestionnaireResponse and screening-assessment Observations (one per
item, one for the difficulty question, one for the total, one panel grouping them), coded in LOINC
as in US Core's examples. Every code comes from the instrument declarations in
companion.clinical.instruments: a code typed here a second time could drift (public samples mix up
44260-8, PHQ-9 item 9, with the total 44261-6). The Patient is created only if none has the app's
identifier for it; every other resource is a conditional update keyed by its own identifier, a
urn:uuid derived from that random patient identifier, so the same data always gives the same
Bundle and no row id leaves the app.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from datetime import datetime
from html import escape
from typing import Any
from urllib.parse import urlencode

from companion.clinical.instruments import INSTRUMENTS, Instrument
from companion.clinical.scoring import validate_answers
from companion.data.db import as_utc
from companion.data.questionnaires import QuestionnaireResponse
from companion.settings import settings

LOINC_SYSTEM = "http://loinc.org"
UCUM_SYSTEM = "http://unitsofmeasure.org"
OBSERVATION_CATEGORY_SYSTEM = "http://terminology.hl7.org/CodeSystem/observation-category"
# A urn:uuid as an identifier value: globally unique without an app-specific system.
URI_SYSTEM = "urn:ietf:rfc:3986"
DATA_ABSENT_REASON = "http://hl7.org/fhir/StructureDefinition/data-absent-reason"
XHTML = "http://www.w3.org/1999/xhtml"
# The LOINC form definitions, as US Core's examples reference them.
QUESTIONNAIRE_BASE = "http://loinc.org/q/"
# Appended to the app's public address: the system of the Patient identifier.
PATIENT_ID_PATH = "/patient-id"

_US_CORE = "http://hl7.org/fhir/us/core/StructureDefinition/"
PATIENT_PROFILE = f"{_US_CORE}us-core-patient"
OBSERVATION_PROFILE = f"{_US_CORE}us-core-observation-screening-assessment"
QUESTIONNAIRE_RESPONSE_PROFILE = f"{_US_CORE}us-core-questionnaireresponse"

# FHIR administrative gender; the app asks for none, so "unknown" unless a caller knows.
GENDERS = frozenset({"male", "female", "other", "unknown"})

# Fixed forever: changing it would give every exported resource a new identity.
FHIR_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://ketamine-companion.app/fhir")

# LOINC display names of the panels, totals and difficulty question (codes come from the
# instruments).
PANEL_DISPLAY: dict[str, str] = {
    "phq9": "PHQ-9 quick depression assessment panel [Reported.PHQ]",
    "gad7": "Generalized anxiety disorder 7 item (GAD-7)",
}
TOTAL_DISPLAY: dict[str, str] = {
    "phq9": "Patient Health Questionnaire 9 item (PHQ-9) total score [Reported]",
    "gad7": "Generalized anxiety disorder 7 item (GAD-7) total score [Reported.PHQ]",
}
DIFFICULTY_DISPLAY = (
    "How difficult have these problems made it for you to do your work, take care of things at "
    "home, or get along with other people?"
)

# A FHIR id: 1-64 of letters, digits, "-" and ".".
_FHIR_ID = re.compile(r"[A-Za-z0-9\-.]{1,64}")

JSON = dict[str, Any]


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


def _narrative(title: str, lines: Sequence[str] = ()) -> JSON:
    """text.status generated: what an EHR shows when it cannot render the coded data."""
    items = "".join(f"<li>{escape(line)}</li>" for line in lines)
    body = f"<p>{escape(title)}</p>" + (f"<ul>{items}</ul>" if items else "")
    return {"status": "generated", "div": f'<div xmlns="{XHTML}">{body}</div>'}


def _query(resource_type: str, system: str, value: str) -> str:
    """A search by identifier, e.g. Patient?identifier=system|value (":", "/" and "|" kept)."""
    return f"{resource_type}?" + urlencode({"identifier": f"{system}|{value}"}, safe=":/|")


def _urn(patient_namespace: uuid.UUID, name: str) -> str:
    """A resource's urn:uuid, under a namespace made from the patient's random identifier."""
    return f"urn:uuid:{uuid.uuid5(patient_namespace, name)}"


def _updated(resource_type: str, full_url: str, resource: JSON) -> JSON:
    """An entry created on the first import and replaced by the same content on the next."""
    return {
        "fullUrl": full_url,
        "resource": resource,
        "request": {"method": "PUT", "url": _query(resource_type, URI_SYSTEM, full_url)},
    }


def _human_name(name: str) -> JSON:
    words = name.split()
    if not words:
        # US Core: no name shared, so say why it is absent rather than send an empty one.
        return {"extension": [{"url": DATA_ABSENT_REASON, "valueCode": "unknown"}]}
    # The patient types one free-text name; the last word is taken as the family name, and a
    # single word as a given name (a first name is what most people type alone).
    parts: JSON = (
        {"given": words} if len(words) == 1 else {"family": words[-1], "given": words[:-1]}
    )
    return {"use": "usual", "text": " ".join(words), **parts}


def _patient_entry(full_url: str, system: str, patient_ref: str, name: str, gender: str) -> JSON:
    human = _human_name(name)
    shown = human.get("text", "name not shared")
    resource = {
        "resourceType": "Patient",
        "meta": {"profile": [PATIENT_PROFILE]},
        "text": _narrative(f"Patient: {shown}", [f"Identifier: {system}|{patient_ref}"]),
        "identifier": [{"system": system, "value": patient_ref}],
        "name": [human],
        "gender": gender,
    }
    request = {
        "method": "POST",
        "url": "Patient",
        "ifNoneExist": _query("Patient", system, patient_ref).removeprefix("Patient?"),
    }
    return {"fullUrl": full_url, "resource": resource, "request": request}


def _instrument(response: QuestionnaireResponse) -> Instrument:
    instrument = INSTRUMENTS.get(response.instrument)
    if instrument is None:
        raise ValueError(f"unknown instrument {response.instrument!r} in response {response.id}")
    return instrument


def _response_entries(
    response: QuestionnaireResponse, patient_url: str, namespace: uuid.UUID
) -> list[JSON]:
    """The QuestionnaireResponse, then item, total, difficulty and panel Observations."""
    if response.id is None:
        raise ValueError("only saved questionnaire responses (with an id) can be exported")
    instrument = _instrument(response)
    answers = validate_answers(instrument, response.answer_list)
    options = {option.value: option for option in instrument.options}
    entered = _instant(as_utc(response.completed_at))
    # Taken at the clinic and entered here later: its date is the day it was taken (the time
    # of day is not known), and when it was entered is said, not passed off as when it was taken.
    authored = response.day.isoformat() if response.entered_later else entered
    later = (
        f"Taken on {authored}, entered in the app later by the patient ({entered})"
        if response.entered_later
        else ""
    )
    base = f"questionnaire-response/{response.id}"
    qr_url = _urn(namespace, base)
    patient = {"reference": patient_url}
    summary = f"{instrument.name} total {response.total} ({response.severity}), {authored}"
    taken = [f"{instrument.name} completed {authored}", *([later] if later else [])]
    marked: JSON = {"issued": entered, "note": [{"text": later + "."}]} if later else {}

    def observation(part: str, code: JSON, narrative: str, **fields: Any) -> JSON:
        url = _urn(namespace, f"{base}/{part}")
        resource = {
            "resourceType": "Observation",
            "meta": {"profile": [OBSERVATION_PROFILE]},
            "text": _narrative(narrative, taken),
            "identifier": [{"system": URI_SYSTEM, "value": url}],
            "status": "final",
            "category": [
                {
                    "coding": [
                        {
                            "system": OBSERVATION_CATEGORY_SYSTEM,
                            "code": "survey",
                            "display": "Survey",
                        }
                    ]
                }
            ],
            "code": code,
            "subject": patient,
            "effectiveDateTime": authored,
            **marked,
            # The patient answered the questionnaire themselves.
            "performer": [patient],
            **fields,
            "derivedFrom": [{"reference": qr_url}],
        }
        return _updated("Observation", url, resource)

    qr_items: list[JSON] = []
    members: list[JSON] = []
    lines: list[str] = []
    for item, value in zip(instrument.items, answers, strict=True):
        option = options[value]
        answer = _loinc(option.loinc, option.text)
        qr_items.append(
            {"linkId": item.loinc, "text": item.text, "answer": [{"valueCoding": answer}]}
        )
        lines.append(f"{item.number}. {item.text}: {option.text}")
        members.append(
            observation(
                f"item/{item.loinc}",
                {"coding": [_loinc(item.loinc)], "text": item.text},
                f"{item.text}: {option.text}",
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
    members.append(
        observation(
            "total",
            {"coding": [_loinc(instrument.total_loinc, total_display)], "text": total_display},
            f"{instrument.name} total score: {response.total} ({response.severity})",
            valueQuantity={
                "value": response.total,
                "system": UCUM_SYSTEM,
                "code": "{score}",
                "unit": "{score}",
            },
            interpretation=[{"text": response.severity}],
        )
    )

    if response.difficulty is not None:
        if not 0 <= response.difficulty < len(instrument.difficulty_options):
            raise ValueError(f"difficulty {response.difficulty} out of range in {response.id}")
        text = instrument.difficulty_options[response.difficulty]
        answer = _loinc(instrument.difficulty_answer_loinc[response.difficulty], text)
        qr_items.append(
            {
                "linkId": instrument.difficulty_loinc,
                "text": instrument.difficulty_question,
                "answer": [{"valueCoding": answer}],
            }
        )
        lines.append(f"{instrument.difficulty_question} {text}")
        members.append(
            observation(
                f"item/{instrument.difficulty_loinc}",
                {
                    "coding": [_loinc(instrument.difficulty_loinc, DIFFICULTY_DISPLAY)],
                    "text": instrument.difficulty_question,
                },
                f"{instrument.difficulty_question} {text}",
                valueCodeableConcept={"coding": [answer], "text": text},
            )
        )

    panel_display = PANEL_DISPLAY[instrument.key]
    panel = observation(
        "panel",
        {"coding": [_loinc(instrument.panel_loinc, panel_display)], "text": instrument.name},
        summary,
        hasMember=[{"reference": member["fullUrl"]} for member in members],
    )

    questionnaire_response = _updated(
        "QuestionnaireResponse",
        qr_url,
        {
            "resourceType": "QuestionnaireResponse",
            "meta": {"profile": [QUESTIONNAIRE_RESPONSE_PROFILE]},
            "text": _narrative(summary, [*lines, *([later] if later else [])]),
            "identifier": {"system": URI_SYSTEM, "value": qr_url},
            "questionnaire": f"{QUESTIONNAIRE_BASE}{instrument.panel_loinc}",
            "status": "completed",
            "subject": patient,
            "authored": authored,
            "author": patient,
            "item": qr_items,
        },
    )
    return [questionnaire_response, *members, panel]


def _public_url(public_url: str | None) -> str:
    if public_url is None:
        public_url = settings.public_url
    if not re.fullmatch(r"https?://[^\s?#|]+", public_url):
        raise ValueError(f"public_url must be an http(s) address, got {public_url!r}")
    return public_url.rstrip("/")


def fhir_bundle(
    responses: Sequence[QuestionnaireResponse],
    patient_ref: str,
    generated_at: datetime,
    *,
    name: str = "",
    gender: str = "unknown",
    public_url: str | None = None,
) -> dict[str, Any]:
    """A JSON-ready FHIR R4 transaction Bundle: the Patient, then each response's resources.

    patient_ref is the patient's random export identifier (Patient.export_id: letters, digits,
    "-" and ".", at most 64), sent as Patient.identifier in the system <public_url>/patient-id
    (public_url defaults to the app's own address). name is the "Name on shared summaries" (empty:
    a data-absent reason instead). generated_at must be timezone-aware. Responses are ordered by
    completion time, then id. ValueError for a bad patient_ref, gender or public_url, a naive
    generated_at, an unsaved response, an unknown instrument or answers the instrument can't give.
    """
    if not isinstance(patient_ref, str) or not _FHIR_ID.fullmatch(patient_ref):
        raise ValueError(f"patient_ref must be a FHIR id, got {patient_ref!r}")
    if gender not in GENDERS:
        raise ValueError(f"gender must be one of {sorted(GENDERS)}, got {gender!r}")
    _aware(generated_at, "generated_at")
    system = _public_url(public_url) + PATIENT_ID_PATH
    namespace = uuid.uuid5(FHIR_NAMESPACE, patient_ref)
    patient_url = _urn(namespace, "patient")
    entries = [_patient_entry(patient_url, system, patient_ref, name, gender)]
    ordered = sorted(responses, key=lambda r: (as_utc(r.completed_at), r.id or 0))
    for response in ordered:
        entries.extend(_response_entries(response, patient_url, namespace))
    return {
        "resourceType": "Bundle",
        "type": "transaction",
        "timestamp": _instant(generated_at),
        "entry": entries,
    }
