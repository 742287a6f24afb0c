"""Imports every table module so SQLModel.metadata knows the whole schema (for Alembic)."""

from sqlmodel import SQLModel

from companion.data import (  # noqa: F401
    accounts,
    calendar,
    checkins,
    infusions,
    learn,
    questionnaires,
    safety,
    safety_plans,
    shares,
    submissions,
)

metadata = SQLModel.metadata
