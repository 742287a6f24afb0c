"""tests/procinfo.py: the one /proc reader, with a command name full of spaces and parentheses."""

from __future__ import annotations

import os
import subprocess
import sys
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
