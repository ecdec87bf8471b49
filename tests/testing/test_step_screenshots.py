"""A screenshot after every step (--step-screenshots=on): a step that changed nothing shows the last picture.

A tiny suite runs in its own pytest. Its steps take their own screenshot where the picture is known to be
the same or known to differ, so each reused or new file is checked against the browser, not against itself.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.support.tiny_projects import SEEDED_TEACHER_OPENS_MES, run_with_step_screenshots

FEATURE = """\
# language: ru
Функция: Снимок после каждого шага

  Сценарий: Проверки не меняют страницу, ввод и новая страница меняют
    Дано учитель из сида
    Когда он открывает МЭШ
    Тогда видна страница «Московская электронная школа»
    И снимок страницы сохранён как «до ввода»
    Когда он вводит «teacher» в поле «Логин»
    Тогда поле «Логин» содержит «teacher»
    Когда страница дописывает строку «добавлено скриптом»
    Тогда видна страница «Московская электронная школа»
"""

STEPS = (
    """
from pathlib import Path

from playwright.sync_api import expect
from pytest_bdd import given, parsers, scenarios, then, when

scenarios("shots.feature")

"""
    + SEEDED_TEACHER_OPENS_MES
    + """


@then(parsers.parse("видна страница «{heading}»"))
def heading_shown(page, heading):
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)


@then(parsers.parse("снимок страницы сохранён как «{name}»"))
def own_picture(page, name):
    Path("own").mkdir(exist_ok=True)
    # caret="initial": no style added and removed, so the page itself stays unchanged (nothing has focus)
    Path("own", name + ".png").write_bytes(page.screenshot(type="png", caret="initial"))


@when(parsers.parse("он вводит «{text}» в поле «{label}»"))
def types(page, text, label):
    page.get_by_label(label).fill(text)


@then(parsers.parse("поле «{label}» содержит «{text}»"))
def field_holds(page, label, text):
    expect(page.get_by_label(label)).to_have_value(text)


@when(parsers.parse("страница дописывает строку «{text}»"))
def page_adds(page, text):
    page.evaluate("text => document.body.append(text)", text)
    page.get_by_label("Логин").blur()
"""
)


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    project = tmp_path_factory.mktemp("shots")
    return run_with_step_screenshots(project, "shots", FEATURE, STEPS)


def picture(run: dict[str, Any], step: int) -> bytes:
    return (run["project"] / "report" / run["steps"][step]["screenshot"]).read_bytes()


def test_a_step_before_any_page_has_no_picture_and_every_later_step_has_one(run: dict[str, Any]) -> None:
    shots = [step["screenshot"] for step in run["steps"]]
    assert shots[0] is None
    assert all(shot is not None for shot in shots[1:])


def test_checks_that_change_nothing_show_the_picture_the_browser_shows(run: dict[str, Any]) -> None:
    steps = run["steps"]
    opened, checked, own = steps[1], steps[2], steps[3]
    assert checked["screenshot"] == opened["screenshot"] == own["screenshot"]
    assert picture(run, 3) == (run["project"] / "own" / "до ввода.png").read_bytes()


def test_typing_and_a_changed_page_get_pictures_of_their_own(run: dict[str, Any]) -> None:
    steps = run["steps"]
    typed, added = steps[4], steps[6]
    assert typed["screenshot"] != steps[3]["screenshot"] and picture(run, 4) != picture(run, 3)
    assert steps[5]["screenshot"] == typed["screenshot"]  # the check after typing changed nothing
    assert added["screenshot"] != typed["screenshot"] and picture(run, 6) != picture(run, 4)
    assert steps[7]["screenshot"] == added["screenshot"]


def test_allure_gets_a_picture_for_every_step_with_one(run: dict[str, Any]) -> None:
    results = [
        json.loads(p.read_text(encoding="utf-8"))
        for p in (run["project"] / "report" / "allure-results").glob("*-result.json")
    ]
    [scenario] = results
    attached = [len(step.get("attachments", [])) for step in scenario["steps"]]
    assert attached == [0, 1, 1, 1, 1, 1, 1, 1]
