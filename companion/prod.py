"""`make prod`: the app as a clinic group runs it, on PostgreSQL and Redis from Debian's packages.

    python -m companion.prod up         # services, migrations, build, then serve (foreground)
    python -m companion.prod services   # only start PostgreSQL and Redis (and print where)
    python -m companion.prod stop       # stop the app, PostgreSQL and Redis started here

Everything lives under PROD_DIR (default data/prod), readable by the app's user only:

    postgres/    the cluster (owned by the postgres user when run as root: it refuses root)
    run/         PostgreSQL's socket, Redis's pid file
    redis/       Redis's append-only file (appendfsync everysec: a restart keeps the tabs)
    secrets/     postgres-password, redis-password: generated on first run, mode 0600
    env          DATABASE_URL and REDIS_URL for `make backup` / `make restore`, mode 0600
    logs/        postgres.log, redis.log

Both listen on 127.0.0.1 only (PG_PORT, default 5433; REDIS_PORT, default 6380) and want their
password. The app is served by companion.serve with WORKERS backend workers (default: the
machine's cores) sharing the tabs' state through Redis; a worker that dies is replaced.
"""

from __future__ import annotations

import glob
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from companion.settings import PROJECT_ROOT, settings

DATABASE = "companion"
ROLE = "companion"


def prod_dir() -> Path:
    return Path(os.environ.get("PROD_DIR") or settings.data_dir / "prod").resolve()


@dataclass(frozen=True)
class Stack:
    folder: Path
    pg_port: int
    redis_port: int

    @property
    def cluster(self) -> Path:
        return self.folder / "postgres"

    @property
    def run(self) -> Path:
        return self.folder / "run"

    @property
    def secrets(self) -> Path:
        return self.folder / "secrets"

    @property
    def env_file(self) -> Path:
        return self.folder / "env"

    @property
    def app_pid(self) -> Path:
        return self.run / "app.pid"

    def password(self, name: str) -> str:
        return (self.secrets / f"{name}-password").read_text().strip()

    @property
    def database_url(self) -> str:
        password = self.password("postgres")
        return f"postgresql+psycopg://{ROLE}:{password}@127.0.0.1:{self.pg_port}/{DATABASE}"

    @property
    def redis_url(self) -> str:
        return f"redis://:{self.password('redis')}@127.0.0.1:{self.redis_port}/0"


def stack() -> Stack:
    return Stack(
        prod_dir(),
        int(os.environ.get("PG_PORT") or 5433),
        int(os.environ.get("REDIS_PORT") or 6380),
    )


def prod_env(folder: Path | None = None) -> dict[str, str]:
    """DATABASE_URL and REDIS_URL of the stack set up under folder, or {} when there is none."""
    path = (folder or prod_dir()) / "env"
    if not path.exists():
        return {}
    found = {}
    for line in path.read_text().splitlines():
        name, _, value = line.partition("=")
        if name.strip():
            found[name.strip()] = value.strip()
    return found


# ---------------------------------------------------------------------------------- helpers


def _as_root() -> bool:
    return os.geteuid() == 0


def _pg(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}")) or [shutil.which(name) or ""]
    if not found[-1]:
        raise SystemExit(f"PostgreSQL's {name} is missing: apt-get install postgresql")
    return found[-1]


def _as_postgres(command: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root: as root, run it as Debian's postgres user."""
    return ["runuser", "-u", "postgres", "--", *command] if _as_root() else command


def _give_to_postgres(path: Path) -> None:
    if _as_root():
        shutil.chown(path, "postgres", "postgres")


def _write_secret(path: Path, value: str) -> None:
    """A file only its owner reads, written so it is never readable by others even briefly."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(value)
    os.chmod(path, 0o600)


def _reachable_by_postgres(folder: Path) -> None:
    """As root the cluster is run by the postgres user, who must be able to pass through the
    folders above it: within the project (data/, data/prod) they get o+x (enter, never list);
    anywhere else they must already allow it."""
    if not _as_root():
        return
    for parent in [folder, *folder.parents]:
        mode = parent.stat().st_mode
        if mode & 0o001:
            continue
        if parent in (PROJECT_ROOT, folder) or PROJECT_ROOT in parent.parents:
            os.chmod(parent, mode | 0o001)
        else:
            raise SystemExit(
                f"The postgres user cannot reach {folder}: {parent} is closed to others. "
                "Set PROD_DIR to a folder it can reach."
            )


def _ensure_folders(s: Stack) -> None:
    s.folder.mkdir(parents=True, exist_ok=True)
    os.chmod(s.folder, 0o700)
    for sub in ("secrets", "redis", "logs", "run"):
        (s.folder / sub).mkdir(exist_ok=True)
        os.chmod(s.folder / sub, 0o700)
    for name in ("postgres", "redis"):
        path = s.secrets / f"{name}-password"
        if not path.exists():
            _write_secret(path, secrets.token_urlsafe(32))
    _reachable_by_postgres(s.folder)
    if _as_root():
        # The socket folder and the log belong to the postgres user, nothing else in here.
        _give_to_postgres(s.run)
        (s.folder / "logs" / "postgres.log").touch(mode=0o600)
        _give_to_postgres(s.folder / "logs" / "postgres.log")
        os.chmod(s.folder / "logs", 0o711)  # noqa: S103 - enter only, to reach its own log


def _run(command: list[str], **options) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, check=True, capture_output=True, text=True, **options)  # noqa: S603


# ------------------------------------------------------------------------------- PostgreSQL


def _init_cluster(s: Stack) -> None:
    if (s.cluster / "PG_VERSION").exists():
        return
    s.cluster.mkdir(exist_ok=True)
    os.chmod(s.cluster, 0o700)
    _give_to_postgres(s.cluster)
    # initdb reads the password from a file the postgres user can read; it is removed after.
    pwfile = s.run / "initdb-password"
    _write_secret(pwfile, s.password("postgres") + "\n")
    _give_to_postgres(pwfile)
    try:
        _run(
            _as_postgres(
                [
                    *(_pg("initdb"), "-D", str(s.cluster), "-U", ROLE, "--pwfile", str(pwfile)),
                    *("-A", "scram-sha-256", "-E", "UTF8", "--locale", "C.UTF-8"),
                ]
            )
        )
    finally:
        pwfile.unlink(missing_ok=True)


def _pg_running(s: Stack) -> bool:
    if not (s.cluster / "PG_VERSION").exists():
        return False
    status = subprocess.run(  # noqa: S603
        _as_postgres([_pg("pg_ctl"), "-D", str(s.cluster), "status"]), capture_output=True
    )
    return status.returncode == 0


def start_postgres(s: Stack) -> None:
    _init_cluster(s)
    if not _pg_running(s):
        options = f"-p {s.pg_port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={s.run}"
        log = s.folder / "logs" / "postgres.log"
        _run(
            _as_postgres(
                [_pg("pg_ctl"), "-D", str(s.cluster), "-o", options, "-l", str(log), "-w", "start"]
            )
        )
    _ensure_database(s)


def _ensure_database(s: Stack) -> None:
    import psycopg

    with psycopg.connect(
        host="127.0.0.1",
        port=s.pg_port,
        user=ROLE,
        password=s.password("postgres"),
        dbname="postgres",
        autocommit=True,
    ) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", (DATABASE,))
        if exists.fetchone() is None:
            connection.execute(f'CREATE DATABASE "{DATABASE}"')


def stop_postgres(s: Stack) -> None:
    if _pg_running(s):
        _run(_as_postgres([_pg("pg_ctl"), "-D", str(s.cluster), "-m", "fast", "-w", "stop"]))


# ------------------------------------------------------------------------------------ Redis


def _redis_conf(s: Stack) -> Path:
    conf = s.folder / "redis.conf"
    _write_secret(
        conf,
        "\n".join(
            [
                f"port {s.redis_port}",
                "bind 127.0.0.1",
                "protected-mode yes",
                f"requirepass {s.password('redis')}",
                f"dir {s.folder / 'redis'}",
                # Every write reaches the disk within a second: a restart keeps the tabs' state.
                "appendonly yes",
                "appendfsync everysec",
                'save ""',
                "daemonize yes",
                f"pidfile {s.run / 'redis.pid'}",
                f"logfile {s.folder / 'logs' / 'redis.log'}",
                "",
            ]
        ),
    )
    return conf


def _redis_client(s: Stack):
    import redis

    return redis.Redis(
        host="127.0.0.1",
        port=s.redis_port,
        password=s.password("redis"),
        socket_timeout=2,
        socket_connect_timeout=2,
    )


def redis_running(s: Stack) -> bool:
    from companion.api.health import redis_answers

    return redis_answers(s.redis_url)


def start_redis(s: Stack) -> None:
    if redis_running(s):
        return
    binary = shutil.which("redis-server")
    if not binary:
        raise SystemExit("redis-server is missing: apt-get install redis-server")
    _run([binary, str(_redis_conf(s))])
    deadline = time.monotonic() + 20
    while not redis_running(s):
        if time.monotonic() > deadline:
            raise SystemExit(f"Redis did not start: see {s.folder / 'logs' / 'redis.log'}")
        time.sleep(0.1)


def stop_redis(s: Stack) -> None:
    if not redis_running(s):
        return
    import redis

    client = _redis_client(s)
    try:
        client.shutdown()  # writes the append-only file out first
    except redis.exceptions.ConnectionError:
        pass  # the answer to SHUTDOWN is the connection closing
    finally:
        client.close()


# -------------------------------------------------------------------------------- the stack


def services(s: Stack) -> None:
    _ensure_folders(s)
    start_postgres(s)
    start_redis(s)
    _write_secret(s.env_file, f"DATABASE_URL={s.database_url}\nREDIS_URL={s.redis_url}\n")
    print(f"PostgreSQL on 127.0.0.1:{s.pg_port} (database {DATABASE}, user {ROLE})")
    print(f"Redis on 127.0.0.1:{s.redis_port} (append-only, fsync every second)")
    print(f"Passwords in {s.secrets} (readable by this user only)")


def app_env(s: Stack) -> dict[str, str]:
    env = dict(os.environ)
    env.update({"DATABASE_URL": s.database_url, "REDIS_URL": s.redis_url})
    env.setdefault("WORKERS", str(os.cpu_count() or 1))
    return env


def up(s: Stack, port: int) -> int:
    """Services, migrations, the build if the source changed, then serve in the foreground."""
    services(s)
    env = app_env(s) | {"PORT": str(port)}
    python = sys.executable
    subprocess.run([python, "-m", "companion.data.migrate"], env=env, check=True)  # noqa: S603
    subprocess.run([python, "-m", "companion.build"], env=env, check=True)  # noqa: S603
    print(
        f"Serving http://localhost:{port} with {env['WORKERS']} workers; `make prod-stop` ends it"
    )
    _write_secret(s.app_pid, str(os.getpid()))
    os.execve(python, [python, "-m", "companion.serve", str(port)], env)  # noqa: S606
    return 0  # not reached


def stop_app(s: Stack) -> None:
    if not s.app_pid.exists():
        return
    try:
        pid = int(s.app_pid.read_text().strip())
        os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            os.kill(pid, 0)
            time.sleep(0.2)
        os.kill(pid, signal.SIGKILL)
    except (ProcessLookupError, ValueError):
        pass
    s.app_pid.unlink(missing_ok=True)


def stop(s: Stack) -> None:
    stop_app(s)
    stop_redis(s)
    stop_postgres(s)
    print("Stopped the app, Redis and PostgreSQL.")


def main(argv: list[str]) -> int:
    s = stack()
    action = argv[1] if len(argv) > 1 else "up"
    if action == "up":
        return up(s, settings.port)
    if action == "services":
        services(s)
        return 0
    if action == "stop":
        stop(s)
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
