"""A step whose click opens a page ends while the page still arrives: its picture is the page it opened.

The state after a step is read once the document has loaded (simulator/testing/evidence.py), so the click's
picture is the loaded page — the bytes the browser gives for it once loaded, taken by the next step itself.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.tiny_projects import run_with_step_screenshots

pytestmark = pytest.mark.slow

FEATURE = """\
# language: ru
Функция: Снимок шага, открывшего страницу

  Сценарий: Вход в МЭШ снят с кабинетом
    Дано учитель МЭШ из сида
    Когда он открывает МЭШ
    И входит со своим логином и паролем
    Тогда открыт кабинет учителя
    И снимок страницы сохранён как «кабинет»
"""

STEPS = """
from pathlib import Path

from playwright.sync_api import expect
from pytest_bdd import given, parsers, scenarios, then, when

scenarios("navigation.feature")


@given("учитель МЭШ из сида", target_fixture="teacher")
def teacher(personas, sim_session):
    person = personas.make("teacher")
    sim_session.seed({"people": [person.entry(vkid=True)]})
    return person


@when("он открывает МЭШ")
def open_mes(page, sim_session):
    page.goto(sim_session.url("mes", "/"))


@when("входит со своим логином и паролем")
def signs_in(page, teacher):
    page.get_by_label("Логин").fill(teacher.login)
    page.get_by_label("Пароль").fill(teacher.password)
    page.get_by_role("button", name="Войти").click()  # returns once the cabinet's navigation has begun


@then("открыт кабинет учителя")
def cabinet(page):
    expect(page.get_by_test_id("cabinet")).to_have_text("Кабинет учителя")


@then(parsers.parse("снимок страницы сохранён как «{name}»"))
def own_picture(page, name):
    page.wait_for_load_state("load")
    Path("own").mkdir(exist_ok=True)
    Path("own", name + ".png").write_bytes(page.screenshot(type="png", caret="initial"))
"""


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    project = tmp_path_factory.mktemp("navigation")
    return run_with_step_screenshots(project, "navigation", FEATURE, STEPS)


def test_the_step_that_opened_a_page_is_pictured_with_the_page_loaded(run: dict[str, Any]) -> None:
    steps = run["steps"]
    signed_in = steps[2]
    picture = (run["project"] / "report" / signed_in["screenshot"]).read_bytes()
    assert picture == (run["project"] / "own" / "кабинет.png").read_bytes()
