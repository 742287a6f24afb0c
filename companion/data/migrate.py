"""Apply pending migrations: `python -m companion.data.migrate` (make run does this first)."""

from __future__ import annotations

import sys

from alembic import command
from alembic.config import Config

from companion.settings import PROJECT_ROOT, settings


def alembic_config(database_url: str | None = None) -> Config:
    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(PROJECT_ROOT / "alembic"))
    config.attributes["database_url"] = database_url or settings.database_url
    config.attributes["configure_logger"] = False
    return config


def upgrade(database_url: str | None = None) -> None:
    command.upgrade(alembic_config(database_url), "head")


def main() -> int:
    upgrade()
    print(f"Database is up to date: {settings.database_url.split('@')[-1]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
