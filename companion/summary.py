"""Views built from the data layer and the clinical rules: Today now; trends and the clinician
summary later. Plain dataclasses out, so pages and exports share one computation."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import plotly.graph_objects as go  # type: ignore[import-untyped]
from sqlmodel import Session

from companion import routes
from companion.charts import (
    InfusionMark,
    MoodPoint,
    ResponseSeries,
    ScoreReading,
    SideEffectRow,
    WellbeingDay,
    mood_chart,
    questionnaire_chart,
    response_chart,
    side_effects_chart,
    summarize_mood,
    summarize_questionnaire,
    summarize_response,
    summarize_side_effects,
    summarize_wellbeing,
    wellbeing_chart,
)
from companion.clinical import (
    GAD7,
    INSTRUMENTS,
    PHQ9,
    ROUTES,
    SAFETY_LABELS,
    ArticleTag,
    Reading,
    aligned_moods,
    assess_outcome,
    choose_baseline,
    describe_side_effects,
    describe_situation,
    estimate_durability,
    format_short_date,
    label_infusions,
    median_durability,
    pick_article,
    post_checks_due,
    questionnaires_due,
    treatment_status,
    worst_side_effects,
)
from companion.clinical.durability import (
    FELL_BACK,
    NEXT_INFUSION_FIRST,
    STILL_ABOVE,
    Durability,
    mood_around,
)
from companion.content import ARTICLES, ARTICLES_BY_SLUG
from companion.data import accounts, checkins, infusions, learn, questionnaires, safety
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
    pick = pick_article(situations, article_tags(), learn.read_slugs(session, patient_id))
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


# --- Trends --------------------------------------------------------------------------------

RANGES: dict[str, int | None] = {"2W": 14, "1M": 30, "3M": 91, "1Y": 365, "All": None}
MAX_RESPONSE_LINES = 8


@dataclass(frozen=True, slots=True)
class ChartView:
    """A figure and its one-sentence summary; enough=False means show the summary alone."""

    figure: go.Figure | None
    summary: str


@dataclass(frozen=True, slots=True)
class TrendsView:
    range_key: str
    start: date
    end: date
    mood: ChartView
    phq9: ChartView
    gad7: ChartView
    response: ChartView
    wellbeing: ChartView
    side_effects: ChartView
    durability_line: str


def infusion_label(phase: str, number: int, row: infusions.Infusion) -> str:
    route = dict(ROUTES).get(row.route, row.route)
    dose = f" {row.dose_value:g} {row.dose_unit}" if row.dose_value is not None else ""
    return f"{phase.capitalize()} {number} · {route}{dose}"


def labelled_infusions(
    timeline: Timeline,
) -> list[tuple[infusions.Infusion, date, str, int]]:
    """Every infusion (done and planned) with its local day, phase and number."""
    rows = [*timeline.done, *timeline.planned]
    moments = [to_local(r.start, timeline.timezone) for r in rows]
    by_id = {id(m): r for m, r in zip(moments, rows, strict=True)}
    return [(by_id[id(m)], m.date(), phase, n) for m, phase, n in label_infusions(moments)]


def _range_start(key: str, today: date, first_day: date | None) -> date:
    days = RANGES.get(key)
    if days is None:
        return min(first_day or today, today - timedelta(days=13))
    return today - timedelta(days=days - 1)


def build_trends(
    session: Session, patient_id: int, range_key: str = "1M", now: datetime | None = None
) -> TrendsView:
    """All Trends charts for one range, from the patient's rows (mood uses every logged day)."""
    if range_key not in RANGES:
        raise ValueError(f"Unknown range {range_key!r}")
    timeline = load_timeline(session, patient_id, now)
    today = timeline.today
    entries = checkins.list_checkins(session, patient_id)
    responses = questionnaires.list_responses(session, patient_id)
    firsts = [e.day for e in entries[:1]] + [r.day for r in responses[:1]]
    firsts += timeline.done_days[:1]
    start = _range_start(range_key, today, min(firsts) if firsts else None)
    end = today
    in_range = [e for e in entries if start <= e.day <= end]
    mood_all = {e.day: float(e.mood) for e in entries}

    labelled = labelled_infusions(timeline)
    marks = [
        InfusionMark(day, infusion_label(phase, n, row), planned=row.start > timeline.now)
        for row, day, phase, n in labelled
    ]
    points = [MoodPoint(e.day, e.mood) for e in entries]
    mood_points_in_range = [p for p in points if start <= p.day <= end]
    mood = ChartView(
        mood_chart(points, marks, start, end) if len(mood_points_in_range) >= 2 else None,
        summarize_mood(points, marks, start, end),
    )

    first_done = timeline.done_days[0] if timeline.done_days else None
    charts: dict[str, ChartView] = {}
    for instrument in (PHQ9, GAD7):
        mine = [r for r in responses if r.instrument == instrument.key]
        baseline = choose_baseline([Reading(r.day, r.total) for r in mine], first_done)
        base_total = baseline.reading.total if baseline and first_done else None
        readings = [ScoreReading(r.day, r.total) for r in mine if start <= r.day <= end]
        figure = (
            questionnaire_chart(instrument, readings, base_total, marks, start, end)
            if readings
            else None
        )
        summary = summarize_questionnaire(
            instrument, [ScoreReading(r.day, r.total) for r in mine], base_total
        )
        charts[instrument.key] = ChartView(figure, summary)

    done = [(row, day, phase, n) for row, day, phase, n in labelled if row.start <= timeline.now]
    estimates = []
    series = []
    for index, (_row, day, phase, n) in enumerate(done):
        next_day = done[index + 1][1] if index + 1 < len(done) else None
        estimate = estimate_durability(day, mood_all, today, next_day)
        estimates.append(estimate)
        if start <= day <= end:
            points_around = tuple(aligned_moods(day, mood_all))
            if points_around:
                label = f"{phase.capitalize()} {n} · {format_short_date(day)}"
                days = estimate.days if estimate.status == FELL_BACK else None
                series.append(ResponseSeries(label, points_around, days))
    series = series[-MAX_RESPONSE_LINES:]
    median = median_durability(estimates)
    response = ChartView(
        response_chart(series) if series else None, summarize_response(series, median)
    )
    durability_line = (
        f"Your infusions lasted about {round(median)} days (median)." if median is not None else ""
    )

    wellbeing_days = [
        WellbeingDay(e.day, e.sleep_hours, e.anxiety, e.energy, e.pain) for e in in_range
    ]
    has_wellbeing = any(
        v is not None for d in wellbeing_days for v in (d.sleep, d.anxiety, d.energy, d.pain)
    )
    wellbeing = ChartView(
        wellbeing_chart(wellbeing_days, start, end) if has_wellbeing else None,
        summarize_wellbeing(wellbeing_days),
    )

    checks_by_infusion: dict[int, list[infusions.PostInfusionCheck]] = {}
    for check in infusions.list_post_checks(session, patient_id):
        checks_by_infusion.setdefault(check.infusion_id, []).append(check)
    rows = []
    for row, day, phase, n in done:
        checks = checks_by_infusion.get(row.id or -1, [])
        if not checks or not start <= day <= end:
            continue
        dissociation = [c.dissociation for c in checks if c.dissociation is not None]
        rows.append(
            SideEffectRow(
                f"{phase.capitalize()} {n} · {format_short_date(day)}",
                worst_side_effects([c.side_effects() for c in checks]),
                max(dissociation) if dissociation else None,
            )
        )
    side = ChartView(side_effects_chart(rows) if rows else None, summarize_side_effects(rows))
    return TrendsView(
        range_key=range_key,
        start=start,
        end=end,
        mood=mood,
        phq9=charts["phq9"],
        gad7=charts["gad7"],
        response=response,
        wellbeing=wellbeing,
        side_effects=side,
        durability_line=durability_line,
    )


# --- Clinician summary ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SafetyRow:
    day: date
    label: str


@dataclass(frozen=True, slots=True)
class InstrumentOutcome:
    """Baseline, latest and what changed, for one instrument (None parts when not yet known)."""

    name: str
    baseline_total: int | None
    baseline_day: date | None
    pretreatment: bool
    latest_total: int | None
    latest_day: date | None
    latest_severity: str
    change: int | None
    percent_change: float | None
    response: bool | None
    remission: bool | None


@dataclass(frozen=True, slots=True)
class InfusionRow:
    day: date
    when: str
    route: str
    dose: str
    phase: str
    mood_before: float | None
    mood_after: float | None
    side_effects: str
    durability: str


@dataclass(frozen=True, slots=True)
class NoteRow:
    day: date
    text: str


@dataclass(frozen=True, slots=True)
class ClinicianSummary:
    start: date
    end: date
    period_label: str
    generated_at: datetime
    timezone: str
    status_line: str
    safety: list[SafetyRow]
    outcomes: list[InstrumentOutcome]
    infusions: list[InfusionRow]
    median_durability: float | None
    mood_figure: go.Figure | None
    phq9_figure: go.Figure | None
    days_logged: int
    days_in_period: int
    notes: list[NoteRow] | None
    mood_summary: str
    phq9_summary: str


def durability_text(result: Durability) -> str:
    if result.status == FELL_BACK:
        return f"{result.days} days"
    if result.status == STILL_ABOVE:
        return f"still above ({result.days}+ days)"
    if result.status == NEXT_INFUSION_FIRST:
        return f"next infusion came first ({result.days}+ days)"
    return "not enough data"


def _instrument_outcome(
    name: str, mine: list[questionnaires.QuestionnaireResponse], first_done: date | None
) -> InstrumentOutcome:
    if not mine:
        return InstrumentOutcome(name, None, None, False, None, None, "", None, None, None, None)
    latest = mine[-1]
    readings = [Reading(r.day, r.total) for r in mine]
    baseline = choose_baseline(readings, first_done)
    assert baseline is not None
    base = baseline.reading
    # Nothing to compare while the latest questionnaire is the baseline itself.
    outcome = assess_outcome(base.total, latest.total) if base is not readings[-1] else None
    return InstrumentOutcome(
        name=name,
        baseline_total=base.total,
        baseline_day=base.day,
        pretreatment=baseline.pretreatment and first_done is not None,
        latest_total=latest.total,
        latest_day=latest.day,
        latest_severity=latest.severity,
        change=outcome.change if outcome else None,
        percent_change=outcome.percent_change if outcome else None,
        response=outcome.response if outcome else None,
        remission=outcome.remission if outcome else None,
    )


def period_start(period_days: int | None, today: date, first_day: date | None) -> date:
    if period_days is None:
        return min(first_day or today, today)
    return today - timedelta(days=period_days - 1)


def build_clinician_summary(
    session: Session,
    patient_id: int,
    period_label: str,
    period_days: int | None,
    include_notes: bool,
    now: datetime | None = None,
) -> ClinicianSummary:
    """What a clinician sees through a share link; every figure from the patient's own rows."""
    timeline = load_timeline(session, patient_id, now)
    today = timeline.today
    entries = checkins.list_checkins(session, patient_id)
    responses = questionnaires.list_responses(session, patient_id)
    firsts = [
        d
        for d in (
            entries[0].day if entries else None,
            responses[0].day if responses else None,
            timeline.done_days[0] if timeline.done_days else None,
        )
        if d
    ]
    start = period_start(period_days, today, min(firsts) if firsts else None)
    end = today
    mood_all = {e.day: float(e.mood) for e in entries}
    first_done = timeline.done_days[0] if timeline.done_days else None

    safety_rows = [
        SafetyRow(e.day, SAFETY_LABELS.get(e.kind, e.kind))
        for e in safety.list_safety_events(session, patient_id, start, end)
    ]
    outcomes = [
        _instrument_outcome(
            instrument.name, [r for r in responses if r.instrument == instrument.key], first_done
        )
        for instrument in (PHQ9, GAD7)
    ]

    labelled = labelled_infusions(timeline)
    done = [(row, day, phase, n) for row, day, phase, n in labelled if row.start <= timeline.now]
    checks_by_infusion: dict[int, list[infusions.PostInfusionCheck]] = {}
    for check in infusions.list_post_checks(session, patient_id):
        checks_by_infusion.setdefault(check.infusion_id, []).append(check)
    rows: list[InfusionRow] = []
    estimates: list[Durability] = []
    for index, (row, day, phase, n) in enumerate(done):
        next_day = done[index + 1][1] if index + 1 < len(done) else None
        estimate = estimate_durability(day, mood_all, today, next_day)
        estimates.append(estimate)
        if not start <= day <= end:
            continue
        checks = checks_by_infusion.get(row.id or -1, [])
        dissociation = [c.dissociation for c in checks if c.dissociation is not None]
        side = (
            describe_side_effects(
                worst_side_effects([c.side_effects() for c in checks]),
                max(dissociation) if dissociation else None,
            )
            if checks
            else "No check answered"
        )
        before, after = mood_around(day, mood_all)
        local = to_local(row.start, timeline.timezone)
        rows.append(
            InfusionRow(
                day=day,
                when=f"{format_short_date(day)} {day.year} {local:%H:%M}",
                route=dict(ROUTES).get(row.route, row.route),
                dose=f"{row.dose_value:g} {row.dose_unit}" if row.dose_value is not None else "",
                phase=f"{phase.capitalize()} {n}",
                mood_before=before,
                mood_after=after,
                side_effects=side,
                durability=durability_text(estimate),
            )
        )

    marks = [
        InfusionMark(day, infusion_label(phase, n, row), planned=row.start > timeline.now)
        for row, day, phase, n in labelled
    ]
    points = [MoodPoint(e.day, e.mood) for e in entries]
    in_period = [e for e in entries if start <= e.day <= end]
    phq9_rows = [r for r in responses if r.instrument == "phq9"]
    phq9_in_period = [ScoreReading(r.day, r.total) for r in phq9_rows if start <= r.day <= end]
    phq9_outcome = outcomes[0]
    status = treatment_status(today, timeline.done_days, timeline.planned_days)
    notes = (
        [NoteRow(e.day, e.note) for e in reversed(in_period) if e.note] if include_notes else None
    )
    return ClinicianSummary(
        start=start,
        end=end,
        period_label=period_label,
        generated_at=timeline.now,
        timezone=timeline.timezone,
        status_line=status.line,
        safety=safety_rows,
        outcomes=outcomes,
        infusions=rows,
        median_durability=median_durability(estimates),
        mood_figure=mood_chart(points, marks, start, end) if len(in_period) >= 2 else None,
        phq9_figure=(
            questionnaire_chart(
                PHQ9,
                phq9_in_period,
                phq9_outcome.baseline_total if first_done else None,
                marks,
                start,
                end,
            )
            if phq9_in_period
            else None
        ),
        days_logged=len(in_period),
        days_in_period=(end - start).days + 1,
        notes=notes,
        mood_summary=summarize_mood(points, marks, start, end),
        phq9_summary=summarize_questionnaire(
            PHQ9, [ScoreReading(r.day, r.total) for r in phq9_rows], phq9_outcome.baseline_total
        ),
    )
