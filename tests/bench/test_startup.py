"""A run's start: the simulator and Playwright's driver start at collection's end, and only when a test needs them;
what a run does not use is not imported; the marks `python -m bench startup` reads are written in order.

Each case is a pytest sub-run of a tiny project with $SFERUM_SIM_STARTUP_LOG set: its marks file says what
started when (order only, never durations), and a last test writes the run's imported modules to a file.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from bench import machine
from bench.machine import Quietness
from bench.startup import STAGES, _stages
from tests.support.tiny_projects import SEEDED_TEACHER_OPENS_MES, run_pytest

FEATURE = """\
# language: ru
Функция: Старт

  Сценарий: Учитель открывает МЭШ
    Дано учитель из сида
    Когда он открывает МЭШ
"""

STEPS = (
    """
from pytest_bdd import given, scenarios, when

scenarios("start.feature")
"""
    + SEEDED_TEACHER_OPENS_MES
)

# Run last in a sub-run (its file sorts after the others): what the run imported up to then.
MODULES_SEEN = """
import json
import sys


def test_zz_modules_seen():
    with open("modules.json", "w", encoding="utf-8") as out:
        json.dump(sorted(sys.modules), out)
    rewritten = [
        name for name, module in sys.modules.items()
        if type(getattr(getattr(module, "__spec__", None), "loader", None)).__name__ == "AssertionRewritingHook"
    ]
    with open("rewritten.json", "w", encoding="utf-8") as out:
        json.dump(sorted(rewritten), out)
"""

PLAIN_TEST = """
def test_arithmetic():
    assert 2 + 2 == 4
"""


def _marks(project: Path) -> list[str]:
    log = project / "marks.jsonl"
    return [json.loads(line)["mark"] for line in log.read_text(encoding="utf-8").splitlines()] if log.exists() else []


# The repository's own pytest options (pyproject.toml): the plugins of Faker, respx and the dev extras off, so
# what the run imports is what sferum-sim's plugin and the tests import.
ADDOPTS = (
    "-p no:cacheprovider -p no:randomly -p no:schemathesis -p no:hypothesispytest -p no:faker -p no:respx "
    "-p no:anyio -p no:platformdirs"
)


def _run(project: Path, *args: str) -> dict[str, Any]:
    (project / "pytest.ini").write_text(f"[pytest]\naddopts = {ADDOPTS}\n", encoding="utf-8")
    result = run_pytest(project, *args, env={"SFERUM_SIM_STARTUP_LOG": str(project / "marks.jsonl")})
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    modules = json.loads((project / "modules.json").read_text(encoding="utf-8"))
    rewritten = json.loads((project / "rewritten.json").read_text(encoding="utf-8"))
    return {"marks": _marks(project), "modules": set(modules), "rewritten": set(rewritten)}


@pytest.fixture(scope="module")
def scenario_run(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    project = tmp_path_factory.mktemp("start")
    (project / "start.feature").write_text(FEATURE, encoding="utf-8")
    (project / "test_start.py").write_text(STEPS, encoding="utf-8")
    (project / "test_zz_modules.py").write_text(MODULES_SEEN, encoding="utf-8")
    return _run(project)


@pytest.fixture(scope="module")
def plain_run(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    project = tmp_path_factory.mktemp("plain")
    (project / "test_plain.py").write_text(PLAIN_TEST, encoding="utf-8")
    (project / "test_zz_modules.py").write_text(MODULES_SEEN, encoding="utf-8")
    return _run(project)


def test_a_scenario_run_starts_the_simulator_and_the_driver_before_its_first_step(scenario_run: dict[str, Any]) -> None:
    marks = scenario_run["marks"]
    for stage in ("plugin_import", "plugin_imported", "configured", "collected", "first_step", "first_context"):
        assert stage in marks, marks
    order = marks.index
    assert order("plugin_import") < order("plugin_imported") < order("configured") < order("collected")
    # started at collection's end, both before the first step runs
    assert order("collected") < order("simulator_ready_start") < order("first_step")
    assert order("collected") < order("driver_ready_start") < order("driver_ready") < order("first_step")
    # the first step waits for the simulator; the browser is launched when a step first needs a page
    assert order("simulator_ready") < order("first_session") < order("browser_launched") < order("first_context")
    assert marks[-1] == "unconfigured"


def test_a_run_needing_neither_starts_neither_and_imports_neither(plain_run: dict[str, Any]) -> None:
    marks, modules = plain_run["marks"], plain_run["modules"]
    assert "collected" in marks
    assert not {"simulator_ready_start", "driver_ready_start", "browser_launched_start"} & set(marks), marks
    # the web application, the report writers, respx and Faker stay unimported
    unused = {"simulator.server", "simulator.app", "simulator.testing.reporting.write", "respx", "faker"}
    assert not unused & modules, sorted(unused & modules)


def test_a_scenario_run_imports_what_it_uses_and_no_report_writer(scenario_run: dict[str, Any]) -> None:
    modules = scenario_run["modules"]
    assert {"simulator.server", "faker", "playwright.sync_api"} <= modules
    assert not {"simulator.testing.reporting.write", "respx"} & modules


def test_pytest_rewrites_the_tests_asserts_but_not_the_simulators_or_fakers(scenario_run: dict[str, Any]) -> None:
    """simulator/testing/rewriting.py: pytest would parse and recompile the whole simulator and Faker's providers at
    every run without a bytecode cache; their asserts report no test's failure. The project's own tests stay
    rewritten. Fails (naming pytest's version) if pytest renames the set of packages it marks."""
    rewritten = scenario_run["rewritten"]
    assert "test_start" in rewritten, sorted(rewritten)
    taken_out = sorted(name for name in rewritten if name.partition(".")[0] in ("simulator", "faker"))
    # the package and its plugin module are imported (rewritten) by pytest before the plugin can say otherwise
    assert set(taken_out) <= {"simulator", "simulator.testing", "simulator.testing.startup"}, (
        f"pytest {pytest.__version__} rewrote {taken_out}"
    )


def test_the_breakdown_reads_each_stage_from_its_marks() -> None:
    started = 1000.0
    marks = {
        "plugin_import": (1000.25, 0.2),
        "plugin_imported": (1000.5, 0.4),
        "configured": (1001.0, 0.9),
        "collected": (1001.125, 1.0),
        "simulator_ready_start": (1001.125, 1.0),
        "simulator_ready": (1001.75, 1.5),
        "driver_ready_start": (1001.125, 1.0),
        "driver_ready": (1001.5, 1.25),
        "first_context_start": (1002.0, 1.75),
        "first_context": (1002.25, 1.875),
    }
    stages = _stages(marks, started, STAGES)
    assert stages["interpreter and pytest"] == {"from": 0.0, "to": 0.25, "cpu": 0.2}
    assert stages["simulator start"] == {"from": 1.125, "to": 1.75, "cpu": 0.5}
    assert stages["Playwright driver start"] == {"from": 1.125, "to": 1.5, "cpu": 0.25}
    assert stages["command to first context"] == {"from": 0.0, "to": 2.25, "cpu": 1.875}
    assert "browser launch" not in stages  # no marks for it: left out, not made up


def test_a_busy_machine_is_flagged(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(machine, "LOAD_AT_START", (0.1, 0.1, 0.1))
    quiet = Quietness(load_before=(0.1, 0.1, 0.1), load_after=(0.2, 0.1, 0.1), others_share=0.02)
    assert not quiet.busy and quiet.as_dict()["busy"] is False
    # the bench's own processes: a high load after a measurement, or before the next one, is not others' work
    own = Quietness(load_before=(64.0, 64.0, 64.0), load_after=(64.0, 64.0, 64.0), others_share=0.02)
    assert not own.busy
    shared = Quietness(load_before=(0.1, 0.1, 0.1), load_after=(0.1, 0.1, 0.1), others_share=0.5)
    assert shared.busy
    monkeypatch.setattr(machine, "LOAD_AT_START", (64.0, 64.0, 64.0))  # something was running when the bench began
    loaded = Quietness(load_before=(64.0, 64.0, 64.0), load_after=(0.2, 0.1, 0.1), others_share=0.02)
    assert loaded.busy
    finished = Quietness(load_before=(0.2, 0.2, 0.2), load_after=(0.2, 0.1, 0.1), others_share=0.02)
    assert not finished.busy  # it had ended before this measurement began
