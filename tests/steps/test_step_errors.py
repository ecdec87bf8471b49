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

from tests.support.tiny_projects import run_pytest

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

  Сценарий: Проверка привязки ЭлЖур, когда у ученика нет профиля
    Дано школа «{SCHOOL}»
    И ученик ЭлЖур 14 лет и старше с подтвержденной учетной записью Госуслуг
    Тогда учетная запись ЭлЖур привязана к его учебному профилю

  Сценарий: Проверка привязки в МАХ, когда у учителя нет профиля в МАХ
    Дано школа «{SCHOOL}»
    И учитель МЭШ, у которого нет ни МАХ, ни учебного профиля Сферум
    Тогда учетная запись МЭШ привязана к его учебному профилю Сферум в МАХ

  Сценарий: Проверка прежней привязки, когда у учителя нет никакого профиля
    Дано школа «{SCHOOL}»
    И учитель МЭШ, у которого нет ни МАХ, ни учебного профиля Сферум
    Тогда учетная запись МЭШ по-прежнему привязана к учебному профилю

  Сценарий: Проверка прикрепления к организации, когда у учителя нет профиля
    Дано школа «{SCHOOL}»
    И учитель МЭШ, у которого нет ни МАХ, ни учебного профиля Сферум
    Тогда учебный профиль пользователя прикреплён к организации как «Педагог»

  Сценарий: Звонок в чате, которого нет
    Дано школа «{SCHOOL}»
    Тогда в мире записан звонок в чате «Кружок», начатый учеником по часам Сферума, участники: ученик

  Сценарий: Человек, которого сценарий не добавил
    Дано школа «{SCHOOL}»
    Когда учитель присоединяется к звонку в чате «Учителя» из VK Мессенджера

  Сценарий: Ученик ЭШ описан словами, которых шаг не знает
    Дано школа «{SCHOOL}»
    И ученик ЭШ, у которого есть всё

  Сценарий: Число в таблице не число
    Дано школа «{SCHOOL}»
    И в Сферуме уже общаются ученики школы:
      | Класс | Учеников |
      | 9А    | много    |

  Сценарий: Кабинет администратора, который не входил
    Дано школа «{SCHOOL}»
    Тогда открывается личный кабинет организации «{SCHOOL}»

  Сценарий: Вход на Госуслуги без учетной записи Госуслуг
    Дано школа «{SCHOOL}»
    И учитель МЭШ, у которого нет ни МАХ, ни учебного профиля Сферум
    Когда учитель вводит свой телефон и пароль от Госуслуг и нажимает «Войти»

  Сценарий: Прежний код, которого не было
    Дано школа «{SCHOOL}»
    И учитель МЭШ, у которого нет ни МАХ, ни учебного профиля Сферум
    Когда учитель вводит код из предыдущего письма и нажимает «Продолжить»

  Сценарий: Проверка, которая не прошла
    Дано МЭШ подключает Сферум через МАХ
    Тогда привязка прежняя: новая не создана
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
    "проверка_привязки_элжур_когда_у_ученика_нет_профиля": (
        "Тогда учетная запись ЭлЖур привязана к его учебному профилю",
        ["учебный профиль", "его нет"],
    ),
    "проверка_привязки_в_мах_когда_у_учителя_нет_профиля_в_мах": (
        "Тогда учетная запись МЭШ привязана к его учебному профилю Сферум в МАХ",
        ["учебный профиль в МАХ", "его нет"],
    ),
    "проверка_прежней_привязки_когда_у_учителя_нет_никакого_профиля": (
        "Тогда учетная запись МЭШ по-прежнему привязана к учебному профилю",
        ["учебный профиль (в МАХ или VK ID)", "его нет"],
    ),
    "проверка_прикрепления_к_организации_когда_у_учителя_нет_профиля": (
        "Тогда учебный профиль пользователя прикреплён к организации как «Педагог»",
        ["учебный профиль", "его нет"],
    ),
    "звонок_в_чате_которого_нет": (
        "Тогда в мире записан звонок в чате «Кружок», начатый учеником по часам Сферума, участники: ученик",
        ["один чат «Кружок»", "0 шт."],
    ),
    "человек_которого_сценарий_не_добавил": (
        "Когда учитель присоединяется к звонку в чате «Учителя» из VK Мессенджера",
        ["«учитель»", "ни один шаг «Дано»"],
    ),
    "ученик_эш_описан_словами_которых_шаг_не_знает": (
        "И ученик ЭШ, у которого есть всё",
        ["«у которого есть всё»", "«у которого нет аккаунта VK ID»"],
    ),
    "число_в_таблице_не_число": (
        "И в Сферуме уже общаются ученики школы:",
        ["целое число", "«много»"],
    ),
    "кабинет_администратора_который_не_входил": (
        f"Тогда открывается личный кабинет организации «{SCHOOL}»",
        ["браузер администратора", "не входил на sferum.ru"],
    ),
    "вход_на_госуслуги_без_учетной_записи_госуслуг": (
        "Когда учитель вводит свой телефон и пароль от Госуслуг и нажимает «Войти»",
        ["логин и пароль Госуслуг", "учетную запись Госуслуг"],
    ),
    "прежний_код_которого_не_было": (
        "Когда учитель вводит код из предыдущего письма и нажимает «Продолжить»",
        ["код подтверждения", "ничего не вводил"],
    ),
}
# A check that simply fails keeps its own message (what it compared), and a note names the step.
NOTED = {"проверка_которая_не_прошла": "Тогда привязка прежняя: новая не создана"}
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
    assert set(failures) == set(EXPECTED) | set(NOTED)
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


@pytest.mark.parametrize("scenario", list(NOTED))
def test_a_failed_check_keeps_its_message_and_names_the_step(failures: dict[str, str], scenario: str) -> None:
    message = failures[scenario]
    assert message.startswith("assert "), message  # pytest's own account of the comparison
    assert f"Шаг «{NOTED[scenario]}» не выполнен" in message, message


def test_the_project_runs_from_a_folder_of_its_own(tmp_path: Path) -> None:
    # The sub-run above is a team's project: nothing of this repository's conftest.py is in it.
    assert not (tmp_path / "conftest.py").exists()
