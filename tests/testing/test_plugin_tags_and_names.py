"""A team's project as pytest users run it: `--strict-markers`, `-W error::DeprecationWarning`, `-k` with a hyphen.

The plugin alone (no conftest.py of ours) must register the platform tags and any flow or error ID, name
scenarios' tests with their hyphens, and open no deprecated fixture.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.support.tiny_projects import run_pytest

pytestmark = pytest.mark.slow  # pytest sub-runs

FEATURE = """\
# language: ru
@eljur @F42
Функция: Онлайн-уроки команды
  @F13 @vkid
  Сценарий: Ученик входит на онлайн-урок
    Дано урок «Физика»
    Тогда урок называется «Физика»

  @E07 @gosuslugi
  Сценарий: Родитель не видит урок
    Дано урок «История»
    Тогда урок называется «История»
"""
STEPS = """
from pytest_bdd import given, parsers, scenarios, then

scenarios("lessons.feature")


@given(parsers.re("урок «(?P<subject>.+)»"), target_fixture="lesson")
def lesson(subject):
    return subject


@then(parsers.re("урок называется «(?P<subject>.+)»"))
def lesson_named(lesson, subject):
    assert lesson == subject


def test_pages_open_by_full_address(base_url):
    # pytest-playwright's browser contexts read this fixture: the run's base URL, none given here.
    assert base_url is None
"""
STRICT = ("--strict-markers", "-W", "error::DeprecationWarning", "-p", "no:cacheprovider", "-p", "no:randomly")


@pytest.fixture(scope="module")
def strict_run(tmp_path_factory: pytest.TempPathFactory) -> subprocess.CompletedProcess[str]:
    """One run of the team's project: strict markers, deprecations as errors, a hyphenated -k and -m on IDs."""
    project = tmp_path_factory.mktemp("team")
    (project / "lessons.feature").write_text(FEATURE, encoding="utf-8")
    (project / "test_lessons.py").write_text(STEPS, encoding="utf-8")
    return run_pytest(project, *STRICT, "-v", "-k", "онлайн-урок or full_address", "-m", "not E07")


def test_tags_of_platforms_and_any_flow_id_pass_strict_markers(strict_run: subprocess.CompletedProcess[str]) -> None:
    # @F42 is no ID of docs/flows.md: a team's own; @eljur, @vkid, @gosuslugi are platforms of the table.
    assert "not found in `markers` configuration option" not in strict_run.stdout + strict_run.stderr
    assert strict_run.returncode == 0, strict_run.stdout[-3000:] + strict_run.stderr[-2000:]


def test_minus_k_with_a_hyphen_selects_the_scenario(strict_run: subprocess.CompletedProcess[str]) -> None:
    passed = [line.split(" ")[0] for line in strict_run.stdout.splitlines() if " PASSED" in line]
    assert passed == [
        "test_lessons.py::test_ученик_входит_на_онлайн-урок",
        "test_lessons.py::test_pages_open_by_full_address",
    ], strict_run.stdout[-3000:]
    assert "2 passed, 1 deselected" in strict_run.stdout


def test_no_deprecated_fixture_is_opened(strict_run: subprocess.CompletedProcess[str]) -> None:
    # The base URL fixture every browser context reads; a deprecation would be an error of this test.
    assert "Deprecat" not in strict_run.stdout + strict_run.stderr, strict_run.stdout[-3000:]
    assert "test_pages_open_by_full_address PASSED" in strict_run.stdout


def test_the_plugin_describes_the_platform_tags(tmp_path: Path) -> None:
    listed = run_pytest(tmp_path, "--markers", "-p", "no:cacheprovider").stdout
    assert "@pytest.mark.eljur: walks ЭлЖур" in listed and "@pytest.mark.vkid: walks VK ID" in listed
