"""Imports every table module so SQLModel.metadata knows the whole schema (for Alembic)."""

from sqlmodel import SQLModel

from companion.data import accounts, checkins, infusions, questionnaires, safety  # noqa: F401

metadata = SQLModel.metadata
