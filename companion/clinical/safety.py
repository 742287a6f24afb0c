"""Safety rules: which answers open the crisis screen and become safety events; crisis contacts.

Nobody watches entries in real time, so the app must say so and show help at once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from companion.clinical.scoring import score_phq9

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


def _check_answer(answer: object) -> str:
    if not isinstance(answer, str) or answer not in _SUICIDAL_THOUGHT_KEYS:
        raise ValueError(
            f"Suicidal thoughts must be one of {', '.join(_SUICIDAL_THOUGHT_KEYS)}, got {answer!r}"
        )
    return answer


def needs_crisis_screen(answer: str) -> bool:
    """Any suicidal-thoughts answer other than "none" shows the crisis screen at once."""
    return _check_answer(answer) != "none"


def safety_kind_for_checkin(answer: str) -> str | None:
    """The safety event a check-in's suicidal-thoughts answer records, or None for "none"."""
    checked = _check_answer(answer)
    if checked == "passing":
        return SafetyKind.SUICIDAL_THOUGHTS_PASSING
    if checked == "intent":
        return SafetyKind.SUICIDAL_THOUGHTS_INTENT
    return None


def safety_kind_for_phq9(answers: Sequence[object]) -> str | None:
    """ "phq9_item9" when item 9 is above 0, whatever the total (validates all nine answers)."""
    return SafetyKind.PHQ9_ITEM9 if score_phq9(answers).self_harm_flag else None


@dataclass(frozen=True, slots=True)
class CrisisContact:
    """One way to get help now: who, what to do, and the link that does it."""

    name: str
    action: str
    href: str


# US services first (988 Suicide & Crisis Lifeline, including the Veterans Crisis Line on
# 988 then 1; Crisis Text Line; 911), then the way to a local helpline anywhere else.
# The sms: body follows RFC 5724 ("sms:<number>?body=<text>").
CRISIS: tuple[CrisisContact, ...] = (
    CrisisContact(
        "988 Suicide & Crisis Lifeline (US). Veterans: press 1 after the call connects.",
        "Call 988",
        "tel:988",
    ),
    CrisisContact("988 Suicide & Crisis Lifeline (US)", "Text 988", "sms:988"),
    CrisisContact(
        "988 Suicide & Crisis Lifeline (US)",
        "Chat at 988lifeline.org",
        "https://988lifeline.org/chat/",
    ),
    CrisisContact("Crisis Text Line (US)", "Text HOME to 741741", "sms:741741?body=HOME"),
    CrisisContact("Emergency (US)", "Call 911 in an emergency", "tel:911"),
    CrisisContact(
        "Outside the US",
        "Call your local emergency number, or find a helpline at findahelpline.com",
        "https://findahelpline.com",
    ),
)

NOBODY_WATCHING = (
    "Nobody watches your entries in real time. If you are in danger, contact one of these now."
)
