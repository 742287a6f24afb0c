"""The personal safety plan: its six steps (Stanley & Brown 2012) and what a valid one is."""

from __future__ import annotations

import pytest

from companion.clinical import (
    SAFETY_PLAN_HELPERS_MAX,
    SAFETY_PLAN_STEPS,
    SAFETY_PLAN_TEXT_MAX,
    SafetyPlanInput,
    validate_safety_plan,
)
from companion.clinical.validation import ValidationError


def test_the_six_steps_in_the_order_of_the_plan() -> None:
    assert [step.key for step in SAFETY_PLAN_STEPS] == [
        "warning_signs",
        "coping",
        "distractions",
        "helpers",
        "professionals",
        "safer",
    ]
    assert [step.title for step in SAFETY_PLAN_STEPS] == [
        "My warning signs",
        "Things I can do on my own",
        "People and places that take my mind off things",
        "People I can ask for help",
        "Professionals and services I can contact",
        "Making my surroundings safer",
    ]


def test_a_plan_in_the_patients_words() -> None:
    plan = validate_safety_plan(
        {
            "warning_signs": "  Not sleeping.\nSkipping meals.  ",
            "coping": "A long shower",
            "helper_name_1": "Sam",
            "helper_phone_1": "+1 (555) 010-0199",
            "helper_name_3": "Jo",
            "helper_phone_3": "",
            "extra": "ignored",
        }
    )
    assert plan == SafetyPlanInput(
        warning_signs="Not sleeping.\nSkipping meals.",
        coping="A long shower",
        helpers=(("Sam", "+1 (555) 010-0199"), ("Jo", "")),
    )
    assert validate_safety_plan({}) == SafetyPlanInput()


@pytest.mark.parametrize(
    ("raw", "field"),
    [
        ({"coping": ["a"]}, "coping"),
        ({"safer": "x" * (SAFETY_PLAN_TEXT_MAX + 1)}, "safer"),
        ({"warning_signs": "bad\x00byte"}, "warning_signs"),
        ({"helper_phone_2": "555 0100"}, "helper_name_2"),
        ({"helper_name_1": "Sam", "helper_phone_1": "call me"}, "helper_phone_1"),
        ({"helper_name_1": "x" * 81}, "helper_name_1"),
        ({"helper_name_1": 5}, "helper_name_1"),
    ],
)
def test_bad_answers_name_their_field(raw: dict[str, object], field: str) -> None:
    with pytest.raises(ValidationError) as problem:
        validate_safety_plan(raw)
    assert problem.value.field == field and problem.value.message


def test_at_most_five_people_are_read() -> None:
    raw = {f"helper_name_{n}": f"Person {n}" for n in range(1, SAFETY_PLAN_HELPERS_MAX + 3)}
    assert len(validate_safety_plan(raw).helpers) == SAFETY_PLAN_HELPERS_MAX
