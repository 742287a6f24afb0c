"""`make prod` as an operator runs it: PostgreSQL and Redis started under PROD_DIR, migrations,
the build, two workers; a patient signs up and saves on it; `make prod-stop` ends all of it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from playwright.sync_api import Browser, expect

from companion.prod import prod_env
from tests.browser import db_rows, open_visit, sign_up
from tests.e2e.harness import (
    Server,
    copy_app,
    free_port,
    http_status,
    server_env,
    worker_pids,
)


def test_make_prod_serves_a_patient_on_postgres_and_redis_and_make_prod_stop_ends_it(
    browser: Browser, tmp_path_factory
):
    top = Path(subprocess.check_output(["mktemp", "-d"], text=True).strip())
    top.chmod(0o711)  # the postgres user passes through to its cluster, as in data/
    app = copy_app(tmp_path_factory.mktemp("prod") / "app")
    port = free_port()
    env = server_env(port, "") | {
        "PROD_DIR": str(top / "prod"),
        "PG_PORT": str(free_port()),
        "REDIS_PORT": str(free_port()),
        "PORT": str(port),
        "WORKERS": "2",
        "DATA_DIR": str(top / "data"),
    }
    for name in ("DATABASE_URL", "REDIS_URL", "ALLOWED_ORIGINS"):
        env.pop(name, None)
    log = top / "prod.log"
    with open(log, "w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "companion.prod", "up"],
            cwd=app,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    server = Server(f"http://localhost:{port}", port, "", log, process, app)
    try:
        deadline = time.monotonic() + 600
        while http_status(server.url("/healthz")) != 200:
            assert process.poll() is None, log.read_text()[-3000:]
            assert time.monotonic() < deadline, log.read_text()[-3000:]
            time.sleep(0.5)
        urls = prod_env(top / "prod")
        assert urls["DATABASE_URL"].startswith("postgresql+psycopg://")
        server.database_url = urls["DATABASE_URL"]
        assert len(worker_pids(server)) == 2

        visit = open_visit(browser, server)
        page = visit.new_page()
        email = sign_up(page, server)
        page.goto(server.url("/checkin"))
        page.get_by_role("radiogroup", name="Mood").get_by_role(
            "radio", name="7", exact=True
        ).check()
        page.get_by_role("button", name="Save").click()
        expect(page.locator("[data-kc-status]")).to_contain_text("Saved")
        visit.context.close()
        rows = db_rows(
            server,
            "select c.mood from checkin c join patient p on p.id = c.patient_id where p.email = :e",
            e=email,
        )
        assert [tuple(r) for r in rows] == [(7,)]
    finally:
        stop = subprocess.run(
            [sys.executable, "-m", "companion.prod", "stop"],
            cwd=app,
            env=env,
            capture_output=True,
            text=True,
        )
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
    assert stop.returncode == 0, stop.stderr
    assert http_status(server.url("/ping")) == 0  # nothing serves any more
    assert "Stopped the app, Redis and PostgreSQL." in stop.stdout
