"""Reading /proc, in one place for the tests and the bench: each process's parent, group and
resident memory (each one's, and a group's share of it), and the children, group or tree of a
process."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

PROC = Path("/proc")
PAGE_KB = os.sysconf("SC_PAGE_SIZE") // 1024


@dataclass(frozen=True)
class Proc:
    pid: int
    ppid: int
    pgid: int
    rss_kb: int
    state: str = ""  # R, S, D, ... Z: exited, not yet reaped by its parent


def parse_stat(pid: int, text: str) -> Proc:
    """One /proc/<pid>/stat line. The command name (field 2) is in parentheses and may itself
    hold spaces and parentheses, so the fields are counted from the last ')'."""
    fields = text.rsplit(")", 1)[1].split()
    # After the name: state, ppid, pgrp, ... rss (field 24 of proc(5)) in pages.
    return Proc(pid, int(fields[1]), int(fields[2]), int(fields[21]) * PAGE_KB, fields[0])


def read(pid: int) -> Proc | None:
    """The process now, or None if it has gone."""
    try:
        return parse_stat(pid, (PROC / str(pid) / "stat").read_text())
    except (OSError, IndexError, ValueError):
        return None


def processes() -> Iterator[Proc]:
    for entry in PROC.iterdir():
        if entry.name.isdigit() and (found := read(int(entry.name))) is not None:
            yield found


def cmdline(pid: int) -> bytes:
    try:
        return (PROC / str(pid) / "cmdline").read_bytes()
    except OSError:
        return b""


def children(pid: int) -> set[int]:
    return {p.pid for p in processes() if p.ppid == pid}


def tree(roots: Iterable[int]) -> set[int]:
    """The roots and every descendant of theirs that is alive."""
    everyone = list(processes())
    found = {p.pid for p in everyone if p.pid in set(roots)}
    grew = True
    while grew:
        more = {p.pid for p in everyone if p.ppid in found} - found
        found |= more
        grew = bool(more)
    return found


def group(pgid: int) -> set[int]:
    return {p.pid for p in processes() if p.pgid == pgid}


def running(pgid: int) -> set[int]:
    """The group's processes that have not exited (a zombie holds no socket or memory)."""
    return {p.pid for p in processes() if p.pgid == pgid and p.state != "Z"}


def rss_mb(pids: Iterable[int]) -> float:
    """The resident memory of these processes together, in MB (shared pages counted in each)."""
    total = sum(found.rss_kb for pid in pids if (found := read(pid)) is not None)
    return round(total / 1024, 1)


def _pss_kb(pid: int) -> int:
    """The process's proportional set size: its resident pages, each shared page divided among
    the processes sharing it (0 once it has gone)."""
    try:
        text = (PROC / str(pid) / "smaps_rollup").read_text()
    except OSError:
        return 0
    for line in text.splitlines():
        if line.startswith("Pss:"):
            return int(line.split()[1])
    return 0


def pss_mb(pids: Iterable[int]) -> float:
    """The memory these processes take together, in MB: their proportional set sizes summed, so
    a page shared by a server's workers (forked from one preloaded parent) counts once, not once
    per process as in rss_mb."""
    return round(sum(_pss_kb(pid) for pid in pids) / 1024, 1)
