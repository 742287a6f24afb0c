"""`make demo`: a demo patient with about six months of realistic data ending today.

Run as `python -m companion.demo`. It creates demo@example.com (deleting any earlier demo patient
and everything of theirs first, so running it again gives fresh data ending today), with the
password from DEMO_PASSWORD or a random one it prints. No other patient is touched.

The story, day 0 being 179 days before today: three weeks before treatment with low mood and a
baseline PHQ-9 near 19; an induction series of six IV infusions over 18 days, mood climbing after
each; remission, then a slow fade; a booster whenever the benefit has faded (four so far, the
last 17 days ago) and one booked a week ahead. Daily check-ins with gaps, PHQ-9 and GAD-7 when the
app's own schedule says they are due, post-infusion checks, and safety events recorded by the
app's own rules. Everything is written through the data layer after the app's validation.

The data come from a seeded random.Random only, and day numbers are relative to today: the same
seed gives the same data for the same today, and the same mood series for any today.
"""

from __future__ import annotations

import math
import os
import random
import secrets
import sys
import time as timer
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session

from companion import routes
from companion.clinical import (
    TAGS,
    questionnaires_due,
    safety_kind_for_checkin,
    safety_kind_for_phq9,
    score_gad7,
    score_phq9,
    validate_checkin,
)
from companion.clinical.infusion_input import (
    PostCheckInput,
    validate_infusion,
    validate_post_check,
)
from companion.clinical.schedule import BASELINE
from companion.data import accounts, checkins, infusions, questionnaires, safety
from companion.data.db import session_scope, utcnow
from companion.localtime import local_today
from companion.security.passwords import hash_password, password_problem
from companion.settings import settings

DEMO_EMAIL = "demo@example.com"
DEMO_TIMEZONE = "America/New_York"
CLINIC_NAME = "Lakeside Ketamine Clinic"
CLINIC_PHONE = "+1 (555) 010-0199"
SUMMARY_NAME = "Alex Morgan (demo)"
SEED = 2026

DAYS = 180
# Day numbers count from day 0 = today - 179. Six induction infusions, first to last 18 days.
INDUCTION_DAYS = (21, 24, 28, 31, 35, 39)
# A booster when the benefit has faded: the first 31 days after the series, the last 17 days
# before today; one more is booked PLANNED_AHEAD days after today. The days are also chosen so
# the app's pre-booster questionnaire never falls just 3 days after a fortnightly one.
BOOSTER_DAYS = (70, 102, 130, 162)
PLANNED_AHEAD = 7
INFUSION_START = time(9, 30)
INFUSION_MINUTES = 40
DOSE_MG_PER_KG = 0.5
# The induction series was booked at the consultation; each booster ten days ahead.
INDUCTION_BOOKED_DAY = 10
BOOSTER_BOOKED_AHEAD = 10
# The patient first opened the questionnaires on day 4.
FIRST_QUESTIONNAIRE_DAY = 4

# Mood: a base of 3 (0 worst, 10 best) plus the lift of the latest infusion. The lift of each
# induction infusion peaks the next day and falls INDUCTION_FADE a day for two days; each peaks
# higher than the one before, up to about 8 after the last. On the infusion day itself the
# patient logs mood in the evening, tired: the lift shows from the next day.
BASE_MOOD = 3.0
INDUCTION_PEAKS = (1.8, 2.5, 3.3, 4.0, 4.8, 5.0)
INDUCTION_FADE = 0.7
# After the series: high for about 2-3 weeks, then a gradual fade to mood 4-5.
SERIES_PLATEAU_DAYS = 16
SERIES_FADE = 0.25
SERIES_FLOOR = 1.3
# Boosters: lift to 7-8 for 11-14 days, then fade. After the second one the fade went lower.
BOOSTER_PEAK = (4.3, 4.7)
BOOSTER_PLATEAU_DAYS = (11, 14)
BOOSTER_FADE = 0.3
BOOSTER_FLOOR = (1.1, 1.5)
LOW_FLOOR = 0.5
# Day-to-day noise: AR(1) with this standard deviation, so a good day tends to follow a good day.
MOOD_NOISE_SD = 0.6
MOOD_NOISE_CARRY = 0.5
# From 3 days before the first induction infusion to 3 days after the last, mood is the
# underlying level rounded with the rounding error carried to the next day, and no noise: then
# any 3 days' sum is within 1 of the level's, so each infusion's rise in the 3-day means around
# it (at least 0.8 by design) always shows, whatever the seed.
INDUCTION_WINDOW = range(INDUCTION_DAYS[0] - 3, INDUCTION_DAYS[-1] + 4)

# Logging: outside the days around infusions (the clinic asked for those), about one day in six
# goes unlogged, never three in a row; plus one 4-5 day holiday without the app.
SKIP_CHANCE = 0.17
HOLIDAY_FIRST_START = 44
MOOD_ONLY_CHANCE = 0.12
NOTE_CHANCE = 0.06
# Passing suicidal thoughts on three pre-treatment days and once in the low fade before the
# third booster. A PHQ-9 whose two weeks include two such days answers item 9 "several days".
PASSING_PRE_TREATMENT = (7, 12, 16)
PASSING_LATE_FADE = BOOSTER_DAYS[2] - 4
ITEM9_AFTER_PASSING_DAYS = 2


@dataclass(frozen=True, slots=True)
class DemoSummary:
    """What build_demo wrote, for the printout and the tests."""

    first_day: date
    last_day: date
    checkins: int
    infusions_done: int
    infusions_planned: int
    post_checks: int
    phq9: int
    gad7: int
    safety_events: int
    induction_days: tuple[date, ...]
    booster_days: tuple[date, ...]
    planned_days: tuple[date, ...]
    holiday: tuple[date, ...]


# --- mood -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Lift:
    """How one infusion lifts mood above the base: `peak` from the next day for `plateau` days,
    then falling by `fade` a day down to `floor`."""

    day: int
    peak: float
    plateau: int
    fade: float
    floor: float

    def gain(self, days_after: int) -> float:
        if days_after <= self.plateau:
            return self.peak
        return max(self.floor, self.peak - self.fade * (days_after - self.plateau))


def _lifts(rng: random.Random) -> list[_Lift]:
    lifts = [
        _Lift(day, peak, 1, INDUCTION_FADE, peak - 2 * INDUCTION_FADE)
        for day, peak in zip(INDUCTION_DAYS[:-1], INDUCTION_PEAKS, strict=False)
    ]
    lifts.append(
        _Lift(
            INDUCTION_DAYS[-1], INDUCTION_PEAKS[-1], SERIES_PLATEAU_DAYS, SERIES_FADE, SERIES_FLOOR
        )
    )
    for number, day in enumerate(BOOSTER_DAYS, start=1):
        peak = round(rng.uniform(*BOOSTER_PEAK), 2)
        plateau = rng.randint(*BOOSTER_PLATEAU_DAYS)
        floor = round(rng.uniform(*BOOSTER_FLOOR), 2)
        lifts.append(_Lift(day, peak, plateau, BOOSTER_FADE, LOW_FLOOR if number == 2 else floor))
    return lifts


def _level(day: int, lifts: Sequence[_Lift]) -> float:
    """The underlying mood of a day, before noise."""
    base = BASE_MOOD
    if day < INDUCTION_DAYS[0]:
        # Before treatment mood drifts a little from week to week.
        base += 0.35 * math.sin(2 * math.pi * day / 19)
    current = [lift for lift in lifts if lift.day < day]
    return base + (current[-1].gain(day - current[-1].day) if current else 0.0)


def _clip(value: float, low: int = 0, high: int = 10) -> int:
    return max(low, min(high, round(value)))


def _mood_series(levels: Sequence[float], rng: random.Random) -> list[int]:
    """Each day's mood 0-10: the level plus AR(1) noise, rounded; in INDUCTION_WINDOW the level
    rounded with the error carried over."""
    moods: list[int] = []
    noise = carried = 0.0
    scale = MOOD_NOISE_SD * math.sqrt(1 - MOOD_NOISE_CARRY**2)
    for day, level in enumerate(levels):
        noise = MOOD_NOISE_CARRY * noise + scale * rng.gauss(0, 1)
        if day in INDUCTION_WINDOW:
            mood = _clip(level + carried)
            carried += level - mood
        else:
            mood = _clip(level + noise)
        moods.append(mood)
    return moods


def _passing_days() -> set[int]:
    return {*PASSING_PRE_TREATMENT, PASSING_LATE_FADE}


# --- notes ----------------------------------------------------------------------------------

_NOTES_BEFORE = (
    "Hard to get out of bed today. Stayed in pyjamas until noon.",
    "Cancelled on a friend again. Didn't have the energy to explain why.",
    "Slept badly, woke at 4 and couldn't get back to sleep.",
    "Went to work but got almost nothing done. Everything feels heavy.",
    "Therapist says to keep logging even on bad days, so here it is.",
    "Read about the infusions tonight. Nervous but a bit hopeful.",
    "Walked the dog around the block, which is something.",
)
_NOTES_INDUCTION = (
    "Colours looked brighter on the drive home. Maybe I'm imagining it.",
    "Woke up and didn't dread the day. First time in a long while.",
    "Bit of a dip today, but not as deep as before.",
    "Tired after the infusion but the evening felt lighter.",
    "Made dinner from scratch for the first time in months.",
    "Caught myself humming in the kitchen.",
)
_NOTES_WELL = (
    "Long walk by the lake with my sister. Really enjoyed it.",
    "Good day at work. Finished the report I'd been avoiding.",
    "Went to the gym twice this week.",
    "Had people over for dinner. Tired but happy.",
    "Therapy felt productive today, talked about going back to full days at work.",
    "Slept through the night.",
)
_NOTES_FADING = (
    "Mornings are getting harder again.",
    "Noticing the old heaviness creeping back in.",
    "Low energy all day. Skipped the gym.",
    "Irritable with everyone today. Not sure why.",
    "Feels like the booster is due. Called the clinic.",
)
_NOTE_FIRST_DAY = "Started tracking after my consultation at Lakeside. First infusion in 3 weeks."
_NOTE_FIRST_INFUSION = "First infusion. Felt floaty and far away for half an hour, then sleepy."
_NOTE_LAST_INDUCTION = "Last infusion of the series. Feels like a fog has lifted."
_NOTES_BOOSTER = (
    "Booster today. Easier than the first ones, I knew what to expect.",
    "Booster. Felt the lift by the evening.",
    "Booster this morning. Slept most of the afternoon.",
    "Booster today. Told the nurse about the dip last week.",
)
_NOTE_AWAY = "Packing for a few days at the lake with family. Leaving the laptop at home."
_NOTE_BACK = "Back from the lake. Didn't log while away, but it was a good break."
_NOTES_PASSING = (
    "Dark thoughts this evening. They passed; I called my sister.",
    "Had the thought that everyone would be better off without me. It passed.",
    "A bad evening. The thoughts came and went. I'll tell my therapist on Thursday.",
    "Low all day and the old thoughts came back for a while. Booster is booked.",
)
_REFLECTIONS_EVENING = (
    "The music helped. Felt very far away for a while, then calm.",
    "Less strange than last time. Slept most of the afternoon.",
    "Nausea on the way home, better after some toast.",
    "I noticed the room looked sharper afterwards.",
)
_REFLECTIONS_LATER = (
    "Woke up clearer. Made breakfast without thinking about it.",
    "Feel steadier today. Went for a short walk.",
    "Hard to say yet. A bit tired.",
    "Less of the usual morning dread.",
)


def _fixed_notes(holiday: set[int]) -> dict[int, str]:
    """The notes of the days that matter in the story, by day number."""
    notes = {
        0: _NOTE_FIRST_DAY,
        INDUCTION_DAYS[0]: _NOTE_FIRST_INFUSION,
        INDUCTION_DAYS[-1]: _NOTE_LAST_INDUCTION,
        min(holiday) - 1: _NOTE_AWAY,
        max(holiday) + 1: _NOTE_BACK,
    }
    for number, day in enumerate(BOOSTER_DAYS):
        notes[day] = _NOTES_BOOSTER[number % len(_NOTES_BOOSTER)]
    for number, day in enumerate(sorted(_passing_days())):
        notes[day] = _NOTES_PASSING[number % len(_NOTES_PASSING)]
    return notes


def _phase_notes(day: int, level: float, falling: bool) -> Sequence[str]:
    if day < INDUCTION_DAYS[0]:
        return _NOTES_BEFORE
    if day <= INDUCTION_DAYS[-1] + 2:
        return _NOTES_INDUCTION
    if falling and level < BASE_MOOD + 3:
        return _NOTES_FADING
    return _NOTES_WELL


# --- check-ins ------------------------------------------------------------------------------


def _gap_plan(rng: random.Random, last: int) -> tuple[set[int], set[int]]:
    """(holiday days, other unlogged days)."""
    holiday_start = HOLIDAY_FIRST_START + rng.randint(0, 3)
    holiday = set(range(holiday_start, holiday_start + rng.choice((4, 5))))
    near_infusion = {
        day + offset for day in (*INDUCTION_DAYS, *BOOSTER_DAYS) for offset in range(-3, 4)
    }
    always = {0, last, holiday_start - 1, max(holiday) + 1, *_passing_days()}
    skipped: set[int] = set()
    for day in range(1, last):
        draw = rng.random()
        if day in holiday or day in near_infusion or day in always:
            continue
        if draw < SKIP_CHANCE and not {day - 1, day - 2} <= skipped:
            skipped.add(day)
    return holiday, skipped


def _tags(rng: random.Random, when: date, day: int, mood: int, sleep: float | None) -> list[str]:
    """The day's tags: socialising and exercise more on good days, stress on bad ones."""
    # Every draw is made whatever the weekday, so the weekday of today changes no later draw.
    work, social, exercise, stress, therapy, alcohol = (rng.random() for _ in range(6))
    tags: list[str] = []
    if day in INDUCTION_DAYS or day in BOOSTER_DAYS:
        tags.append("infusion day")
    elif when.weekday() < 5 and work < 0.35:
        tags.append("work")
    if social < 0.04 + 0.025 * mood:
        tags.append("social")
    if exercise < 0.02 + 0.03 * mood:
        tags.append("exercise")
    if stress < 0.16 - 0.015 * mood:
        tags.append("stress")
    if when.weekday() == 3 and therapy < 0.75:
        tags.append("therapy")
    if alcohol < 0.03:
        tags.append("alcohol")
    if sleep is not None and sleep <= 5.5:
        tags.append("poor sleep")
    if 118 <= day <= 120:
        tags.append("illness")
    if day == 9:
        tags.append("medication change")
    return [tag for tag in tags if tag in TAGS]


# --- questionnaires -------------------------------------------------------------------------

# Which items carry more of the total: low mood, anhedonia, sleep and tiredness first (item 9 is
# set apart); for the GAD-7, nervousness and worry.
_PHQ9_WEIGHTS = (5, 5, 4, 5, 2, 3, 3, 1)
_GAD7_WEIGHTS = (5, 5, 5, 4, 2, 3, 2)


def _answers(rng: random.Random, weights: Sequence[int], total: int) -> list[int]:
    """Answers 0-3, one per weight, summing to total (weighted towards the heavier items)."""
    answers = [0] * len(weights)
    for _ in range(max(0, min(total, 3 * len(weights)))):
        open_items = [i for i, a in enumerate(answers) if a < 3]
        item = rng.choices(open_items, weights=[weights[i] for i in open_items])[0]
        answers[item] += 1
    return answers


def _difficulty(total: int, cutoffs: Sequence[int]) -> int:
    """The difficulty answer (0-3) that fits a total: the higher, the harder to get by."""
    return sum(1 for cutoff in cutoffs if total >= cutoff)


# --- post-infusion checks -------------------------------------------------------------------


def _post_check(rng: random.Random, timepoint: str, number: int, induction: bool) -> PostCheckInput:
    """Side effects strongest that evening and mostly gone by 48 hours; the first infusion the
    strangest; feeling better than before, more so as the series goes on."""

    def some(chance: float, high: int = 1) -> int:
        return rng.randint(1, high) if rng.random() < chance else 0

    first = number == 1
    raw: dict[str, object] = {"timepoint": timepoint}
    if timepoint == "evening":
        raw["dissociation"] = rng.randint(6, 7) if first else rng.randint(3, 6)
        raw["nausea"] = some(0.6, 2)
        raw["dizziness"] = some(0.5, 2)
        raw["drowsiness"] = rng.randint(1, 2)
        raw["headache"] = some(0.3)
        raw["blurred_vision"] = some(0.3)
        raw["anxiety"] = some(0.9, 2) if first else some(0.2)
        if rng.random() < 0.4:
            systolic = rng.randint(124, 138)
            raw["systolic"] = systolic
            raw["diastolic"] = min(systolic - 40, rng.randint(78, 88))
        raw["compared_with_before"] = rng.choice((0, 1, 1) if induction else (1, 1, 2))
        if first or rng.random() < 0.5:
            raw["reflection"] = rng.choice(_REFLECTIONS_EVENING)
    elif timepoint == "24h":
        raw["dissociation"] = some(0.3)
        raw["nausea"] = some(0.2)
        raw["drowsiness"] = some(0.5)
        raw["headache"] = some(0.25)
        raw["compared_with_before"] = rng.choice((1, 1, 2) if number <= 2 else (1, 2))
        if rng.random() < 0.35:
            raw["reflection"] = rng.choice(_REFLECTIONS_LATER)
    else:
        raw["dissociation"] = 0
        raw["drowsiness"] = some(0.15)
        raw["compared_with_before"] = rng.choice((1, 2) if number <= 2 else (1, 2, 2))
        if rng.random() < 0.25:
            raw["reflection"] = rng.choice(_REFLECTIONS_LATER)
    return validate_post_check(raw)


# (timepoint, days after the infusion, local time, chance the patient skipped it)
_POST_CHECK_PLAN = (
    ("evening", 0, time(19, 0), 0.0),
    ("24h", 1, time(9, 30), 0.1),
    ("48h", 2, time(10, 0), 0.25),
)


# --- the whole demo -------------------------------------------------------------------------


def build_demo(
    session: Session,
    patient_id: int,
    today: date,
    tz: str,
    rng: random.Random,
    *,
    now: datetime | None = None,
) -> DemoSummary:
    """Write 180 days of data ending `today` (the patient's calendar day in tz) for an existing
    patient. `now` (default: the current moment if it is on `today`, else the end of `today`)
    only keeps today's entries out of the future; it changes no value."""
    zone = ZoneInfo(tz)
    if now is None:
        now = utcnow()
        if now.astimezone(zone).date() != today:
            now = datetime.combine(today, time(23, 59), tzinfo=zone).astimezone(UTC)
    start = today - timedelta(days=DAYS - 1)
    last = DAYS - 1

    def day_of(day: int) -> date:
        return start + timedelta(days=day)

    def moment(day: int, clock: time, minutes: int = 0) -> datetime:
        """A local time on day `day`, as the UTC datetime that is stored; never after now."""
        local = datetime.combine(day_of(day), clock, tzinfo=zone) + timedelta(minutes=minutes)
        return min(local.astimezone(UTC), now)

    lifts = _lifts(rng)
    levels = [_level(day, lifts) for day in range(DAYS)]
    holiday, skipped = _gap_plan(rng, last)
    passing_days = _passing_days()
    fixed_notes = _fixed_notes(holiday)

    # Infusions, as the infusion form would take them; 09:30 local, stored in UTC.
    planned_day = last + PLANNED_AHEAD
    plan = [
        *((day, f"Induction {n} of 6.") for n, day in enumerate(INDUCTION_DAYS, 1)),
        *((day, f"Booster {n}.") for n, day in enumerate(BOOSTER_DAYS, 1)),
        (planned_day, "Booster booked with the clinic."),
    ]
    form_now = datetime.combine(today, time(12), tzinfo=zone)
    infusion_rows: list[tuple[int, infusions.Infusion]] = []
    for day, note in plan:
        form = {
            "date": day_of(day).isoformat(),
            "time": INFUSION_START.strftime("%H:%M"),
            "route": "iv",
            "dose_value": str(DOSE_MG_PER_KG),
            "dose_unit": "mg/kg",
            "clinic": CLINIC_NAME,
            "note": f"{note} {DOSE_MG_PER_KG} mg/kg over {INFUSION_MINUTES} minutes.",
        }
        entry = validate_infusion(form, form_now, zone)
        entry = replace(entry, starts_at=entry.starts_at.astimezone(UTC))
        row = infusions.add_infusion(session, patient_id, entry)
        # Past ones logged that evening; the planned one when it was booked.
        logged_on = day if day <= last else day - BOOSTER_BOOKED_AHEAD
        row.created_at = row.updated_at = moment(logged_on, time(18, 0), rng.randint(0, 150))
        infusion_rows.append((day, row))

    # Daily check-ins.
    moods = _mood_series(levels, rng)
    checkin_count = 0
    for day in range(DAYS):
        # The day's numbers are drawn whether or not it is logged.
        sleep_raw = 6.2 + 0.22 * (levels[day] - BASE_MOOD) + rng.gauss(0, 0.6)
        mood_only = rng.random() < MOOD_ONLY_CHANCE
        anxiety_noise, energy_noise = rng.gauss(0, 0.8), rng.gauss(0, 0.8)
        pain_draw, pain_level = rng.random(), rng.randint(1, 3)
        note_draw, note_pick = rng.random(), rng.random()
        if day in holiday or day in skipped:
            continue
        passing = day in passing_days
        # A day with suicidal thoughts is a low day.
        mood = min(moods[day], 3) if passing else moods[day]
        sleep = min(9.0, max(5.0, round(sleep_raw * 2) / 2))
        tags = _tags(rng, day_of(day), day, mood, None if mood_only else sleep)
        infusion_today = "infusion day" in tags
        pain: int | None = pain_level + ("illness" in tags) if pain_draw < 0.22 else None
        if pain_draw > 0.975:
            pain = 5
            tags.append("pain flare")
        note = fixed_notes.get(day, "")
        if not note and note_draw < NOTE_CHANCE:
            falling = day > 0 and levels[day] < levels[day - 1] - 0.05
            choices = _phase_notes(day, levels[day], falling)
            note = choices[int(note_pick * len(choices))]
        raw: dict[str, object] = {
            "day": day_of(day),
            "mood": mood,
            "suicidal_thoughts": "passing" if passing else "none",
            "tags": tags,
            "note": note,
        }
        if passing or not mood_only:
            raw["anxiety"] = _clip(9.2 - 0.85 * mood + anxiety_noise + 0.8 * infusion_today)
            raw["energy"] = _clip(0.75 * mood + 0.8 + energy_noise - 2 * infusion_today)
            raw["sleep_hours"] = sleep
            raw["pain"] = pain
        checkin = validate_checkin(raw, today)
        saved_checkin = checkins.save_checkin(session, patient_id, checkin)
        saved_checkin.created_at = moment(day, time(20, 0), rng.randint(0, 150))
        saved_checkin.updated_at = saved_checkin.created_at
        # The app's rule: any answer but "none" records a safety event.
        kind = safety_kind_for_checkin(checkin.suicidal_thoughts)
        if kind is not None and saved_checkin.id is not None:
            event = safety.record_safety_event(
                session, patient_id, checkin.day, kind, "checkin", saved_checkin.id
            )
            event.recorded_at = saved_checkin.created_at
        checkin_count += 1

    # Post-infusion checks for every infusion that has happened; the first has all three.
    post_count = 0
    for number, (day, row) in enumerate(infusion_rows, start=1):
        if row.start > now or row.id is None:
            continue
        for timepoint, offset, clock, skip_chance in _POST_CHECK_PLAN:
            skip = number > 1 and rng.random() < skip_chance
            when = moment(day + offset, clock, rng.randint(0, 150))
            if skip or when >= now:
                continue
            check = _post_check(rng, timepoint, number, day in INDUCTION_DAYS)
            saved = infusions.save_post_check(session, patient_id, row.id, check)
            if saved is not None:
                saved.created_at = saved.updated_at = when
                post_count += 1

    # PHQ-9 and GAD-7 on each day the app's schedule says one is due (except while away on
    # holiday), from the infusions done and booked by that day.
    booked_on = {day: INDUCTION_BOOKED_DAY for day in INDUCTION_DAYS}
    booked_on |= {day: day - BOOSTER_BOOKED_AHEAD for day in (*BOOSTER_DAYS, planned_day)}
    taken: dict[str, list[date]] = {"phq9": [], "gad7": []}
    for day in range(FIRST_QUESTIONNAIRE_DAY, DAYS):
        if day in holiday:
            continue
        done = [day_of(d) for d in booked_on if d <= day]
        planned = [day_of(d) for d, booked in booked_on.items() if d > day and booked <= day]
        # Answers lean on the most recent of the two weeks they ask about.
        recent = levels[max(0, day - 9) : day + 1]
        mood_recently = sum(recent) / len(recent) - BASE_MOOD
        for due in questionnaires_due(day_of(day), done, planned, taken):
            when = moment(day, time(20, 0), rng.randint(0, 90))
            if due.instrument == "phq9":
                total = round(19 - 3.4 * mood_recently) + rng.choice((-1, 0, 0, 1))
                if due.kind == BASELINE:
                    total = min(20, max(18, total))
                recalled = sum(1 for d in passing_days if day - 13 <= d <= day)
                item9 = 1 if recalled >= ITEM9_AFTER_PASSING_DAYS else 0
                answers = [*_answers(rng, _PHQ9_WEIGHTS, total - item9), item9]
                result = score_phq9(answers)
                response = questionnaires.save_response(
                    session,
                    patient_id,
                    result,
                    day_of(day),
                    _difficulty(result.total, (5, 12, 20)),
                    when,
                )
                # The app's rule: PHQ-9 item 9 above 0 records a safety event.
                kind = safety_kind_for_phq9(answers)
                if kind is not None and response.id is not None:
                    event = safety.record_safety_event(
                        session, patient_id, day_of(day), kind, "phq9", response.id
                    )
                    event.recorded_at = when
            else:
                total = round(14.3 - 2.5 * mood_recently) + rng.choice((-1, 0, 1))
                if due.kind == BASELINE:
                    total = min(15, max(13, total))
                result = score_gad7(_answers(rng, _GAD7_WEIGHTS, total))
                questionnaires.save_response(
                    session,
                    patient_id,
                    result,
                    day_of(day),
                    _difficulty(result.total, (5, 10, 16)),
                    when,
                )
            taken[due.instrument].append(day_of(day))

    session.flush()
    done_count = sum(1 for _, row in infusion_rows if row.start <= now)
    return DemoSummary(
        first_day=start,
        last_day=today,
        checkins=checkin_count,
        infusions_done=done_count,
        infusions_planned=len(infusion_rows) - done_count,
        post_checks=post_count,
        phq9=len(taken["phq9"]),
        gad7=len(taken["gad7"]),
        safety_events=len(safety.list_safety_events(session, patient_id)),
        induction_days=tuple(day_of(day) for day in INDUCTION_DAYS),
        booster_days=tuple(day_of(day) for day in BOOSTER_DAYS),
        planned_days=(day_of(planned_day),),
        holiday=tuple(day_of(day) for day in sorted(holiday)),
    )


def reset_demo_patient(session: Session, password_hash: str) -> accounts.Patient:
    """Delete any demo patient (every table cascades from patient.id) and create it afresh."""
    existing = accounts.find_patient_by_email(session, DEMO_EMAIL)
    if existing is not None and existing.id is not None:
        accounts.delete_patient(session, existing.id)
        session.flush()
    patient = accounts.create_patient(session, DEMO_EMAIL, password_hash, DEMO_TIMEZONE)
    if patient.id is None:
        raise RuntimeError("The demo patient was not created")
    accounts.update_profile(
        session,
        patient.id,
        timezone=DEMO_TIMEZONE,
        clinic_name=CLINIC_NAME,
        clinic_phone=CLINIC_PHONE,
        summary_name=SUMMARY_NAME,
    )
    return patient


def main() -> int:
    started = timer.perf_counter()
    password = os.environ.get("DEMO_PASSWORD", "")
    generated = not password
    if generated:
        password = secrets.token_urlsafe(12)
    elif problem := password_problem(password):
        print(f"Note: DEMO_PASSWORD could not be chosen at sign-up: {problem}")
    password_hash = hash_password(password)
    today = local_today(DEMO_TIMEZONE)
    with session_scope() as session:
        patient = reset_demo_patient(session, password_hash)
        assert patient.id is not None
        first_day = today - timedelta(days=DAYS - 1)
        patient.created_at = datetime.combine(
            first_day, time(19, 0), tzinfo=ZoneInfo(DEMO_TIMEZONE)
        ).astimezone(UTC)
        # Seeded on purpose: the same day gives the same demo data. Not used for security.
        rng = random.Random(SEED)  # noqa: S311
        summary = build_demo(session, patient.id, today, DEMO_TIMEZONE, rng)
    elapsed = timer.perf_counter() - started

    boosters = len(summary.booster_days)
    planned = ", ".join(day.isoformat() for day in summary.planned_days)
    print(f"Demo patient: {DEMO_EMAIL} ({DEMO_TIMEZONE}, {CLINIC_NAME})")
    print(
        f"Demo password: {password}" if generated else "Demo password: the value of DEMO_PASSWORD"
    )
    print(f"Data from {summary.first_day} to {summary.last_day}:")
    print(f"  {summary.checkins} days of check-ins of {DAYS}")
    print(
        f"  {summary.infusions_done} infusions ({len(summary.induction_days)} induction, "
        f"{boosters} boosters), {summary.infusions_planned} planned ({planned})"
    )
    print(f"  {summary.post_checks} post-infusion checks")
    print(f"  {summary.phq9} PHQ-9 and {summary.gad7} GAD-7 questionnaires")
    print(f"  {summary.safety_events} safety events")
    print(f"Sign in at {settings.public_url}{routes.LOGIN} (done in {elapsed:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
