"""Imports every table module so SQLModel.metadata knows the whole schema (for Alembic)."""

from sqlmodel import SQLModel

from companion.data import (  # noqa: F401
    accounts,
    checkins,
    infusions,
    learn,
    questionnaires,
    safety,
)

metadata = SQLModel.metadata
