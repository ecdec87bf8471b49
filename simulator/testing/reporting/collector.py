"""The controller's side: one record per test from its reports, written as every format at the end.

Registered only where reports are written (never on an xdist worker): workers hand their reports,
with the per-step evidence on them, to the controller, which sees the same reports as a serial run.
"""

from __future__ import annotations

import contextlib
import platform
import shlex
import shutil
import sys
import time
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

import pytest

from .layout import ALLURE_DIR, EVIDENCE_DIRS, OUTPUTS, slug
from .records import Results, RunRecord, ScenarioEvidence, TestRecord, Versions
from .write import write_all

# pytest-playwright's artifacts (--tracing, --video, --screenshot), by the user property that names each file.
ARTIFACTS = {
    "playwright_trace": ("traces", ".zip"),
    "playwright_video": ("videos", ".webm"),
    "playwright_screenshot": ("screenshots", ".png"),
}


def versions() -> Versions:
    """The versions a rerun needs to match."""
    found = {"python": platform.python_version()}
    for package in ("sferum-sim", "pytest", "pytest-bdd", "playwright", "pytest-playwright", "pytest-xdist"):
        with contextlib.suppress(metadata.PackageNotFoundError):
            found[package] = metadata.version(package)
    return found


def command_line() -> str:
    return " ".join(sys.argv)


def interpreter(root: Path) -> str:
    """The interpreter running the suite, as typed at the project root: a bare `pytest` may be another install's."""
    python = Path(sys.executable)
    return python.relative_to(root).as_posix() if python.is_relative_to(root) else str(python)


def clear(report_dir: Path) -> None:
    """Forget the previous run's outputs (only ours: the directory may hold other files)."""
    for name in OUTPUTS:
        (report_dir / name).unlink(missing_ok=True)
    for name in (*EVIDENCE_DIRS, ALLURE_DIR):
        shutil.rmtree(report_dir / name, ignore_errors=True)


def _message(report: pytest.TestReport) -> str:
    if isinstance(report.longrepr, tuple):  # a skip: (file, line, reason)
        return str(report.longrepr[2]).removeprefix("Skipped: ")
    crash = getattr(report.longrepr, "reprcrash", None)
    if crash is not None:
        return str(crash.message)
    return report.longreprtext.strip().splitlines()[-1] if report.longreprtext.strip() else ""


class ReportCollector:
    def __init__(self, config: pytest.Config, report_dir: Path) -> None:
        self.config = config
        self.report_dir = report_dir
        self.records: dict[str, TestRecord] = {}
        self.started = time.time()
        self.versions = versions()
        self.run = RunRecord(
            started=datetime.now(UTC).isoformat(timespec="seconds"),
            command=command_line(),
            shard=config.getoption("--shard"),
            workers=getattr(config.option, "numprocesses", None) or 0,
            versions=self.versions,
            seed=config.getoption("--sim-seed"),
        )
        self.written: list[Path] = []
        self.python = interpreter(config.rootpath)

    def _record(self, report: pytest.TestReport) -> TestRecord:
        if report.nodeid not in self.records:
            base_seed = self.config.getoption("--sim-seed")
            self.records[report.nodeid] = TestRecord(
                nodeid=report.nodeid,
                name=report.nodeid.split("::", 1)[-1],
                versions=self.versions,
                # Same test id and base seed → same derived seed → same personas and codes.
                # Node ids start at the root directory: the command runs from there.
                rerun=f"{shlex.quote(self.python)} -m pytest {shlex.quote(report.nodeid)} --sim-seed={base_seed} -p no:randomly",
                worker=getattr(report, "worker_id", None),
                shard=self.run.shard,
            )
        return self.records[report.nodeid]

    @pytest.hookimpl
    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        record = self._record(report)
        record.duration += report.duration
        for name, value in report.user_properties:
            if name == "sim_seed" and isinstance(value, int):
                record.seed = value
            elif name == "sim_session":
                record.session = str(value)
            elif name in ARTIFACTS and report.when == "teardown":
                self._keep(record, name, str(value))
        evidence = getattr(report, "sferum_sim", None)
        if evidence:
            record.take_evidence(ScenarioEvidence.from_json(evidence))
        if report.skipped and record.outcome == "passed":
            record.outcome, record.phase, record.message = "skipped", report.when, _message(report)
        elif report.failed and record.outcome in ("passed", "skipped"):
            record.outcome = "failed" if report.when == "call" else "error"
            record.phase, record.message, record.longrepr = report.when, _message(report), report.longreprtext

    def _keep(self, record: TestRecord, kind: str, path: str) -> None:
        """Copy a Playwright artifact into the report directory: pytest-playwright empties its own at the next run."""
        source = Path(self.config.invocation_params.dir, path)
        folder, suffix = ARTIFACTS[kind]
        kept = record.artifacts.setdefault(folder, [])
        # Named after the scenario as the feature file writes it (pytest-playwright's folder is transliterated).
        name = slug(record.nodeid, record.scenario.name if record.scenario else None)
        relative = Path(folder) / f"{name}{f'-{len(kept) + 1}' if kept else ''}{suffix}"
        if source.is_file():
            (self.report_dir / relative).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, self.report_dir / relative)
            kept.append(relative.as_posix())

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        self.run.duration = round(time.time() - self.started, 3)
        self.written = write_all(self.report_dir, Results(tests=list(self.records.values()), runs=[self.run]))

    @pytest.hookimpl
    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        if self.written:
            allure = self.report_dir / ALLURE_DIR
            extra = [str(allure)] if allure.is_dir() else []
            terminalreporter.write_sep("-", "sferum-sim reports: " + ", ".join([*map(str, self.written), *extra]))
