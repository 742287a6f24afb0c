"""Safety rules: which answers open the crisis screen and become safety events, which help the
screen shows first, and the steps of a personal safety plan.

Nobody watches entries in real time, so the app must say so and show help at once. The
numbers themselves, by country and with their sources, are in crisis_lines.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from companion.clinical.crisis_lines import US, CrisisContact
from companion.clinical.scoring import score_phq9
from companion.clinical.validation import ValidationError, plain_text, unreadable

SUICIDAL_THOUGHTS: tuple[tuple[str, str], ...] = (
    ("none", "None"),
    ("passing", "Passing thoughts"),
    ("intent", "Thoughts with intent or plan"),
)
_SUICIDAL_THOUGHT_KEYS = tuple(key for key, _ in SUICIDAL_THOUGHTS)


class SafetyKind(StrEnum):
    """The kinds of safety event; members are plain strings, stored as their values."""

    SUICIDAL_THOUGHTS_PASSING = "suicidal_thoughts_passing"
    SUICIDAL_THOUGHTS_INTENT = "suicidal_thoughts_intent"
    PHQ9_ITEM9 = "phq9_item9"


SAFETY_LABELS: dict[str, str] = {
    SafetyKind.SUICIDAL_THOUGHTS_PASSING: "Passing suicidal thoughts (daily check-in)",
    SafetyKind.SUICIDAL_THOUGHTS_INTENT: "Suicidal thoughts with intent or plan (daily check-in)",
    SafetyKind.PHQ9_ITEM9: (
        "PHQ-9 item 9 answered above 0 (thoughts of being better off dead or of self-harm)"
    ),
}


def _check_answer(answer: object) -> str | None:
    """The answer, or None when the question was not answered (None or "")."""
    if answer is None or answer == "":
        return None
    if not isinstance(answer, str) or answer not in _SUICIDAL_THOUGHT_KEYS:
        raise ValueError(
            f"Suicidal thoughts must be one of {', '.join(_SUICIDAL_THOUGHT_KEYS)}, got {answer!r}"
        )
    return answer


def needs_crisis_screen(answer: str | None) -> bool:
    """Any suicidal-thoughts answer other than "none" shows the crisis screen at once."""
    return _check_answer(answer) not in (None, "none")


def crisis_response(answer: str | None) -> str:
    """Which crisis screen fits the answer: "urgent" for thoughts with intent or plan (one
    large call to the crisis line and the emergency number first), "support" for passing
    thoughts (the personal safety plan first, then the lines), "" for none or unanswered."""
    checked = _check_answer(answer)
    return {"intent": "urgent", "passing": "support"}.get(checked or "", "")


def safety_kind_for_checkin(answer: str | None) -> str | None:
    """The safety event a check-in's suicidal-thoughts answer records; None for "none" or for
    no answer."""
    checked = _check_answer(answer)
    if checked == "passing":
        return SafetyKind.SUICIDAL_THOUGHTS_PASSING
    if checked == "intent":
        return SafetyKind.SUICIDAL_THOUGHTS_INTENT
    return None


def safety_kind_for_phq9(answers: Sequence[object]) -> str | None:
    """ "phq9_item9" when item 9 is above 0, whatever the total (validates all nine answers)."""
    return SafetyKind.PHQ9_ITEM9 if score_phq9(answers).self_harm_flag else None


# The United States set, kept under its old name for the pages that always show it first.
CRISIS: tuple[CrisisContact, ...] = US.everything

NOBODY_WATCHING = (
    "Nobody watches your entries in real time. If you are in danger, contact one of these now."
)


@dataclass(frozen=True, slots=True)
class SafetyPlanStep:
    """One step of a personal safety plan: what it is called and what to write there."""

    key: str
    title: str
    prompt: str


# The six steps of the Safety Planning Intervention, in this app's own words (Stanley B, Brown
# GK. Safety Planning Intervention: a brief intervention to mitigate suicide risk. Cognitive
# and Behavioral Practice 2012;19(2):256-264). The order is the plan's: from what the patient
# can do alone, to other people, to professionals, to making the surroundings safer.
SAFETY_PLAN_STEPS: tuple[SafetyPlanStep, ...] = (
    SafetyPlanStep(
        "warning_signs",
        "My warning signs",
        "Thoughts, feelings, moods or situations that tell me a crisis may be starting.",
    ),
    SafetyPlanStep(
        "coping",
        "Things I can do on my own",
        "What helps me get through a hard moment without anyone else: a walk, music, a shower, "
        "slow breathing, holding something cold.",
    ),
    SafetyPlanStep(
        "distractions",
        "People and places that take my mind off things",
        "People I can be around, and places I can go, that help me feel a little better.",
    ),
    SafetyPlanStep(
        "helpers",
        "People I can ask for help",
        "People I can tell how I feel and ask for help, with their phone numbers.",
    ),
    SafetyPlanStep(
        "professionals",
        "Professionals and services I can contact",
        "My clinic, my doctor or therapist, and the crisis line for where I live.",
    ),
    SafetyPlanStep(
        "safer",
        "Making my surroundings safer",
        "What I can do to keep things I could use to hurt myself away, or who can keep them "
        "for me for a while.",
    ),
)
SAFETY_PLAN_TEXT_MAX = 1000
SAFETY_PLAN_HELPERS_MAX = 5
SAFETY_PLAN_NAME_MAX = 80
SAFETY_PLAN_PHONE_MAX = 40
_PHONE_CHARS = set("0123456789+-() .")


@dataclass(frozen=True, slots=True)
class SafetyPlanInput:
    """A safety plan, validated: each step's text, and the people to call (name, phone)."""

    warning_signs: str = ""
    coping: str = ""
    distractions: str = ""
    helpers: tuple[tuple[str, str], ...] = ()
    professionals: str = ""
    safer: str = ""


def _plan_text(raw: Mapping[str, object], step: SafetyPlanStep) -> str:
    return plain_text(raw.get(step.key), step.key, step.title, SAFETY_PLAN_TEXT_MAX)


def _helper(raw: Mapping[str, object], number: int) -> tuple[str, str] | None:
    name_key, phone_key = f"helper_name_{number}", f"helper_phone_{number}"
    name, phone = raw.get(name_key, ""), raw.get(phone_key, "")
    if not isinstance(name, str) or not isinstance(phone, str) or unreadable(name + phone):
        raise ValidationError(name_key, "Names and phone numbers must be text.")
    name, phone = name.strip(), phone.strip()
    if not name and not phone:
        return None
    if not name:
        raise ValidationError(name_key, f"Add the name of the person with the number {phone}.")
    if len(name) > SAFETY_PLAN_NAME_MAX or not name.isprintable():
        raise ValidationError(
            name_key, f"A name can be at most {SAFETY_PLAN_NAME_MAX} characters of plain text."
        )
    if len(phone) > SAFETY_PLAN_PHONE_MAX or not set(phone) <= _PHONE_CHARS:
        raise ValidationError(
            phone_key, "Enter the phone number with digits, spaces and + - ( ) only."
        )
    return name, phone


def validate_safety_plan(raw: Mapping[str, object]) -> SafetyPlanInput:
    """A valid plan from raw form input, or ValidationError naming the first bad field.

    Keys: each step's key (text, up to SAFETY_PLAN_TEXT_MAX characters), and for the people
    to ask for help helper_name_<n> / helper_phone_<n> for n = 1..SAFETY_PLAN_HELPERS_MAX.
    """
    texts = {step.key: _plan_text(raw, step) for step in SAFETY_PLAN_STEPS if step.key != "helpers"}
    helpers = tuple(
        found
        for n in range(1, SAFETY_PLAN_HELPERS_MAX + 1)
        if (found := _helper(raw, n)) is not None
    )
    return SafetyPlanInput(helpers=helpers, **texts)
