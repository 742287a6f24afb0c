"""Views built from the data layer and the clinical rules: Today, Trends and the clinician
summary. Plain dataclasses out, so pages, downloads and benchmarks share one computation."""

from __future__ import annotations

import bisect
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import NamedTuple, TypeVar
from zoneinfo import ZoneInfo

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
from companion.charts.figures import ROLLING_WINDOW, response_days
from companion.charts.svg import (
    mood_svg,
    mood_svg_height,
    questionnaire_svg,
    questionnaire_svg_height,
    response_svg,
    response_svg_height,
    side_effects_svg,
    side_effects_svg_height,
    wellbeing_svg,
    wellbeing_svg_height,
)
from companion.clinical import (
    GAD7,
    INSTRUMENTS,
    PHQ9,
    ROUTES,
    SAFETY_LABELS,
    ArticleTag,
    Instrument,
    Reading,
    SafetyKind,
    aligned_moods,
    assess_outcome,
    booster_outlook,
    choose_baseline,
    describe_side_effects,
    describe_situation,
    estimate_durability,
    format_short_date,
    label_infusions,
    median_durability,
    patient_outlook,
    pick_article,
    post_checks_due,
    questionnaires_due,
    treatment_status,
    worst_side_effects,
)
from companion.clinical.durability import (
    FELL_BACK,
    NEXT_INFUSION_FIRST,
    PRE_DAYS,
    STILL_ABOVE,
    Durability,
    comparison_days,
    mood_around,
)
from companion.content import ARTICLES, ARTICLES_BY_SLUG
from companion.data import (
    accounts,
    checkins,
    infusions,
    learn,
    questionnaires,
    safety,
    safety_plans,
)
from companion.data.db import as_utc, utcnow
from companion.data.safety import SafetyEvent
from companion.localtime import to_local, zone


@dataclass(frozen=True, slots=True)
class Timeline:
    """A patient's infusions split at now, on their own calendar. `earlier` are the starts of
    infusions given before those in `done` that were not asked for as rows (load_timeline's
    rows_from); `done_days` are the days of all of them."""

    timezone: str
    tzinfo: ZoneInfo
    now: datetime
    today: date
    done: list[infusions.Infusion]
    planned: list[infusions.Infusion]
    done_days: list[date]
    planned_days: list[date]
    earlier: list[datetime] = field(default_factory=list)
    # Each infusion's label from every start (the rows_from case): id -> its _Starts entry.
    labels: dict[int, _Label] | None = None

    def local(self, moment: datetime) -> datetime:
        return moment.astimezone(self.tzinfo)

    def local_day(self, moment: datetime) -> date:
        return self.local(moment).date()


def load_timeline(
    session: Session,
    patient_id: int,
    now: datetime | None = None,
    rows_from: datetime | None = None,
) -> Timeline:
    """Every infusion as a row; with rows_from, only those from then on and the last one given
    before it are rows, the others' starts alone (a period's view reads a few rows, not years)."""
    now = now or utcnow()
    tz = accounts.timezone_of(session, patient_id)
    # The zone once, not per infusion: looking a zone up checks its name against every zone.
    tzinfo = zone(tz)
    earlier: list[datetime] = []
    earlier_days: list[date] = []
    labels = None
    if rows_from is None:
        rows = infusions.list_infusions(session, patient_id)
    else:
        kept = _starts_of(session, patient_id, tz, tzinfo)
        given = bisect.bisect_right(kept.starts, now)
        rows_from = min([rows_from, *kept.starts[given - 1 : given]])
        before = bisect.bisect_left(kept.starts, rows_from)
        earlier, earlier_days = list(kept.starts[:before]), list(kept.days[:before])
        labels = kept.labels
        rows = infusions.list_infusions(session, patient_id, start=rows_from)
    done = [r for r in rows if r.start <= now]
    planned = [r for r in rows if r.start > now]
    return Timeline(
        timezone=tz,
        tzinfo=tzinfo,
        now=now,
        today=now.astimezone(tzinfo).date(),
        done=done,
        planned=planned,
        done_days=[*earlier_days, *(r.start.astimezone(tzinfo).date() for r in done)],
        planned_days=[r.start.astimezone(tzinfo).date() for r in planned],
        earlier=earlier,
        labels=labels,
    )


class _Label(NamedTuple):
    rank: int  # place in label order (by local day and time)
    start: datetime
    phase: str
    number: int


@dataclass(frozen=True, slots=True)
class _Starts:
    """Every infusion start of a patient in time order, its local day, and each infusion's
    label: all a period's view needs of the infusions before the period."""

    key: tuple[str, tuple[tuple[object, ...], ...]]  # the zone, the rows as the driver gave them
    starts: tuple[datetime, ...]
    days: tuple[date, ...]
    labels: dict[int, _Label]


# Kept per patient with the rows they were made from: a view compares those (microseconds at
# 10 years) and converts, sorts and labels a whole record's infusions only when one changed.
KEPT_PATIENTS = 1000  # the patients whose infusion starts and durability are kept
V = TypeVar("V")
_starts: dict[int, _Starts] = {}
_starts_lock = threading.Lock()


def _starts_of(session: Session, patient_id: int, tz: str, tzinfo: ZoneInfo) -> _Starts:
    fetched = infusions.fetch_starts(session, patient_id)
    key = (tz, fetched.rows)
    with _starts_lock:
        kept = _starts.get(patient_id)
    if kept is not None and kept.key == key:
        return kept
    pairs = sorted((as_utc(start), infusion_id) for infusion_id, start in fetched.converted())
    moments = [start.astimezone(tzinfo) for start, _ in pairs]
    by_moment = {id(m): pair for m, pair in zip(moments, pairs, strict=True)}
    labels = {}
    for rank, (moment, phase, number) in enumerate(label_infusions(moments)):
        start, infusion_id = by_moment[id(moment)]
        labels[infusion_id] = _Label(rank, start, phase, number)
    made = _Starts(key, tuple(s for s, _ in pairs), tuple(m.date() for m in moments), labels)
    _keep(_starts, _starts_lock, patient_id, made)
    return made


def _keep(kept: dict[int, V], lock: threading.Lock, patient_id: int, value: V) -> None:
    """Keeps value as the patient's, newest last; past KEPT_PATIENTS patients, the one kept
    longest ago is forgotten."""
    with lock:
        kept.pop(patient_id, None)
        while len(kept) >= KEPT_PATIENTS:
            del kept[next(iter(kept))]
        kept[patient_id] = value


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
    meaningful: bool | None
    # The baseline / latest was taken on an earlier day (at the clinic) and entered later.
    baseline_entered_later: bool = False
    latest_entered_later: bool = False

    @property
    def compared(self) -> bool:
        """True once a questionnaire follows the baseline."""
        return self.change is not None

    @property
    def verdict(self) -> str:
        if self.remission:
            return "In remission (PHQ-9 below 5)"
        if self.response:
            return "Responding (at least 50% lower than baseline)"
        if self.meaningful and self.change is not None and self.change < 0:
            return "Better by 5 points or more, not yet a response"
        if self.meaningful and self.change is not None and self.change > 0:
            return "Worse by 5 points or more than baseline"
        return "No clear change from baseline yet"


def instrument_outcome(
    name: str,
    mine: list[questionnaires.QuestionnaireResponse] | list[questionnaires.Total],
    first_done: date | None,
) -> InstrumentOutcome:
    """The baseline of PRODUCT.md (last on or before the first infusion) against the latest."""
    if not mine:
        return InstrumentOutcome(
            name, None, None, False, None, None, "", None, None, None, None, None
        )
    latest = mine[-1]
    readings = [Reading(r.day, r.total) for r in mine]
    baseline = choose_baseline(readings, first_done)
    assert baseline is not None
    base = baseline.reading
    base_row = next(row for row, reading in zip(mine, readings, strict=True) if reading is base)
    # Nothing to compare while the latest questionnaire is the baseline itself.
    outcome = assess_outcome(base.total, latest.total) if base is not readings[-1] else None
    return InstrumentOutcome(
        name=name,
        baseline_total=base.total,
        baseline_day=base.day,
        # Before the first infusion every questionnaire is a pre-treatment one.
        pretreatment=baseline.pretreatment or first_done is None,
        latest_total=latest.total,
        latest_day=latest.day,
        latest_severity=latest.severity,
        change=outcome.change if outcome else None,
        percent_change=outcome.percent_change if outcome else None,
        response=outcome.response if outcome else None,
        remission=outcome.remission if outcome else None,
        meaningful=outcome.meaningful if outcome else None,
        baseline_entered_later=base_row.entered_later,
        latest_entered_later=latest.entered_later,
    )


@dataclass(frozen=True, slots=True)
class DueItem:
    title: str
    reason: str
    href: str
    action: str


@dataclass(frozen=True, slots=True)
class ArticleView:
    slug: str
    title: str
    summary: str
    reason: str


# How long after a safety answer Today leads with the safety plan and the help link.
SAFETY_CARD_FOR = timedelta(hours=72)


@dataclass(frozen=True, slots=True)
class TodayView:
    today: date
    checkin_mood: int | None
    phase_line: str
    due: list[DueItem] = field(default_factory=list)
    phq9: InstrumentOutcome | None = None
    article: ArticleView | None = None
    next_planned: str = ""
    # A suicidal-thoughts answer or PHQ-9 item 9 above 0 in the last 72 hours: Today shows
    # the safety plan and the help link first.
    safety_recent: bool = False
    # Where the patient is against their own durability (clinical.patient_outlook).
    outlook_line: str = ""


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
    starts = {i.id: i.start for i in timeline.done if i.id is not None}
    for infusion_id, timepoint in post_checks_due(timeline.now, list(starts.items()), done_checks):
        day = format_short_date(timeline.local_day(starts[infusion_id]))
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
    events = safety.list_safety_events(session, patient_id)
    situations = describe_situation(
        today, timeline.done_days, mood, [r.day for r in phq9], [e.day for e in events]
    )
    recent = any(timeline.now - as_utc(e.recorded_at) <= SAFETY_CARD_FOR for e in events)
    pick = pick_article(situations, article_tags(), learn.read_slugs(session, patient_id))
    article = None
    if pick is not None:
        chosen = ARTICLES_BY_SLUG[pick.slug]
        article = ArticleView(chosen.slug, chosen.title, chosen.summary, pick.reason)
    next_planned = ""
    if timeline.planned:
        start = to_local(timeline.planned[0].start, timeline.timezone)
        next_planned = f"{format_short_date(start.date())} at {start:%H:%M}"
    outcome = instrument_outcome(PHQ9.name, phq9, first_day)
    return TodayView(
        today=today,
        checkin_mood=entry.mood if entry else None,
        phase_line=status.line,
        due=due,
        phq9=outcome if outcome.compared else None,
        article=article,
        next_planned=next_planned,
        safety_recent=recent,
        outlook_line=patient_outlook(
            today,
            timeline.done_days[-1] if timeline.done_days else None,
            _durability_of_timeline(session, patient_id, timeline),
        ),
    )


# --- The whole record, shared by Trends, the clinician summary and its CSV -------------------


def infusion_label(phase: str, number: int, row: infusions.Infusion) -> str:
    route = dict(ROUTES).get(row.route, row.route)
    dose = f" {row.dose_value:g} {row.dose_unit}" if row.dose_value is not None else ""
    return f"{phase.capitalize()} {number} · {route}{dose}"


@dataclass(frozen=True, slots=True)
class LabelledInfusion:
    """An infusion on the patient's calendar with its phase, number and label."""

    row: infusions.Infusion
    day: date
    phase: str
    number: int

    @property
    def name(self) -> str:
        return f"{self.phase.capitalize()} {self.number}"

    @property
    def short_label(self) -> str:
        return f"{self.name} · {format_short_date(self.day)}"


def labelled_infusions(timeline: Timeline) -> list[LabelledInfusion]:
    """Every infusion (done and planned) loaded as a row, with its local day, phase and number
    (counted from the first infusion, rows or not)."""
    rows = [*timeline.done, *timeline.planned]
    labels = timeline.labels
    # Labelled from every start already, unless an infusion changed between the two reads.
    if labels is not None and all(r.id in labels and labels[r.id].start == r.start for r in rows):
        ranked = sorted(rows, key=lambda r: labels[r.id].rank)
        return [
            LabelledInfusion(
                r, timeline.local_day(r.start), labels[r.id].phase, labels[r.id].number
            )
            for r in ranked
        ]
    moments = [timeline.local(r.start) for r in rows]
    by_id = {id(m): r for m, r in zip(moments, rows, strict=True)}
    earlier = [timeline.local(start) for start in timeline.earlier]
    return [
        LabelledInfusion(by_id[id(m)], m.date(), p, n)
        for m, p, n in label_infusions([*earlier, *moments])
        if id(m) in by_id
    ]


@dataclass(frozen=True, slots=True)
class GivenInfusion:
    """An infusion that happened, with how long it lasted and its post-infusion checks."""

    infusion: LabelledInfusion
    durability: Durability
    checks: list[infusions.PostInfusionCheck]

    @property
    def day(self) -> date:
        return self.infusion.day

    def side_effects(self) -> tuple[dict[str, int], int | None]:
        """The worst severity per side effect over its checks, and the highest dissociation."""
        dissociation = [c.dissociation for c in self.checks if c.dissociation is not None]
        worst = worst_side_effects([c.side_effects() for c in self.checks])
        return worst, max(dissociation) if dissociation else None


@dataclass(frozen=True, slots=True)
class Record:
    """Everything a period view needs, loaded once: rows, infusions, durability per infusion.

    `entries` are the whole check-ins of the days a view shows (from `entries_from`, the period's
    start less the days its 7-day mean reads; all of them when None). `given` are the infusions
    given in the period, or the last one given when none was (for when a booster may be due);
    every one for "All". `mood` is each logged day's mood from 3 days before the first of them
    (what their durability, aligned moods and before/after means read) or the 7-day mean's
    first day, whichever is earlier. `scores` are every questionnaire's total."""

    timeline: Timeline
    entries: list[checkins.DayEntry]
    mood: dict[date, float]
    entries_from: date | None
    scores: list[questionnaires.Total]
    infusions: list[LabelledInfusion]
    given: list[GivenInfusion]
    first_logged: date | None

    @property
    def first_day(self) -> date | None:
        """The first day with anything logged: where "All" begins."""
        firsts = [self.first_logged] if self.first_logged else []
        firsts += [r.day for r in self.scores[:1]]
        firsts += self.timeline.done_days[:1]
        return min(firsts) if firsts else None

    @property
    def first_infusion(self) -> date | None:
        return self.timeline.done_days[0] if self.timeline.done_days else None

    def start(self, period_days: int | None, at_least: int = 1) -> date:
        """The first day of a period ending today; None means all data (at least a few days)."""
        today = self.timeline.today
        if period_days is None:
            return min(self.first_day or today, today - timedelta(days=at_least - 1))
        return today - timedelta(days=period_days - 1)

    def marks(self, start: date) -> list[InfusionMark]:
        """The infusions from start on, planned ones too: every chart draws only its period's."""
        return [
            InfusionMark(
                i.day, infusion_label(i.phase, i.number, i.row), i.row.start > self.timeline.now
            )
            for i in self.infusions
            if i.day >= start
        ]

    def outcome(self, instrument: Instrument) -> InstrumentOutcome:
        return instrument_outcome(instrument.name, self.totals(instrument), self.first_infusion)

    def totals(self, instrument: Instrument) -> list[questionnaires.Total]:
        return [r for r in self.scores if r.instrument == instrument.key]


# The days before a period that its charts read: the 7-day mean of its first day.
ENTRIES_BEFORE = ROLLING_WINDOW - 1


def _next_days(days: list[date]) -> list[date | None]:
    """The day of the infusion after each one given (None after the last)."""
    return [*days[1:], None] if days else []


def load_record(
    session: Session,
    patient_id: int,
    now: datetime | None = None,
    period_days: int | None = None,
) -> Record:
    """The record for a period of `period_days` ending today (None: all of it): check-ins, moods,
    post-infusion checks and durability only for that period and the days before it that it
    reads, so a fixed period costs the same whatever the history; infusions (their numbering)
    and questionnaire totals (the baseline) for all of it."""
    now = now or utcnow()
    # Infusions as rows from a day before the period (a local day starts up to 14 hours before
    # the same day in UTC); before it their starts are enough.
    rows_from = None if period_days is None else now - timedelta(days=period_days + 1)
    timeline = load_timeline(session, patient_id, now, rows_from)
    labelled = labelled_infusions(timeline)
    done = [i for i in labelled if i.row.start <= timeline.now]
    after = _next_days(timeline.done_days)[len(timeline.earlier) :]
    next_days = dict(zip((id(i) for i in done), after, strict=True))
    bars = comparison_days(timeline.done_days)[len(timeline.earlier) :]
    bar_days = dict(zip((id(i) for i in done), bars, strict=True))
    scores_from = None if period_days is None else timeline.today - timedelta(days=period_days - 1)
    if period_days is None:
        entries_from, shown = None, done
        entries = checkins.list_days(session, patient_id)
        mood = {e.day: float(e.mood) for e in entries}
    else:
        entries_from = timeline.today - timedelta(days=period_days - 1 + ENTRIES_BEFORE)
        start = timeline.today - timedelta(days=period_days - 1)
        shown = [i for i in done if i.day >= start] or done[-1:]
        entries = checkins.list_days(session, patient_id, start=entries_from)
        # An infusion's durability reads from the days before the mood it is compared with (its
        # series' first day, for an induction infusion) to today at most.
        mood_from = min(
            [entries_from] + [bar_days[id(i)] - timedelta(days=PRE_DAYS) for i in shown[:1]]
        )
        mood = checkins.mood_by_day(session, patient_id, start=mood_from)
    checks_by_infusion: dict[int, list[infusions.PostInfusionCheck]] = {}
    ids = [i.row.id for i in shown if i.row.id is not None]
    for check in infusions.list_post_checks(session, patient_id, infusion_ids=ids):
        checks_by_infusion.setdefault(check.infusion_id, []).append(check)
    given = [
        GivenInfusion(
            infusion,
            estimate_durability(
                infusion.day, mood, timeline.today, next_days[id(infusion)], bar_days[id(infusion)]
            ),
            checks_by_infusion.get(infusion.row.id or -1, []),
        )
        for infusion in shown
    ]
    return Record(
        timeline=timeline,
        entries=entries,
        mood=mood,
        entries_from=entries_from,
        scores=questionnaires.list_totals(
            session, patient_id, scores_from, next(iter(timeline.done_days), None)
        ),
        infusions=labelled,
        given=given,
        first_logged=checkins.first_day(session, patient_id),
    )


# Each patient's durability per infusion given, kept with what it read: the infusion days, today,
# and when the newest save and deletion of a check-in were. After a save only the infusions whose
# days it touched are estimated again, so the view after a save reads weeks, not the years.
COMMIT_SLACK = timedelta(minutes=5)


@dataclass(frozen=True, slots=True)
class _Kept:
    days: tuple[date, ...]
    today: date
    change: checkins.LastChange
    results: list[Durability]


_durability: dict[int, _Kept] = {}
_durability_lock = threading.Lock()


def _stale(session: Session, patient_id: int, kept: _Kept | None, now: _Kept) -> set[int]:
    """The infusions whose estimate may differ from the kept one: those whose days (3 before to
    the day before the next, or today) hold a check-in saved or deleted since, all of them when
    an infusion or a restore changed what they read, and the last one on a new day."""
    every = set(range(len(now.days)))
    if kept is None or kept.days != now.days or kept.change.patient != now.change.patient:
        return every
    if not kept.change.saved or not now.change.saved:
        return every
    # A newest save or deletion older than the kept one, or gone: not a change but another
    # database (a restore).
    if now.change.saved < kept.change.saved:
        return every
    if kept.change.deleted and (not now.change.deleted or now.change.deleted < kept.change.deleted):
        return every
    # Saves and deletions are stamped before they commit: one stamped just before the kept
    # newest may have committed after it was read (two tabs, two workers), so recent days are
    # read again.
    moment = min(kept.change.saved, kept.change.deleted or kept.change.saved) - COMMIT_SLACK
    # Sorted, each infusion's days are found by one search: a history imported or restored
    # minutes ago has every day in the slack, and a save then must not cost days × infusions.
    touched = sorted(checkins.changed_since(session, patient_id, moment))
    ends = [n - timedelta(days=1) if n else now.today for n in _next_days(list(now.days))]
    stale = set()
    for index, (bar, end) in enumerate(zip(comparison_days(now.days), ends, strict=True)):
        first = bisect.bisect_left(touched, bar - timedelta(days=PRE_DAYS))
        if first < len(touched) and touched[first] <= end:
            stale.add(index)
    return stale | ({len(now.days) - 1} if kept.today != now.today and now.days else set())


def durability_of_all(session: Session, patient_id: int, record: Record) -> list[Durability]:
    """The durability of every infusion given: the record's own when it covers all of them."""
    if len(record.given) == len(record.timeline.done_days):
        return [g.durability for g in record.given]
    return _durability_of_timeline(session, patient_id, record.timeline)


def _durability_of_timeline(
    session: Session, patient_id: int, timeline: Timeline
) -> list[Durability]:
    """The durability of every infusion given, kept per patient between calls."""
    days = tuple(timeline.done_days)
    today = timeline.today
    now = _Kept(days, today, checkins.last_change(session, patient_id), results=[])
    with _durability_lock:
        kept = _durability.get(patient_id)
    if kept is not None and (kept.days, kept.today, kept.change) == (
        now.days,
        now.today,
        now.change,
    ):
        return kept.results
    stale = _stale(session, patient_id, kept, now)
    results: list[Durability | None] = [None] * len(days)
    if kept is not None and kept.days == days:
        results = list(kept.results)
    next_days = _next_days(list(days))
    bars = comparison_days(days)
    if stale:
        first = min(bars[i] for i in stale) - timedelta(days=PRE_DAYS)
        mood = checkins.mood_by_day(session, patient_id, start=first)
        for index in stale:
            results[index] = estimate_durability(
                days[index], mood, today, next_days[index], bars[index]
            )
    done = [result for result in results if result is not None]
    _keep(_durability, _durability_lock, patient_id, _Kept(days, today, now.change, done))
    return done


# --- Trends --------------------------------------------------------------------------------

# "All" draws its last three months (the 3M range) by day, the rest by week.
BY_DAY_DAYS = 91
RANGES: dict[str, int | None] = {"2W": 14, "1M": 30, "3M": BY_DAY_DAYS, "1Y": 365, "All": None}
MAX_RESPONSE_LINES = 8


@dataclass(frozen=True, slots=True)
class ChartView:
    """A chart and its one-sentence summary; nothing to draw means show the summary alone.

    The chart is made only when asked for: `draw(width)` is its SVG (what Trends shows, an image
    drawn here), `height(width)` that drawing's height, `figure` its Plotly figure (drawn in the
    browser only when the patient asks to explore it)."""

    summary: str
    make_figure: Callable[[], go.Figure] | None = None
    draw: Callable[[int], str] | None = None
    height: Callable[[int], int] | None = None

    @property
    def shown(self) -> bool:
        return self.make_figure is not None

    @property
    def figure(self) -> go.Figure | None:
        return self.make_figure() if self.make_figure is not None else None


@dataclass(frozen=True, slots=True)
class MoodData:
    """What the mood chart draws for a range: every logged day's mood (the 7-day mean reads the
    days before `start`), the infusions from `start` on, and the chart's one-sentence summary."""

    points: list[MoodPoint]
    marks: list[InfusionMark]
    start: date
    end: date
    summary: str
    # "All" draws its last three months by day and the weeks before by their mean.
    weekly_before: date | None = None


def _mood_data(record: Record, range_key: str) -> MoodData:
    # "All" shows at least two weeks, so a new patient's first days are not a single point.
    start, end = record.start(RANGES[range_key], at_least=14), record.timeline.today
    marks = record.marks(start)
    points = [MoodPoint(e.day, e.mood) for e in record.entries]
    weekly_before = end - timedelta(days=BY_DAY_DAYS - 1) if range_key == "All" else None
    summary = summarize_mood(points, marks, start, end)
    return MoodData(points, marks, start, end, summary, weekly_before)


# The views Trends drew its pictures from, kept a minute under an id the page's addresses carry,
# so the five pictures a visit asks for are drawn from the view its state just loaded (the same
# data as the summaries beside them) instead of loading the record five times again. Keyed by
# the patient too: an id is only ever looked up for the session's own patient.
PICTURE_SECONDS = 60.0
MAX_PICTURE_VIEWS = 64
_pictures: dict[tuple[int, str], tuple[float, TrendsView]] = {}
_pictures_lock = threading.Lock()


def keep_for_pictures(patient_id: int, view: TrendsView) -> str:
    """Keeps `view` for its pictures; the id to ask for them with."""
    view_id = secrets.token_urlsafe(9)
    now = time.monotonic()
    with _pictures_lock:
        for key in [k for k, (at, _) in _pictures.items() if now - at > PICTURE_SECONDS]:
            del _pictures[key]
        while len(_pictures) >= MAX_PICTURE_VIEWS:
            del _pictures[next(iter(_pictures))]
        _pictures[(patient_id, view_id)] = (now, view)
    return view_id


def view_for_pictures(
    session: Session, patient_id: int, range_key: str, view_id: str
) -> TrendsView:
    """The view kept under view_id for this patient and range, or else one built now."""
    with _pictures_lock:
        kept = _pictures.get((patient_id, view_id))
    if kept is not None:
        at, view = kept
        if time.monotonic() - at <= PICTURE_SECONDS and view.range_key == range_key:
            return view
    return build_trends(session, patient_id, range_key)


def trends_mood_svg(data: MoodData, width: int) -> str:
    """The Trends mood chart, drawn `width` units wide."""
    return mood_svg(
        data.points,
        data.marks,
        data.start,
        data.end,
        title=TRENDS_TITLES["mood"],
        summary=data.summary,
        width=width,
        weekly_before=data.weekly_before,
    )


def trends_mood(
    session: Session, patient_id: int, range_key: str, now: datetime | None = None
) -> MoodData:
    """The Trends mood chart's data alone (for its server-drawn image), as build_trends has it."""
    if range_key not in RANGES:
        raise ValueError(f"Unknown range {range_key!r}")
    return _mood_data(load_record(session, patient_id, now, RANGES[range_key]), range_key)


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
    mood_data: MoodData | None = None


def build_trends(
    session: Session, patient_id: int, range_key: str = "1M", now: datetime | None = None
) -> TrendsView:
    """All Trends charts for one range, from the patient's rows (mood uses every logged day)."""
    if range_key not in RANGES:
        raise ValueError(f"Unknown range {range_key!r}")
    record = load_record(session, patient_id, now, RANGES[range_key])
    mood_data = _mood_data(record, range_key)
    start, end, marks, points = mood_data.start, mood_data.end, mood_data.marks, mood_data.points
    in_range = [e for e in record.entries if start <= e.day <= end]
    # "All" draws its last three months by day and the rest by week (charts.weekly_means).
    weekly_before = mood_data.weekly_before
    mood = ChartView(
        mood_data.summary,
        (lambda: mood_chart(points, marks, start, end, weekly_before))
        if len(in_range) >= 2
        else None,
        lambda width: trends_mood_svg(mood_data, width),
        lambda width: mood_svg_height(marks, start, end, width),
    )
    charts = {
        instrument.key: _questionnaire_view(record, instrument, marks, start, end, weekly_before)
        for instrument in (PHQ9, GAD7)
    }

    in_period = [g for g in record.given if start <= g.day <= end]
    every = durability_of_all(session, patient_id, record)
    response = _response_view(record, in_period, every)
    last_day = record.timeline.done_days[-1] if record.timeline.done_days else None
    durability_line = patient_outlook(record.timeline.today, last_day, every)

    wellbeing_days = [
        WellbeingDay(e.day, e.sleep_hours, e.anxiety, e.energy, e.pain) for e in in_range
    ]
    has_wellbeing = any(
        v is not None for d in wellbeing_days for v in (d.sleep, d.anxiety, d.energy, d.pain)
    )
    wellbeing_summary = summarize_wellbeing(wellbeing_days)
    wellbeing = (
        ChartView(
            wellbeing_summary,
            lambda: wellbeing_chart(wellbeing_days, start, end, weekly_before),
            lambda width: wellbeing_svg(
                wellbeing_days,
                start,
                end,
                weekly_before,
                title=TRENDS_TITLES["wellbeing"],
                summary=wellbeing_summary,
                width=width,
            ),
            lambda width: wellbeing_svg_height(wellbeing_days, start, end, width),
        )
        if has_wellbeing
        else ChartView(wellbeing_summary)
    )

    rows = [SideEffectRow(g.infusion.short_label, *g.side_effects()) for g in in_period if g.checks]
    side_summary = summarize_side_effects(rows)
    side = (
        ChartView(
            side_summary,
            lambda: side_effects_chart(rows),
            lambda width: side_effects_svg(
                rows, title=TRENDS_TITLES["side_effects"], summary=side_summary, width=width
            ),
            lambda width: side_effects_svg_height(rows, width),
        )
        if rows
        else ChartView(side_summary)
    )
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
        mood_data=mood_data,
    )


# Each Trends chart's heading, which its drawing takes as its title.
TRENDS_TITLES: dict[str, str] = {
    "mood": "Mood by day",
    "response": "How each infusion worked",
    "phq9": "PHQ-9 (depression)",
    "gad7": "GAD-7 (anxiety)",
    "wellbeing": "Sleep, anxiety, energy and pain",
    "side_effects": "Side effects per infusion",
}


def _questionnaire_view(
    record: Record,
    instrument: Instrument,
    marks: list[InfusionMark],
    start: date,
    end: date,
    weekly_before: date | None,
) -> ChartView:
    mine = record.totals(instrument)
    outcome = record.outcome(instrument)
    # The baseline line only once treatment has started.
    base_total = outcome.baseline_total if record.first_infusion else None
    readings = [ScoreReading(r.day, r.total) for r in mine if start <= r.day <= end]
    summary = summarize_questionnaire(
        instrument, [ScoreReading(r.day, r.total) for r in mine], base_total
    )
    if not readings:
        return ChartView(summary)
    return ChartView(
        summary,
        lambda: questionnaire_chart(
            instrument, readings, base_total, marks, start, end, weekly_before
        ),
        lambda width: questionnaire_svg(
            instrument,
            readings,
            base_total,
            marks,
            start,
            end,
            title=TRENDS_TITLES[instrument.key],
            summary=summary,
            width=width,
        ),
        lambda width: questionnaire_svg_height(instrument, marks, start, end, width),
    )


def _response_view(
    record: Record, in_period: list[GivenInfusion], every: list[Durability]
) -> ChartView:
    mood_all = record.mood
    median = median_durability(every)
    # To day 35, or past the median when it is longer: the lines run as far as the chart does.
    after = response_days(median)
    series = []
    for given in in_period:
        points_around = tuple(aligned_moods(given.day, mood_all, after=after))
        if points_around:
            fell_back = given.durability.status == FELL_BACK
            days = given.durability.days if fell_back else None
            series.append(ResponseSeries(given.infusion.short_label, points_around, days))
    left_out = max(0, len(series) - MAX_RESPONSE_LINES)
    series = series[left_out:]
    summary = summarize_response(series, median, left_out)
    if not series:
        return ChartView(summary)
    return ChartView(
        summary,
        lambda: response_chart(series, median),
        lambda width: response_svg(
            series, median, title=TRENDS_TITLES["response"], summary=summary, width=width
        ),
        lambda width: response_svg_height(series, width),
    )


# --- Clinician summary ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SafetyRow:
    day: date
    label: str
    # Thoughts with intent or plan: listed first and marked as such.
    urgent: bool = False


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
class EnteredLater:
    """A questionnaire the patient took on an earlier day (at the clinic) and entered later."""

    name: str
    day: date
    total: int


@dataclass(frozen=True, slots=True)
class NoteRow:
    day: date
    text: str


@dataclass(frozen=True, slots=True)
class SummaryCharts:
    """What the summary's two charts draw (companion.charts.svg): plain data, no figure."""

    mood_points: list[MoodPoint]
    marks: list[InfusionMark]
    phq9_readings: list[ScoreReading]
    phq9_baseline: int | None


@dataclass(frozen=True, slots=True)
class ClinicianSummary:
    start: date
    end: date
    period_label: str
    patient_name: str
    clinic_name: str
    generated_at: datetime
    timezone: str
    status_line: str
    safety: list[SafetyRow]
    safety_before: str
    outcomes: list[InstrumentOutcome]
    infusions: list[InfusionRow]
    median_durability: float | None
    # Empty mood_points / phq9_readings: too little in the period to draw that chart.
    charts: SummaryCharts
    days_logged: int
    days_in_period: int
    # Days of the period whose check-in answered the suicidal-thoughts question at all.
    safety_answered_days: int
    notes: list[NoteRow] | None
    # The patient's safety plan, only when they ticked "include my safety plan" on the link.
    safety_plan: safety_plans.PlanView | None
    mood_summary: str
    phq9_summary: str
    booster_line: str
    # The period's questionnaires (and the baseline) entered later, oldest first.
    entered_later: list[EnteredLater] = field(default_factory=list)


def _safety_before(earlier: list[SafetyEvent]) -> str:
    """Events before the period, so a short period never reads as a clean record."""
    if not earlier:
        return ""
    latest = earlier[0]
    count = "1 safety event" if len(earlier) == 1 else f"{len(earlier)} safety events"
    label = SAFETY_LABELS.get(latest.kind, latest.kind)
    when = f"{format_short_date(latest.day)} {latest.day.year}"
    return f"Before this period: {count}. Most recent: {when}, {label}."


def durability_text(result: Durability) -> str:
    if result.status == FELL_BACK:
        return f"{result.days} days"
    if result.status == STILL_ABOVE:
        return f"still above ({result.days}+ days)"
    if result.status == NEXT_INFUSION_FIRST:
        return f"next infusion came first ({result.days}+ days)"
    return "not enough data"


def _infusion_row(given: GivenInfusion, mood: dict[date, float], tz: ZoneInfo) -> InfusionRow:
    row = given.infusion.row
    side = describe_side_effects(*given.side_effects()) if given.checks else "No check answered"
    before, after = mood_around(given.day, mood)
    local = row.start.astimezone(tz)
    return InfusionRow(
        day=given.day,
        when=f"{format_short_date(given.day)} {given.day.year} {local:%H:%M}",
        route=dict(ROUTES).get(row.route, row.route),
        dose=f"{row.dose_value:g} {row.dose_unit}" if row.dose_value is not None else "",
        phase=given.infusion.name,
        mood_before=before,
        mood_after=after,
        side_effects=side,
        durability=durability_text(given.durability),
    )


def build_clinician_summary(
    session: Session,
    patient_id: int,
    period_label: str,
    period_days: int | None,
    include_notes: bool,
    now: datetime | None = None,
    include_safety_plan: bool = False,
) -> ClinicianSummary:
    """What a clinician sees through a share link; every figure from the patient's own rows."""
    record = load_record(session, patient_id, now, period_days)
    timeline = record.timeline
    start, end = record.start(period_days), timeline.today
    mood = record.mood
    outcomes = [record.outcome(PHQ9), record.outcome(GAD7)]
    marks = record.marks(start)
    points = [MoodPoint(e.day, e.mood) for e in record.entries]
    in_period = [e for e in record.entries if start <= e.day <= end]
    phq9_rows = record.totals(PHQ9)
    phq9_in_period = [ScoreReading(r.day, r.total) for r in phq9_rows if start <= r.day <= end]
    # Compared with the baseline once treatment has started (as on Trends), never before.
    phq9_baseline = outcomes[0].baseline_total if record.first_infusion else None
    # Entered-later baselines before the period too: the outcomes table shows them.
    later_baselines = {(o.name, o.baseline_day) for o in outcomes if o.baseline_entered_later}
    status = treatment_status(timeline.today, timeline.done_days, timeline.planned_days)
    # Newest first; those before the period are counted, not listed.
    events = safety.list_safety_events(session, patient_id, None, end)
    patient = accounts.get_patient(session, patient_id)
    in_period_given = [g for g in record.given if start <= g.day <= end]
    # The patient's own median, over every infusion given, as on Today, Trends and the CSV.
    median = median_durability(durability_of_all(session, patient_id, record))
    last = record.given[-1] if record.given else None
    return ClinicianSummary(
        start=start,
        end=end,
        period_label=period_label,
        patient_name=patient.summary_name if patient else "",
        clinic_name=patient.clinic_name if patient else "",
        generated_at=timeline.now,
        timezone=timeline.timezone,
        status_line=status.clinician_line,
        # Intent or plan first, then newest first (the order list_safety_events gives).
        safety=sorted(
            (
                SafetyRow(
                    e.day,
                    SAFETY_LABELS.get(e.kind, e.kind),
                    e.kind == SafetyKind.SUICIDAL_THOUGHTS_INTENT,
                )
                for e in events
                if e.day >= start
            ),
            key=lambda row: not row.urgent,
        ),
        safety_before=_safety_before([e for e in events if e.day < start]),
        outcomes=outcomes,
        infusions=[_infusion_row(g, mood, timeline.tzinfo) for g in in_period_given],
        median_durability=median,
        booster_line=booster_outlook(
            timeline.today,
            last.day if last else None,
            last.durability if last else None,
            median,
            status.next_planned,
        ),
        charts=SummaryCharts(
            # The rolling mean reads the days before the period too.
            mood_points=points if len(in_period) >= 2 else [],
            marks=marks,
            phq9_readings=phq9_in_period,
            phq9_baseline=phq9_baseline,
        ),
        days_logged=len(in_period),
        days_in_period=(end - start).days + 1,
        safety_answered_days=sum(1 for e in in_period if e.suicidal_thoughts is not None),
        notes=(
            [NoteRow(e.day, e.note) for e in reversed(in_period) if e.note]
            if include_notes
            else None
        ),
        safety_plan=safety_plans.get_plan(session, patient_id) if include_safety_plan else None,
        mood_summary=summarize_mood(points, marks, start, end, for_clinician=True),
        phq9_summary=summarize_questionnaire(
            PHQ9, phq9_in_period, phq9_baseline, for_clinician=True
        ),
        entered_later=[
            later
            for later in (
                EnteredLater(INSTRUMENTS[r.instrument].name, r.day, r.total)
                for r in sorted(record.scores, key=lambda r: r.day)
                if r.entered_later and r.instrument in INSTRUMENTS
            )
            if start <= later.day <= end or (later.name, later.day) in later_baselines
        ],
    )
