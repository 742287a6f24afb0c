"""Treatment outcome from questionnaire totals: change from baseline, response, remission.

Also chooses which reading is the baseline.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from companion.clinical.dates import calendar_day

# Response: a fall of at least 50% from baseline (the usual definition in depression trials and
# in PHQ-9 monitoring; Kroenke 2001, Löwe 2004).
RESPONSE_FRACTION = 0.5
# Remission: a PHQ-9 total below 5, i.e. back in the "minimal" band (Kroenke 2001). This cut-off
# is for the PHQ-9; for a GAD-7 the flag means the same band ("minimal", below 5; Spitzer 2006).
REMISSION_BELOW = 5
# A change of 5 points or more is the minimal clinically important difference on the PHQ-9
# (Löwe, Unützer et al. 2004, Med Care).
MEANINGFUL_CHANGE = 5


@dataclass(frozen=True, slots=True)
class Outcome:
    """Latest versus baseline; `change` and `percent_change` are negative when better."""

    baseline: int
    latest: int
    change: int
    percent_change: float | None
    response: bool
    remission: bool
    meaningful: bool


def _check_total(name: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"{name} must be a whole number of 0 or more, got {value!r}")
    return value


def assess_outcome(baseline_total: int, latest_total: int) -> Outcome:
    """Compare the latest total with the baseline.

    percent_change is rounded to one decimal and is None when the baseline is 0 (no ratio).
    response: latest <= baseline / 2 with a baseline above 0. remission: latest < 5 (PHQ-9).
    meaningful: the total moved 5 points or more in either direction (Löwe 2004).
    """
    baseline = _check_total("The baseline total", baseline_total)
    latest = _check_total("The latest total", latest_total)
    change = latest - baseline
    percent = None if baseline == 0 else round(change / baseline * 100, 1)
    # Compared in integers (latest * 2 <= baseline) so 50% exactly is a response, with no
    # floating-point doubt at the boundary.
    response = baseline > 0 and latest * 2 <= baseline
    return Outcome(
        baseline=baseline,
        latest=latest,
        change=change,
        percent_change=percent,
        response=response,
        remission=latest < REMISSION_BELOW,
        meaningful=abs(change) >= MEANINGFUL_CHANGE,
    )


@dataclass(frozen=True, slots=True)
class Reading:
    """One questionnaire total on one day."""

    day: date
    total: int


@dataclass(frozen=True, slots=True)
class Baseline:
    """The reading used as baseline; pretreatment False means "no pre-treatment baseline"."""

    reading: Reading
    pretreatment: bool


def choose_baseline(
    readings: Sequence[Reading], first_infusion_day: date | None
) -> Baseline | None:
    """The baseline reading (PRODUCT.md "Outcomes").

    The last reading on or before the first infusion day is the pre-treatment baseline; readings
    taken the same day as the infusion count, as they are usually filled in before it. With no such
    reading, the first reading stands in, marked pretreatment=False. With no infusion yet
    (first_infusion_day None) every reading is pre-treatment, so the latest one is the baseline.
    None when there are no readings. Among readings on one day, the later in the input wins.
    """
    if not readings:
        return None
    ordered = sorted(
        readings, key=lambda reading: calendar_day(reading.day)
    )  # stable: keeps input order
    if first_infusion_day is None:
        return Baseline(ordered[-1], pretreatment=True)
    first_day = calendar_day(first_infusion_day)
    before = [reading for reading in ordered if calendar_day(reading.day) <= first_day]
    if before:
        return Baseline(before[-1], pretreatment=True)
    return Baseline(ordered[0], pretreatment=False)
