"""The package re-exports every public name, and imports nothing outside the standard library."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import companion.clinical as clinical

CLINICAL = Path(clinical.__file__).parent

REQUIRED = [
    "AnswerOption",
    "Item",
    "Band",
    "Instrument",
    "PHQ9",
    "GAD7",
    "INSTRUMENTS",
    "Score",
    "score",
    "score_phq9",
    "score_gad7",
    "Outcome",
    "assess_outcome",
    "Reading",
    "Baseline",
    "choose_baseline",
    "label_infusions",
    "TreatmentStatus",
    "treatment_status",
    "Due",
    "questionnaire_due",
    "questionnaires_due",
    "POST_CHECKS",
    "PostCheckTimepoint",
    "post_checks_due",
    "SEVERITIES",
    "SideEffect",
    "SIDE_EFFECTS",
    "DISSOCIATION_LABEL",
    "DISSOCIATION_NOTE",
    "COMPARED_WITH_BEFORE",
    "ROUTES",
    "DOSE_UNITS",
    "worst_side_effects",
    "describe_side_effects",
    "SUICIDAL_THOUGHTS",
    "needs_crisis_screen",
    "SafetyKind",
    "safety_kind_for_checkin",
    "safety_kind_for_phq9",
    "SAFETY_LABELS",
    "CRISIS",
    "CrisisContact",
    "NOBODY_WATCHING",
    "MOOD_MAX",
    "NOTE_MAX",
    "TAGS",
    "CheckInInput",
    "validate_checkin",
    "ValidationError",
    "estimate_durability",
    "Durability",
    "median_durability",
    "mood_around",
    "aligned_moods",
    "rolling_mean",
    "mood_falling",
    "Situation",
    "describe_situation",
    "REASONS",
    "ArticleTag",
    "pick_article",
    "ArticlePick",
]


def test_every_required_name_is_exported() -> None:
    for name in REQUIRED:
        assert name in clinical.__all__, name
        assert hasattr(clinical, name), name


def test_all_matches_what_is_defined() -> None:
    assert len(set(clinical.__all__)) == len(clinical.__all__)
    for name in clinical.__all__:
        assert hasattr(clinical, name), name


def test_only_standard_library_imports() -> None:
    allowed = set(sys.stdlib_module_names) | {"__future__"}
    for path in CLINICAL.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                internal = name.startswith("companion.clinical")
                assert top in allowed or internal, f"{path.name} imports {name}"


def test_every_module_starts_with_a_docstring() -> None:
    for path in CLINICAL.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        assert ast.get_docstring(tree), path.name
