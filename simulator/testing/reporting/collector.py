"""The controller's side: one record per test from its reports, written as every format at the end.

Registered only where reports are written (never on an xdist worker): workers hand their reports,
with the per-step evidence on them, to the controller, which sees the same reports as a serial run.
"""

from __future__ import annotations

import shlex
import shutil
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from ..evidence import slug
from .results import (
    ALLURE_DIR,
    EVIDENCE_DIRS,
    OUTPUTS,
    Results,
    command_line,
    versions,
    write_all,
)

ARTIFACTS = {"playwright_trace": ("traces", ".zip"), "playwright_video": ("videos", ".webm")}


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
        return crash.message
    return report.longreprtext.strip().splitlines()[-1] if report.longreprtext.strip() else ""


class ReportCollector:
    def __init__(self, config: pytest.Config, report_dir: Path) -> None:
        self.config = config
        self.report_dir = report_dir
        self.records: dict[str, dict[str, Any]] = {}
        self.started = time.time()
        self.versions = versions()
        shard = config.getoption("--shard")
        self.run: dict[str, Any] = {
            "started": datetime.now(UTC).isoformat(timespec="seconds"),
            "command": command_line(),
            "shard": shard,
            "workers": getattr(config.option, "numprocesses", None) or 0,
            "versions": self.versions,
        }

    def _record(self, report: pytest.TestReport) -> dict[str, Any]:
        if report.nodeid not in self.records:
            base_seed = self.config.getoption("--sim-seed")
            self.records[report.nodeid] = {
                "nodeid": report.nodeid,
                "name": report.nodeid.split("::", 1)[-1],
                "outcome": "passed",
                "phase": None,
                "message": "",
                "longrepr": "",
                "duration": 0.0,
                "feature": None,
                "scenario": None,
                "steps": [],
                "seed": None,
                "session": None,
                "browser": {},
                "versions": self.versions,
                # Same test id and base seed → same derived seed → same personas and codes.
                "rerun": f"pytest {shlex.quote(report.nodeid)} --sim-seed={base_seed} -p no:randomly",
                "artifacts": {},
                "worker": getattr(report, "worker_id", None),
                "shard": self.run["shard"],
            }
        return self.records[report.nodeid]

    @pytest.hookimpl
    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        record = self._record(report)
        record["duration"] += report.duration
        for name, value in report.user_properties:
            if name == "sim_seed":
                record["seed"] = value
            elif name == "sim_session":
                record["session"] = value
            elif name in ARTIFACTS and report.when == "teardown":
                self._keep(record, name, value)
        evidence = getattr(report, "sferum_sim", None)
        if evidence:
            record.update(
                feature=evidence["feature"],
                scenario=evidence["scenario"],
                steps=evidence["steps"],
                browser=evidence["browser"],
                name=evidence["scenario"]["name"],
            )
        if report.skipped and record["outcome"] == "passed":
            record.update(outcome="skipped", phase=report.when, message=_message(report))
        elif report.failed and record["outcome"] in ("passed", "skipped"):
            outcome = "failed" if report.when == "call" else "error"
            record.update(outcome=outcome, phase=report.when, message=_message(report), longrepr=report.longreprtext)

    def _keep(self, record: dict[str, Any], kind: str, path: str) -> None:
        """Copy a Playwright artifact into the report directory: pytest-playwright empties its own at the next run."""
        source = Path(self.config.invocation_params.dir, path)
        folder, suffix = ARTIFACTS[kind]
        kept = record["artifacts"].setdefault(folder, [])
        relative = Path(folder) / f"{slug(record['nodeid'])}{f'-{len(kept) + 1}' if kept else ''}{suffix}"
        if source.is_file():
            (self.report_dir / relative).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, self.report_dir / relative)
            kept.append(relative.as_posix())

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        self.run["duration"] = round(time.time() - self.started, 3)
        self.written = write_all(self.report_dir, Results(tests=list(self.records.values()), runs=[self.run]))

    @pytest.hookimpl
    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        written = getattr(self, "written", [])
        if written:
            allure = self.report_dir / ALLURE_DIR
            extra = [str(allure)] if allure.is_dir() else []
            terminalreporter.write_sep("-", "sferum-sim reports: " + ", ".join([*map(str, written), *extra]))
