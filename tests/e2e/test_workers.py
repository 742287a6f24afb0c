"""Several backend workers with Reflex state in Redis (REDIS_URL), as a clinic group would run.

A second copy of the app is built in its own folder (so the main test server keeps its build)
and served with REDIS_URL pointing at a throwaway redis-server from Debian's packages.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from tests.e2e.conftest import open_visit, sign_up
from tests.e2e.harness import ROOT, Server, StartError, free_port, start_app, stop_app

SKIP_AT_TOP = {".git", ".web", ".venv", ".tools", ".states", "data", "bench"}
SKIP_ANYWHERE = {"__pycache__", ".pytest_cache", ".mypy_cache", ".ruff_cache", "node_modules"}


def _ignore(folder: str, names: list[str]) -> set[str]:
    """What not to copy: the build, the environment and local data (at the top only)."""
    top = Path(folder) == ROOT
    return {n for n in names if n in SKIP_ANYWHERE or (top and n in SKIP_AT_TOP)}


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory) -> Iterator[str]:
    server = shutil.which("redis-server")
    assert server, "redis-server is missing: `make test` installs it"
    port = free_port()
    folder = tmp_path_factory.mktemp("redis")
    process = subprocess.Popen(
        [
            server,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(folder),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    yield f"redis://127.0.0.1:{port}/0"
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture(scope="module")
def worker_server(tmp_path_factory, redis_url: str) -> Iterator[Server]:
    copy = tmp_path_factory.mktemp("workers") / "app"
    shutil.copytree(ROOT, copy, ignore=_ignore)
    try:
        app = start_app(copy.parent, root=copy, extra_env={"REDIS_URL": redis_url})
    except StartError as problem:
        pytest.fail(str(problem))
    yield app
    stop_app(app)


def _process_count(server: Server) -> int:
    """Processes in the app's process group: the supervisor, granian and its workers."""
    count = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            # The command name is in parentheses and may hold spaces: split after it.
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[2]) == server.process.pid:
            count += 1
    return count


def test_several_workers_share_state_through_redis(browser: Browser, worker_server: Server):
    # Alone, the app runs as reflex + granian + one worker; with Redis it starts several.
    assert _process_count(worker_server) >= 4, worker_server.log_path.read_text()[-2000:]
    visit = open_visit(browser, worker_server)
    page = visit.new_page()
    sign_up(page, worker_server)
    for _ in range(3):  # each reload is a new websocket, likely on another worker
        page.goto(worker_server.url("/checkin"))
        mood = page.get_by_role("group", name="Mood")
        mood.get_by_role("button", name="8", exact=True).click()
        expect(mood.get_by_role("button", name="8", exact=True)).to_have_attribute(
            "aria-pressed", "true"
        )
        page.get_by_role("button", name="Save").click()
        expect(page.get_by_role("status")).to_contain_text("Saved")
    page.goto(worker_server.url("/"))
    expect(page.get_by_text("Checked in today: mood 8 of 10.")).to_be_visible()
    assert visit.foreign_requests() == []
    visit.context.close()
