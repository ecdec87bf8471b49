"""The records of a run, as `results.json` holds them: runs, tests, their Gherkin steps and evidence.

Every writer reads these and nothing else; this module imports no writer. `to_json` gives the shape
on disk, `from_json` checks it on the way back, so a shard's file from elsewhere fails at the load.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar, Literal, TypeAlias, TypeVar, get_args

from .layout import RESULTS

R = TypeVar("R")
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


def _take(data: Mapping[str, Any], key: str, *kinds: type) -> Any:
    """`data[key]`, checked to be one of `kinds`."""
    if not isinstance(data, Mapping):
        raise RecordError(f"expected an object, got {type(data).__name__}")
    if key not in data:
        raise RecordError(f"{key!r} is missing (has {', '.join(map(repr, data)) or 'nothing'})")
    value = data[key]
    # bool is an int to isinstance, and never a number here
    if kinds and (not isinstance(value, kinds) or (isinstance(value, bool) and bool not in kinds)):
        wanted = " or ".join("null" if kind is type(None) else kind.__name__ for kind in kinds)
        raise RecordError(f"{key!r} is {value!r}, expected {wanted}")
    return value


def _choice(data: Mapping[str, Any], key: str, allowed: tuple[str, ...], *, optional: bool = False) -> Any:
    """`data[key]`, checked to be one of the `allowed` strings (or null when `optional`)."""
    value = _take(data, key, str, type(None)) if optional else _take(data, key, str)
    if value is not None and value not in allowed:
        raise RecordError(f"{key!r} is {value!r}, expected one of {', '.join(allowed)}")
    return value


def _strings(data: Mapping[str, Any], key: str) -> list[str]:
    values = _take(data, key, list)
    if not all(isinstance(value, str) for value in values):
        raise RecordError(f"{key!r} must hold strings only")
    return list(values)


def _string_map(data: Mapping[str, Any], key: str) -> dict[str, str]:
    values = _take(data, key, dict)
    if not all(isinstance(value, str) for value in values.values()):
        raise RecordError(f"{key!r} must map names to strings")
    return dict(values)


def _at(where: str, parse: Callable[[Any], R], data: Any) -> R:
    """`parse(data)`, its error saying which record it is."""
    try:
        return parse(data)
    except RecordError as error:
        raise RecordError(f"{where}: {error}") from None


def _optional(parse: Callable[[Any], R], data: Any) -> R | None:
    return None if data is None else parse(data)


def _maybe(data: Mapping[str, Any], key: str, *kinds: type) -> Any:
    """`data[key]` checked as `_take` does, or None when absent: a key newer files add and older ones lack."""
    return _take(data, key, *kinds) if key in data else None


def _rows(data: Mapping[str, Any], key: str) -> list[list[str]] | None:
    rows = _maybe(data, key, list)
    if rows is None:
        return None
    if not all(isinstance(row, list) and all(isinstance(cell, str) for cell in row) for row in rows):
        raise RecordError(f"{key!r} must be a list of rows of strings")
    return [list(row) for row in rows]


def _artifacts(data: Mapping[str, Any]) -> Artifacts:
    return {folder: _strings(data, folder) for folder in data}


_NUMBER = (int, float)
_OPTIONAL_STR = (str, type(None))


@dataclass(frozen=True)
class SimulatorEvent:
    """One entry of a simulator session's event log: its id, the session's clock, what happened and details."""

    id: int
    at: str
    kind: str
    details: Json = field(default_factory=dict)

    def line(self) -> str:
        """The event as one line of text: what a person reads under a step."""
        if self.kind == "request":
            d = self.details
            return f"{d['method']} {d['host']}{d['path']} → {d['status']}"
        return self.kind + " " + " ".join(f"{key}={value}" for key, value in self.details.items())

    def to_json(self) -> Json:
        # Flat, as the simulator's /events answer has it.
        return {"id": self.id, "at": self.at, "kind": self.kind, **self.details}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> SimulatorEvent:
        details = {key: value for key, value in data.items() if key not in ("id", "at", "kind")}
        return cls(id=_take(data, "id", int), at=_take(data, "at", str), kind=_take(data, "kind", str), details=details)


@dataclass
class StepRecord:
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
    rows: list[list[str]] | None = None  # the step's Gherkin data table, header row first
    doc_string: str | None = None  # the step's Gherkin doc string

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

    def to_json(self) -> Json:
        # The Gherkin arguments are written only when the step has them: older readers see the shape they know.
        arguments: Json = {
            key: value for key, value in (("rows", self.rows), ("doc_string", self.doc_string)) if value is not None
        }
        return {
            "keyword": self.keyword,
            "name": self.name,
            "line": self.line,
            "status": self.status,
            "duration": self.duration,
            "error": self.error,
            "screenshot": self.screenshot,
            "events": [event.to_json() for event in self.events],
            "location": self.location,
            **arguments,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> StepRecord:
        return cls(
            keyword=_take(data, "keyword", str),
            name=_take(data, "name", str),
            line=_take(data, "line", int),
            status=_choice(data, "status", get_args(StepStatus)),
            duration=_take(data, "duration", *_NUMBER),
            error=_take(data, "error", *_OPTIONAL_STR),
            screenshot=_take(data, "screenshot", *_OPTIONAL_STR),
            events=[SimulatorEvent.from_json(event) for event in _take(data, "events", list)],
            location=_take(data, "location", *_OPTIONAL_STR),
            rows=_rows(data, "rows"),
            doc_string=_maybe(data, "doc_string", str),
        )


@dataclass(frozen=True)
class FeatureRecord:
    """The feature file a scenario comes from."""

    keyword: str
    name: str
    file: str  # relative to the project's root
    line: int
    description: str
    tags: list[str]
    language: str

    def to_json(self) -> Json:
        return {
            "keyword": self.keyword,
            "name": self.name,
            "file": self.file,
            "line": self.line,
            "description": self.description,
            "tags": list(self.tags),
            "language": self.language,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> FeatureRecord:
        return cls(
            keyword=_take(data, "keyword", str),
            name=_take(data, "name", str),
            file=_take(data, "file", str),
            line=_take(data, "line", int),
            description=_take(data, "description", str),
            tags=_strings(data, "tags"),
            language=_take(data, "language", str),
        )


@dataclass(frozen=True)
class ScenarioRecord:
    """A scenario (or one example of an outline) as the feature file writes it."""

    keyword: str
    name: str
    line: int
    description: str
    tags: list[str]

    def to_json(self) -> Json:
        return {
            "keyword": self.keyword,
            "name": self.name,
            "line": self.line,
            "description": self.description,
            "tags": list(self.tags),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ScenarioRecord:
        return cls(
            keyword=_take(data, "keyword", str),
            name=_take(data, "name", str),
            line=_take(data, "line", int),
            description=_take(data, "description", str),
            tags=_strings(data, "tags"),
        )


@dataclass(frozen=True)
class BrowserInfo:
    """The browser a scenario ran in."""

    name: str
    version: str

    def __str__(self) -> str:
        return f"{self.name} {self.version}"


def _browser_to_json(browser: BrowserInfo | None) -> Json:
    # No browser is an empty object on disk, not null: the shape results.json has always had.
    return {"name": browser.name, "version": browser.version} if browser else {}


def _browser_from_json(data: Mapping[str, Any], key: str) -> BrowserInfo | None:
    value = _take(data, key, dict)
    return BrowserInfo(name=_take(value, "name", str), version=_take(value, "version", str)) if value else None


@dataclass
class ScenarioEvidence:
    """What the evidence plugin hands the report of a scenario's call: its Gherkin and every step's record."""

    feature: FeatureRecord
    scenario: ScenarioRecord
    steps: list[StepRecord]
    browser: BrowserInfo | None = None

    def to_json(self) -> Json:
        # Plain data: pytest-xdist carries a report's attributes from a worker only as JSON-like values.
        return {
            "feature": self.feature.to_json(),
            "scenario": self.scenario.to_json(),
            "steps": [step.to_json() for step in self.steps],
            "browser": _browser_to_json(self.browser),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ScenarioEvidence:
        return cls(
            feature=FeatureRecord.from_json(_take(data, "feature", dict)),
            scenario=ScenarioRecord.from_json(_take(data, "scenario", dict)),
            steps=[StepRecord.from_json(step) for step in _take(data, "steps", list)],
            browser=_browser_from_json(data, "browser"),
        )


@dataclass
class TestRecord:
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
    browser: BrowserInfo | None = None
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

    def to_json(self) -> Json:
        return {
            "nodeid": self.nodeid,
            "name": self.name,
            "outcome": self.outcome,
            "phase": self.phase,
            "message": self.message,
            "longrepr": self.longrepr,
            "duration": self.duration,
            "feature": self.feature.to_json() if self.feature else None,
            "scenario": self.scenario.to_json() if self.scenario else None,
            "steps": [step.to_json() for step in self.steps],
            "seed": self.seed,
            "session": self.session,
            "browser": _browser_to_json(self.browser),
            "versions": dict(self.versions),
            "rerun": self.rerun,
            "artifacts": {folder: list(paths) for folder, paths in self.artifacts.items()},
            "worker": self.worker,
            "shard": self.shard,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> TestRecord:
        return cls(
            nodeid=_take(data, "nodeid", str),
            name=_take(data, "name", str),
            outcome=_choice(data, "outcome", get_args(Outcome)),
            phase=_choice(data, "phase", get_args(Phase), optional=True),
            message=_take(data, "message", str),
            longrepr=_take(data, "longrepr", str),
            duration=_take(data, "duration", *_NUMBER),
            feature=_optional(FeatureRecord.from_json, _take(data, "feature", dict, type(None))),
            scenario=_optional(ScenarioRecord.from_json, _take(data, "scenario", dict, type(None))),
            steps=[StepRecord.from_json(step) for step in _take(data, "steps", list)],
            seed=_take(data, "seed", int, type(None)),
            session=_take(data, "session", *_OPTIONAL_STR),
            browser=_browser_from_json(data, "browser"),
            versions=_string_map(data, "versions"),
            rerun=_take(data, "rerun", str),
            artifacts=_artifacts(_take(data, "artifacts", dict)),
            worker=_take(data, "worker", *_OPTIONAL_STR),
            shard=_take(data, "shard", *_OPTIONAL_STR),
        )


@dataclass
class RunRecord:
    """One pytest run (a shard, when the suite was split): when, how it was started, with what."""

    started: str  # ISO 8601, UTC
    command: str
    shard: str | None
    workers: int  # xdist workers; 0 for a serial run
    versions: Versions
    duration: float = 0.0  # wall time, known when the run ends
    seed: int | None = None  # the base seed (--sim-seed); absent from files written before it was kept

    def to_json(self) -> Json:
        return {
            "started": self.started,
            "command": self.command,
            "shard": self.shard,
            "workers": self.workers,
            "versions": dict(self.versions),
            "duration": self.duration,
            **({"seed": self.seed} if self.seed is not None else {}),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> RunRecord:
        return cls(
            started=_take(data, "started", str),
            command=_take(data, "command", str),
            shard=_take(data, "shard", *_OPTIONAL_STR),
            workers=_take(data, "workers", int),
            versions=_string_map(data, "versions"),
            duration=_take(data, "duration", *_NUMBER),
            seed=_maybe(data, "seed", int),
        )


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
class Results:
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

    def to_json(self) -> Json:
        return {"tests": [test.to_json() for test in self.tests], "runs": [run.to_json() for run in self.runs]}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Results:
        return cls(
            tests=[_at(f"tests[{i}]", TestRecord.from_json, test) for i, test in enumerate(_take(data, "tests", list))],
            runs=[_at(f"runs[{i}]", RunRecord.from_json, run) for i, run in enumerate(_take(data, "runs", list))],
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
