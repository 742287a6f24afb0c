"""Post-infusion side effects as data, and how an infusion's checks are summarised.

Each side effect is rated none/mild/moderate/severe (0-3); dissociation has its own 0-10 rating.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

# Plain four-step severity, values 0-3, as on most patient side-effect diaries.
SEVERITIES: tuple[str, ...] = ("none", "mild", "moderate", "severe")
SEVERITY_MAX = len(SEVERITIES) - 1


@dataclass(frozen=True, slots=True)
class SideEffect:
    """A side effect a patient can rate after an infusion."""

    key: str
    label: str


# The common acute effects of a ketamine infusion (PRODUCT.md "The treatment it follows"), plus
# bladder discomfort: frequent or long-term ketamine use can inflame the bladder (ketamine
# cystitis), an early sign a clinic wants to hear about.
SIDE_EFFECTS: tuple[SideEffect, ...] = (
    SideEffect("nausea", "Nausea or vomiting"),
    SideEffect("dizziness", "Dizziness"),
    SideEffect("headache", "Headache"),
    SideEffect("drowsiness", "Drowsiness"),
    SideEffect("blurred_vision", "Blurred vision"),
    SideEffect("anxiety", "Anxiety"),
    SideEffect("bladder", "Bladder or urinary discomfort"),
)
SIDE_EFFECT_KEYS: tuple[str, ...] = tuple(effect.key for effect in SIDE_EFFECTS)

# Short names for the one-line summary ("Moderate nausea, mild headache").
_SHORT_NAMES: dict[str, str] = {
    "nausea": "nausea",
    "dizziness": "dizziness",
    "headache": "headache",
    "drowsiness": "drowsiness",
    "blurred_vision": "blurred vision",
    "anxiety": "anxiety",
    "bladder": "bladder discomfort",
}

# Dissociation is rated 0-10 on its own: there is no short validated patient scale for it here
# (the CADSS is clinician-rated), so the app says plainly that this rating is not one.
DISSOCIATION_LABEL = "Dissociation or feeling unreal"
DISSOCIATION_NOTE = "A plain 0–10 rating of how strong it felt, not a validated scale."
DISSOCIATION_MAX = 10

COMPARED_WITH_BEFORE_LABEL = "Compared with before this infusion I feel"
COMPARED_WITH_BEFORE: tuple[tuple[int, str], ...] = (
    (-2, "Much worse"),
    (-1, "A little worse"),
    (0, "About the same"),
    (1, "A little better"),
    (2, "Much better"),
)

ROUTES: tuple[tuple[str, str], ...] = (
    ("iv", "IV infusion"),
    ("im", "IM injection"),
    ("esketamine", "Intranasal esketamine"),
    ("other", "Other"),
)
DOSE_UNITS: tuple[str, ...] = ("mg/kg", "mg")


def _check_rating(name: str, value: object, highest: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= highest:
        raise ValueError(f"{name} must be a whole number from 0 to {highest}, got {value!r}")
    return value


def worst_side_effects(checks: Sequence[Mapping[str, int]]) -> dict[str, int]:
    """The worst severity of each side effect over one infusion's checks.

    Only side effects rated in at least one check appear, in SIDE_EFFECTS order (a 0 stays, as
    "rated none"). Unknown keys or ratings outside 0-3 raise ValueError.
    """
    worst: dict[str, int] = {}
    for check in checks:
        for key, value in check.items():
            if key not in SIDE_EFFECT_KEYS:
                raise ValueError(f"Unknown side effect {key!r}")
            rating = _check_rating(key, value, SEVERITY_MAX)
            worst[key] = max(rating, worst.get(key, 0))
    return {key: worst[key] for key in SIDE_EFFECT_KEYS if key in worst}


def describe_side_effects(worst: Mapping[str, int], dissociation: int | None) -> str:
    """One line for the clinician: "Moderate nausea, mild headache; dissociation 6/10".

    Side effects above none come first, worst first (ties in SIDE_EFFECTS order); dissociation
    follows when above 0. "None reported" when nothing was above none.
    """
    rated: list[tuple[int, int, str]] = []
    for key, value in worst.items():
        if key not in SIDE_EFFECT_KEYS:
            raise ValueError(f"Unknown side effect {key!r}")
        rating = _check_rating(key, value, SEVERITY_MAX)
        if rating > 0:
            rated.append((-rating, SIDE_EFFECT_KEYS.index(key), key))
    parts: list[str] = []
    if rated:
        rated.sort()
        parts.append(
            ", ".join(f"{SEVERITIES[-order]} {_SHORT_NAMES[key]}" for order, _, key in rated)
        )
    if dissociation is not None:
        level = _check_rating("Dissociation", dissociation, DISSOCIATION_MAX)
        if level > 0:
            parts.append(f"dissociation {level}/{DISSOCIATION_MAX}")
    if not parts:
        return "None reported"
    text = "; ".join(parts)
    return text[0].upper() + text[1:]
