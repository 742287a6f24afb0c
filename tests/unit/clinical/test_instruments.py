"""PHQ-9 and GAD-7 declarations: word-for-word text, LOINC codes, bands."""

from __future__ import annotations

import dataclasses

import pytest

from companion.clinical.instruments import (
    GAD7,
    INSTRUMENTS,
    PHQ9,
    AnswerOption,
    Band,
    Instrument,
    Item,
)

PHQ9_ITEMS = [
    ("Little interest or pleasure in doing things", "44250-9"),
    ("Feeling down, depressed, or hopeless", "44255-8"),
    ("Trouble falling or staying asleep, or sleeping too much", "44259-0"),
    ("Feeling tired or having little energy", "44254-1"),
    ("Poor appetite or overeating", "44251-7"),
    (
        "Feeling bad about yourself — or that you are a failure or have let yourself or your "
        "family down",
        "44258-2",
    ),
    (
        "Trouble concentrating on things, such as reading the newspaper or watching television",
        "44252-5",
    ),
    (
        "Moving or speaking so slowly that other people could have noticed? Or the opposite — "
        "being so fidgety or restless that you have been moving around a lot more than usual",
        "44253-3",
    ),
    ("Thoughts that you would be better off dead or of hurting yourself in some way", "44260-8"),
]

GAD7_ITEMS = [
    ("Feeling nervous, anxious, or on edge", "69725-0"),
    ("Not being able to stop or control worrying", "68509-9"),
    ("Worrying too much about different things", "69733-4"),
    ("Trouble relaxing", "69734-2"),
    ("Being so restless that it is hard to sit still", "69735-9"),
    ("Becoming easily annoyed or irritable", "69689-8"),
    ("Feeling afraid, as if something awful might happen", "69736-7"),
]

COPYRIGHT = (
    "Developed by Drs. Robert L. Spitzer, Janet B.W. Williams, Kurt Kroenke and colleagues, with "
    "an educational grant from Pfizer Inc. No permission required to reproduce, translate, "
    "display or distribute."
)


def test_registry_is_keyed_by_key() -> None:
    assert INSTRUMENTS == {"phq9": PHQ9, "gad7": GAD7}
    assert (PHQ9.key, PHQ9.name) == ("phq9", "PHQ-9")
    assert (GAD7.key, GAD7.name) == ("gad7", "GAD-7")


def test_phq9_items_word_for_word() -> None:
    assert [(item.text, item.loinc) for item in PHQ9.items] == PHQ9_ITEMS
    assert [item.number for item in PHQ9.items] == list(range(1, 10))


def test_gad7_items_word_for_word() -> None:
    assert [(item.text, item.loinc) for item in GAD7.items] == GAD7_ITEMS
    assert [item.number for item in GAD7.items] == list(range(1, 8))


def test_phq9_item_text_details() -> None:
    # The em dashes and the question mark inside item 8 are part of the published form.
    assert "—" in PHQ9.items[5].text
    assert PHQ9.items[7].text.count("—") == 1
    assert "noticed? Or the opposite" in PHQ9.items[7].text


def test_stems() -> None:
    assert PHQ9.stem == (
        "Over the last 2 weeks, how often have you been bothered by any of the following problems?"
    )
    assert GAD7.stem == (
        "Over the last 2 weeks, how often have you been bothered by the following problems?"
    )


@pytest.mark.parametrize("instrument", [PHQ9, GAD7])
def test_answer_options(instrument: Instrument) -> None:
    assert instrument.options == (
        AnswerOption(0, "Not at all", "LA6568-5"),
        AnswerOption(1, "Several days", "LA6569-3"),
        AnswerOption(2, "More than half the days", "LA6570-1"),
        AnswerOption(3, "Nearly every day", "LA6571-9"),
    )


def test_panel_and_total_codes() -> None:
    # 44260-8 is PHQ-9 item 9, not the total: public samples get this wrong.
    assert (PHQ9.panel_loinc, PHQ9.total_loinc, PHQ9.max_total) == ("44249-1", "44261-6", 27)
    assert (GAD7.panel_loinc, GAD7.total_loinc, GAD7.max_total) == ("69737-5", "70274-6", 21)
    assert PHQ9.total_loinc != PHQ9.items[8].loinc


@pytest.mark.parametrize("instrument", [PHQ9, GAD7])
def test_copyright_and_difficulty(instrument: Instrument) -> None:
    assert instrument.copyright == COPYRIGHT
    assert instrument.difficulty_question == (
        "If you checked off any problems, how difficult have these problems made it for you to "
        "do your work, take care of things at home, or get along with other people?"
    )
    assert instrument.difficulty_options == (
        "Not difficult at all",
        "Somewhat difficult",
        "Very difficult",
        "Extremely difficult",
    )
    assert instrument.difficulty_loinc == "69722-7"


def test_self_harm_item() -> None:
    assert PHQ9.self_harm_item == 9
    assert GAD7.self_harm_item is None


def test_phq9_bands() -> None:
    assert [(b.low, b.high, b.severity) for b in PHQ9.bands] == [
        (0, 4, "minimal"),
        (5, 9, "mild"),
        (10, 14, "moderate"),
        (15, 19, "moderately severe"),
        (20, 27, "severe"),
    ]
    assert PHQ9.band_for(12).meaning == (
        "Your answers suggest moderate depression symptoms over the last two weeks."
    )


def test_gad7_bands() -> None:
    assert [(b.low, b.high, b.severity) for b in GAD7.bands] == [
        (0, 4, "minimal"),
        (5, 9, "mild"),
        (10, 14, "moderate"),
        (15, 21, "severe"),
    ]
    assert "anxiety" in GAD7.band_for(0).meaning


@pytest.mark.parametrize("instrument", [PHQ9, GAD7])
def test_every_band_has_a_one_sentence_meaning(instrument: Instrument) -> None:
    for band in instrument.bands:
        assert band.meaning.startswith("Your answers suggest ")
        assert band.severity in band.meaning
        assert band.meaning.endswith(" over the last two weeks.")
        assert band.meaning.count(".") == 1


@pytest.mark.parametrize(
    ("total", "severity"),
    [
        (0, "minimal"),
        (4, "minimal"),
        (5, "mild"),
        (9, "mild"),
        (10, "moderate"),
        (14, "moderate"),
        (15, "moderately severe"),
        (19, "moderately severe"),
        (20, "severe"),
        (27, "severe"),
    ],
)
def test_phq9_band_boundaries(total: int, severity: str) -> None:
    assert PHQ9.band_for(total).severity == severity


@pytest.mark.parametrize(
    ("total", "severity"),
    [
        (0, "minimal"),
        (4, "minimal"),
        (5, "mild"),
        (9, "mild"),
        (10, "moderate"),
        (14, "moderate"),
        (15, "severe"),
        (21, "severe"),
    ],
)
def test_gad7_band_boundaries(total: int, severity: str) -> None:
    assert GAD7.band_for(total).severity == severity


@pytest.mark.parametrize(("instrument", "total"), [(PHQ9, -1), (PHQ9, 28), (GAD7, -1), (GAD7, 22)])
def test_band_for_rejects_impossible_totals(instrument: Instrument, total: int) -> None:
    with pytest.raises(ValueError, match="from 0 to"):
        instrument.band_for(total)


@pytest.mark.parametrize("total", [True, 3.0, "3", None])
def test_band_for_rejects_non_integers(total: object) -> None:
    with pytest.raises(ValueError, match="whole number"):
        PHQ9.band_for(total)  # type: ignore[arg-type]


def test_declarations_are_frozen() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        PHQ9.name = "PHQ-8"  # type: ignore[misc]


def _instrument(**changes: object) -> Instrument:
    return dataclasses.replace(GAD7, **changes)  # type: ignore[arg-type]


def test_declaration_with_a_gap_in_bands_fails() -> None:
    bands = (Band(0, 4, "minimal", "m."), Band(6, 21, "severe", "s."))
    with pytest.raises(ValueError, match="without gaps"):
        _instrument(bands=bands)


def test_declaration_with_bands_not_reaching_max_fails() -> None:
    bands = (Band(0, 4, "minimal", "m."), Band(5, 20, "severe", "s."))
    with pytest.raises(ValueError, match="must end at 21"):
        _instrument(bands=bands)


def test_declaration_with_wrong_max_total_fails() -> None:
    bands = (Band(0, 4, "minimal", "m."), Band(5, 22, "severe", "s."))
    with pytest.raises(ValueError, match="max_total must be 21"):
        _instrument(bands=bands, max_total=22)


def test_declaration_with_misnumbered_items_fails() -> None:
    items = (Item(2, "x", "0"), *GAD7.items[1:])
    with pytest.raises(ValueError, match="numbered"):
        _instrument(items=items)
