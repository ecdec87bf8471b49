"""Per-step evidence is gathered only when something reads it: trace groups for a trace, events for reports."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from simulator.testing.evidence import EVIDENCE, Evidence, EvidencePlugin
from simulator.testing.reporting.records import FeatureRecord, ScenarioRecord, StepRecord


class Config:
    rootpath = Path(".")

    def __init__(self, **options: Any) -> None:
        self.options = {"--step-screenshots": "off", **options}

    def getoption(self, name: str, default: Any = None) -> Any:
        return self.options.get(name, default)


class Request:
    """A test with a simulator session whose event log counts its reads."""

    def __init__(self) -> None:
        self.reads = 0
        self.fixturenames = ["sim_session"]
        self.node = SimpleNamespace(stash=pytest.Stash(), nodeid="features/x.feature::test_x")
        self.node.stash[EVIDENCE] = Evidence(
            feature=FeatureRecord(
                keyword="Функция", name="x", file="x.feature", line=1, description="", tags=[], language="ru"
            ),
            scenario=ScenarioRecord(keyword="Сценарий", name="x", line=2, description="", tags=[]),
            pending=[StepRecord(keyword="Дано", name="шаг", line=3)],
        )

    def getfixturevalue(self, name: str) -> Any:
        assert name == "sim_session"
        return SimpleNamespace(events=self.read)

    def read(self, after: int) -> list[dict[str, Any]]:
        self.reads += 1
        return []


def plugin(report_dir: Path | None = None, **options: str) -> EvidencePlugin:
    return EvidencePlugin(Config(**options), report_dir)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("tracing", "recorded"), [(None, False), ("off", False), ("on", True), ("retain-on-failure", True)]
)
def test_trace_groups_only_while_a_trace_is_recorded(tracing: str | None, recorded: bool) -> None:
    options = {"--tracing": tracing} if tracing else {}
    assert plugin(None, **options).tracing is recorded


def test_the_event_log_is_read_only_for_reports(tmp_path: Path) -> None:
    for report_dir, reads in ((None, 0), (tmp_path, 1)):
        request = Request()
        plugin(report_dir)._finish(request, "passed", None)  # type: ignore[arg-type]
        assert request.reads == reads
        assert request.node.stash[EVIDENCE].steps[0].status == "passed"
