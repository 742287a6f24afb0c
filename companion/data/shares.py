"""Read-only links a patient gives a clinician, and the log of every opening of them.

Only the SHA-256 of a link's token is stored; lookups are by that hash.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, ForeignKey, Integer, Text, update
from sqlmodel import Field, Session, SQLModel, col, select

from companion.data.db import UTCDateTime, utcnow


class ShareLink(SQLModel, table=True):
    __tablename__ = "share_link"

    id: int | None = Field(default=None, primary_key=True)
    patient_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("patient.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    token_hash: str = Field(max_length=64, unique=True, index=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    expires_at: datetime = Field(sa_type=UTCDateTime)
    period: str = Field(max_length=10)
    include_notes: bool = False
    # Off unless the patient ticks "include my safety plan" when making the link.
    include_safety_plan: bool = False
    passcode_hash: str | None = Field(default=None, max_length=255)
    failed_attempts: int = 0
    locked: bool = False
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    view_count: int = 0
    last_viewed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # The SMART Health Link file: a JWE of the FHIR Bundle as it was when the link was made.
    # Its key is only in the link's #shlink:/ fragment, never here (companion.exports.shl).
    shl_file: str | None = Field(default=None, sa_type=Text)


class ShareView(SQLModel, table=True):
    """One opening of a link (or a failed passcode try), as the patient sees it on /share."""

    __tablename__ = "share_view"

    id: int | None = Field(default=None, primary_key=True)
    link_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("share_link.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    device: str = Field(default="", max_length=80)
    viewer_name: str = Field(default="", max_length=80)
    outcome: str = Field(default="opened", max_length=20)
    # Downloads from a passcode link carry this grant (hashed here), valid for a short while.
    grant_hash: str | None = Field(default=None, max_length=64, index=True)
    grant_expires_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


def create_link(
    session: Session,
    patient_id: int,
    token_hash: str,
    expires_at: datetime,
    period: str,
    include_notes: bool,
    passcode_hash: str | None,
    created_at: datetime | None = None,
    include_safety_plan: bool = False,
) -> ShareLink:
    link = ShareLink(
        include_safety_plan=include_safety_plan,
        patient_id=patient_id,
        created_at=created_at or utcnow(),
        token_hash=token_hash,
        expires_at=expires_at,
        period=period,
        include_notes=include_notes,
        passcode_hash=passcode_hash,
    )
    session.add(link)
    session.flush()
    return link


def store_shl_file(session: Session, link: ShareLink, jwe: str) -> None:
    link.shl_file = jwe
    session.add(link)
    session.flush()


def count_wrong_passcode(session: Session, link: ShareLink, max_tries: int) -> None:
    """One more wrong passcode, locking at max_tries; counted in SQL, so tries sent in parallel
    are each counted (the SMART Health Links spec asks for a lifetime count that holds)."""
    tries = col(ShareLink.failed_attempts) + 1
    session.flush()
    session.execute(
        update(ShareLink)
        .where(col(ShareLink.id) == link.id)
        .values(failed_attempts=tries, locked=col(ShareLink.locked) | (tries >= max_tries))
        .execution_options(synchronize_session=False)
    )
    session.refresh(link)


def take_file_ticket(session: Session, link: ShareLink, ticket_hash: str, now: datetime) -> bool:
    """Use up a manifest's file ticket: True once, while it is fresh, then never again."""
    statement = (
        update(ShareView)
        .where(
            col(ShareView.link_id) == link.id,
            col(ShareView.grant_hash) == ticket_hash,
            col(ShareView.grant_expires_at) > now,
        )
        .values(grant_hash=None, grant_expires_at=None)
        .execution_options(synchronize_session=False)
    )
    taken: int = session.execute(statement).rowcount  # type: ignore[attr-defined]
    return taken == 1


def find_by_hash(session: Session, token_hash: str) -> ShareLink | None:
    return session.exec(select(ShareLink).where(ShareLink.token_hash == token_hash)).first()


def get_link(session: Session, patient_id: int, link_id: int) -> ShareLink | None:
    statement = select(ShareLink).where(ShareLink.id == link_id, ShareLink.patient_id == patient_id)
    return session.exec(statement).first()


def list_links(session: Session, patient_id: int) -> list[ShareLink]:
    statement = select(ShareLink).where(ShareLink.patient_id == patient_id)
    return list(session.exec(statement.order_by(col(ShareLink.created_at).desc())).all())


def log_view(
    session: Session,
    link: ShareLink,
    device: str,
    outcome: str,
    viewer_name: str = "",
    grant_hash: str | None = None,
    grant_expires_at: datetime | None = None,
) -> ShareView:
    now = utcnow()
    view = ShareView(
        link_id=link.id or 0,
        at=now,
        device=device[:80],
        viewer_name=viewer_name[:80],
        outcome=outcome,
        grant_hash=grant_hash,
        grant_expires_at=grant_expires_at,
    )
    if outcome == "opened":
        link.view_count += 1
        link.last_viewed_at = now
    session.add(link)
    session.add(view)
    session.flush()
    return view


def set_viewer_name(session: Session, link: ShareLink, view_id: int, name: str) -> bool:
    view = session.get(ShareView, view_id)
    if view is None or view.link_id != link.id:
        return False
    view.viewer_name = name[:80]
    session.add(view)
    return True


def viewer_name(session: Session, link: ShareLink, view_id: int) -> str:
    view = session.get(ShareView, view_id)
    return view.viewer_name if view is not None and view.link_id == link.id else ""


def find_grant(session: Session, link: ShareLink, grant_hash: str) -> ShareView | None:
    statement = select(ShareView).where(
        ShareView.link_id == link.id, ShareView.grant_hash == grant_hash
    )
    return session.exec(statement).first()


def list_views(session: Session, patient_id: int) -> list[ShareView]:
    statement = (
        select(ShareView)
        .join(ShareLink, col(ShareLink.id) == col(ShareView.link_id))
        .where(ShareLink.patient_id == patient_id)
        .order_by(col(ShareView.at).desc())
    )
    return list(session.exec(statement).all())
