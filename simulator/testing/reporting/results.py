"""The run's results as data (results.json), and writing every report format from them."""

from __future__ import annotations

import contextlib
import json
import platform
import sys
from dataclasses import asdict, dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

RESULTS = "results.json"
# What a run writes in its report directory, cleared before the next run writes it anew.
OUTPUTS = (RESULTS, "junit.xml", "cucumber.json", "report.html")
EVIDENCE_DIRS = ("evidence", "traces", "videos")
ALLURE_DIR = "allure-results"
STATUS_ORDER = {"failed": 0, "error": 1, "skipped": 2, "passed": 3}


def versions() -> dict[str, str]:
    """The versions a rerun needs to match."""
    found = {"python": platform.python_version()}
    for package in ("sferum-sim", "pytest", "pytest-bdd", "playwright", "pytest-playwright", "pytest-xdist"):
        with contextlib.suppress(metadata.PackageNotFoundError):
            found[package] = metadata.version(package)
    return found


@dataclass
class Results:
    """Tests (one record each, see collector.py) and the runs they came from (one per shard)."""

    tests: list[dict[str, Any]] = field(default_factory=list)
    runs: list[dict[str, Any]] = field(default_factory=list)

    def ordered(self) -> list[dict[str, Any]]:
        """Features in file order, scenarios by line: the same order however the tests were spread."""
        return sorted(self.tests, key=sort_key)

    def totals(self) -> dict[str, Any]:
        counts = dict.fromkeys(STATUS_ORDER, 0)
        for test in self.tests:
            counts[test["outcome"]] += 1
        return {
            **counts,
            "total": len(self.tests),
            "duration": sum(t["duration"] for t in self.tests),
            "wall": max((r["duration"] for r in self.runs), default=0.0),
        }


def sort_key(test: dict[str, Any]) -> tuple[Any, ...]:
    feature, scenario = test.get("feature"), test.get("scenario")
    where = feature["file"] if feature else test["nodeid"].split("::")[0]
    return (where, scenario["line"] if scenario else 0, test["nodeid"])


def load(directory: Path) -> Results:
    data = json.loads((directory / RESULTS).read_text(encoding="utf-8"))
    return Results(tests=data["tests"], runs=data["runs"])


def write_all(directory: Path, results: Results) -> list[Path]:
    """results.json and every report format; the paths written."""
    from . import cucumber, html, junit  # the writers import this module

    directory.mkdir(parents=True, exist_ok=True)
    results.tests = results.ordered()
    written = [directory / RESULTS, directory / "junit.xml", directory / "cucumber.json", directory / "report.html"]
    written[0].write_text(json.dumps(asdict(results), ensure_ascii=False, indent=1), encoding="utf-8")
    junit.write(written[1], results)
    cucumber.write(written[2], results, directory)
    html.write(written[3], results, directory)
    return written


def command_line() -> str:
    return " ".join(sys.argv)
