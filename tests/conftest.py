"""Shared fixtures: a fresh database per test, wired into the app's session_scope."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from companion.data import db as db_module
from companion.data.db import make_engine
from companion.data.tables import metadata


@pytest.fixture
def engine(tmp_path, monkeypatch) -> Iterator[Engine]:
    """A new SQLite file with the whole schema; the app's code uses it through get_engine()."""
    eng = make_engine(f"sqlite:///{tmp_path / 'test.db'}")
    metadata.create_all(eng)
    monkeypatch.setattr(db_module, "get_engine", lambda: eng)
    yield eng
    eng.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    with Session(engine, expire_on_commit=False) as s:
        yield s
        s.commit()
