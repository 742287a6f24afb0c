"""Views built from the data layer and the clinical rules: Today now; trends and the clinician
summary later. Plain dataclasses out, so pages and exports share one computation."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlmodel import Session

from companion import routes
from companion.clinical import (
    INSTRUMENTS,
    ArticleTag,
    Reading,
    assess_outcome,
    choose_baseline,
    describe_situation,
    format_short_date,
    pick_article,
    post_checks_due,
    questionnaires_due,
    treatment_status,
)
from companion.content import ARTICLES, ARTICLES_BY_SLUG
from companion.data import accounts, checkins, infusions, questionnaires, safety
from companion.data.db import utcnow
from companion.localtime import to_local, zone


@dataclass(frozen=True, slots=True)
class Timeline:
    """A patient's infusions split at now, on their own calendar."""

    timezone: str
    now: datetime
    today: date
    done: list[infusions.Infusion]
    planned: list[infusions.Infusion]

    def local_day(self, moment: datetime) -> date:
        return to_local(moment, self.timezone).date()

    @property
    def done_days(self) -> list[date]:
        return [self.local_day(i.start) for i in self.done]

    @property
    def planned_days(self) -> list[date]:
        return [self.local_day(i.start) for i in self.planned]


def load_timeline(session: Session, patient_id: int, now: datetime | None = None) -> Timeline:
    now = now or utcnow()
    patient = accounts.get_patient(session, patient_id)
    tz = patient.timezone if patient else "UTC"
    rows = infusions.list_infusions(session, patient_id)
    return Timeline(
        timezone=tz,
        now=now,
        today=now.astimezone(zone(tz)).date(),
        done=[r for r in rows if r.start <= now],
        planned=[r for r in rows if r.start > now],
    )


@dataclass(frozen=True, slots=True)
class DueItem:
    title: str
    reason: str
    href: str
    action: str


@dataclass(frozen=True, slots=True)
class OutcomeView:
    instrument: str
    baseline_total: int
    baseline_day: date
    pretreatment: bool
    latest_total: int
    latest_day: date
    latest_severity: str
    change: int
    percent_change: float | None
    response: bool
    remission: bool
    meaningful: bool

    @property
    def verdict(self) -> str:
        if self.remission:
            return "In remission (PHQ-9 below 5)"
        if self.response:
            return "Responding (at least 50% lower than baseline)"
        if self.meaningful and self.change < 0:
            return "Better by 5 points or more, not yet a response"
        if self.meaningful and self.change > 0:
            return "Worse by 5 points or more than baseline"
        return "No clear change from baseline yet"


@dataclass(frozen=True, slots=True)
class ArticleView:
    slug: str
    title: str
    summary: str
    reason: str


@dataclass(frozen=True, slots=True)
class TodayView:
    today: date
    checkin_mood: int | None
    phase_line: str
    due: list[DueItem] = field(default_factory=list)
    phq9: OutcomeView | None = None
    article: ArticleView | None = None
    next_planned: str = ""


def outcome_for(
    responses: list[questionnaires.QuestionnaireResponse], first_infusion_day: date | None
) -> OutcomeView | None:
    """Baseline versus latest, once a questionnaire follows the baseline; else None."""
    readings = [Reading(r.day, r.total) for r in responses]
    baseline = choose_baseline(readings, first_infusion_day)
    if baseline is None:
        return None
    base_index = max(i for i, r in enumerate(readings) if r is baseline.reading)
    if base_index == len(readings) - 1:
        return None  # the latest one is the baseline: nothing to compare yet
    latest = responses[-1]
    outcome = assess_outcome(baseline.reading.total, latest.total)
    return OutcomeView(
        instrument=latest.instrument,
        baseline_total=baseline.reading.total,
        baseline_day=baseline.reading.day,
        pretreatment=baseline.pretreatment,
        latest_total=latest.total,
        latest_day=latest.day,
        latest_severity=latest.severity,
        change=outcome.change,
        percent_change=outcome.percent_change,
        response=outcome.response,
        remission=outcome.remission,
        meaningful=outcome.meaningful,
    )


def article_tags() -> list[ArticleTag]:
    return [ArticleTag(a.slug, a.situations, a.phases) for a in ARTICLES]


def build_today(session: Session, patient_id: int, now: datetime | None = None) -> TodayView:
    """Everything the Today page shows, computed from the patient's own rows."""
    timeline = load_timeline(session, patient_id, now)
    today = timeline.today
    entry = checkins.get_checkin(session, patient_id, today)
    status = treatment_status(today, timeline.done_days, timeline.planned_days)
    responses = questionnaires.list_responses(session, patient_id)
    taken: dict[str, list[date]] = {}
    for response in responses:
        taken.setdefault(response.instrument, []).append(response.day)

    due: list[DueItem] = []
    if entry is None:
        due.append(
            DueItem(
                "Today's check-in", "Two taps: your mood, then Save.", routes.CHECKIN, "Check in"
            )
        )
    for item in questionnaires_due(today, timeline.done_days, timeline.planned_days, taken):
        name = INSTRUMENTS[item.instrument].name
        due.append(
            DueItem(name, item.reason, routes.questionnaire(item.instrument), f"Take the {name}")
        )
    done_checks = {
        (c.infusion_id, c.timepoint) for c in infusions.list_post_checks(session, patient_id)
    }
    recent = [(i.id, i.start) for i in timeline.done if i.id is not None]
    for infusion_id, timepoint in post_checks_due(timeline.now, recent, done_checks):
        start = next(i.start for i in timeline.done if i.id == infusion_id)
        day = format_short_date(timeline.local_day(start))
        due.append(
            DueItem(
                f"Post-infusion check: {timepoint.label.lower()}",
                f"How you feel after your infusion on {day}.",
                routes.post_check(infusion_id, timepoint.key),
                "Answer the check",
            )
        )

    phq9 = [r for r in responses if r.instrument == "phq9"]
    first_day = timeline.done_days[0] if timeline.done_days else None
    # A dip needs four days of mood at most (clinical.durability.mood_falling).
    mood = checkins.mood_by_day(session, patient_id, start=today - timedelta(days=4))
    situations = describe_situation(
        today,
        timeline.done_days,
        mood,
        [r.day for r in phq9],
        [e.day for e in safety.list_safety_events(session, patient_id)],
    )
    read: set[str] = set()
    pick = pick_article(situations, article_tags(), read)
    article = None
    if pick is not None:
        chosen = ARTICLES_BY_SLUG[pick.slug]
        article = ArticleView(chosen.slug, chosen.title, chosen.summary, pick.reason)
    next_planned = ""
    if timeline.planned:
        start = to_local(timeline.planned[0].start, timeline.timezone)
        next_planned = f"{format_short_date(start.date())} at {start:%H:%M}"
    return TodayView(
        today=today,
        checkin_mood=entry.mood if entry else None,
        phase_line=status.line,
        due=due,
        phq9=outcome_for(phq9, first_day),
        article=article,
        next_planned=next_planned,
    )
