"""Which Learn articles each patient has opened: Learn marks them, Today prefers unread ones."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, ForeignKey, Integer, UniqueConstraint
from sqlmodel import Field, Session, SQLModel, select

from companion.data.db import UTCDateTime, utcnow


class ArticleRead(SQLModel, table=True):
    __tablename__ = "article_read"
    __table_args__ = (UniqueConstraint("patient_id", "slug", name="uq_article_read_patient_slug"),)

    id: int | None = Field(default=None, primary_key=True)
    patient_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("patient.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    slug: str = Field(max_length=80)
    read_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


def mark_read(session: Session, patient_id: int, slug: str) -> None:
    statement = select(ArticleRead).where(
        ArticleRead.patient_id == patient_id, ArticleRead.slug == slug
    )
    if session.exec(statement).first() is None:
        session.add(ArticleRead(patient_id=patient_id, slug=slug))


def read_slugs(session: Session, patient_id: int) -> set[str]:
    statement = select(ArticleRead.slug).where(ArticleRead.patient_id == patient_id)
    return set(session.exec(statement).all())
