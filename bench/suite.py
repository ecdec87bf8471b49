"""The BDD suite's wall time, as `make test` runs it and as a team would run it: `python -m bench suite`.

Four variants, interleaved over the rounds (the default browser): the bare suite in one worker, the
suite writing every report (`--sim-report-dir`, screenshots only of failed steps), the reports with a
screenshot after every step (`--step-screenshots=on`), and the bare suite in two workers (`-n 2`, as
`make test` runs it). The costs of the reports and the gain of the workers are ratios to the bare run; the
cost of a screenshot after every step is its ratio to the reports' run, round by round (each pair ran side by
side), with its spread.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).parent.parent
VARIANTS: dict[str, list[str]] = {
    "bare": [],
    "reports": ["--sim-report-dir={dir}"],
    "reports_every_screenshot": ["--sim-report-dir={dir}", "--step-screenshots=on"],
    "two_workers": ["-n", "2"],
}


# A screenshot after every step: at most this ratio to the reports with screenshots of failed steps only.
EVERY_SCREENSHOT_TARGET = 1.15


def _run(arguments: list[str]) -> float:
    with tempfile.TemporaryDirectory(prefix="sferum-suite-") as tmp:
        command = [sys.executable, "-m", "pytest", "features", "-q", "-p", "no:randomly", "-p", "no:cacheprovider"]
        command += [argument.format(dir=tmp) for argument in arguments]
        started = time.perf_counter()
        done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
        wall = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"the BDD suite failed:\n{done.stdout[-3000:]}")
    return wall


def bench_suite(rounds: int = 3, variants: list[str] | None = None) -> dict[str, Any]:
    """Each variant `rounds` times, interleaved: median wall seconds and each one's cost over the first (bare)."""
    names = variants or list(VARIANTS)
    unknown = [name for name in names if name not in VARIANTS]
    if unknown:
        raise SystemExit(f"unknown suite variants {unknown}: choose among {list(VARIANTS)}")
    walls: dict[str, list[float]] = {name: [] for name in names}
    for round_ in range(rounds):
        for name in names[round_ % len(names) :] + names[: round_ % len(names)]:
            walls[name].append(_run(VARIANTS[name]))
    result: dict[str, Any] = {f"{name}_s": round(statistics.median(w), 1) for name, w in walls.items()}
    first = statistics.median(walls[names[0]])
    for name in names[1:]:
        result[f"{name}_over_{names[0]}"] = round(statistics.median(walls[name]) / first, 3)
    if "reports" in walls and "reports_every_screenshot" in walls:
        # The target: a screenshot after every step costs at most 15 % over the same suite writing the same
        # reports with screenshots of failed steps only (the reports' own cost is reports_over_bare).
        over = [
            every / reports for every, reports in zip(walls["reports_every_screenshot"], walls["reports"], strict=True)
        ]
        result["every_screenshot_over_reports"] = round(statistics.median(over), 3)
        result["every_screenshot_over_reports_spread"] = [round(min(over), 3), round(max(over), 3)]
        result["every_screenshot_target_met"] = statistics.median(over) <= EVERY_SCREENSHOT_TARGET
    result["rounds"] = rounds
    return result
