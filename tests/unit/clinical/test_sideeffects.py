"""Side-effect data, the worst rating per infusion, and the one-line description."""

from __future__ import annotations

import pytest

from companion.clinical.sideeffects import (
    COMPARED_WITH_BEFORE,
    COMPARED_WITH_BEFORE_LABEL,
    DISSOCIATION_LABEL,
    DISSOCIATION_NOTE,
    DOSE_UNITS,
    ROUTES,
    SEVERITIES,
    SIDE_EFFECTS,
    SideEffect,
    describe_side_effects,
    worst_side_effects,
)


def test_severities() -> None:
    assert SEVERITIES == ("none", "mild", "moderate", "severe")


def test_side_effects_in_order() -> None:
    effects = SIDE_EFFECTS
    assert effects == (
        SideEffect("nausea", "Nausea or vomiting"),
        SideEffect("dizziness", "Dizziness"),
        SideEffect("headache", "Headache"),
        SideEffect("drowsiness", "Drowsiness"),
        SideEffect("blurred_vision", "Blurred vision"),
        SideEffect("anxiety", "Anxiety"),
        SideEffect("bladder", "Bladder or urinary discomfort"),
    )


def test_dissociation_is_separate_and_labelled_not_validated() -> None:
    assert DISSOCIATION_LABEL == "Dissociation or feeling unreal"
    assert DISSOCIATION_NOTE == "A plain 0–10 rating of how strong it felt, not a validated scale."
    assert all("dissociation" not in effect.key for effect in SIDE_EFFECTS)


def test_compared_with_before() -> None:
    assert COMPARED_WITH_BEFORE_LABEL == "Compared with before this infusion I feel"
    assert COMPARED_WITH_BEFORE == (
        (-2, "Much worse"),
        (-1, "A little worse"),
        (0, "About the same"),
        (1, "A little better"),
        (2, "Much better"),
    )


def test_routes_and_units() -> None:
    assert ROUTES == (
        ("iv", "IV infusion"),
        ("im", "IM injection"),
        ("esketamine", "Intranasal esketamine"),
        ("other", "Other"),
    )
    assert DOSE_UNITS == ("mg/kg", "mg")


def test_worst_over_checks() -> None:
    checks = [
        {"nausea": 2, "headache": 0, "dizziness": 1},
        {"nausea": 1, "headache": 1},
        {"nausea": 0, "bladder": 3},
    ]
    assert worst_side_effects(checks) == {"nausea": 2, "dizziness": 1, "headache": 1, "bladder": 3}


def test_worst_keeps_side_effect_order() -> None:
    result = worst_side_effects([{"bladder": 1}, {"nausea": 1}])
    assert list(result) == ["nausea", "bladder"]


def test_worst_keeps_rated_none() -> None:
    assert worst_side_effects([{"anxiety": 0}]) == {"anxiety": 0}


def test_worst_of_nothing() -> None:
    assert worst_side_effects([]) == {}
    assert worst_side_effects([{}]) == {}


@pytest.mark.parametrize(
    ("check", "message"),
    [
        ({"nausea": 4}, "from 0 to 3"),
        ({"nausea": -1}, "from 0 to 3"),
        ({"nausea": True}, "from 0 to 3"),
        ({"nausea": 1.0}, "from 0 to 3"),
        ({"dissociation": 5}, "Unknown side effect"),
    ],
)
def test_worst_rejects_bad_ratings(check: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        worst_side_effects([check])  # type: ignore[list-item]


def test_describe_example() -> None:
    text = describe_side_effects({"nausea": 2, "headache": 1}, 6)
    assert text == "Moderate nausea, mild headache; dissociation 6/10"


def test_describe_worst_first() -> None:
    worst = {"nausea": 1, "dizziness": 3, "headache": 1, "bladder": 2}
    expected = "Severe dizziness, moderate bladder discomfort, mild nausea, mild headache"
    assert describe_side_effects(worst, None) == expected


def test_describe_every_short_name() -> None:
    worst = {effect.key: 1 for effect in SIDE_EFFECTS}
    assert describe_side_effects(worst, None) == (
        "Mild nausea, mild dizziness, mild headache, mild drowsiness, mild blurred vision, "
        "mild anxiety, mild bladder discomfort"
    )


def test_describe_only_dissociation() -> None:
    assert describe_side_effects({"nausea": 0}, 10) == "Dissociation 10/10"


@pytest.mark.parametrize(
    ("worst", "dissociation"), [({}, None), ({"nausea": 0, "anxiety": 0}, 0), ({}, 0)]
)
def test_describe_none_reported(worst: dict[str, int], dissociation: int | None) -> None:
    assert describe_side_effects(worst, dissociation) == "None reported"


@pytest.mark.parametrize("dissociation", [11, -1, True, 5.5])
def test_describe_rejects_bad_dissociation(dissociation: object) -> None:
    with pytest.raises(ValueError, match="from 0 to 10"):
        describe_side_effects({}, dissociation)  # type: ignore[arg-type]


def test_describe_rejects_unknown_keys() -> None:
    with pytest.raises(ValueError, match="Unknown side effect"):
        describe_side_effects({"fever": 2}, None)
