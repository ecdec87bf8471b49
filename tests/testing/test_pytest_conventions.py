"""pytest's own conventions under the project's configuration: --lf, --ff, --sw, --video, readable failures, reruns."""

from __future__ import annotations

import json
import os
import pwd
import shlex
import shutil
import sys
from pathlib import Path

import pytest

from tests.support.tiny_projects import run_pytest

ROOT = Path(__file__).resolve().parents[2]

TWO_TESTS = """
def test_passes():
    pass

def test_fails():
    assert False, "this one fails"
"""

FEATURE = """\
# language: ru
Функция: Вход в журнал
  Сценарий: Пароль не подходит
    Дано пользователь с паролем «секрет»
    Когда он вводит пароль «другой»
    Тогда журнал открывается
"""
STEPS = """
from pytest_bdd import given, parsers, scenarios, then, when

scenarios("login.feature")

@given(parsers.re("пользователь с паролем «(?P<password>.+)»"), target_fixture="password")
def user(password):
    return password

@when(parsers.re("он вводит пароль «(?P<typed>.+)»"), target_fixture="typed")
def types(typed):
    return typed

@then("журнал открывается")
def opens(password, typed):
    assert typed == password
"""


def run_with_project_config(project: Path, *args: str) -> pytest.RunResult:
    """pytest in a folder of its own, with this repository's pyproject.toml as its configuration."""
    config = ("-c", str(ROOT / "pyproject.toml"), "--rootdir", str(project))
    done = run_pytest(project, *config, "test_two.py", "-p", "no:randomly", *args)
    return pytest.RunResult(done.returncode, done.stdout.splitlines(), done.stderr.splitlines(), 0.0)


@pytest.fixture(scope="module")
def first_runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The first runs, each made once, their folders kept with the cache they left: a run writing the
    reports (for --lf, --ff and the rerun command) and a stepwise run (stepwise resumes where one stopped)."""
    made: dict[str, Path] = {}
    for kind, args in {"plain": ("--sim-report-dir=reports",), "stepwise": ("--sw",)}.items():
        project = tmp_path_factory.mktemp(kind)
        (project / "test_two.py").write_text(TWO_TESTS, encoding="utf-8")
        run_with_project_config(project, *args).assert_outcomes(passed=1, failed=1)
        made[kind] = project
    return made


@pytest.mark.parametrize(
    ("option", "outcomes"),
    [
        ("--lf", {"failed": 1}),
        ("--sw", {"failed": 1}),
        ("--ff", {"failed": 1, "passed": 1}),
    ],
)
def test_the_second_run_uses_the_cache_of_the_first(
    first_runs: dict[str, Path], tmp_path: Path, option: str, outcomes: dict[str, int]
) -> None:
    project = tmp_path / "project"  # a copy: each second run changes the cache it reads
    shutil.copytree(first_runs["stepwise" if option == "--sw" else "plain"], project)
    second = run_with_project_config(project, option, "-v")
    second.assert_outcomes(**outcomes)
    lines = [line for line in second.outlines if "::test_" in line and ("PASSED" in line or "FAILED" in line)]
    assert lines[0].startswith("test_two.py::test_fails")  # --ff runs it first, --lf and --sw run only it


def test_a_failed_scenario_names_its_feature_scenario_and_step(pytester: pytest.Pytester) -> None:
    pytester.makefile(".feature", login=FEATURE)
    pytester.makepyfile(test_login=STEPS)
    result = pytester.runpytest_subprocess("-p", "no:randomly")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "*- Gherkin: failed step -*",
            "Функция:  Вход в журнал (*login.feature)",
            "Сценарий: Пароль не подходит",
            "Шаг 3 из 3 (line 6): Тогда журнал открывается",
        ]
    )


def test_the_rerun_command_starts_with_the_interpreter_that_ran_the_suite(first_runs: dict[str, Path]) -> None:
    results = json.loads((first_runs["plain"] / "reports" / "results.json").read_text(encoding="utf-8"))
    failed = next(test for test in results["tests"] if test["outcome"] == "failed")
    command = shlex.split(failed["rerun"])
    assert command[:4] == [sys.executable, "-m", "pytest", "test_two.py::test_fails"]


def test_video_on_records_a_scenario_with_the_browser_in_use(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    # pytester gives its runs a HOME of their own; Playwright's tools (ffmpeg among them) are in the real one's cache.
    home = Path(pwd.getpwuid(os.getuid()).pw_dir)
    monkeypatch.setenv(
        "PLAYWRIGHT_BROWSERS_PATH", os.environ.get("PLAYWRIGHT_BROWSERS_PATH", str(home / ".cache" / "ms-playwright"))
    )
    pytester.makepyfile(
        test_page="""
        def test_opens_mes(page, sim):
            page.goto(sim.url.replace("127.0.0.1", "mes.localhost") + "/")
            page.wait_for_timeout(200)
        """
    )
    result = pytester.runpytest_subprocess("-p", "no:randomly", "--video", "on", "--output", "videos")
    result.assert_outcomes(passed=1)
    videos = list((pytester.path / "videos").rglob("*.webm"))
    assert len(videos) == 1 and videos[0].stat().st_size > 0, result.stdout.str()
