"""CPU seconds per group of processes, read from /proc (Linux), for the load benchmark.

A snapshot maps every pid to (parent pid, command name, CPU seconds so far); the CPU a group
spent between two snapshots is the difference summed over the group's pids (a process that
started in between counts from zero). Groups: the process trees under given pids (gunicorn and
its workers, the job workers) and processes by command name (``postgres``).
"""

from __future__ import annotations

import os
from pathlib import Path

TICK = os.sysconf("SC_CLK_TCK")

Snapshot = dict[int, tuple[int, str, float]]


def snapshot() -> Snapshot:
    found: Snapshot = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            raw = (entry / "stat").read_text()
        except OSError:  # gone meanwhile
            continue
        name = raw[raw.index("(") + 1 : raw.rindex(")")]
        fields = raw[raw.rindex(")") + 2 :].split()
        # fields[1] is the parent pid; fields[11], fields[12] utime, stime (in clock ticks)
        found[int(entry.name)] = (int(fields[1]), name, (int(fields[11]) + int(fields[12])) / TICK)
    return found


def tree(snap: Snapshot, roots: list[int]) -> set[int]:
    """``roots`` and all their descendants in ``snap``."""
    members, grew = set(roots), True
    while grew:
        grew = False
        for pid, (parent, _name, _cpu) in snap.items():
            if parent in members and pid not in members:
                members.add(pid)
                grew = True
    return members


def spent(before: Snapshot, after: Snapshot, pids: set[int]) -> float:
    return sum(
        after[pid][2] - (before[pid][2] if pid in before else 0.0) for pid in pids if pid in after
    )


def named(snap: Snapshot, name: str) -> set[int]:
    return {pid for pid, (_parent, comm, _cpu) in snap.items() if comm == name}
