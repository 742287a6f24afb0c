"""PHQ-9 and GAD-7 declared once, as data: items, answers, bands, LOINC codes, copyright line.

The form, the scoring, the chart bands and the FHIR export are all derived from these declarations.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class AnswerOption:
    """One answer a patient can give to an item, with its score and its LOINC answer code."""

    value: int
    text: str
    loinc: str


@dataclass(frozen=True, slots=True)
class Item:
    """One question of an instrument, numbered from 1 as on the published form."""

    number: int
    text: str
    loinc: str


@dataclass(frozen=True, slots=True)
class Band:
    """A severity band: totals from low to high inclusive, and a sentence a patient can read."""

    low: int
    high: int
    severity: str
    meaning: str

    def contains(self, total: int) -> bool:
        return self.low <= total <= self.high


@dataclass(frozen=True, slots=True)
class Instrument:
    """A validated questionnaire, reproduced word for word (a paraphrase is no longer valid)."""

    key: str
    name: str
    stem: str
    items: tuple[Item, ...]
    options: tuple[AnswerOption, ...]
    bands: tuple[Band, ...]
    panel_loinc: str
    total_loinc: str
    max_total: int
    copyright: str
    self_harm_item: int | None
    difficulty_question: str
    difficulty_options: tuple[str, ...]
    difficulty_loinc: str
    difficulty_answer_loinc: tuple[str, ...]

    def __post_init__(self) -> None:
        # A declaration mistake should fail at import, not as a wrong severity in front of a
        # patient: the bands must tile 0..max_total with no gap or overlap.
        expected_low = 0
        for band in self.bands:
            if band.low != expected_low or band.high < band.low:
                raise ValueError(f"{self.name} bands must cover 0..{self.max_total} without gaps")
            expected_low = band.high + 1
        if expected_low != self.max_total + 1:
            raise ValueError(f"{self.name} bands must end at {self.max_total}")
        highest = max(option.value for option in self.options)
        if self.max_total != highest * len(self.items):
            raise ValueError(f"{self.name} max_total must be {highest * len(self.items)}")
        numbers = tuple(item.number for item in self.items)
        if numbers != tuple(range(1, len(self.items) + 1)):
            raise ValueError(f"{self.name} items must be numbered 1..{len(self.items)}")
        if len(self.difficulty_answer_loinc) != len(self.difficulty_options):
            raise ValueError(f"{self.name} needs one LOINC answer code per difficulty option")

    def band_for(self, total: int) -> Band:
        """The severity band a total falls in; ValueError for a total the instrument can't give."""
        if isinstance(total, bool) or not isinstance(total, int):
            raise ValueError(f"{self.name} total must be a whole number, got {total!r}")
        for band in self.bands:
            if band.contains(total):
                return band
        raise ValueError(f"{self.name} total must be from 0 to {self.max_total}, got {total}")


# The same four answers, scored 0-3, for both instruments (Kroenke 2001; Spitzer 2006), with
# their LOINC answer codes.
ANSWER_OPTIONS: tuple[AnswerOption, ...] = (
    AnswerOption(0, "Not at all", "LA6568-5"),
    AnswerOption(1, "Several days", "LA6569-3"),
    AnswerOption(2, "More than half the days", "LA6570-1"),
    AnswerOption(3, "Nearly every day", "LA6571-9"),
)

COPYRIGHT = (
    "Developed by Drs. Robert L. Spitzer, Janet B.W. Williams, Kurt Kroenke and colleagues, "
    "with an educational grant from Pfizer Inc. No permission required to reproduce, translate, "
    "display or distribute."
)

# The unscored functional question that follows both forms (LOINC 69722-7).
DIFFICULTY_QUESTION = (
    "If you checked off any problems, how difficult have these problems made it for you to do "
    "your work, take care of things at home, or get along with other people?"
)
DIFFICULTY_OPTIONS: tuple[str, ...] = (
    "Not difficult at all",
    "Somewhat difficult",
    "Very difficult",
    "Extremely difficult",
)
DIFFICULTY_LOINC = "69722-7"
# LOINC answer list LL359-1, in the order of DIFFICULTY_OPTIONS. The codes are not in sequence:
# "Very difficult" is LA6575-0 and "Extremely difficult" LA6574-3 (some public samples swap them).
DIFFICULTY_ANSWER_LOINC: tuple[str, ...] = ("LA6572-7", "LA6573-5", "LA6575-0", "LA6574-3")

PHQ9 = Instrument(
    key="phq9",
    name="PHQ-9",
    stem=(
        "Over the last 2 weeks, how often have you been bothered by any of the following problems?"
    ),
    items=(
        Item(1, "Little interest or pleasure in doing things", "44250-9"),
        Item(2, "Feeling down, depressed, or hopeless", "44255-8"),
        Item(3, "Trouble falling or staying asleep, or sleeping too much", "44259-0"),
        Item(4, "Feeling tired or having little energy", "44254-1"),
        Item(5, "Poor appetite or overeating", "44251-7"),
        Item(
            6,
            "Feeling bad about yourself — or that you are a failure or have let yourself or "
            "your family down",
            "44258-2",
        ),
        Item(
            7,
            "Trouble concentrating on things, such as reading the newspaper or watching television",
            "44252-5",
        ),
        Item(
            8,
            "Moving or speaking so slowly that other people could have noticed? Or the "
            "opposite — being so fidgety or restless that you have been moving around a lot "
            "more than usual",
            "44253-3",
        ),
        # Item 9 is the self-harm item: 44260-8 is this item, not the total (44261-6).
        Item(
            9,
            "Thoughts that you would be better off dead or of hurting yourself in some way",
            "44260-8",
        ),
    ),
    options=ANSWER_OPTIONS,
    # Severity cut-points 5, 10, 15, 20 (Kroenke, Spitzer & Williams 2001, J Gen Intern Med).
    bands=(
        Band(
            0,
            4,
            "minimal",
            "Your answers suggest minimal depression symptoms over the last two weeks.",
        ),
        Band(
            5, 9, "mild", "Your answers suggest mild depression symptoms over the last two weeks."
        ),
        Band(
            10,
            14,
            "moderate",
            "Your answers suggest moderate depression symptoms over the last two weeks.",
        ),
        Band(
            15,
            19,
            "moderately severe",
            "Your answers suggest moderately severe depression symptoms over the last two weeks.",
        ),
        Band(
            20,
            27,
            "severe",
            "Your answers suggest severe depression symptoms over the last two weeks.",
        ),
    ),
    panel_loinc="44249-1",
    total_loinc="44261-6",
    max_total=27,
    copyright=COPYRIGHT,
    self_harm_item=9,
    difficulty_question=DIFFICULTY_QUESTION,
    difficulty_options=DIFFICULTY_OPTIONS,
    difficulty_loinc=DIFFICULTY_LOINC,
    difficulty_answer_loinc=DIFFICULTY_ANSWER_LOINC,
)

GAD7 = Instrument(
    key="gad7",
    name="GAD-7",
    stem="Over the last 2 weeks, how often have you been bothered by the following problems?",
    items=(
        Item(1, "Feeling nervous, anxious, or on edge", "69725-0"),
        Item(2, "Not being able to stop or control worrying", "68509-9"),
        Item(3, "Worrying too much about different things", "69733-4"),
        Item(4, "Trouble relaxing", "69734-2"),
        Item(5, "Being so restless that it is hard to sit still", "69735-9"),
        Item(6, "Becoming easily annoyed or irritable", "69689-8"),
        Item(7, "Feeling afraid, as if something awful might happen", "69736-7"),
    ),
    options=ANSWER_OPTIONS,
    # Severity cut-points 5, 10, 15 (Spitzer, Kroenke, Williams & Löwe 2006, Arch Intern Med).
    bands=(
        Band(
            0,
            4,
            "minimal",
            "Your answers suggest minimal anxiety symptoms over the last two weeks.",
        ),
        Band(5, 9, "mild", "Your answers suggest mild anxiety symptoms over the last two weeks."),
        Band(
            10,
            14,
            "moderate",
            "Your answers suggest moderate anxiety symptoms over the last two weeks.",
        ),
        Band(
            15,
            21,
            "severe",
            "Your answers suggest severe anxiety symptoms over the last two weeks.",
        ),
    ),
    panel_loinc="69737-5",
    total_loinc="70274-6",
    max_total=21,
    copyright=COPYRIGHT,
    # The GAD-7 has no self-harm item.
    self_harm_item=None,
    difficulty_question=DIFFICULTY_QUESTION,
    difficulty_options=DIFFICULTY_OPTIONS,
    difficulty_loinc=DIFFICULTY_LOINC,
    difficulty_answer_loinc=DIFFICULTY_ANSWER_LOINC,
)

INSTRUMENTS: dict[str, Instrument] = {PHQ9.key: PHQ9, GAD7.key: GAD7}
