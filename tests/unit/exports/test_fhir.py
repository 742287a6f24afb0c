"""The FHIR R4 Bundle validates with fhir.resources (R4B) and carries the right LOINC codes."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone

import pytest
from fhir.resources.R4B.bundle import Bundle

from companion.clinical import GAD7, PHQ9
from companion.data.questionnaires import QuestionnaireResponse
from companion.exports.fhir import fhir_bundle

GENERATED = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
LOINC = "http://loinc.org"
SURVEY = {
    "coding": [
        {
            "system": "http://terminology.hl7.org/CodeSystem/observation-category",
            "code": "survey",
            "display": "Survey",
        }
    ]
}


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


def _resources(bundle: dict, resource_type: str) -> list[dict]:
    return [
        e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == resource_type
    ]


def _observation(bundle: dict, code: str) -> dict:
    [found] = [
        r for r in _resources(bundle, "Observation") if r["code"]["coding"][0]["code"] == code
    ]
    return found


def test_the_whole_bundle_validates_as_fhir(phq, gad):
    bundle = fhir_bundle([phq, gad], "kc-patient-1", GENERATED)
    parsed = Bundle.model_validate(bundle)
    assert parsed.type == "collection"
    # 1 Patient + per PHQ-9: QR, 9 items, total, panel + per GAD-7: QR, 7 items, total, panel.
    assert len(parsed.entry) == 1 + (1 + 9 + 1 + 1) + (1 + 7 + 1 + 1)
    # It survives a JSON round trip too (what the download sends).
    Bundle.model_validate_json(json.dumps(bundle))


def test_bundle_header_and_patient_carry_nothing_identifying(phq):
    bundle = fhir_bundle([phq], "kc-patient-1", GENERATED)
    assert bundle["resourceType"] == "Bundle" and bundle["type"] == "collection"
    assert bundle["timestamp"] == "2026-03-02T09:00:00+00:00"
    [patient] = _resources(bundle, "Patient")
    assert patient == {"resourceType": "Patient", "id": "kc-patient-1"}
    assert "@" not in json.dumps(bundle)


def test_empty_list_gives_a_valid_bundle_with_just_the_patient():
    bundle = fhir_bundle([], "kc-patient-1", GENERATED)
    parsed = Bundle.model_validate(bundle)
    assert len(parsed.entry) == 1
    assert parsed.entry[0].resource.get_resource_type() == "Patient"


def test_every_full_url_is_a_urn_uuid_and_every_reference_resolves(phq, gad):
    bundle = fhir_bundle([phq, gad], "kc-patient-1", GENERATED)
    urls = [e["fullUrl"] for e in bundle["entry"]]
    assert all(u.startswith("urn:uuid:") for u in urls)
    assert len(set(urls)) == len(urls)
    text = json.dumps(bundle)
    references = {
        ref["reference"]
        for r in (e["resource"] for e in bundle["entry"])
        for ref in [r.get("subject"), *r.get("derivedFrom", []), *r.get("hasMember", [])]
        if ref
    }
    assert references and references <= set(urls)
    assert "Patient/" not in text


def test_same_data_gives_the_same_bundle(phq, gad):
    first = fhir_bundle([phq, gad], "kc-patient-1", GENERATED)
    again = fhir_bundle([gad, phq], "kc-patient-1", GENERATED)
    assert first == again


def test_questionnaire_response_for_phq9(phq):
    bundle = fhir_bundle([phq], "kc-patient-1", GENERATED)
    [qr] = _resources(bundle, "QuestionnaireResponse")
    [patient_entry] = [e for e in bundle["entry"] if e["resource"]["resourceType"] == "Patient"]
    assert qr["status"] == "completed"
    assert qr["questionnaire"] == "http://loinc.org/q/44249-1"
    assert qr["subject"] == {"reference": patient_entry["fullUrl"]}
    assert qr["authored"] == "2026-03-01T14:30:00+00:00"
    items = qr["item"]
    assert [i["linkId"] for i in items[:9]] == [item.loinc for item in PHQ9.items]
    assert [i["text"] for i in items[:9]] == [item.text for item in PHQ9.items]
    for item, value in zip(items[:9], PHQ_ANSWERS, strict=True):
        option = PHQ9.options[value]
        assert item["answer"] == [
            {"valueCoding": {"system": LOINC, "code": option.loinc, "display": option.text}}
        ]
    total, difficulty = items[9], items[10]
    assert total["linkId"] == "44261-6" and total["answer"] == [{"valueInteger": 13}]
    assert difficulty["linkId"] == "69722-7"
    assert difficulty["text"] == PHQ9.difficulty_question
    assert difficulty["answer"] == [{"valueString": "Very difficult"}]


def test_questionnaire_response_for_gad7_without_difficulty(gad):
    bundle = fhir_bundle([gad], "kc-patient-1", GENERATED)
    [qr] = _resources(bundle, "QuestionnaireResponse")
    assert qr["questionnaire"] == "http://loinc.org/q/69737-5"
    assert [i["linkId"] for i in qr["item"]] == [item.loinc for item in GAD7.items] + ["70274-6"]


def test_answer_codes_are_the_four_loinc_answers(phq):
    bundle = fhir_bundle([phq], "kc-patient-1", GENERATED)
    [qr] = _resources(bundle, "QuestionnaireResponse")
    codes = [i["answer"][0]["valueCoding"]["code"] for i in qr["item"][:9]]
    expected = {0: "LA6568-5", 1: "LA6569-3", 2: "LA6570-1", 3: "LA6571-9"}
    assert codes == [expected[v] for v in PHQ_ANSWERS]


def test_item9_is_44260_8_and_the_total_is_44261_6(phq):
    bundle = fhir_bundle([phq], "kc-patient-1", GENERATED)
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
    bundle = fhir_bundle([gad], "kc-patient-1", GENERATED)
    total = _observation(bundle, "70274-6")
    assert total["code"]["coding"][0]["display"] == (
        "Generalized anxiety disorder 7 item (GAD-7) total score [Reported.PHQ]"
    )
    assert total["valueQuantity"]["value"] == 12


def test_every_item_observation_has_its_code_and_answer(phq, gad):
    bundle = fhir_bundle([phq, gad], "kc-patient-1", GENERATED)
    for instrument, answers in ((PHQ9, PHQ_ANSWERS), (GAD7, GAD_ANSWERS)):
        for item, value in zip(instrument.items, answers, strict=True):
            observation = _observation(bundle, item.loinc)
            coding = observation["valueCodeableConcept"]["coding"][0]
            assert coding == {
                "system": LOINC,
                "code": instrument.options[value].loinc,
                "display": instrument.options[value].text,
            }


def test_all_observations_are_final_survey_with_subject_time_and_source(phq, gad):
    bundle = fhir_bundle([phq, gad], "kc-patient-1", GENERATED)
    qr_urls = {
        e["resource"]["id"]: e["fullUrl"]
        for e in bundle["entry"]
        if e["resource"]["resourceType"] == "QuestionnaireResponse"
    }
    observations = _resources(bundle, "Observation")
    assert len(observations) == (9 + 1 + 1) + (7 + 1 + 1)
    for observation in observations:
        assert observation["status"] == "final"
        assert observation["category"] == [SURVEY]
        assert observation["subject"]["reference"].startswith("urn:uuid:")
        assert observation["effectiveDateTime"].endswith("+00:00")
        [source] = observation["derivedFrom"]
        assert source["reference"] in qr_urls.values()


def test_panels_have_their_items_and_total_as_members(phq, gad):
    bundle = fhir_bundle([phq, gad], "kc-patient-1", GENERATED)
    by_url = {e["fullUrl"]: e["resource"] for e in bundle["entry"]}
    for instrument in (PHQ9, GAD7):
        panel = _observation(bundle, instrument.panel_loinc)
        members = [by_url[m["reference"]] for m in panel["hasMember"]]
        assert len(members) == len(instrument.items) + 1
        member_codes = [m["code"]["coding"][0]["code"] for m in members]
        assert member_codes == [i.loinc for i in instrument.items] + [instrument.total_loinc]
    assert len(_observation(bundle, "44249-1")["hasMember"]) == 10
    assert len(_observation(bundle, "69737-5")["hasMember"]) == 8


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


def test_authored_keeps_the_offset_of_a_utc_moment():
    moment = datetime(2026, 3, 1, 9, 30, tzinfo=timezone(timedelta(hours=-5)))
    response = _response(9, "gad7", GAD_ANSWERS, "moderate", completed_at=moment)
    bundle = fhir_bundle([response], "kc-patient-1", GENERATED)
    [qr] = _resources(bundle, "QuestionnaireResponse")
    assert datetime.fromisoformat(qr["authored"]) == moment


@pytest.mark.parametrize("ref", ["", "has space", "Patient/1", "x" * 65, "a@b"])
def test_bad_patient_ref_is_refused(ref):
    with pytest.raises(ValueError):
        fhir_bundle([], ref, GENERATED)


def test_naive_generated_at_is_refused():
    with pytest.raises(ValueError):
        fhir_bundle([], "kc-1", datetime(2026, 3, 2))


def test_bad_rows_are_refused():
    unsaved = _response(1, "phq9", PHQ_ANSWERS, "moderate")
    unsaved.id = None
    with pytest.raises(ValueError):
        fhir_bundle([unsaved], "kc-1", GENERATED)
    with pytest.raises(ValueError):
        fhir_bundle([_response(2, "madrs", PHQ_ANSWERS, "x")], "kc-1", GENERATED)
    with pytest.raises(ValueError):
        fhir_bundle([_response(3, "phq9", [0, 1, 2], "minimal")], "kc-1", GENERATED)
    with pytest.raises(ValueError):
        fhir_bundle([_response(4, "gad7", GAD_ANSWERS, "x", difficulty=4)], "kc-1", GENERATED)
