"""Every row a patient owns, loaded at once for "Export all my data".

Every query is filtered by the patient's id (share views through their link's patient), so an
export can never carry another patient's row. Rows come back in a stable order (time, then id).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, TypeVar

from sqlmodel import Session, SQLModel, col, select

from companion.data.accounts import AuthSession, Patient
from companion.data.calendar import CalendarFeed
from companion.data.checkins import CheckIn
from companion.data.infusions import Infusion, PostInfusionCheck
from companion.data.learn import ArticleRead
from companion.data.questionnaires import QuestionnaireResponse
from companion.data.safety import SafetyEvent
from companion.data.safety_plans import SafetyPlan
from companion.data.shares import ShareLink, ShareView


@dataclass
class Everything:
    """One patient's account row and all their rows from every table of patient data."""

    patient: Patient
    checkins: list[CheckIn] = field(default_factory=list)
    infusions: list[Infusion] = field(default_factory=list)
    post_checks: list[PostInfusionCheck] = field(default_factory=list)
    questionnaires: list[QuestionnaireResponse] = field(default_factory=list)
    safety_events: list[SafetyEvent] = field(default_factory=list)
    share_links: list[ShareLink] = field(default_factory=list)
    share_views: list[ShareView] = field(default_factory=list)
    calendar_feed: CalendarFeed | None = None
    safety_plan: SafetyPlan | None = None
    article_reads: list[ArticleRead] = field(default_factory=list)
    # Signed-in browsers and sign-in tickets not yet traded; the export writes none of their hashes.
    sign_in_sessions: list[AuthSession] = field(default_factory=list)


_Row = TypeVar("_Row", bound=SQLModel)


def _owned(session: Session, table: type[_Row], patient_id: int, first: Any) -> list[_Row]:
    """The patient's rows of one table, ordered by `first` then id."""
    owner, row_id = getattr(table, "patient_id"), getattr(table, "id")  # noqa: B009
    statement = select(table).where(col(owner) == patient_id).order_by(col(first), col(row_id))
    return list(session.exec(statement).all())


def load_everything(session: Session, patient_id: int) -> Everything:
    """Everything of the patient's; LookupError if there is no such patient."""
    patient = session.exec(select(Patient).where(col(Patient.id) == patient_id)).first()
    if patient is None:
        raise LookupError(f"no patient {patient_id}")
    views = session.exec(
        select(ShareView)
        .join(ShareLink, col(ShareLink.id) == col(ShareView.link_id))
        .where(col(ShareLink.patient_id) == patient_id)
        .order_by(col(ShareView.at), col(ShareView.id))
    ).all()
    feed = session.exec(
        select(CalendarFeed).where(col(CalendarFeed.patient_id) == patient_id)
    ).first()
    plan = session.exec(select(SafetyPlan).where(col(SafetyPlan.patient_id) == patient_id)).first()
    return Everything(
        patient=patient,
        safety_plan=plan,
        checkins=_owned(session, CheckIn, patient_id, CheckIn.day),
        infusions=_owned(session, Infusion, patient_id, Infusion.starts_at),
        post_checks=_owned(session, PostInfusionCheck, patient_id, PostInfusionCheck.infusion_id),
        questionnaires=_owned(
            session, QuestionnaireResponse, patient_id, QuestionnaireResponse.completed_at
        ),
        safety_events=_owned(session, SafetyEvent, patient_id, SafetyEvent.day),
        share_links=_owned(session, ShareLink, patient_id, ShareLink.created_at),
        share_views=list(views),
        calendar_feed=feed,
        article_reads=_owned(session, ArticleRead, patient_id, ArticleRead.read_at),
        sign_in_sessions=_owned(session, AuthSession, patient_id, AuthSession.created_at),
    )
