"""How busy the machine was around a measurement: its load average and how much of its CPU others used.

A figure taken while other work ran on the machine is not the simulator's or the harness's: every
part of the bench prints this beside its figures and marks them BUSY. A machine counts as busy when the
1-minute load average had reached half its CPUs before the bench began and still before the measurement
(the load average after a measurement, or before the second of several, counts the bench's own processes),
or when during the measurement the CPU spent outside the measured processes reached a quarter of the
machine's.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

TICK = os.sysconf("SC_CLK_TCK")
BUSY_LOAD_PER_CPU = 0.5
BUSY_OTHERS_SHARE = 0.25
# The load average when the bench began (this module is imported at its start), before any of its own work.
LOAD_AT_START: tuple[float, float, float] = os.getloadavg()


def _machine_jiffies() -> tuple[int, int]:
    """(busy, total) CPU jiffies of the whole machine since boot, from /proc/stat."""
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = values[3] + (values[4] if len(values) > 4 else 0)  # idle + iowait
    return sum(values) - idle, sum(values)


def process_tree_cpu(root: int) -> float:
    """CPU seconds used so far by a process and its live descendants (its reaped children included)."""
    parents: dict[int, int] = {}
    cpu: dict[int, float] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        pid = int(entry.name)
        parents[pid] = int(fields[1])
        # utime, stime, and the waited-for children's cutime, cstime
        cpu[pid] = sum(int(value) for value in fields[11:15]) / TICK
    total = 0.0
    for pid, seconds in cpu.items():
        walker = pid
        while walker > 1 and walker != root:
            walker = parents.get(walker, 0)
        if walker == root:
            total += seconds
    return total


@dataclass
class Quietness:
    """The machine's state around one measurement; `watch` the processes whose CPU is the measurement's own."""

    watch: list[int] = field(default_factory=lambda: [os.getpid()])
    load_before: tuple[float, float, float] = (0.0, 0.0, 0.0)
    load_after: tuple[float, float, float] = (0.0, 0.0, 0.0)
    others_share: float = 0.0
    _start: tuple[int, int] = (0, 0)
    _own_start: float = 0.0
    _wall: float = 0.0

    def __enter__(self) -> Quietness:
        self.load_before = os.getloadavg()
        self._own_start = sum(process_tree_cpu(pid) for pid in self.watch)
        self._start = _machine_jiffies()
        self._wall = time.perf_counter()
        return self

    def __exit__(self, *exc: object) -> None:
        busy, total = _machine_jiffies()
        own = sum(process_tree_cpu(pid) for pid in self.watch) - self._own_start
        machine_busy = (busy - self._start[0]) / TICK
        machine_total = (total - self._start[1]) / TICK
        self.others_share = max(0.0, machine_busy - own) / machine_total if machine_total > 0 else 0.0
        self.load_after = os.getloadavg()

    @property
    def busy(self) -> bool:
        cpus = os.cpu_count() or 1
        loaded = min(LOAD_AT_START[0], self.load_before[0]) >= BUSY_LOAD_PER_CPU * cpus
        return loaded or self.others_share >= BUSY_OTHERS_SHARE

    def as_dict(self) -> dict[str, Any]:
        return {
            "cpus": os.cpu_count(),
            "bytecode_cache": bytecode_cache(),
            "load_at_start": [round(value, 2) for value in LOAD_AT_START],
            "load_before": [round(value, 2) for value in self.load_before],
            "load_after": [round(value, 2) for value in self.load_after],
            "others_cpu_share": round(self.others_share, 3),
            "busy": self.busy,
        }


def bytecode_cache() -> bool:
    """Whether Python writes its bytecode caches here: with $PYTHONDONTWRITEBYTECODE a run reads only what
    `make setup` (or pip, for a wheel) compiled, and pytest rewrites the step library's asserts at every run."""
    return not os.environ.get("PYTHONDONTWRITEBYTECODE")
