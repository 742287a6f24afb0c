"""Crisis-screen rules, safety-event kinds, and the crisis contacts."""

from __future__ import annotations

import pytest

from companion.clinical.safety import (
    CRISIS,
    NOBODY_WATCHING,
    SAFETY_LABELS,
    SUICIDAL_THOUGHTS,
    CrisisContact,
    SafetyKind,
    crisis_response,
    needs_crisis_screen,
    safety_kind_for_checkin,
    safety_kind_for_phq9,
)


def test_suicidal_thought_answers() -> None:
    assert SUICIDAL_THOUGHTS == (
        ("none", "None"),
        ("passing", "Passing thoughts"),
        ("intent", "Thoughts with intent or plan"),
    )


@pytest.mark.parametrize(
    ("answer", "crisis"), [("none", False), ("passing", True), ("intent", True)]
)
def test_needs_crisis_screen(answer: str, crisis: bool) -> None:
    assert needs_crisis_screen(answer) is crisis


@pytest.mark.parametrize("answer", [None, ""])
def test_no_answer_is_neither_a_crisis_nor_a_no(answer: object) -> None:
    assert needs_crisis_screen(answer) is False  # type: ignore[arg-type]
    assert safety_kind_for_checkin(answer) is None  # type: ignore[arg-type]
    assert crisis_response(answer) == ""  # type: ignore[arg-type]


def test_the_crisis_screen_fits_the_answer() -> None:
    assert crisis_response("intent") == "urgent"
    assert crisis_response("passing") == "support"
    assert crisis_response("none") == ""


@pytest.mark.parametrize("answer", ["None", "yes", 1, " passing", True])
def test_unknown_answers_are_rejected(answer: object) -> None:
    with pytest.raises(ValueError, match="Suicidal thoughts must be one of"):
        needs_crisis_screen(answer)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        safety_kind_for_checkin(answer)  # type: ignore[arg-type]


def test_safety_kinds_are_plain_strings() -> None:
    assert [kind.value for kind in SafetyKind] == [
        "suicidal_thoughts_passing",
        "suicidal_thoughts_intent",
        "phq9_item9",
    ]
    assert all(isinstance(kind, str) for kind in SafetyKind)
    assert str(SafetyKind.PHQ9_ITEM9) == "phq9_item9"
    assert f"{SafetyKind.SUICIDAL_THOUGHTS_INTENT}" == "suicidal_thoughts_intent"
    keyed: dict[str, int] = {SafetyKind.PHQ9_ITEM9: 1}
    assert keyed["phq9_item9"] == 1


@pytest.mark.parametrize(
    ("answer", "kind"),
    [
        ("none", None),
        ("passing", "suicidal_thoughts_passing"),
        ("intent", "suicidal_thoughts_intent"),
    ],
)
def test_safety_kind_for_checkin(answer: str, kind: str | None) -> None:
    assert safety_kind_for_checkin(answer) == kind


@pytest.mark.parametrize(
    ("answers", "kind"),
    [
        ([0] * 9, None),
        ([3] * 8 + [0], None),
        ([0] * 8 + [1], "phq9_item9"),
        ([0] * 8 + [3], "phq9_item9"),
    ],
)
def test_safety_kind_for_phq9(answers: list[int], kind: str | None) -> None:
    assert safety_kind_for_phq9(answers) == kind


def test_safety_kind_for_phq9_validates() -> None:
    with pytest.raises(ValueError, match="PHQ-9 needs 9 answers"):
        safety_kind_for_phq9([1])


def test_safety_labels() -> None:
    assert SAFETY_LABELS == {
        "suicidal_thoughts_passing": "Passing suicidal thoughts (daily check-in)",
        "suicidal_thoughts_intent": "Suicidal thoughts with intent or plan (daily check-in)",
        "phq9_item9": (
            "PHQ-9 item 9 answered above 0 (thoughts of being better off dead or of self-harm)"
        ),
    }
    assert set(SAFETY_LABELS) == set(SafetyKind)


def test_crisis_links() -> None:
    assert [contact.href for contact in CRISIS] == [
        "tel:988",
        "sms:988",
        "https://988lifeline.org/chat/",
        "sms:741741?body=HOME",
        "https://findahelpline.com",
        "tel:911",
    ]
    assert all(isinstance(contact, CrisisContact) for contact in CRISIS)
    # Each link does exactly what its words say: the call link only calls.
    assert CRISIS[0].action == "Call 988"


def test_crisis_text_covers_every_service() -> None:
    text = " ".join(f"{c.name} {c.action}" for c in CRISIS)
    for fact in (
        "988 Suicide & Crisis Lifeline",
        "Call 988",
        "Text 988",
        "988lifeline.org",
        "Veterans: press 1",
        "Text HOME to 741741",
        "Crisis Text Line",
        "Call 911",
        "local emergency number",
        "findahelpline.com",
    ):
        assert fact in text


def test_nobody_watching() -> None:
    assert NOBODY_WATCHING == (
        "Nobody watches your entries in real time. If you are in danger, contact one of these now."
    )
