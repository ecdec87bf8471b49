"""The step library's failures, as a team meets them: Russian, naming the step, no bare exception class.

One tiny project, its steps the library's, one sub-run: each scenario makes one typical mistake of a
feature's author (a school or a subject the world lacks, a person the words do not describe, a check whose
precondition no step made). The messages are read from the run's JUnit report.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.tiny_projects import run_pytest

SCHOOL = "МАОУ «Лицей №2»"
FEATURE = f"""\
# language: ru
Функция: Ошибки в сценариях
  Сценарий: Школы нет в fixtures
    Дано школа «Школа №0»

  Сценарий: Учитель описан словами, которых шаг не знает
    Дано школа «{SCHOOL}»
    И учитель МЭШ, у которого есть всё

  Сценарий: Проверка привязки, когда никто не назван
    Тогда учетная запись МЭШ привязана к его учебному профилю

  Сценарий: Проверка привязки к профилю, которого у учителя нет
    Дано школа «{SCHOOL}»
    И учитель МЭШ, у которого нет ни МАХ, ни учебного профиля Сферум
    Тогда учетная запись МЭШ привязана к его учебному профилю

  Сценарий: Урок, которого нет в расписании
    Дано школа «{SCHOOL}»
    И ученик ЭлЖур 14 лет и старше с подтвержденной учетной записью Госуслуг
    Когда ученик открывает адрес онлайн-урока «Алхимия» напрямую
"""
# The step each scenario fails at, and words its message must hold: what was expected, what was found.
EXPECTED = {
    "школы_нет_в_fixtures": ("Дано школа «Школа №0»", ["школа «Школа №0»", SCHOOL]),
    "учитель_описан_словами_которых_шаг_не_знает": (
        "И учитель МЭШ, у которого есть всё",
        ["«у которого есть всё»", "«у которого нет ни МАХ, ни учебного профиля Сферум»"],
    ),
    "проверка_привязки_когда_никто_не_назван": (
        "Тогда учетная запись МЭШ привязана к его учебному профилю",
        ["человек, который действует в сценарии", "«Дано»"],
    ),
    "проверка_привязки_к_профилю_которого_у_учителя_нет": (
        "Тогда учетная запись МЭШ привязана к его учебному профилю",
        ["учебный профиль", "его нет"],
    ),
    "урок_которого_нет_в_расписании": (
        "Когда ученик открывает адрес онлайн-урока «Алхимия» напрямую",
        ["урок «Алхимия»", "«Физика»"],
    ),
}
BARE = re.compile(r"\b(StopIteration|KeyError|IndexError|ValueError|TypeError|AttributeError)\b")


@pytest.fixture(scope="module")
def failures(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Each scenario's failure message (the report's `E` lines: the exception as pytest shows it), by test name."""
    project = tmp_path_factory.mktemp("mistakes")
    (project / "conftest.py").write_text('pytest_plugins = ["sferum_sim_steps"]\n', encoding="utf-8")
    (project / "mistakes.feature").write_text(FEATURE, encoding="utf-8")
    (project / "test_mistakes.py").write_text('from pytest_bdd import scenarios\n\nscenarios("mistakes.feature")\n')
    done = run_pytest(project, "-p", "no:cacheprovider", "-p", "no:randomly", "--junitxml=junit.xml")
    assert (project / "junit.xml").exists(), done.stdout[-3000:] + done.stderr[-3000:]
    messages = {}
    for case in ET.parse(project / "junit.xml").getroot().iter("testcase"):
        failure = case.find("failure")
        report = "" if failure is None else failure.text or ""
        shown = [line.removeprefix("E").strip() for line in report.splitlines() if line.startswith("E ")]
        messages[str(case.get("name")).removeprefix("test_")] = " ".join(shown)
    return messages


def test_every_mistake_fails_its_scenario(failures: dict[str, str]) -> None:
    assert set(failures) == set(EXPECTED)
    assert [name for name, message in failures.items() if not message] == []


@pytest.mark.parametrize("scenario", list(EXPECTED))
def test_the_message_names_the_step_what_was_expected_and_found(failures: dict[str, str], scenario: str) -> None:
    message = failures[scenario]
    step, words = EXPECTED[scenario]
    assert f"Шаг «{step}»" in message, message
    assert "ожидалось" in message and "найдено" in message, message
    assert [word for word in words if word not in message] == [], message


@pytest.mark.parametrize("scenario", list(EXPECTED))
def test_the_message_is_russian_without_a_bare_exception(failures: dict[str, str], scenario: str) -> None:
    message = failures[scenario]
    text = message.split(":", 1)[-1]  # after the exception's class, as pytest prints it
    assert BARE.search(message) is None, message
    letters = re.findall(r"[^\W\d_]", text)
    assert sum("а" <= letter.lower() <= "я" or letter in "ёЁ" for letter in letters) > 0.8 * len(letters), message


def test_the_project_runs_from_a_folder_of_its_own(tmp_path: Path) -> None:
    # The sub-run above is a team's project: nothing of this repository's conftest.py is in it.
    assert not (tmp_path / "conftest.py").exists()
