"""Every row a patient owns, loaded at once for "Export all my data".

Every query is filtered by the patient's id (share views through their link's patient), so an
export can never carry another patient's row. Rows come back in a stable order (time, then id).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlmodel import Session, col, select

from companion.data.accounts import AuthSession, Patient
from companion.data.calendar import CalendarFeed
from companion.data.checkins import CheckIn
from companion.data.infusions import Infusion, PostInfusionCheck
from companion.data.learn import ArticleRead
from companion.data.questionnaires import QuestionnaireResponse
from companion.data.safety import SafetyEvent
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
    article_reads: list[ArticleRead] = field(default_factory=list)
    # Signed-in browsers and sign-in tickets not yet traded; the export writes none of their hashes.
    sign_in_sessions: list[AuthSession] = field(default_factory=list)


def load_everything(session: Session, patient_id: int) -> Everything:
    """Everything of the patient's; LookupError if there is no such patient."""
    patient = session.exec(select(Patient).where(col(Patient.id) == patient_id)).first()
    if patient is None:
        raise LookupError(f"no patient {patient_id}")
    checkins = session.exec(
        select(CheckIn)
        .where(col(CheckIn.patient_id) == patient_id)
        .order_by(col(CheckIn.day), col(CheckIn.id))
    ).all()
    infusion_rows = session.exec(
        select(Infusion)
        .where(col(Infusion.patient_id) == patient_id)
        .order_by(col(Infusion.starts_at), col(Infusion.id))
    ).all()
    post_checks = session.exec(
        select(PostInfusionCheck)
        .where(col(PostInfusionCheck.patient_id) == patient_id)
        .order_by(col(PostInfusionCheck.infusion_id), col(PostInfusionCheck.id))
    ).all()
    responses = session.exec(
        select(QuestionnaireResponse)
        .where(col(QuestionnaireResponse.patient_id) == patient_id)
        .order_by(col(QuestionnaireResponse.completed_at), col(QuestionnaireResponse.id))
    ).all()
    events = session.exec(
        select(SafetyEvent)
        .where(col(SafetyEvent.patient_id) == patient_id)
        .order_by(col(SafetyEvent.day), col(SafetyEvent.id))
    ).all()
    links = session.exec(
        select(ShareLink)
        .where(col(ShareLink.patient_id) == patient_id)
        .order_by(col(ShareLink.created_at), col(ShareLink.id))
    ).all()
    views = session.exec(
        select(ShareView)
        .join(ShareLink, col(ShareLink.id) == col(ShareView.link_id))
        .where(col(ShareLink.patient_id) == patient_id)
        .order_by(col(ShareView.at), col(ShareView.id))
    ).all()
    feed = session.exec(
        select(CalendarFeed).where(col(CalendarFeed.patient_id) == patient_id)
    ).first()
    reads = session.exec(
        select(ArticleRead)
        .where(col(ArticleRead.patient_id) == patient_id)
        .order_by(col(ArticleRead.read_at), col(ArticleRead.id))
    ).all()
    sign_ins = session.exec(
        select(AuthSession)
        .where(col(AuthSession.patient_id) == patient_id)
        .order_by(col(AuthSession.created_at), col(AuthSession.id))
    ).all()
    return Everything(
        patient=patient,
        checkins=list(checkins),
        infusions=list(infusion_rows),
        post_checks=list(post_checks),
        questionnaires=list(responses),
        safety_events=list(events),
        share_links=list(links),
        share_views=list(views),
        calendar_feed=feed,
        article_reads=list(reads),
        sign_in_sessions=list(sign_ins),
    )
