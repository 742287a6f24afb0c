"""tests/procinfo.py: the one /proc reader, with a command name full of spaces and parentheses."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from tests import procinfo

# A command name as hostile to parsing as stat(5) allows: ") " and spaces and digits.
NAME = "kc) 1 2 (x) y"
CHILD = f"""
import sys, time
open('/proc/self/comm', 'w').write({NAME!r})
print('ready', flush=True)
time.sleep(60)
"""


def _status_rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError("no VmRSS")


def test_a_process_named_with_spaces_and_parentheses_is_read_right():
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD], stdout=subprocess.PIPE, start_new_session=True
    )
    try:
        assert child.stdout is not None and child.stdout.readline() == b"ready\n"
        assert Path(f"/proc/{child.pid}/comm").read_text().strip() == NAME
        found = procinfo.read(child.pid)
        assert found is not None
        assert (found.ppid, found.pgid) == (os.getpid(), child.pid)
        assert child.pid in procinfo.children(os.getpid())
        assert procinfo.group(child.pid) == {child.pid}
        assert child.pid in procinfo.tree([os.getpid()])
        # The resident memory status reports (its counters lag stat's a little).
        assert abs(found.rss_kb - _status_rss_kb(child.pid)) < 0.1 * found.rss_kb
        assert procinfo.rss_mb([child.pid]) > 1
    finally:
        child.kill()
        child.wait()
    assert procinfo.read(child.pid) is None


# Each line in one write: with PYTHONUNBUFFERED set (as on CI), print() writes its parts one
# by one, and the two processes' parts could interleave into a line without a pid.
FORKED = """
import os, sys, time
kept = bytearray(b"k" * (96 * 1024 * 1024))  # resident in the parent, then shared by the fork
child = os.fork()
if child == 0:
    os.write(1, f"child {os.getpid()}\\n".encode())
    time.sleep(60)
    os._exit(0)
os.write(1, f"parent {os.getpid()}\\n".encode())
time.sleep(60)
"""


def test_a_forked_servers_shared_memory_counts_once_in_pss():
    """A parent holding 96 MB forks a child that never writes to it, as a preloaded server
    forks its workers: RSS counts the 96 MB in each, PSS once between them."""
    parent = subprocess.Popen(
        [sys.executable, "-c", FORKED], stdout=subprocess.PIPE, start_new_session=True
    )
    try:
        assert parent.stdout is not None
        pids = {int(parent.stdout.readline().split()[1]) for _ in range(2)}
        assert parent.pid in pids
        rss, pss = procinfo.rss_mb(pids), procinfo.pss_mb(pids)
        assert rss > 2 * 96
        assert 96 < pss < rss - 80
    finally:
        os.killpg(parent.pid, 9)
        parent.wait()
    assert procinfo.pss_mb(pids) == 0


def test_a_stopped_servers_group_is_gone_when_stop_returns(tmp_path: Path):
    """A server whose worker outlives its main process (here one that ignores SIGTERM): when
    stop_app returns, nothing of its group runs. Granian listens with SO_REUSEPORT, so a worker
    still dying would share the port with the next server started on it and refuse what the
    kernel hands it. A zombie (exited, not yet reaped) counts as gone."""
    from tests.e2e.harness import Server, stop_app

    process = subprocess.Popen(
        ["sh", "-c", "(trap '' TERM; exec sleep 30) & wait"], start_new_session=True
    )
    deadline = time.monotonic() + 10
    while len(procinfo.running(process.pid)) < 2 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert len(procinfo.running(process.pid)) == 2
    stop_app(Server("http://localhost:1", 1, "sqlite:///x.db", tmp_path / "log", process))
    assert procinfo.running(process.pid) == set()

    exited = subprocess.Popen(["true"], start_new_session=True)
    while (found := procinfo.read(exited.pid)) is not None and found.state != "Z":
        time.sleep(0.01)
    assert procinfo.group(exited.pid) == {exited.pid} and procinfo.running(exited.pid) == set()
    exited.wait()
