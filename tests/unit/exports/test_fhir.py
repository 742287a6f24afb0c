"""The FHIR R4 transaction Bundle: valid to fhir.resources and to the npm validator (FHIR.js),
US Core's must-support elements present, LOINC codes right, and a second import creates nothing."""

from __future__ import annotations

import json
import subprocess
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import parse_qs

import pytest
from fhir.resources.R4B import get_fhir_model_class
from fhir.resources.R4B.bundle import Bundle

from companion.clinical import GAD7, PHQ9
from companion.data.questionnaires import QuestionnaireResponse
from companion.exports.fhir import fhir_bundle

GENERATED = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
PUBLIC_URL = "https://companion.example.org"
PATIENT_SYSTEM = "https://companion.example.org/patient-id"
REF = "0f3c9a2b7d614e58a1c2b3d4e5f60718"
LOINC = "http://loinc.org"
URI = "urn:ietf:rfc:3986"
US_CORE = "http://hl7.org/fhir/us/core/StructureDefinition/"
DATA_ABSENT = "http://hl7.org/fhir/StructureDefinition/data-absent-reason"
XHTML = "{http://www.w3.org/1999/xhtml}"
SURVEY = {
    "system": "http://terminology.hl7.org/CodeSystem/observation-category",
    "code": "survey",
    "display": "Survey",
}
NODE_VALIDATOR = Path(__file__).resolve().parents[2] / "node" / "validate_fhir.cjs"


def _response(
    response_id: int,
    instrument: str,
    answers: list[int],
    severity: str,
    difficulty: int | None = None,
    completed_at: datetime | None = None,
) -> QuestionnaireResponse:
    moment = completed_at or datetime(2026, 3, 1, 14, 30, tzinfo=UTC)
    return QuestionnaireResponse(
        id=response_id,
        patient_id=1,
        instrument=instrument,
        answers=json.dumps(answers),
        total=sum(answers),
        severity=severity,
        difficulty=difficulty,
        day=moment.date(),
        completed_at=moment,
    )


PHQ_ANSWERS = [0, 1, 2, 3, 0, 1, 2, 3, 1]
GAD_ANSWERS = [3, 2, 1, 0, 3, 2, 1]


@pytest.fixture
def phq() -> QuestionnaireResponse:
    return _response(7, "phq9", PHQ_ANSWERS, "moderate", difficulty=2)


@pytest.fixture
def gad() -> QuestionnaireResponse:
    return _response(
        8, "gad7", GAD_ANSWERS, "moderate", completed_at=datetime(2026, 3, 1, 15, tzinfo=UTC)
    )


def _bundle(responses, name: str = "", **options) -> dict:
    return fhir_bundle(responses, REF, GENERATED, name=name, public_url=PUBLIC_URL, **options)


def _resources(bundle: dict, resource_type: str) -> list[dict]:
    return [
        e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == resource_type
    ]


def _observation(bundle: dict, code: str) -> dict:
    [found] = [
        r for r in _resources(bundle, "Observation") if r["code"]["coding"][0]["code"] == code
    ]
    return found


def _patient_url(bundle: dict) -> str:
    [url] = [e["fullUrl"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Patient"]
    return url


# --- validators -------------------------------------------------------------------------------


def test_bundle_and_every_resource_validate_with_fhir_resources(phq, gad):
    bundle = _bundle([phq, gad], name="Zoë Brontë")
    parsed = Bundle.model_validate_json(json.dumps(bundle))
    assert parsed.type == "transaction"
    # Patient + PHQ-9 (QR, 9 items, total, difficulty, panel) + GAD-7 (QR, 7 items, total, panel).
    assert len(parsed.entry) == 1 + (1 + 9 + 1 + 1 + 1) + (1 + 7 + 1 + 1)
    for entry in bundle["entry"]:
        resource = entry["resource"]
        model = get_fhir_model_class(resource["resourceType"]).model_validate(resource)
        assert (
            model.model_dump(mode="json", exclude_none=True)["resourceType"]
            == (resource["resourceType"])
        )


def _node_messages(bundle: dict) -> dict:
    run = subprocess.run(
        ["node", str(NODE_VALIDATOR)],
        input=json.dumps(bundle),
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return json.loads(run.stdout)


def _unexplained(messages: list[dict]) -> list[dict]:
    """Every message but the one FHIR.js must give: it carries no copy of LOINC, so each LOINC
    Observation.code is "not found" in the (example-strength) observation-codes value set."""
    return [
        m
        for m in messages
        if m["severity"] != "info"
        and not (
            m["severity"] == "warning"
            and m["location"] == "Observation.code"
            and m["message"].endswith(f"({LOINC}) not found in value set")
        )
    ]


@pytest.mark.parametrize("name", ["", "Zoë Brontë"])
def test_bundle_and_every_resource_validate_with_the_npm_fhir_validator(phq, gad, name):
    messages = _node_messages(_bundle([phq, gad], name=name))
    assert _unexplained(messages["bundle"]) == []
    assert len(messages["entries"]) == 24
    for entry_messages in messages["entries"]:
        assert _unexplained(entry_messages) == []


def test_the_npm_validator_does_catch_a_broken_resource(phq):
    # The check above means something only if FHIR.js reports what is wrong.
    bundle = _bundle([phq])
    bundle["entry"][0]["resource"]["gender"] = "not-a-gender"
    bundle["entry"][1]["resource"]["statuss"] = "completed"
    messages = _node_messages(bundle)
    assert [m["severity"] for m in _unexplained(messages["entries"][0])] == ["error"]
    assert [m["location"] for m in _unexplained(messages["entries"][1])] == [
        "QuestionnaireResponse.statuss"
    ]


# --- a transaction an EHR can import twice ----------------------------------------------------


def test_every_entry_is_a_conditional_request_with_a_urn_uuid(phq, gad):
    bundle = _bundle([phq, gad])
    urls = [e["fullUrl"] for e in bundle["entry"]]
    assert all(u.startswith("urn:uuid:") for u in urls) and len(set(urls)) == len(urls)
    [patient_entry, *others] = bundle["entry"]
    assert patient_entry["request"] == {
        "method": "POST",
        "url": "Patient",
        "ifNoneExist": f"identifier={PATIENT_SYSTEM}|{REF}",
    }
    for entry in others:
        resource = entry["resource"]
        kind = resource["resourceType"]
        assert entry["request"] == {
            "method": "PUT",
            "url": f"{kind}?identifier={URI}|{entry['fullUrl']}",
        }
        identifiers = resource["identifier"]
        identifiers = identifiers if isinstance(identifiers, list) else [identifiers]
        assert {"system": URI, "value": entry["fullUrl"]} in identifiers
    # The server assigns ids: none is sent that could clash with another patient's.
    assert all("id" not in e["resource"] for e in bundle["entry"])


def _import(store: dict[str, dict[str, dict]], bundle: dict) -> None:
    """What a FHIR server does with this transaction: conditional create of the Patient, and
    conditional update (create if no match, else replace) of every resource keyed by identifier."""
    for entry in bundle["entry"]:
        request, resource = entry["request"], entry["resource"]
        kind, _, query = request["url"].partition("?")
        query = request.get("ifNoneExist", query)
        [key] = parse_qs(query)["identifier"]
        found = store.setdefault(kind, {})
        if request["method"] == "POST" and key in found:
            continue
        found[key] = resource


def test_importing_twice_creates_nothing_twice(phq, gad):
    store: dict[str, dict[str, dict]] = {}
    _import(store, _bundle([phq]))
    _import(store, _bundle([phq, gad]))
    _import(store, _bundle([gad, phq]))
    counts = {kind: len(found) for kind, found in store.items()}
    assert counts == {"Patient": 1, "QuestionnaireResponse": 2, "Observation": 12 + 9}


def test_same_data_gives_the_same_bundle_and_patients_never_share_identities(phq, gad):
    assert _bundle([phq, gad]) == _bundle([gad, phq])
    other = fhir_bundle([phq], "another-patient", GENERATED, public_url=PUBLIC_URL)
    mine = {e["fullUrl"] for e in _bundle([phq])["entry"]}
    assert mine.isdisjoint(e["fullUrl"] for e in other["entry"])


def test_every_reference_resolves_inside_the_bundle(phq, gad):
    bundle = _bundle([phq, gad])
    urls = {e["fullUrl"] for e in bundle["entry"]}
    references = set()
    for resource in (e["resource"] for e in bundle["entry"]):
        for key in ("subject", "author"):
            if key in resource:
                references.add(resource[key]["reference"])
        for key in ("performer", "derivedFrom", "hasMember"):
            references.update(ref["reference"] for ref in resource.get(key, []))
    assert references and references <= urls
    assert "Patient/" not in json.dumps(bundle)


# --- US Core Patient --------------------------------------------------------------------------


def test_patient_meets_us_core_with_the_shared_name():
    [patient] = _resources(_bundle([], name="  Zoë   Anne Brontë "), "Patient")
    assert patient["meta"]["profile"] == [f"{US_CORE}us-core-patient"]
    assert patient["identifier"] == [{"system": PATIENT_SYSTEM, "value": REF}]
    assert patient["name"] == [
        {"use": "usual", "text": "Zoë Anne Brontë", "family": "Brontë", "given": ["Zoë", "Anne"]}
    ]
    assert patient["gender"] == "unknown"
    assert "Zoë Anne Brontë" in patient["text"]["div"]


def test_patient_without_a_shared_name_says_why_it_is_absent():
    [patient] = _resources(_bundle([]), "Patient")
    [name] = patient["name"]
    # us-core-6: family or given, or else the data-absent-reason extension; never both.
    assert name == {"extension": [{"url": DATA_ABSENT, "valueCode": "unknown"}]}
    assert "@" not in json.dumps(patient)


def test_a_single_word_name_is_a_given_name_and_a_known_gender_is_kept():
    [patient] = _resources(_bundle([], name="Zoë", gender="female"), "Patient")
    assert patient["name"][0]["given"] == ["Zoë"] and "family" not in patient["name"][0]
    assert patient["gender"] == "female"


# --- US Core QuestionnaireResponse --------------------------------------------------------------


def test_questionnaire_response_meets_us_core(phq):
    bundle = _bundle([phq])
    [qr] = _resources(bundle, "QuestionnaireResponse")
    patient = {"reference": _patient_url(bundle)}
    assert qr["meta"]["profile"] == [f"{US_CORE}us-core-questionnaireresponse"]
    assert qr["questionnaire"] == "http://loinc.org/q/44249-1"
    assert qr["status"] == "completed"
    assert qr["subject"] == patient and qr["author"] == patient
    assert qr["authored"] == "2026-03-01T14:30:00+00:00"
    items = qr["item"]
    assert [i["linkId"] for i in items] == [i.loinc for i in PHQ9.items] + ["44261-6", "69722-7"]
    assert [i["text"] for i in items[:9]] == [item.text for item in PHQ9.items]
    for item, value in zip(items[:9], PHQ_ANSWERS, strict=True):
        option = PHQ9.options[value]
        assert item["answer"] == [
            {"valueCoding": {"system": LOINC, "code": option.loinc, "display": option.text}}
        ]
    total, difficulty = items[9], items[10]
    assert total["answer"] == [{"valueInteger": 13}]
    assert difficulty["text"] == PHQ9.difficulty_question
    assert difficulty["answer"] == [
        {"valueCoding": {"system": LOINC, "code": "LA6575-0", "display": "Very difficult"}}
    ]


def test_gad7_questionnaire_response_without_difficulty(gad):
    [qr] = _resources(_bundle([gad]), "QuestionnaireResponse")
    assert qr["questionnaire"] == "http://loinc.org/q/69737-5"
    assert [i["linkId"] for i in qr["item"]] == [item.loinc for item in GAD7.items] + ["70274-6"]


# --- US Core screening-assessment Observations --------------------------------------------------


def test_every_observation_meets_us_core_screening_assessment(phq, gad):
    bundle = _bundle([phq, gad])
    patient = {"reference": _patient_url(bundle)}
    qr_urls = {
        e["fullUrl"]
        for e in bundle["entry"]
        if e["resource"]["resourceType"] == "QuestionnaireResponse"
    }
    observations = _resources(bundle, "Observation")
    assert len(observations) == (9 + 1 + 1 + 1) + (7 + 1 + 1)
    for observation in observations:
        assert observation["meta"]["profile"] == [
            f"{US_CORE}us-core-observation-screening-assessment"
        ]
        assert observation["status"] == "final"
        assert [c for c in observation["category"] if SURVEY in c["coding"]]
        assert observation["code"]["coding"][0]["system"] == LOINC
        assert observation["subject"] == patient
        assert observation["performer"] == [patient]
        assert datetime.fromisoformat(observation["effectiveDateTime"]).tzinfo is not None
        # us-core-2: a value, or members.
        values = [key for key in observation if key.startswith("value")]
        assert len(values) == 1 or observation.get("hasMember")
        if "valueQuantity" in observation:
            assert observation["valueQuantity"]["system"] == "http://unitsofmeasure.org"
        [source] = observation["derivedFrom"]
        assert source["reference"] in qr_urls


def test_answer_codes_are_the_four_loinc_answers(phq):
    [qr] = _resources(_bundle([phq]), "QuestionnaireResponse")
    codes = [i["answer"][0]["valueCoding"]["code"] for i in qr["item"][:9]]
    expected = {0: "LA6568-5", 1: "LA6569-3", 2: "LA6570-1", 3: "LA6571-9"}
    assert codes == [expected[v] for v in PHQ_ANSWERS]


# LOINC answer list LL359-1; the codes do not run in order.
@pytest.mark.parametrize(
    ("difficulty", "code", "text"),
    [
        (0, "LA6572-7", "Not difficult at all"),
        (1, "LA6573-5", "Somewhat difficult"),
        (2, "LA6575-0", "Very difficult"),
        (3, "LA6574-3", "Extremely difficult"),
    ],
)
def test_difficulty_has_its_own_observation_coded_from_ll359_1(difficulty, code, text):
    response = _response(5, "gad7", GAD_ANSWERS, "moderate", difficulty=difficulty)
    bundle = _bundle([response])
    observation = _observation(bundle, "69722-7")
    assert observation["valueCodeableConcept"] == {
        "coding": [{"system": LOINC, "code": code, "display": text}],
        "text": text,
    }
    assert observation["code"]["text"] == GAD7.difficulty_question
    by_url = {e["resource"]["code"]["coding"][0]["code"]: e["fullUrl"] for e in bundle["entry"][2:]}
    panel = _observation(bundle, "69737-5")
    assert {"reference": by_url["69722-7"]} in panel["hasMember"]


def test_item9_is_44260_8_and_the_total_is_44261_6(phq):
    bundle = _bundle([phq])
    item9 = _observation(bundle, "44260-8")
    assert item9["code"]["text"] == PHQ9.items[8].text
    assert item9["valueCodeableConcept"]["coding"][0]["code"] == "LA6569-3"
    assert "valueQuantity" not in item9
    total = _observation(bundle, "44261-6")
    assert total["code"]["coding"][0] == {
        "system": LOINC,
        "code": "44261-6",
        "display": "Patient Health Questionnaire 9 item (PHQ-9) total score [Reported]",
    }
    assert total["valueQuantity"] == {
        "value": 13,
        "system": "http://unitsofmeasure.org",
        "code": "{score}",
        "unit": "{score}",
    }
    assert total["interpretation"] == [{"text": "moderate"}]


def test_gad7_total_code_and_display(gad):
    total = _observation(_bundle([gad]), "70274-6")
    assert total["code"]["coding"][0]["display"] == (
        "Generalized anxiety disorder 7 item (GAD-7) total score [Reported.PHQ]"
    )
    assert total["valueQuantity"]["value"] == 12


def test_every_item_observation_has_its_code_and_answer(phq, gad):
    bundle = _bundle([phq, gad])
    for instrument, answers in ((PHQ9, PHQ_ANSWERS), (GAD7, GAD_ANSWERS)):
        for item, value in zip(instrument.items, answers, strict=True):
            coding = _observation(bundle, item.loinc)["valueCodeableConcept"]["coding"][0]
            assert coding == {
                "system": LOINC,
                "code": instrument.options[value].loinc,
                "display": instrument.options[value].text,
            }


def test_panels_have_their_items_total_and_difficulty_as_members(phq, gad):
    bundle = _bundle([phq, gad])
    by_url = {e["fullUrl"]: e["resource"] for e in bundle["entry"]}
    for instrument, extra in ((PHQ9, ["69722-7"]), (GAD7, [])):
        panel = _observation(bundle, instrument.panel_loinc)
        members = [by_url[m["reference"]]["code"]["coding"][0]["code"] for m in panel["hasMember"]]
        assert members == [i.loinc for i in instrument.items] + [instrument.total_loinc, *extra]


def test_codes_match_product_md():
    # Checked against PRODUCT.md / LOINC once here, so a slip in the declarations shows up.
    assert [i.loinc for i in PHQ9.items] == [
        "44250-9",
        "44255-8",
        "44259-0",
        "44254-1",
        "44251-7",
        "44258-2",
        "44252-5",
        "44253-3",
        "44260-8",
    ]
    assert [i.loinc for i in GAD7.items] == [
        "69725-0",
        "68509-9",
        "69733-4",
        "69734-2",
        "69735-9",
        "69689-8",
        "69736-7",
    ]
    assert (PHQ9.panel_loinc, PHQ9.total_loinc) == ("44249-1", "44261-6")
    assert (GAD7.panel_loinc, GAD7.total_loinc) == ("69737-5", "70274-6")


# --- narratives -------------------------------------------------------------------------------


def test_every_resource_has_a_generated_xhtml_narrative(phq, gad):
    bundle = _bundle([phq, gad], name="Zoë <b>")
    for resource in (e["resource"] for e in bundle["entry"]):
        assert resource["text"]["status"] == "generated"
        div = ET.fromstring(resource["text"]["div"])  # noqa: S314 - our own output
        assert div.tag == f"{XHTML}div"
        assert "".join(div.itertext()).strip()
        # Text is escaped: a name or answer never becomes markup.
        assert div.find(f".//{XHTML}b") is None
    [qr] = [
        r for r in _resources(bundle, "QuestionnaireResponse") if "44249-1" in r["questionnaire"]
    ]
    shown = "".join(ET.fromstring(qr["text"]["div"]).itertext())  # noqa: S314 - our own output
    assert "PHQ-9 total 13 (moderate)" in shown
    assert f"9. {PHQ9.items[8].text}: Several days" in shown
    assert "Very difficult" in shown


# --- bad input --------------------------------------------------------------------------------


def test_authored_keeps_the_offset_of_a_utc_moment():
    moment = datetime(2026, 3, 1, 9, 30, tzinfo=timezone(timedelta(hours=-5)))
    response = _response(9, "gad7", GAD_ANSWERS, "moderate", completed_at=moment)
    [qr] = _resources(_bundle([response]), "QuestionnaireResponse")
    assert datetime.fromisoformat(qr["authored"]) == moment


@pytest.mark.parametrize("ref", ["", "has space", "Patient/1", "x" * 65, "a@b"])
def test_bad_patient_ref_is_refused(ref):
    with pytest.raises(ValueError):
        fhir_bundle([], ref, GENERATED, public_url=PUBLIC_URL)


@pytest.mark.parametrize(
    "options",
    [{"gender": "F"}, {"public_url": "ftp://x"}, {"public_url": "https://x/a?b|c"}],
)
def test_bad_gender_or_address_is_refused(options):
    with pytest.raises(ValueError):
        fhir_bundle([], REF, GENERATED, **{"public_url": PUBLIC_URL, **options})


def test_naive_generated_at_is_refused():
    with pytest.raises(ValueError):
        fhir_bundle([], REF, datetime(2026, 3, 2), public_url=PUBLIC_URL)


def test_bad_rows_are_refused():
    unsaved = _response(1, "phq9", PHQ_ANSWERS, "moderate")
    unsaved.id = None
    bad = [
        unsaved,
        _response(2, "madrs", PHQ_ANSWERS, "x"),
        _response(3, "phq9", [0, 1, 2], "minimal"),
        _response(4, "gad7", GAD_ANSWERS, "x", difficulty=4),
    ]
    for response in bad:
        with pytest.raises(ValueError):
            _bundle([response])


def test_a_reading_entered_later_is_dated_when_taken_and_says_when_it_was_entered():
    """A PHQ-9 taken at the clinic on 20 Feb and entered in the app on 1 Mar: an EHR must file
    it under 20 Feb, and read that it was entered later."""
    later = _response(9, "phq9", PHQ_ANSWERS, "moderate", difficulty=1)
    later.day = datetime(2026, 2, 20).date()
    later.entered_later = True
    bundle = _bundle([later])
    [qr] = _resources(bundle, "QuestionnaireResponse")
    assert qr["authored"] == "2026-02-20"
    observations = _resources(bundle, "Observation")
    assert len(observations) == 9 + 1 + 1 + 1
    for observation in observations:
        assert observation["effectiveDateTime"] == "2026-02-20"
        assert observation["issued"] == "2026-03-01T14:30:00+00:00"
        [note] = observation["note"]
        assert "entered in the app later" in note["text"]
        assert "2026-02-20" in note["text"]
        assert "entered in the app later" in observation["text"]["div"]
    assert "entered in the app later" in qr["text"]["div"]
    for entry in bundle["entry"]:
        get_fhir_model_class(entry["resource"]["resourceType"]).model_validate(entry["resource"])
    messages = _node_messages(bundle)
    assert _unexplained(messages["bundle"]) == []
    assert all(_unexplained(found) == [] for found in messages["entries"])

    # One taken in the app has no such mark.
    now = _bundle([_response(10, "phq9", PHQ_ANSWERS, "moderate")])
    for observation in _resources(now, "Observation"):
        assert observation["effectiveDateTime"] == "2026-03-01T14:30:00+00:00"
        assert "issued" not in observation and "note" not in observation
