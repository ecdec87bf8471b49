"""--feature-progress: one line a feature file, the same serially and with xdist workers (make run)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.tiny_projects import run_pytest

pytestmark = pytest.mark.slow  # pytest sub-runs

LOGIN = """\
# language: ru
Функция: Вход
  Сценарий: Верный пароль
    Тогда всё хорошо

  Сценарий: Неверный пароль
    Тогда всё плохо

  Структура сценария: Пароль <n>
    Тогда всё хорошо

    Примеры:
      | n |
      | 1 |
      | 2 |
"""
LINK = """\
# language: ru
Функция: Привязка
  Сценарий: Привязать
    Тогда всё хорошо

  @skipped
  Сценарий: Пропущен
    Тогда всё хорошо
"""
STEPS = """
import pytest
from pytest_bdd import scenarios, then

scenarios("features")


@pytest.fixture(autouse=True)
def skip_tagged(request):
    if request.node.get_closest_marker("skipped"):
        pytest.skip("по тегу")


@then("всё хорошо")
def fine():
    pass


@then("всё плохо")
def bad():
    raise AssertionError("плохо")
"""


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("progress")
    (root / "features").mkdir()
    (root / "features" / "login.feature").write_text(LOGIN, encoding="utf-8")
    (root / "features" / "link.feature").write_text(LINK, encoding="utf-8")
    (root / "test_features.py").write_text(STEPS, encoding="utf-8")
    (root / "pytest.ini").write_text("[pytest]\nmarkers =\n    skipped: skipped\n", encoding="utf-8")
    return root


def lines(project: Path, *args: str) -> list[str]:
    done = run_pytest(project, "-q", "-p", "no:cacheprovider", "-p", "no:randomly", "--feature-progress", *args)
    assert done.returncode == 1, done.stdout[-2000:]  # one scenario fails
    return sorted(line for line in done.stdout.splitlines() if line[:2] in ("✓ ", "✗ "))


EXPECTED = [
    "✓ features/link.feature: 1 passed, 1 skipped",
    "✗ features/login.feature: 1 failed, 3 passed",
]


def test_one_line_a_feature_when_its_last_scenario_ends(project: Path) -> None:
    assert lines(project) == EXPECTED


def test_the_same_lines_from_xdist_workers(project: Path) -> None:
    assert lines(project, "-n", "2") == EXPECTED


def test_only_what_runs_is_counted(project: Path) -> None:
    done = run_pytest(project, "-q", "-p", "no:cacheprovider", "--feature-progress", "-k", "Привязать")
    assert "✓ features/link.feature: 1 passed" in done.stdout.splitlines(), done.stdout[-2000:]
