"""Apply pending migrations: `python -m companion.data.migrate` (make run does this first)."""

from __future__ import annotations

import re
import sqlite3
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from companion.settings import PROJECT_ROOT, settings

if TYPE_CHECKING:
    from alembic.config import Config

VERSIONS = PROJECT_ROOT / "alembic" / "versions"
_REVISION = re.compile(
    r"^(revision|down_revision)\s*(?::[^=\n]*)?=\s*(?:['\"](\w+)['\"]|(None))\s*$", re.M
)


def script_heads() -> set[str] | None:
    """The newest revisions, read from the migration files without importing alembic (its
    import is most of a second of `make run`'s start); None when a file is not that simple."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in VERSIONS.glob("*.py"):
        found = {name: text or none for name, text, none in _REVISION.findall(path.read_text())}
        if "revision" not in found or "down_revision" not in found:
            return None  # a merge (a tuple) or anything unusual: let alembic read it
        revisions.add(found["revision"])
        if found["down_revision"] != "None":
            parents.add(found["down_revision"])
    return revisions - parents or None


def sqlite_revisions(database_url: str) -> set[str] | None:
    """What a SQLite file says it is migrated to; None when it can't say (no file, no table)."""
    if not database_url.startswith("sqlite:///"):
        return None
    path = Path(database_url.split("///", 1)[1])
    if not path.is_file():
        return None
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
            return {row[0] for row in db.execute("SELECT version_num FROM alembic_version")}
    except sqlite3.Error:
        return None


def is_current(database_url: str) -> bool:
    heads = script_heads()
    return heads is not None and sqlite_revisions(database_url) == heads


def alembic_config(database_url: str | None = None) -> Config:
    from alembic.config import Config

    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(PROJECT_ROOT / "alembic"))
    config.attributes["database_url"] = database_url or settings.database_url
    config.attributes["configure_logger"] = False
    return config


def upgrade(database_url: str | None = None) -> None:
    from alembic import command

    command.upgrade(alembic_config(database_url), "head")


def main() -> int:
    if not is_current(settings.database_url):
        upgrade()
    print(f"Database is up to date: {settings.database_url.split('@')[-1]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
