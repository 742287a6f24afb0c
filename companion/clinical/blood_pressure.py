"""Home blood pressure: the reading at which a patient should call the clinic or 911."""

from __future__ import annotations

# American Heart Association, "Hypertensive crisis: when you should call 911 for high blood
# pressure" (heart.org): a top number of 180 or more and/or a bottom number of 120 or more.
CRISIS_SYSTOLIC = 180
CRISIS_DIASTOLIC = 120

# In the AHA's words, plainly: measure again, call the clinic; 911 at once with signs of
# organ damage.
CRISIS_MESSAGE = (
    "Your blood pressure is 180/120 or higher. Wait 5 minutes and measure it again. "
    "If it is still this high, call your clinic now."
)
# Follows the patient's emergency call ("Call 911" in the US, their own number elsewhere).
CRISIS_EMERGENCY = (
    "at once if you also have chest pain, shortness of breath, back pain, numbness, weakness, "
    "a change in vision or trouble speaking."
)


def is_hypertensive_crisis(systolic: int | None, diastolic: int | None) -> bool:
    """True when either number reaches the AHA's hypertensive-crisis line (180/120)."""
    return (systolic is not None and systolic >= CRISIS_SYSTOLIC) or (
        diastolic is not None and diastolic >= CRISIS_DIASTOLIC
    )
