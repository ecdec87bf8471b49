"""The report records: how the reporting modules import each other, and results.json through the records and back."""

from __future__ import annotations

import ast
import graphlib
import json
from collections.abc import Callable
from pathlib import Path

import pytest

import simulator.testing.reporting as reporting
from simulator.cli import main as cli
from simulator.testing.reporting import cucumber, html, junit
from simulator.testing.reporting.layout import RESULTS
from simulator.testing.reporting.records import (
    BrowserInfo,
    FeatureRecord,
    Json,
    RecordError,
    Results,
    RunRecord,
    ScenarioEvidence,
    ScenarioRecord,
    SimulatorEvent,
    StepRecord,
    TestRecord,
    load,
)
from simulator.testing.reporting.write import write_all

PACKAGE = reporting.__name__
PACKAGE_DIR = Path(reporting.__file__).parent
# The evidence plugin makes the step records, so it is part of the seam whose imports must not circle.
EVIDENCE = ("simulator.testing.evidence", PACKAGE_DIR.parent / "evidence.py")
WRITERS = {f"{PACKAGE}.{name}" for name in ("junit", "cucumber", "html", "write", "merge", "collector")}


def modules() -> dict[str, Path]:
    found = {
        PACKAGE if path.stem == "__init__" else f"{PACKAGE}.{path.stem}": path for path in PACKAGE_DIR.glob("*.py")
    }
    return {**found, EVIDENCE[0]: EVIDENCE[1]}


def _ancestors(name: str) -> list[str]:
    parts = name.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts))]


def imports(module: str, path: Path, known: set[str]) -> set[str]:
    """The known modules that importing `module` runs, however deep in the file the import statement is.

    Importing `a.b.c` runs `a.b`'s __init__ too, unless `module` lives in `a.b` (then it is already running).
    """
    package = module if path.stem == "__init__" else module.rpartition(".")[0]
    targets: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = package.rsplit(".", node.level - 1)[0] if node.level else ""
            source = ".".join(filter(None, [base, node.module]))
            targets.add(source)
            targets |= {f"{source}.{alias.name}" for alias in node.names}  # `from . import junit` names a module
    running = {module, *_ancestors(module)}
    found = set()
    for target in targets:
        for name in (target, *_ancestors(target)):
            if name in known and name not in running:
                found.add(name)
    return found


def import_graph() -> dict[str, set[str]]:
    found = modules()
    return {module: imports(module, path, set(found)) for module, path in found.items()}


def test_the_reporting_modules_import_no_circle() -> None:
    graph = import_graph()
    assert f"{PACKAGE}.records" in graph and f"{PACKAGE}.write" in graph
    try:
        list(graphlib.TopologicalSorter(graph).static_order())
    except graphlib.CycleError as error:
        pytest.fail(f"import circle: {' → '.join(error.args[1])}")


def test_the_records_import_no_writer() -> None:
    graph = import_graph()
    assert graph[f"{PACKAGE}.records"] == {f"{PACKAGE}.layout"}
    assert graph[f"{PACKAGE}.layout"] == set()
    for writer in ("junit", "cucumber", "html"):  # a writer reads records; it never reaches the other writers' driver
        assert not graph[f"{PACKAGE}.{writer}"] & WRITERS, writer


def test_an_import_inside_a_function_counts(tmp_path: Path) -> None:
    """The check itself: a writer's `from .write import …` deferred into a function still closes a circle."""
    probe = tmp_path / "probe.py"
    probe.write_text("def later():\n    from .write import write_all\n", encoding="utf-8")
    assert imports(f"{PACKAGE}.probe", probe, {f"{PACKAGE}.write"}) == {f"{PACKAGE}.write"}
    evidence = tmp_path / "evidence.py"
    evidence.write_text("from .reporting.records import StepRecord\n", encoding="utf-8")
    # From outside the package, importing a record module runs the package's __init__ as well.
    assert imports(EVIDENCE[0], evidence, {PACKAGE, f"{PACKAGE}.records"}) == {PACKAGE, f"{PACKAGE}.records"}


def scenario_test() -> TestRecord:
    steps = [
        StepRecord(
            keyword="Дано",
            name="учитель из сида",
            line=7,
            status="passed",
            duration=0.25,
            events=[
                SimulatorEvent(
                    id=1, at="2024-10-16T09:00:00+03:00", kind="vkid_account_created", details={"account": 5}
                )
            ],
            location="steps/common.py:10",
        ),
        StepRecord(
            keyword="Когда",
            name="он открывает МЭШ",
            line=8,
            status="failed",
            duration=1.5,
            error="AssertionError: нет",
            screenshot="evidence/x/02-failed.png",
            events=[
                SimulatorEvent(
                    id=2,
                    at="2024-10-16T09:00:01+03:00",
                    kind="request",
                    details={"method": "GET", "host": "mes.localhost:1", "platform": "mes", "path": "/", "status": 200},
                )
            ],
        ),
        StepRecord(keyword="Тогда", name="не дошли", line=9),
    ]
    return TestRecord(
        nodeid="features/test_x.py::test_вход",
        name="Вход",
        outcome="failed",
        phase="call",
        message="AssertionError: нет",
        longrepr="Traceback …",
        duration=2.0,
        feature=FeatureRecord(
            keyword="Функция",
            name="Вход",
            file="features/x.feature",
            line=2,
            description="",
            tags=["mes"],
            language="ru",
        ),
        scenario=ScenarioRecord(keyword="Сценарий", name="Вход", line=6, description="", tags=["F01"]),
        steps=steps,
        seed=42,
        session="s-000000000001",
        browser=BrowserInfo(name="chromium", version="1"),
        versions={"python": "3.11"},
        rerun="pytest 'features/test_x.py::test_вход' --sim-seed=1 -p no:randomly",
        artifacts={"traces": ["traces/x.zip"]},
        worker="gw0",
        shard="1/2",
    )


def plain_test() -> TestRecord:
    return TestRecord(nodeid="tests/test_y.py::test_plain", name="test_plain", outcome="skipped", phase="setup")


def sample() -> Results:
    run = RunRecord(
        started="2024-10-16T06:00:00+00:00", command="pytest", shard=None, workers=2, versions={"python": "3.11"}
    )
    return Results(tests=[scenario_test(), plain_test()], runs=[run])


def test_results_round_trip_through_json_text() -> None:
    results = sample()
    data = json.loads(json.dumps(results.to_json(), ensure_ascii=False))
    assert Results.from_json(data) == results
    assert Results.from_json(data).to_json() == data


def test_the_shape_on_disk() -> None:
    data = sample().to_json()
    test = data["tests"][0]
    assert list(test) == [
        "nodeid", "name", "outcome", "phase", "message", "longrepr", "duration", "feature", "scenario", "steps",
        "seed", "session", "browser", "versions", "rerun", "artifacts", "worker", "shard",
    ]  # fmt: skip
    assert list(test["steps"][0]) == [
        "keyword", "name", "line", "status", "duration", "error", "screenshot", "events", "location",
    ]  # fmt: skip
    # Events stay flat, as the simulator's event log has them.
    assert test["steps"][0]["events"] == [
        {"id": 1, "at": "2024-10-16T09:00:00+03:00", "kind": "vkid_account_created", "account": 5}
    ]
    assert list(data["runs"][0]) == ["started", "command", "shard", "workers", "versions", "duration"]
    plain = data["tests"][1]
    assert plain["feature"] is None and plain["scenario"] is None and plain["browser"] == {} and plain["steps"] == []


def test_scenario_evidence_travels_as_plain_data() -> None:
    test = scenario_test()
    assert test.feature and test.scenario
    evidence = ScenarioEvidence(feature=test.feature, scenario=test.scenario, steps=test.steps, browser=None)
    data = evidence.to_json()
    assert json.loads(json.dumps(data)) == data  # what pytest-xdist can carry from a worker
    assert ScenarioEvidence.from_json(data) == evidence
    plain = plain_test()
    plain.take_evidence(evidence)
    assert plain.name == "Вход" and plain.steps == test.steps and plain.browser is None


@pytest.mark.parametrize(
    ("change", "complaint"),
    [
        (lambda d: d["tests"][0].pop("outcome"), "tests[0].outcome: missing"),
        (
            lambda d: d["tests"][0].update(outcome="flaky"),
            "tests[0].outcome: 'flaky' is not one of passed, failed, error, skipped",
        ),
        (lambda d: d["tests"][0]["steps"][0].update(line="7"), "tests[0].steps[0].line: must be an integer"),
        (lambda d: d["tests"][1].update(seed=True), "tests[1].seed: must be an integer"),
        (lambda d: d["runs"][0].update(versions={"python": 3}), "runs[0].versions.python: must be a string"),
        (lambda d: d.update(tests={}), "tests: must be an array"),
    ],
)
def test_a_results_file_in_another_shape_is_refused(change: Callable[[Json], object], complaint: str) -> None:
    data = sample().to_json()
    change(data)
    with pytest.raises(RecordError, match=complaint.replace("[", r"\[").replace("]", r"\]")):
        Results.from_json(data)


def test_writing_orders_the_tests_and_loads_back(tmp_path: Path) -> None:
    results = sample()
    results.tests.reverse()
    written = write_all(tmp_path, results)
    assert [path.name for path in written] == [RESULTS, "junit.xml", "cucumber.json", "report.html"]
    loaded = load(tmp_path)
    assert [test.nodeid for test in loaded.tests] == ["features/test_x.py::test_вход", "tests/test_y.py::test_plain"]
    assert loaded == results
    totals = loaded.totals()
    assert (totals.failed, totals.skipped, totals.total, totals.wall) == (1, 1, 2, 0.0)


def test_the_writers_read_the_records(tmp_path: Path) -> None:
    results = sample()
    [feature] = cucumber.features(results, tmp_path)
    [element] = feature["elements"]
    assert element["steps"][1]["output"] == ["GET mes.localhost:1/ → 200"]
    assert element["steps"][0]["output"] == ["vkid_account_created account=5"]
    assert [step["result"]["status"] for step in element["steps"]] == ["passed", "failed", "skipped"]
    assert junit.steps_text(results.tests[0]).splitlines()[0] == "✓ Дано учитель из сида (0.25 с)"
    [failed_group, plain_group] = html.groups(results)
    assert failed_group.key == "features/x.feature" and failed_group.counts["failed"] == 1
    assert plain_group.feature is None and plain_group.key == "tests/test_y.py"


def test_merge_refuses_a_results_file_in_another_shape(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shard = tmp_path / "shard"
    shard.mkdir()
    (shard / RESULTS).write_text(json.dumps({"tests": [{"nodeid": "x"}], "runs": []}), encoding="utf-8")
    assert cli(["report", "merge", str(shard), "-o", str(tmp_path / "merged")]) == 2
    assert "tests[0].name: missing" in capsys.readouterr().err


# results.json as the version before the codec wrote it (a step without Gherkin arguments, a run without its
# seed, a test without a browser): it must still load, and be written back the same.
EARLIER_FILE = """{
 "tests": [{"nodeid": "t.py::test_a", "name": "test_a", "outcome": "failed", "phase": "call", "message": "m",
  "longrepr": "l", "duration": 1, "feature": null, "scenario": null,
  "steps": [{"keyword": "Дано", "name": "шаг", "line": 3, "status": "failed", "duration": 0.5, "error": "E",
   "screenshot": null, "events": [{"id": 7, "at": "2024-10-16T09:00:00+03:00", "kind": "request", "method": "GET",
   "host": "mes.localhost", "path": "/", "status": 500}], "location": null}],
  "seed": null, "session": null, "browser": {}, "versions": {}, "rerun": "", "artifacts": {}, "worker": null,
  "shard": null}],
 "runs": [{"started": "2024-10-16T06:00:00+00:00", "command": "pytest", "shard": null, "workers": 0,
  "versions": {"python": "3.11"}, "duration": 2.5}]
}"""


def test_a_file_of_the_earlier_shape_loads_and_is_written_back_the_same() -> None:
    data = json.loads(EARLIER_FILE)
    results = Results.from_json(data)
    [test] = results.tests
    [step] = test.steps
    assert (step.rows, step.doc_string, results.runs[0].seed, test.browser) == (None, None, None, None)
    assert step.events[0].details == {"method": "GET", "host": "mes.localhost", "path": "/", "status": 500}
    assert step.events[0].line() == "GET mes.localhost/ → 500"
    assert results.to_json() == data


def test_members_a_newer_version_adds_are_skipped() -> None:
    data = sample().to_json()
    data["tests"][0]["retries"] = 2
    data["runs"][0]["host"] = "ci-7"
    assert Results.from_json(data) == sample()
