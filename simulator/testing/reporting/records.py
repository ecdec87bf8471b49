"""The records of a run, as `results.json` holds them: runs, tests, their Gherkin steps and evidence.

Every writer reads these and nothing else; this module imports no writer. `to_json` gives the shape
on disk, `from_json` checks it on the way back, so a shard's file from elsewhere fails at the load.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar, Literal, Self, TypeAlias

from ...codec import Codec, Rules, empty_is_none, encode, optional, rest
from .layout import RESULTS

Json: TypeAlias = dict[str, Any]
Outcome = Literal["passed", "failed", "error", "skipped"]
StepStatus = Literal["passed", "failed", "undefined", "skipped"]
Phase = Literal["setup", "call", "teardown"]
Versions: TypeAlias = dict[str, str]  # package (and "python") → version: what a rerun needs to match
Artifacts: TypeAlias = dict[str, list[str]]  # folder ("traces", "videos") → files in the report directory

# Worst first: the order failures are listed in.
OUTCOME_ORDER: dict[Outcome, int] = {"failed": 0, "error": 1, "skipped": 2, "passed": 3}


class RecordError(ValueError):
    """A record that is not in the shape this version writes."""


# Files from elsewhere (a shard, an older or newer version): a member this version does not know is skipped,
# one it needs is never guessed.
CODEC = Codec(Rules(error=RecordError, refuse_unknown=False, defaults_fill_absent=False))


class JsonRecord:
    """A record as JSON values (`to_json`) and back (`from_json`, checked): both by the codec, from the fields."""

    def to_json(self) -> Json:
        data: Json = encode(self)
        return data

    @classmethod
    def from_json(cls, data: object) -> Self:
        return CODEC.decode(cls, data)


@dataclass(frozen=True)
class SimulatorEvent(JsonRecord):
    """One entry of a simulator session's event log: its id, the session's clock, what happened and details."""

    id: int
    at: str
    kind: str
    # Flat beside the others, as the simulator's /events answer has them.
    details: Json = field(default_factory=dict, metadata=rest())

    def line(self) -> str:
        """The event as one line of text: what a person reads under a step."""
        if self.kind == "request":
            d = self.details
            return f"{d['method']} {d['host']}{d['path']} → {d['status']}"
        return self.kind + " " + " ".join(f"{key}={value}" for key, value in self.details.items())


@dataclass
class StepRecord(JsonRecord):
    """One Gherkin step as written, then as run: its outcome and the evidence it left."""

    keyword: str
    name: str
    line: int
    status: StepStatus = "skipped"  # a step the scenario never reached
    duration: float = 0.0
    error: str | None = None
    screenshot: str | None = None  # relative to the report directory
    events: list[SimulatorEvent] = field(default_factory=list)
    location: str | None = None  # where the step is defined, file:line
    # The Gherkin arguments are written only when the step has them: older readers see the shape they know.
    rows: list[list[str]] | None = field(default=None, metadata=optional())  # data table, header row first
    doc_string: str | None = field(default=None, metadata=optional())

    def argument_lines(self) -> list[str]:
        """The data table or doc string as the feature file shows them: what a plain-text report prints."""
        if self.rows:
            widths = [max(len(row[i]) if i < len(row) else 0 for row in self.rows) for i in range(len(self.rows[0]))]
            return [
                "| " + " | ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=False)) + " |"
                for row in self.rows
            ]
        if self.doc_string is not None:
            return ['"""', *self.doc_string.splitlines(), '"""']
        return []


@dataclass(frozen=True)
class FeatureRecord(JsonRecord):
    """The feature file a scenario comes from."""

    keyword: str
    name: str
    file: str  # relative to the project's root
    line: int
    description: str
    tags: list[str]
    language: str


@dataclass(frozen=True)
class ScenarioRecord(JsonRecord):
    """A scenario (or one example of an outline) as the feature file writes it."""

    keyword: str
    name: str
    line: int
    description: str
    tags: list[str]


@dataclass(frozen=True)
class BrowserInfo:
    """The browser a scenario ran in."""

    name: str
    version: str

    def __str__(self) -> str:
        return f"{self.name} {self.version}"


@dataclass
class ScenarioEvidence(JsonRecord):
    """What the evidence plugin hands the report of a scenario's call: its Gherkin and every step's record.

    It travels as `to_json()`, plain data: pytest-xdist carries a report's attributes from a worker only as
    JSON-like values.
    """

    feature: FeatureRecord
    scenario: ScenarioRecord
    steps: list[StepRecord]
    # No browser is an empty object on disk, not null: the shape results.json has always had.
    browser: BrowserInfo | None = field(default=None, metadata=empty_is_none())


@dataclass
class TestRecord(JsonRecord):
    """One test (a scenario, or a plain pytest test): its outcome, its steps, and how to rerun it."""

    __test__: ClassVar[bool] = False  # a test module importing this class must not collect it

    nodeid: str
    name: str
    outcome: Outcome = "passed"
    phase: Phase | None = None  # where it failed or was skipped
    message: str = ""
    longrepr: str = ""
    duration: float = 0.0  # setup, call and teardown
    feature: FeatureRecord | None = None
    scenario: ScenarioRecord | None = None
    steps: list[StepRecord] = field(default_factory=list)
    # The rerun: the same test id and base seed derive the same seed, hence the same personas and codes.
    seed: int | None = None
    session: str | None = None
    browser: BrowserInfo | None = field(default=None, metadata=empty_is_none())
    versions: Versions = field(default_factory=dict)
    rerun: str = ""
    artifacts: Artifacts = field(default_factory=dict)
    worker: str | None = None  # the xdist worker that ran it
    shard: str | None = None

    @property
    def file(self) -> str:
        """The feature file of a scenario, the test module of a plain test."""
        return self.feature.file if self.feature else self.nodeid.split("::")[0]

    def sort_key(self) -> tuple[str, int, str]:
        """Features in file order, scenarios by line: the same order however the tests were spread."""
        return (self.file, self.scenario.line if self.scenario else 0, self.nodeid)

    def take_evidence(self, evidence: ScenarioEvidence) -> None:
        """The Gherkin and the steps the evidence plugin recorded; a scenario is named as the feature names it."""
        self.feature, self.scenario = evidence.feature, evidence.scenario
        self.steps, self.browser = evidence.steps, evidence.browser
        self.name = evidence.scenario.name


@dataclass
class RunRecord(JsonRecord):
    """One pytest run (a shard, when the suite was split): when, how it was started, with what."""

    started: str  # ISO 8601, UTC
    command: str
    shard: str | None
    workers: int  # xdist workers; 0 for a serial run
    versions: Versions
    duration: float = 0.0  # wall time, known when the run ends
    # The base seed (--sim-seed); absent from files written before it was kept.
    seed: int | None = field(default=None, metadata=optional())


@dataclass(frozen=True)
class Totals:
    """How many tests ended how, and how long they took."""

    passed: int
    failed: int
    error: int
    skipped: int
    total: int
    duration: float  # the tests' own time, summed
    wall: float  # the longest run's wall time: shards run side by side


@dataclass
class Results(JsonRecord):
    """Everything `results.json` holds: the tests (one record each) and the runs they came from (one per shard)."""

    tests: list[TestRecord] = field(default_factory=list)
    runs: list[RunRecord] = field(default_factory=list)

    def ordered(self) -> list[TestRecord]:
        """The tests in the same order however they were spread over workers and shards."""
        return sorted(self.tests, key=TestRecord.sort_key)

    def totals(self) -> Totals:
        outcomes = [test.outcome for test in self.tests]
        return Totals(
            passed=outcomes.count("passed"),
            failed=outcomes.count("failed"),
            error=outcomes.count("error"),
            skipped=outcomes.count("skipped"),
            total=len(self.tests),
            duration=sum(test.duration for test in self.tests),
            wall=max((run.duration for run in self.runs), default=0.0),
        )

    def save(self, directory: Path) -> Path:
        """results.json in `directory`; its path."""
        path = directory / RESULTS
        path.write_text(json.dumps(self.to_json(), ensure_ascii=False, indent=1), encoding="utf-8")
        return path


def load(directory: Path) -> Results:
    """The results.json of a report directory, checked."""
    path = directory / RESULTS
    try:
        return Results.from_json(json.loads(path.read_text(encoding="utf-8")))
    except RecordError as error:
        raise RecordError(f"{path}: {error}") from None
