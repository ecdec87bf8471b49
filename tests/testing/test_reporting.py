"""Reports of a BDD run: per-step evidence, every format, and the same results serially, with -n 2 and as shards.

A tiny Russian suite runs in a separate pytest (as a user's project would), once per way of running it;
the runs are shared by the tests below so the module stays fast.
"""

from __future__ import annotations

import base64
import json
import os
import shlex
import signal
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import xmlschema

from simulator.cli import main as cli
from simulator.testing import shard
from simulator.testing.browser import system_chromium
from simulator.testing.reporting import load
from tests.support.tiny_projects import SEEDED_TEACHER_OPENS_MES, run_pytest

FEATURE = """\
# language: ru
@tiny
Функция: Крошечная проверка отчётов

  Предыстория:
    Дано учитель из сида

  Сценарий: Страница входа открывается
    Когда он открывает МЭШ
    Тогда видна страница «Московская электронная школа»

  Сценарий: Проверка падает
    Когда он открывает МЭШ
    Тогда видна страница «Такой страницы нет»
    И этот шаг уже не выполняется

  Структура сценария: Без браузера, <номер>
    Тогда у него есть VK ID

    Примеры:
      | номер  |
      | первый |
      | второй |
"""

EXTRAS = """\
# language: ru
@extras
Функция: Аргументы шагов и ошибки фикстур

  @F99 @critical
  Сценарий: Таблица и текст в шагах
    Дано учитель из сида
    И классы:
      | класс | учеников |
      | 10А   | 2        |
    Тогда письмо гласит:
      \"\"\"
      Здравствуйте,
      коллеги
      \"\"\"

  @broken_setup
  Сценарий: Фикстура падает при подготовке
    Дано учитель из сида
    Тогда у него есть VK ID

  @broken_teardown
  Сценарий: Фикстура падает при завершении
    Тогда этот шаг ничего не делает
"""

STEPS = (
    """
import pytest
from playwright.sync_api import expect
from pytest_bdd import given, parsers, scenarios, then, when

scenarios("tiny.feature", "extras.feature")


@pytest.fixture(autouse=True)
def broken_by_tag(request):
    if request.node.get_closest_marker("broken_setup"):
        raise RuntimeError("подготовка сломалась")
    yield
    if request.node.get_closest_marker("broken_teardown"):
        raise RuntimeError("завершение сломалось")

"""
    + SEEDED_TEACHER_OPENS_MES
    + """


@then(parsers.parse("видна страница «{heading}»"))
def heading_shown(page, teacher, heading):
    # The failing scenario names the persona: a rerun must show the very same one.
    actual = page.get_by_role("heading", level=1).inner_text()
    assert actual == heading, f"{teacher.full_name}, {teacher.phone}: на экране «{actual}»"


@then("этот шаг уже не выполняется")
def never():
    raise AssertionError("unreachable")


@then("у него есть VK ID")
def has_vkid(sim_session):
    assert len(sim_session.snapshot()["vkid_accounts"]) == 1


@given("классы:")
def classes(sim_session):
    pass  # takes no datatable: the reports show the table all the same


@then("письмо гласит:")
def letter(docstring, teacher):
    assert docstring.startswith("Здравствуйте")


@then("этот шаг ничего не делает")
def nothing():
    pass
"""
)

INI = """\
[pytest]
markers =
    tiny: the tiny suite
    extras: step arguments and fixture errors
    F99: a flow
    critical: severity
    broken_setup: a fixture fails before the first step
    broken_teardown: a fixture fails after the last step
addopts = -p no:cacheprovider
disable_test_id_escaping_and_forfeit_all_rights_to_community_support = true
"""

FAILED = "test_files/test_tiny.py::test_проверка_падает"


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("tiny")
    (root / "pytest.ini").write_text(INI, encoding="utf-8")
    (root / "test_files").mkdir()
    (root / "test_files" / "tiny.feature").write_text(FEATURE, encoding="utf-8")
    (root / "test_files" / "extras.feature").write_text(EXTRAS, encoding="utf-8")
    (root / "test_files" / "test_tiny.py").write_text(STEPS, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def runs(project: Path) -> dict[str, Any]:
    """The tiny suite run serially, with -n 2, and as two shards merged; reports of each, and times."""
    timings: dict[str, float] = {}
    outputs: dict[str, subprocess.CompletedProcess[str]] = {}
    ways = {
        "serial": ["--sim-report-dir=serial", "--tracing=retain-on-failure"],
        "xdist": ["--sim-report-dir=xdist", "--tracing=retain-on-failure", "-n", "2"],
        "shard1": ["--sim-report-dir=shard1", "--tracing=retain-on-failure", "--shard=1/2"],
        "shard2": ["--sim-report-dir=shard2", "--tracing=retain-on-failure", "--shard=2/2"],
    }
    for name, args in ways.items():
        started = time.perf_counter()
        outputs[name] = run_pytest(project, "test_files", "--output", f"pw-{name}", *args)
        timings[name] = time.perf_counter() - started
    assert (
        cli(["report", "merge", str(project / "shard1"), str(project / "shard2"), "-o", str(project / "merged")]) == 0
    )
    return {"outputs": outputs, "timings": timings}


def results(directory: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((directory / "results.json").read_text(encoding="utf-8"))
    return data


def summary(directory: Path) -> dict[str, tuple[Any, ...]]:
    """What must not depend on how the suite was run: each test's outcome and its steps' outcomes and evidence."""
    return {
        test["nodeid"]: (
            test["outcome"],
            test["seed"],
            tuple(
                (s["keyword"], s["name"], s["status"], bool(s["screenshot"]), len(s["events"])) for s in test["steps"]
            ),
            len(test["artifacts"].get("traces", [])),
        )
        for test in results(directory)["tests"]
    }


def test_a_failing_scenario_shows_its_step_screenshot_and_trace(project: Path, runs: dict[str, Any]) -> None:
    assert "1 failed, 5 passed" in runs["outputs"]["serial"].stdout and "2 errors" in runs["outputs"]["serial"].stdout
    report = project / "serial"
    test = next(t for t in results(report)["tests"] if t["nodeid"] == FAILED)
    statuses = [(s["keyword"], s["status"]) for s in test["steps"]]
    assert statuses == [("Дано", "passed"), ("Когда", "passed"), ("Тогда", "failed"), ("И", "skipped")]
    failed = test["steps"][2]
    assert "Такой страницы нет" in failed["name"] and "на экране «Московская электронная школа»" in failed["error"]
    screenshot = report / failed["screenshot"]
    assert screenshot.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")  # a PNG, written once
    assert [e["path"] for e in test["steps"][1]["events"] if e["kind"] == "request"] == ["/"]  # the simulator's record
    assert test["steps"][0]["events"][0]["kind"] == "vkid_account_created"

    # The trace opens in the trace viewer with one group per Gherkin step.
    [trace] = test["artifacts"]["traces"]
    with zipfile.ZipFile(report / trace) as archive:
        events = [json.loads(line) for line in archive.read("trace.trace").decode().splitlines()]
    groups = [e["title"] for e in events if e.get("method") == "tracingGroup"]
    # «Дано» ran before any page existed: its group is written once the context is there.
    assert groups == ["Дано учитель из сида", "Когда он открывает МЭШ", "Тогда видна страница «Такой страницы нет»"]

    html = (report / "report.html").read_text(encoding="utf-8")
    assert html.index("Проверка падает") < html.index("Страница входа открывается")  # failures first
    assert f'src="{failed["screenshot"]}"' in html and "data:image" not in html  # the file, referenced
    assert trace in html and "провален" in html

    cucumber = json.loads((report / "cucumber.json").read_text(encoding="utf-8"))
    tiny = next(feature for feature in cucumber if feature["uri"].endswith("tiny.feature"))
    [scenario] = [s for s in tiny["elements"] if s["name"] == "Проверка падает"]
    assert [s["result"]["status"] for s in scenario["steps"]] == ["passed", "passed", "failed", "skipped"]
    [picture] = scenario["steps"][2]["embeddings"]
    assert picture["mime_type"] == "image/png"
    assert base64.b64decode(picture["data"]) == screenshot.read_bytes()
    assert tiny["tags"] == [{"name": "@tiny", "line": 2}]

    junit = ET.parse(report / "junit.xml").getroot()
    [failure] = [failed for case in junit.iter("testcase") if (failed := case.find("failure")) is not None]
    assert "Тогда видна страница «Такой страницы нет»" in failure.get("message", "")

    allure = [json.loads(p.read_text(encoding="utf-8")) for p in (report / "allure-results").glob("*-result.json")]
    assert sorted(r["status"] for r in allure) == ["broken", "broken", "failed", "passed", "passed", "passed", "passed"]
    [failing] = [r for r in allure if r["name"] == "Проверка падает"]
    assert [a["type"] for a in failing["attachments"]] == ["application/zip"]  # the trace
    [shot] = failing["steps"][2]["attachments"]  # the step's screenshot
    assert shot["type"] == "image/png"
    assert (report / "allure-results" / shot["source"]).read_bytes() == screenshot.read_bytes()
    assert failing["steps"][2]["parameters"] == [{"name": "heading", "value": "Такой страницы нет"}]  # no fixtures


def _allure(report: Path, name: str) -> dict[str, Any]:
    found = [json.loads(p.read_text(encoding="utf-8")) for p in (report / "allure-results").glob("*-result.json")]
    return next(result for result in found if result["name"] == name)


def test_data_tables_doc_strings_and_fixture_errors_reach_every_format(project: Path, runs: dict[str, Any]) -> None:
    report = project / "serial"
    by_name = {t["name"]: t for t in results(report)["tests"]}
    table = by_name["Таблица и текст в шагах"]
    assert table["steps"][1]["rows"] == [["класс", "учеников"], ["10А", "2"]]
    assert table["steps"][2]["doc_string"] == "Здравствуйте,\nколлеги"
    setup = by_name["Фикстура падает при подготовке"]
    assert (setup["outcome"], setup["phase"]) == ("error", "setup") and "подготовка сломалась" in setup["message"]
    assert [s["status"] for s in setup["steps"]] == ["skipped", "skipped"]  # the scenario's steps, none run
    teardown = by_name["Фикстура падает при завершении"]
    assert (teardown["outcome"], teardown["phase"]) == ("error", "teardown")

    cucumber = json.loads((report / "cucumber.json").read_text(encoding="utf-8"))
    extras = {s["name"]: s for f in cucumber if f["uri"].endswith("extras.feature") for s in f["elements"]}
    steps = extras["Таблица и текст в шагах"]["steps"]
    assert [row["cells"] for row in steps[1]["arguments"][0]["rows"]] == [["класс", "учеников"], ["10А", "2"]]
    assert steps[2]["doc_string"]["value"] == "Здравствуйте,\nколлеги"
    failed_setup = extras["Фикстура падает при подготовке"]
    assert failed_setup["before"][0]["result"]["status"] == "failed"
    assert "подготовка сломалась" in failed_setup["before"][0]["result"]["error_message"]
    assert [s["result"]["status"] for s in failed_setup["steps"]] == ["skipped", "skipped"]
    assert extras["Фикстура падает при завершении"]["after"][0]["result"]["status"] == "failed"

    # JUnit: valid against the Jenkins xunit plugin's strict schema, the table and doc string in system-out.
    schema = xmlschema.XMLSchema(Path(__file__).resolve().parents[1] / "schemas" / "jenkins-xunit-junit-10.xsd")
    for name in ("serial", "merged"):
        schema.validate(project / name / "junit.xml")
    cases = {case.get("name"): case for case in ET.parse(report / "junit.xml").getroot().iter("testcase")}
    out = cases["Таблица и текст в шагах"].findtext("system-out") or ""
    assert "| 10А   | 2        |" in out and "Здравствуйте," in out and "-m pytest " in out.partition("rerun: ")[2]
    error = cases["Фикстура падает при подготовке"].find("error")
    assert error is not None and "при подготовке" in error.get("message", "")

    html = (report / "report.html").read_text(encoding="utf-8")
    assert "<td>учеников</td>" in html and "коллеги</pre>" in html and "Ошибка при подготовке сценария" in html

    # Allure: the table and doc string on their steps, labels from the feature file, fixture errors kept.
    allure = _allure(report, "Таблица и текст в шагах")
    assert [a["name"] for a in allure["steps"][1]["attachments"]] == ["Data table"]
    assert [a["name"] for a in allure["steps"][2]["attachments"]] == ["Doc string"]
    labels = {(label["name"], label["value"]) for label in allure["labels"]}
    assert {("epic", "Аргументы шагов и ошибки фикстур"), ("feature", "Аргументы шагов и ошибки фикстур")} <= labels
    assert {("story", "Таблица и текст в шагах"), ("severity", "critical"), ("flow", "F99")} <= labels
    assert [(link["type"], link["name"]) for link in allure["links"]] == [("tms", "F99")]
    assert allure.get("parameters", []) == []
    outline = _allure(report, "Без браузера, первый")
    assert outline["parameters"] == [{"name": "номер", "value": "первый"}]
    assert ("story", "Без браузера, <номер>") in {(label["name"], label["value"]) for label in outline["labels"]}
    broken = _allure(report, "Фикстура падает при подготовке")
    assert broken["status"] == "broken" and "подготовка сломалась" in broken["statusDetails"]["message"]
    assert [s["status"] for s in broken["steps"]] == ["skipped", "skipped"]
    assert _allure(report, "Фикстура падает при завершении")["status"] == "broken"
    every = " ".join(p.read_text(encoding="utf-8") for p in (report / "allure-results").glob("*-result.json"))
    assert " object at 0x" not in every  # fixtures never show up as parameters
    environment = (report / "allure-results" / "environment.properties").read_text(encoding="latin-1")
    assert "browser=chromium" in environment and "sim_seed=" in environment and "pytest-bdd=" in environment


def test_serial_parallel_and_merged_shards_agree(project: Path, runs: dict[str, Any]) -> None:
    serial = summary(project / "serial")
    assert len(serial) == 7
    assert summary(project / "xdist") == serial
    assert summary(project / "merged") == serial
    assert {t["worker"] for t in results(project / "xdist")["tests"]} == {"gw0", "gw1"}
    shards = [set(summary(project / f"shard{i}")) for i in (1, 2)]
    assert shards[0] and shards[1] and not shards[0] & shards[1]
    for name in ("xdist", "merged"):  # evidence files were carried along
        test = next(t for t in results(project / name)["tests"] if t["nodeid"] == FAILED)
        assert (project / name / test["steps"][2]["screenshot"]).is_file()
        assert (project / name / test["artifacts"]["traces"][0]).is_file()
        assert len(list((project / name / "allure-results").glob("*-result.json"))) == 7
    print("\n" + ", ".join(f"{name} {seconds:.1f} s" for name, seconds in runs["timings"].items()))


def test_results_json_round_trips_through_the_records(project: Path, runs: dict[str, Any]) -> None:
    for name in ("serial", "xdist", "merged"):
        assert load(project / name).to_json() == results(project / name), name


def test_the_rerun_command_replays_the_same_scenario(project: Path, runs: dict[str, Any]) -> None:
    first = next(t for t in results(project / "serial")["tests"] if t["nodeid"] == FAILED)
    command = shlex.split(first["rerun"])
    assert command[:3] == [sys.executable, "-m", "pytest"]  # the interpreter that ran the suite
    rerun = run_pytest(project, *command[3:], "--sim-report-dir=rerun")
    assert "1 failed" in rerun.stdout
    [again] = results(project / "rerun")["tests"]
    assert again["nodeid"] == FAILED and again["seed"] == first["seed"]
    assert again["session"] != first["session"]  # a new session, the same people in it
    assert again["steps"][2]["error"] == first["steps"][2]["error"]  # names the same persona, phone and all


@pytest.mark.parametrize("value", ["3/2", "0/2", "1-2", ""])
def test_a_wrong_shard_is_refused(value: str) -> None:
    with pytest.raises(pytest.UsageError, match="--shard wants i/n"):
        shard.parse(value)


@pytest.fixture
def browser_server(tmp_path: Path) -> Iterator[str]:
    """A Playwright browser server (`playwright run-server`), as a CI service would run it."""
    env = dict(os.environ)
    package = sys.modules["playwright"].__file__
    assert package is not None
    browsers = json.loads((Path(package).parent / "driver/package/browsers.json").read_text())
    revision = next(b["revision"] for b in browsers["browsers"] if b["name"] == "chromium-headless-shell")
    if not Path(
        env.get("PLAYWRIGHT_BROWSERS_PATH", Path.home() / ".cache/ms-playwright"), f"chromium_headless_shell-{revision}"
    ).is_dir():
        # No downloaded browser here: lay the system Chromium out where the server looks for its own.
        chromium = system_chromium()
        if chromium is None:
            pytest.skip("no browser for the server")
        shell = tmp_path / f"chromium_headless_shell-{revision}/chrome-headless-shell-linux64/chrome-headless-shell"
        shell.parent.mkdir(parents=True)
        shell.symlink_to(chromium)
        env["PLAYWRIGHT_BROWSERS_PATH"] = str(tmp_path)
    cli_path = Path(sys.executable).with_name("playwright")
    # Its own process group: the `playwright` command starts the Node driver as a child, which must stop too.
    server = subprocess.Popen(
        [str(cli_path), "run-server", "--host", "127.0.0.1", "--port", "0"],
        env=env,
        stdout=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    assert server.stdout is not None  # stdout=PIPE
    try:
        line = server.stdout.readline()  # «Listening on ws://127.0.0.1:PORT/»
        assert line.startswith("Listening on "), line
        yield line.split()[-1]
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=10)


def test_a_remote_browser_runs_the_scenarios(project: Path, browser_server: str) -> None:
    result = run_pytest(
        project,
        "test_files",
        "-k",
        "Страница",
        "--sim-report-dir=remote",
        env={"SFERUM_SIM_BROWSER_WS": browser_server},
    )
    assert "1 passed" in result.stdout, result.stdout + result.stderr
    [test] = results(project / "remote")["tests"]
    assert test["browser"]["name"] == "chromium"
