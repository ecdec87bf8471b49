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
import threading
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


def cpu_of(pid: int) -> float:
    """User + system seconds a live process has used (0 when it has gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICK


def parent_of(pid: int) -> int:
    try:
        return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, IndexError, ValueError):
        return 0


BROWSER_NAMES = ("chromium", "chrome", "headless_shell")


class TreeCpu:
    """Samples the CPU of every process under the `roots` while it runs, by owner: the browser's processes,
    and the rest (test framework, harness, Playwright's driver, simulator). A process counts from the first
    sample that finds it under a root, even once its parent has gone (Chromium's helpers outlive theirs and
    are reaped by init, where no parent's children-time ever holds them). A process's last sample is its
    share: up to one sampling interval at the end of each goes uncounted. CPU used before `__enter__` is not."""

    def __init__(self, *roots: int) -> None:
        self.roots = set(roots)
        self.cpu: dict[int, float] = {}  # each process's CPU seconds at its last sample
        self.before: dict[int, float] = {}
        self.owners: dict[int, str] = {}
        self.outside: set[int] = set()  # listed once, not under a root then: not this measurement's
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample_until_stopped, daemon=True)

    def _descends(self, pid: int) -> bool:
        while pid > 1:
            if pid in self.roots:
                return True
            pid = parent_of(pid)
        return False

    def _sample(self) -> None:
        """Read the CPU of every process under the roots; a process is classified once, when first listed, so
        a sample costs one read of each of them (the sampler's own CPU is the measurement's)."""
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            pid = int(entry.name)
            if pid in self.outside:
                continue
            if pid not in self.owners:
                if not self._descends(pid):
                    self.outside.add(pid)
                    continue
                try:
                    comm = (entry / "comm").read_text().strip()
                except OSError:
                    continue
                self.owners[pid] = "browser" if comm.startswith(BROWSER_NAMES) else "runner"
            self.cpu[pid] = max(self.cpu.get(pid, 0.0), cpu_of(pid))

    def _sample_until_stopped(self) -> None:
        while not self._stop.wait(0.05):
            self._sample()

    def __enter__(self) -> TreeCpu:
        self._sample()
        self.before = dict(self.cpu)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self._sample()

    def seconds(self, owner: str | None = None) -> float:
        """CPU seconds used since `__enter__` by the processes of `owner` (None: all)."""
        return sum(
            cpu - self.before.get(pid, 0.0) for pid, cpu in self.cpu.items() if owner in (None, self.owners[pid])
        )


@dataclass
class Quietness:
    """The machine's state around one measurement; `watch` the processes whose CPU is the measurement's own."""

    watch: list[int] = field(default_factory=lambda: [os.getpid()])
    load_before: tuple[float, float, float] = (0.0, 0.0, 0.0)
    load_after: tuple[float, float, float] = (0.0, 0.0, 0.0)
    others_share: float = 0.0
    _start: tuple[int, int] = (0, 0)
    _own: TreeCpu | None = None
    _wall: float = 0.0

    def __enter__(self) -> Quietness:
        self.load_before = os.getloadavg()
        self._own = TreeCpu(*self.watch).__enter__()
        self._start = _machine_jiffies()
        self._wall = time.perf_counter()
        return self

    def __exit__(self, *exc: object) -> None:
        busy, total = _machine_jiffies()
        assert self._own is not None
        self._own.__exit__(*exc)
        own = self._own.seconds()
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
