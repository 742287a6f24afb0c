"""Export all my data: everything a patient logged, as JSON and as one CSV.

Built from companion.data.everything.Everything only (no queries here). Secrets never leave: no
password hash, session or link token hash, passcode hash or download grant hash is read, so none
can be written. Dates are ISO 8601; moments are ISO 8601 in UTC with their offset, to the second.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from companion.clinical.instruments import INSTRUMENTS
from companion.clinical.safety import SAFETY_LABELS, SAFETY_PLAN_STEPS
from companion.data.everything import Everything
from companion.data.infusions import Infusion, PostInfusionCheck
from companion.data.shares import ShareLink, ShareView
from companion.exports.csv_export import TAG_SEPARATOR, moment_text, write_csv

FORMAT = "ketamine-companion/1"
# A suicidal-thoughts question the patient left unanswered: not the same as "none".
NOT_ANSWERED = "not answered"

Record = dict[str, Any]


def _moment(value: datetime | None) -> str | None:
    return None if value is None else moment_text(value)


def _account(data: Everything) -> Record:
    patient = data.patient
    return {
        "email": patient.email,
        "timezone": patient.timezone,
        "clinic_name": patient.clinic_name,
        "clinic_phone": patient.clinic_phone,
        "summary_name": patient.summary_name,
        "crisis_country": patient.crisis_country or "from time zone",
        "created_at": _moment(patient.created_at),
    }


def _checkins(data: Everything) -> list[Record]:
    return [
        {
            "id": c.id,
            "day": c.day.isoformat(),
            "mood": c.mood,
            "anxiety": c.anxiety,
            "energy": c.energy,
            "pain": c.pain,
            "sleep_hours": c.sleep_hours,
            "suicidal_thoughts": c.suicidal_thoughts or NOT_ANSWERED,
            "tags": list(c.tag_list),
            "note": c.note,
            "created_at": _moment(c.created_at),
            "updated_at": _moment(c.updated_at),
        }
        for c in data.checkins
    ]


def _post_check(check: PostInfusionCheck) -> Record:
    return {
        "id": check.id,
        "infusion_id": check.infusion_id,
        "timepoint": check.timepoint,
        **check.side_effects(),
        "dissociation": check.dissociation,
        "systolic": check.systolic,
        "diastolic": check.diastolic,
        "compared_with_before": check.compared_with_before,
        "reflection": check.reflection,
        "created_at": _moment(check.created_at),
        "updated_at": _moment(check.updated_at),
    }


def _infusion(infusion: Infusion) -> Record:
    return {
        "id": infusion.id,
        "starts_at": _moment(infusion.starts_at),
        "route": infusion.route,
        "dose_value": infusion.dose_value,
        "dose_unit": infusion.dose_unit,
        "clinic": infusion.clinic,
        "note": infusion.note,
        "created_at": _moment(infusion.created_at),
        "updated_at": _moment(infusion.updated_at),
    }


def _questionnaires(data: Everything) -> list[Record]:
    records = []
    for response in data.questionnaires:
        instrument = INSTRUMENTS.get(response.instrument)
        difficulty = response.difficulty
        difficulty_answer = (
            instrument.difficulty_options[difficulty]
            if instrument is not None
            and difficulty is not None
            and 0 <= difficulty < len(instrument.difficulty_options)
            else None
        )
        records.append(
            {
                "id": response.id,
                "instrument": response.instrument,
                "day": response.day.isoformat(),
                "completed_at": _moment(response.completed_at),
                "entered_later": response.entered_later,
                "answers": response.answer_list,
                "total": response.total,
                "severity": response.severity,
                "difficulty": difficulty,
                "difficulty_answer": difficulty_answer,
            }
        )
    return records


def _safety_plan(data: Everything) -> Record | None:
    plan = data.safety_plan
    if plan is None:
        return None
    try:
        helpers = json.loads(plan.helpers or "[]")
    except ValueError:
        helpers = []
    return {
        "id": plan.id,
        **{
            step.key: getattr(plan, step.key) for step in SAFETY_PLAN_STEPS if step.key != "helpers"
        },
        "helpers": helpers,
        "updated_at": _moment(plan.updated_at),
    }


def _safety_events(data: Everything) -> list[Record]:
    return [
        {
            "id": e.id,
            "day": e.day.isoformat(),
            "kind": e.kind,
            "description": SAFETY_LABELS.get(e.kind, e.kind),
            "source": e.source,
            "source_id": e.source_id,
            "recorded_at": _moment(e.recorded_at),
        }
        for e in data.safety_events
    ]


def _share_link(link: ShareLink) -> Record:
    return {
        "id": link.id,
        "created": _moment(link.created_at),
        "expires": _moment(link.expires_at),
        "period": link.period,
        "include_notes": link.include_notes,
        "has_passcode": link.passcode_hash is not None,
        "revoked": link.revoked_at is not None,
        "revoked_at": _moment(link.revoked_at),
        "locked": link.locked,
        "failed_passcode_attempts": link.failed_attempts,
        "view_count": link.view_count,
        "last_viewed_at": _moment(link.last_viewed_at),
    }


def _share_view(view: ShareView) -> Record:
    return {
        "id": view.id,
        "link_id": view.link_id,
        "at": _moment(view.at),
        "device": view.device,
        "viewer_name": view.viewer_name,
        "outcome": view.outcome,
    }


def _calendar_feed(data: Everything) -> Record | None:
    feed = data.calendar_feed
    if feed is None:
        return None
    return {"reminder_time": feed.reminder_time, "created_at": _moment(feed.created_at)}


def _article_reads(data: Everything) -> list[Record]:
    return [{"slug": r.slug, "read_at": _moment(r.read_at)} for r in data.article_reads]


def _sign_in_sessions(data: Everything) -> list[Record]:
    # Named fields only: the token hash (of a cookie or of a one-time ticket) is never read.
    return [
        {
            "id": s.id,
            "device": s.device,
            "created_at": _moment(s.created_at),
            "last_seen_at": _moment(s.last_seen_at),
            # False: a sign-in ticket that was never traded for a cookie.
            "signed_in": s.activated,
        }
        for s in data.sign_in_sessions
    ]


def personal_json(data: Everything, generated_at: datetime) -> str:
    """Everything as pretty JSON ("format": "ketamine-companion/1"); generated_at must be aware."""
    if generated_at.tzinfo is None or generated_at.utcoffset() is None:
        raise ValueError(f"generated_at must be timezone-aware, got {generated_at!r}")
    checks_by_infusion: dict[int, list[Record]] = {}
    for check in data.post_checks:
        checks_by_infusion.setdefault(check.infusion_id, []).append(_post_check(check))
    views_by_link: dict[int, list[Record]] = {}
    for view in data.share_views:
        views_by_link.setdefault(view.link_id, []).append(_share_view(view))
    document = {
        "exported_at": moment_text(generated_at),
        "format": FORMAT,
        "account": _account(data),
        "checkins": _checkins(data),
        "infusions": [
            {**_infusion(i), "post_infusion_checks": checks_by_infusion.get(i.id or 0, [])}
            for i in data.infusions
        ],
        "questionnaires": _questionnaires(data),
        "safety_events": _safety_events(data),
        "safety_plan": _safety_plan(data),
        "share_links": [
            {**_share_link(link), "views": views_by_link.get(link.id or 0, [])}
            for link in data.share_links
        ],
        "calendar_feed": _calendar_feed(data),
        "articles_read": _article_reads(data),
        "sign_in_sessions": _sign_in_sessions(data),
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _csv_value(key: str, value: Any) -> Any:
    if isinstance(value, list):
        # Tags and answers separated as in the clinician CSV.
        separator = TAG_SEPARATOR if key == "tags" else " "
        return separator.join(str(v) for v in value)
    return value


def _tagged(table: str, records: Iterable[Record]) -> list[Record]:
    return [{"table": table, **{k: _csv_value(k, v) for k, v in r.items()}} for r in records]


def personal_csv(data: Everything) -> str:
    """Everything as one CSV: a "table" column first, then the union of every table's fields.

    Text cells a spreadsheet would run as formulas are neutralised (see csv_export).
    """
    feed = _calendar_feed(data)
    plan = _safety_plan(data)
    if plan is not None:
        plan = {**plan, "helpers": "; ".join(f"{h['name']} {h['phone']}" for h in plan["helpers"])}
    rows: list[Record] = [
        *_tagged("account", [_account(data)]),
        *_tagged("checkin", _checkins(data)),
        *_tagged("infusion", [_infusion(i) for i in data.infusions]),
        *_tagged("post_infusion_check", [_post_check(c) for c in data.post_checks]),
        *_tagged("questionnaire", _questionnaires(data)),
        *_tagged("safety_event", _safety_events(data)),
        *_tagged("safety_plan", [plan] if plan is not None else []),
        *_tagged("share_link", [_share_link(link) for link in data.share_links]),
        *_tagged("share_view", [_share_view(v) for v in data.share_views]),
        *_tagged("calendar_feed", [feed] if feed is not None else []),
        *_tagged("article_read", _article_reads(data)),
        *_tagged("sign_in_session", _sign_in_sessions(data)),
    ]
    columns: list[str] = ["table", "id"]
    for row in rows:
        columns.extend(key for key in row if key not in columns)
    return write_csv(columns, rows)
