import pytest

from companion.clinical.blood_pressure import (
    CRISIS_DIASTOLIC,
    CRISIS_EMERGENCY,
    CRISIS_MESSAGE,
    CRISIS_SYSTOLIC,
    is_hypertensive_crisis,
)

# The American Heart Association's signs of organ damage with a hypertensive crisis, each of
# which means calling the emergency number at once (issue 14, point 11).
AHA_SIGNS = (
    "chest pain",
    "shortness of breath",
    "back pain",
    "numbness",
    "weakness",
    "a change in vision",
    "trouble speaking",
)


def test_either_number_at_the_line_is_a_crisis() -> None:
    assert is_hypertensive_crisis(180, 90)
    assert is_hypertensive_crisis(150, 120)
    assert is_hypertensive_crisis(200, 130)


def test_just_below_the_line_or_unanswered_is_not() -> None:
    assert not is_hypertensive_crisis(179, 119)
    assert not is_hypertensive_crisis(120, 80)
    assert not is_hypertensive_crisis(None, None)
    assert is_hypertensive_crisis(None, 125)


def test_the_line_is_the_aha_hypertensive_crisis_line() -> None:
    assert (CRISIS_SYSTOLIC, CRISIS_DIASTOLIC) == (180, 120)


@pytest.mark.parametrize(
    ("systolic", "diastolic", "crisis"),
    [
        (150, 125, True),  # the bottom number alone
        (180, 110, True),  # the top number alone, at the line
        (170, 120, True),  # the bottom number alone, at the line
        (180, 120, True),
        (179, 119, False),  # both just below
        (179, None, False),
        (None, 119, False),
    ],
)
def test_either_number_alone_reaches_the_line(
    systolic: int | None, diastolic: int | None, crisis: bool
) -> None:
    assert is_hypertensive_crisis(systolic, diastolic) is crisis


def test_the_message_names_the_line_and_says_what_to_do() -> None:
    assert "180/120 or higher" in CRISIS_MESSAGE
    assert "measure it again" in CRISIS_MESSAGE
    assert "call your clinic" in CRISIS_MESSAGE.lower()


@pytest.mark.parametrize("sign", AHA_SIGNS)
def test_the_emergency_sentence_names_every_aha_sign(sign: str) -> None:
    # Shown after the patient's own emergency call ("Call 911 at once if you also have ...").
    assert CRISIS_EMERGENCY.startswith("at once if you also have ")
    assert sign in CRISIS_EMERGENCY
