"""`make backup` and `make restore FILE=…`: a consistent copy while the app serves, put back only
after it has been checked and only while the app is stopped.

    python -m companion.backup                 # into backups/ (BACKUP_DIR), the time in its name
    python -m companion.backup restore FILE    # the app must be stopped

The database is DATABASE_URL, else the `make prod` stack's (data/prod/env), else the SQLite file.
SQLite is copied with its online backup API (a snapshot of one moment, while others write) and
the copy checked with PRAGMA integrity_check; PostgreSQL with pg_dump (one transaction's
snapshot). A restore first checks the file (SQLite: integrity_check and a schema; PostgreSQL: a
restore into a scratch database), then keeps a copy of what it replaces in backups/, and only
then swaps. Backups hold health data: they are mode 0600, and a restore brings back any account
erased after the backup was made; erase it again.
"""

from __future__ import annotations

import glob
import os
import shutil
import sqlite3
import subprocess
import sys
import urllib.error
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.engine import URL, make_url

from companion.prod import prod_env
from companion.settings import PROJECT_ROOT, settings


class RestoreRefused(RuntimeError):
    """The file is not a good backup, or the app is still serving; nothing was changed."""


def backup_dir() -> Path:
    return Path(os.environ.get("BACKUP_DIR") or PROJECT_ROOT / "backups")


def database_url() -> str:
    return os.environ.get("DATABASE_URL") or prod_env().get("DATABASE_URL") or settings.database_url


def _stamp() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")


def _private(path: Path) -> Path:
    os.chmod(path, 0o600)
    return path


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


# ------------------------------------------------------------------------------------ SQLite


def _sqlite_path(url: str) -> Path:
    return Path(url.split("///", 1)[1])


def _sqlite_copy(source: Path, target: Path) -> None:
    """One consistent snapshot of source into target, however many others write meanwhile."""
    target.unlink(missing_ok=True)
    with (
        sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=30) as src,
        sqlite3.connect(target) as dst,
    ):
        src.backup(dst)
        dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
    _fsync(_private(target))


def check_sqlite(path: Path) -> None:
    """Refuse a file that is not a whole, migrated database of this app."""
    if not path.is_file():
        raise RestoreRefused(f"{path} does not exist")
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
            result = [row[0] for row in db.execute("PRAGMA integrity_check")]
            if result != ["ok"]:
                raise RestoreRefused(f"{path} is damaged: {'; '.join(result[:3])}")
            version = db.execute("SELECT version_num FROM alembic_version").fetchone()
            db.execute("SELECT count(*) FROM patient").fetchone()
    except (sqlite3.Error, UnicodeDecodeError) as problem:  # a damaged page may hold anything
        raise RestoreRefused(f"{path} is not a database of this app: {problem}") from problem
    if not version:
        raise RestoreRefused(f"{path} has no schema version")


def _backup_sqlite(url: str, folder: Path) -> Path:
    source = _sqlite_path(url)
    if not source.exists():
        raise SystemExit(f"There is no database at {source} yet.")
    target = folder / f"companion-{_stamp()}.db"
    _sqlite_copy(source, target)
    check_sqlite(target)
    return target


def _restore_sqlite(url: str, file: Path, folder: Path) -> Path | None:
    check_sqlite(file)
    target = _sqlite_path(url)
    kept = None
    if target.exists():
        kept = folder / f"before-restore-{_stamp()}.db"
        _sqlite_copy(target, kept)
    target.parent.mkdir(parents=True, exist_ok=True)
    incoming = target.with_name(target.name + ".restoring")
    _sqlite_copy(file, incoming)
    check_sqlite(incoming)
    for suffix in ("-wal", "-shm"):  # the log of the database being replaced
        target.with_name(target.name + suffix).unlink(missing_ok=True)
    os.replace(incoming, target)
    return kept


# -------------------------------------------------------------------------------- PostgreSQL


def _pg(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}")) or [shutil.which(name) or ""]
    if not found[-1]:
        raise SystemExit(f"PostgreSQL's {name} is missing: apt-get install postgresql-client")
    return found[-1]


def _libpq(url: URL, database: str | None = None) -> tuple[list[str], dict[str, str]]:
    """Connection arguments, with the password in the environment, never on the command line."""
    args = ["-h", url.host or "127.0.0.1", "-p", str(url.port or 5432)]
    if url.username:
        args += ["-U", url.username]
    args += ["-d", database or url.database or "postgres"]
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    return args, env


def _pg_run(command: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True)  # noqa: S603
    if done.returncode != 0:
        raise RestoreRefused(done.stderr.strip() or f"{command[0]} failed")


def _dump(url: URL, target: Path) -> None:
    args, env = _libpq(url)
    _pg_run([_pg("pg_dump"), *args, "--format=custom", "--no-owner", "-f", str(target)], env)
    _fsync(_private(target))


def _admin(url: URL, *statements: str) -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            for statement in statements:
                connection.execute(text(statement))
    finally:
        engine.dispose()


def _backup_postgres(url: URL, folder: Path) -> Path:
    target = folder / f"companion-{_stamp()}.dump"
    _dump(url, target)
    return target


def _restore_postgres(url: URL, file: Path, folder: Path) -> Path:
    if not file.is_file():
        raise RestoreRefused(f"{file} does not exist")
    name = url.database or "companion"
    scratch = f"{name}_restore_check"
    _admin(url, f'DROP DATABASE IF EXISTS "{scratch}"', f'CREATE DATABASE "{scratch}"')
    args, env = _libpq(url, scratch)
    restore = [_pg("pg_restore"), *args, "--no-owner", "--exit-on-error", "--single-transaction"]
    try:
        _pg_run([*restore, str(file)], env)
    except RestoreRefused:
        _admin(url, f'DROP DATABASE IF EXISTS "{scratch}"')
        raise
    kept = folder / f"before-restore-{_stamp()}.dump"
    _dump(url, kept)
    _admin(
        url,
        f'DROP DATABASE "{name}" WITH (FORCE)',
        f'ALTER DATABASE "{scratch}" RENAME TO "{name}"',
    )
    return kept


# ------------------------------------------------------------------------------ entry points


def backup(url: str | None = None, folder: Path | None = None) -> Path:
    url = url or database_url()
    folder = folder or backup_dir()
    folder.mkdir(parents=True, exist_ok=True)
    os.chmod(folder, 0o700)
    if url.startswith("sqlite"):
        return _backup_sqlite(url, folder)
    return _backup_postgres(make_url(url), folder)


def app_answers(port: int | None = None) -> bool:
    """Whether something serves on the app's port (any HTTP answer at all)."""
    try:
        with urllib.request.urlopen(  # loopback, our own port
            f"http://127.0.0.1:{port or settings.port}/ping", timeout=2
        ):
            return True
    except urllib.error.HTTPError:
        return True
    except OSError:
        return False


def restore(
    file: Path, url: str | None = None, folder: Path | None = None, port: int | None = None
) -> Path | None:
    """Put file back as the database; returns where the replaced database was kept."""
    if app_answers(port):
        raise RestoreRefused(
            f"The app is serving on port {port or settings.port}: stop it first "
            "(a restore under a running app would lose what it saves meanwhile)."
        )
    url = url or database_url()
    folder = folder or backup_dir()
    folder.mkdir(parents=True, exist_ok=True)
    if url.startswith("sqlite"):
        return _restore_sqlite(url, file, folder)
    return _restore_postgres(make_url(url), file, folder)


def _where(url: str) -> str:
    return str(_sqlite_path(url)) if url.startswith("sqlite") else url.split("@")[-1]


def main(argv: list[str]) -> int:
    url = database_url()
    if len(argv) > 1 and argv[1] == "restore":
        if len(argv) != 3:
            print("Usage: make restore FILE=backups/companion-….db", file=sys.stderr)
            return 2
        try:
            kept = restore(Path(argv[2]), url)
        except RestoreRefused as refused:
            print(f"Not restored, nothing changed: {refused}", file=sys.stderr)
            return 1
        print(f"Restored {argv[2]} into {_where(url)}.")
        if kept:
            print(f"What it replaced is kept in {kept}.")
        print("`make run` (or `make prod`) applies any newer migrations when it starts.")
        return 0
    target = backup(url)
    print(f"Backed up {_where(url)} to {target} ({target.stat().st_size // 1024} KB)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
