"""Nothing secret and nothing of an erased patient rests outside the database: a browser session
(sign in, a share link, a calendar feed, a note) and an erasure, then every file the server
wrote (the database, its WAL, the data folder, `.states/`, Redis's append-only file and a fresh
snapshot) is searched for the raw tokens and the note. And nothing it wrote is world-readable."""

from __future__ import annotations

import secrets
import stat
import time
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from tests.browser import PASSWORD, RedisServer, Server, open_visit, sign_up

pytestmark = pytest.mark.e2e


def _session_with_secrets(browser: Browser, server: Server) -> tuple[list[str], callable]:
    """Sign up, write a note, make a share link and a calendar feed; returns what must never
    rest anywhere, and a function that deletes the account in the same browser."""
    visit = open_visit(browser, server, permissions=["clipboard-read", "clipboard-write"])
    page = visit.new_page()
    sign_up(page, server)
    note = f"AT-REST-NOTE-{secrets.token_hex(6)}"
    page.goto(server.url("/checkin"))
    page.get_by_role("radiogroup", name="Mood").get_by_role("radio", name="3", exact=True).check()
    page.get_by_label("Note").fill(note)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Saved for today")).to_be_visible()
    page.goto(server.url("/share"))
    page.get_by_label("Passcode (optional)").fill("river stone")
    page.get_by_role("button", name="Create link").click()
    share_token = page.locator("#share-new-url").inner_text().split("#")[0].rsplit("/", 1)[-1]
    page.goto(server.url("/settings"))
    page.get_by_role("button", name="Create calendar link").click()
    feed = page.locator("#calendar-url").inner_text()
    feed_token = feed.rsplit("/", 1)[-1].removesuffix(".ics")
    cookies = {c["name"]: c["value"] for c in visit.context.cookies()}
    # Visit the pages that hold the most in their state once more, as a patient would.
    for path in ("/infusions", "/checkin", "/share", "/settings"):
        page.goto(server.url(path))
        page.locator("main h1").wait_for()
    found = [note, share_token, feed_token, cookies["kc_session"], cookies["kc_device"]]
    assert all(len(value) >= 16 for value in found)

    def delete_account() -> None:
        page.goto(server.url("/settings"))
        page.get_by_label("Your password, to confirm").fill(PASSWORD)
        page.get_by_role("button", name="Delete my account").click()
        page.wait_for_url("**/login?deleted=1")
        visit.context.close()

    return found, delete_account


def _files(*folders: Path) -> list[Path]:
    return [p for folder in folders if folder.exists() for p in folder.rglob("*") if p.is_file()]


def _containing(files: list[Path], needles: list[str]) -> list[tuple[str, str]]:
    hits = []
    for path in files:
        data = path.read_bytes()
        for needle in needles:
            if needle.encode() in data:
                hits.append((str(path), needle[:14]))
    return hits


def _private(files: list[Path]) -> list[str]:
    """Files that anyone but the app's own user could read."""
    return [str(p) for p in files if p.stat().st_mode & (stat.S_IRWXG | stat.S_IRWXO)]


def test_one_process_keeps_nothing_on_disk_but_the_database(browser: Browser, server: Server):
    needles, delete_account = _session_with_secrets(browser, server)
    files = _files(server.data_dir, server.root / ".states")
    # Before the erasure the note is in the database, as it should be, and nowhere else.
    assert {path for path, _ in _containing(files, needles)} <= {
        str(server.data_dir / "app.db"),
        str(server.data_dir / "app.db-wal"),
    }
    delete_account()
    files = _files(server.data_dir, server.root / ".states")
    assert not (server.root / ".states").exists() or _files(server.root / ".states") == []
    assert _containing(files, needles) == []
    assert _private(files) == []
    assert stat.S_IMODE((server.data_dir / "secret.key").stat().st_mode) == 0o600


def test_redis_holds_no_raw_token_and_nothing_of_an_erased_patient(
    browser: Browser, worker_server: Server, redis_server: RedisServer
):
    needles, delete_account = _session_with_secrets(browser, worker_server)
    _note, *tokens = needles
    # While the patient is signed in, Redis holds their tabs' state (a note, say), but no
    # cookie, no share link and no calendar address, in memory or on its disk.
    dump = redis_server.folder / "dump.rdb"
    redis_server.cli("SAVE")
    assert _containing([dump, *_files(redis_server.folder / "appendonlydir")], tokens) == []
    ttls = {
        key: int(redis_server.cli("TTL", key))
        for key in redis_server.cli("--scan", "--pattern", "*").split()
        if key
    }
    # -2: gone between the scan and the question (a lock a moment old, say): not lasting.
    lasting = {key: ttl for key, ttl in ttls.items() if ttl != -2 and not 0 < ttl <= 2 * 3600}
    assert ttls and lasting == {}, "every key expires"
    delete_account()
    # The erasure drops the tabs' state and rewrites the append-only file without its history.
    deadline = time.monotonic() + 20
    while "aof_rewrite_in_progress:1" in redis_server.cli("INFO", "persistence"):
        assert time.monotonic() < deadline
        time.sleep(0.2)
    redis_server.cli("SAVE")
    files = [dump, *_files(redis_server.folder / "appendonlydir")]
    assert _containing(files, needles) == []
    assert _containing(_files(worker_server.data_dir), needles) == []
    assert _private(_files(worker_server.data_dir)) == []
