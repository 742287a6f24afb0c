"""The private calendar feed: one revocable token per patient, stored as its SHA-256, with the
random seed it is derived from (useless without the server key) and a random id for its UIDs."""

from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy import Column, ForeignKey, Integer
from sqlmodel import Field, Session, SQLModel, select

from companion.data.db import UTCDateTime, utcnow


def new_feed_uid() -> str:
    """128 random bits: event UIDs unique across patients and installs, never a row id."""
    return secrets.token_hex(16)


class CalendarFeed(SQLModel, table=True):
    __tablename__ = "calendar_feed"

    id: int | None = Field(default=None, primary_key=True)
    patient_id: int = Field(
        sa_column=Column(
            Integer,
            ForeignKey("patient.id", ondelete="CASCADE"),
            nullable=False,
            unique=True,
            index=True,
        )
    )
    token_hash: str = Field(max_length=64, unique=True, index=True)
    # The token is HMAC(server key, seed): Settings shows the link again without storing it.
    # Empty for links made before seeds existed: those can only be replaced.
    token_seed: str = Field(default="", max_length=64)
    uid: str = Field(default_factory=new_feed_uid, max_length=32, unique=True)
    reminder_time: str = Field(default="20:00", max_length=5)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


def get_feed(session: Session, patient_id: int) -> CalendarFeed | None:
    return session.exec(select(CalendarFeed).where(CalendarFeed.patient_id == patient_id)).first()


def find_feed(session: Session, token_hash: str) -> CalendarFeed | None:
    return session.exec(select(CalendarFeed).where(CalendarFeed.token_hash == token_hash)).first()


def replace_feed(
    session: Session, patient_id: int, token_hash: str, reminder_time: str, token_seed: str = ""
) -> CalendarFeed:
    """A new token ends the old one: a leaked address stops working at once. The feed keeps its
    uid, so a calendar that subscribes again sees the same events, not copies."""
    feed = get_feed(session, patient_id)
    if feed is None:
        feed = CalendarFeed(patient_id=patient_id, token_hash=token_hash)
    feed.token_hash = token_hash
    feed.token_seed = token_seed
    feed.reminder_time = reminder_time
    feed.created_at = utcnow()
    session.add(feed)
    session.flush()
    return feed


def revoke_feed(session: Session, patient_id: int) -> None:
    feed = get_feed(session, patient_id)
    if feed is not None:
        session.delete(feed)
