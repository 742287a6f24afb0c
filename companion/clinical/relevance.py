"""Which article Today shows: the patient's situations in priority order, then the best match.

Safety comes first, then what just happened (an infusion, a questionnaire, a dip), then the phase.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from companion.clinical.dates import calendar_day
from companion.clinical.durability import mood_falling
from companion.clinical.phases import BEFORE, INDUCTION, MAINTENANCE, treatment_status

SAFETY_EVENT = "safety_event"
INFUSION_DAY = "infusion_day"
DAY_AFTER = "day_after"
PHQ9_COMPLETED = "phq9_completed"
MOOD_FALLING = "mood_falling"
BEFORE_FIRST = "before_first"
INDUCTION_PHASE = "induction"
MAINTENANCE_PHASE = "maintenance"

# A safety event stays the top situation for 3 days (today and the two days before).
SAFETY_RECENT_DAYS = 3


@dataclass(frozen=True, slots=True)
class Situation:
    """A situation a patient can be in, and the reason shown under the article it picks."""

    key: str
    reason: str


# In priority order: the first that applies chooses the article.
SITUATIONS: tuple[Situation, ...] = (
    Situation(SAFETY_EVENT, "Because you noted difficult thoughts recently"),
    Situation(INFUSION_DAY, "Because you had an infusion today"),
    Situation(DAY_AFTER, "Because you had an infusion yesterday"),
    Situation(PHQ9_COMPLETED, "Because you just completed a PHQ-9"),
    Situation(MOOD_FALLING, "Because your mood has dipped for a few days"),
    Situation(BEFORE_FIRST, "Because your first infusion is still ahead"),
    Situation(INDUCTION_PHASE, "Because you are in your induction series"),
    Situation(MAINTENANCE_PHASE, "Because you are in the maintenance phase"),
)
REASONS: dict[str, str] = {situation.key: situation.reason for situation in SITUATIONS}

# Phase situations also match articles tagged with the phase itself.
PHASE_OF_SITUATION: dict[str, str] = {
    BEFORE_FIRST: BEFORE,
    INDUCTION_PHASE: INDUCTION,
    MAINTENANCE_PHASE: MAINTENANCE,
}


def describe_situation(
    today: date,
    done_infusions: Sequence[date],
    mood_by_day: Mapping[date, float],
    phq9_days: Sequence[date],
    safety_days: Sequence[date],
) -> list[str]:
    """Every situation that applies today, in priority order, ending with exactly one phase
    situation (before_first, induction or maintenance)."""
    today = calendar_day(today)
    infusion_days = {calendar_day(d) for d in done_infusions}
    yesterday = today - timedelta(days=1)
    situations: list[str] = []
    if any(0 <= (today - calendar_day(d)).days < SAFETY_RECENT_DAYS for d in safety_days):
        situations.append(SAFETY_EVENT)
    if today in infusion_days:
        situations.append(INFUSION_DAY)
    if yesterday in infusion_days:
        situations.append(DAY_AFTER)
    if any(calendar_day(d) in (today, yesterday) for d in phq9_days):
        situations.append(PHQ9_COMPLETED)
    if mood_falling(mood_by_day, today):
        situations.append(MOOD_FALLING)
    phase = treatment_status(today, done_infusions, ()).phase
    situations.append({BEFORE: BEFORE_FIRST, INDUCTION: INDUCTION_PHASE}.get(phase, MAINTENANCE))
    return situations


@dataclass(frozen=True, slots=True)
class ArticleTag:
    """An article's slug and what it is tagged with (from its front matter)."""

    slug: str
    situations: tuple[str, ...]
    phases: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ArticlePick:
    """The article to show, the situation that chose it, and the reason to show with it."""

    slug: str
    situation: str
    reason: str


def _fits(articles: Sequence[ArticleTag], situation: str) -> list[ArticleTag]:
    """Articles for a situation: those tagged with it first, then those of its phase."""
    tagged = [a for a in articles if situation in a.situations]
    phase = PHASE_OF_SITUATION.get(situation)
    by_phase = [a for a in articles if phase is not None and phase in a.phases and a not in tagged]
    return tagged + by_phase


def pick_article(
    situations: Sequence[str], articles: Sequence[ArticleTag], read: Collection[str] = ()
) -> ArticlePick | None:
    """For each situation in order, the first unread article that fits it: one tagged with the
    situation itself before one that only shares its phase, then in the given order.

    If every fitting article is read, the first that fits the top situation that has one: a read
    article is better than none. None when no article fits any situation.
    """
    for situation in situations:
        if situation not in REASONS:
            raise ValueError(f"Unknown situation {situation!r}")
    for situation in situations:
        for article in _fits(articles, situation):
            if article.slug not in read:
                return ArticlePick(article.slug, situation, REASONS[situation])
    for situation in situations:
        for article in _fits(articles, situation):
            return ArticlePick(article.slug, situation, REASONS[situation])
    return None
