"""VK ID steps: the sign-in screens between a journal and the educational profile."""

from __future__ import annotations

from playwright.sync_api import Page, expect
from pytest_bdd import given, parsers, then, when

from simulator.testing import SimSession

from .common import WHO, Scene, code_of, read_code

CHANNELS = {"звонком": "call", "по SMS": "sms"}


@given(parsers.re(r"VK ID подтверждает вход (?P<how>звонком|по SMS)"))
def confirmation_channel(sim_session: SimSession, how: str) -> None:
    sim_session.settings(phone_code_channel=CHANNELS[how])


@given("VK ID не может получить идентификационные данные")
def identity_unavailable(sim_session: SimSession) -> None:
    sim_session.fault("identity_unavailable")


@when("VK ID снова может получить идентификационные данные")
def identity_back(sim_session: SimSession) -> None:
    sim_session.clear_fault("identity_unavailable")


@then(parsers.re(r"открывается «Вход в VK ID» с сервисом «(?P<service>[^«»]+)»"))
def vkid_login_screen(page: Page, service: str) -> None:
    expect(page.get_by_role("heading", name="Вход в VK ID")).to_be_visible()
    expect(page.get_by_text(f"С сервисом «{service}» можно связать свой учебный профиль")).to_be_visible()


@then(parsers.re(r"VK ID объясняет: «(?P<text>[^«»]+)»"))
def vkid_explains(page: Page, text: str) -> None:
    expect(page.get_by_text(text, exact=True)).to_be_visible()


@when(parsers.re(rf"(?:{WHO} )?вводит свой номер телефона в поле «Телефон или почта» и нажимает «Продолжить»"))
def enter_phone(page: Page, scene: Scene) -> None:
    page.get_by_label("Телефон или почта").fill(scene.actor.phone)
    page.get_by_role("button", name="Продолжить").click()


@when(parsers.re(r"(?:снова )?нажимает «Продолжить» на экране «Вход в VK ID»"))
def press_continue_again(page: Page) -> None:
    page.get_by_role("button", name="Продолжить").click()


@then(parsers.re(r"VK ID просит подтвердить вход: «(?P<hint>[^«»]+)»"))
def asks_for_code(page: Page, hint: str) -> None:
    expect(page.get_by_text(hint)).to_be_visible()


@when(parsers.re(rf"(?:{WHO} )?вводит полученный код и нажимает «Продолжить»"))
def enter_code(page: Page, sim_session: SimSession, scene: Scene) -> None:
    message = read_code(sim_session, scene, scene.actor.phone)
    page.get_by_label("Код подтверждения").fill(code_of(message))
    page.get_by_role("button", name="Продолжить").click()


@then(parsers.re(r"VK ID показывает его учетные данные и кнопку «(?P<label>[^«»]+)»"))
def shows_account(page: Page, scene: Scene, label: str) -> None:
    expect(page.get_by_role("heading", name="Проверьте учетные данные")).to_be_visible()
    expect(page.get_by_test_id("account")).to_contain_text(scene.actor.first_name)
    expect(page.get_by_role("button", name=label, exact=True)).to_be_visible()


@when(parsers.re(r"(?:{who} )?проверяет данные учебного профиля и нажимает «Продолжить»".format(who=WHO)))
def confirm_profile(page: Page, scene: Scene) -> None:
    expect(page.get_by_test_id("profile")).to_contain_text(scene.actor.last_name)
    page.get_by_role("button", name="Продолжить").click()


@then("открывается «Информация о себе»")
def about_screen(page: Page) -> None:
    expect(page.get_by_role("heading", name="Информация о себе")).to_be_visible()


@when(parsers.re(rf"(?:{WHO} )?указывает настоящие ФИО, дату рождения, пол и нажимает «Продолжить»"))
def fill_about(page: Page, scene: Scene) -> None:
    _about(page, scene, scene.actor.patronymic)


@when(parsers.re(rf"(?:{WHO} )?указывает ФИО без отчества, дату рождения, пол и нажимает «Продолжить»"))
def fill_about_without_patronymic(page: Page, scene: Scene) -> None:
    """The patronymic is optional on «Информация о себе»: it is left empty."""
    _about(page, scene, "")


def _about(page: Page, scene: Scene, patronymic: str) -> None:
    actor = scene.actor
    scene.entered = {"Фамилия": actor.last_name, "Имя": actor.first_name, "Отчество (необязательно)": patronymic}
    for label, value in scene.entered.items():
        page.get_by_label(label, exact=True).fill(value)
    page.get_by_label("Дата рождения").fill(actor.birth_date.strftime("%d.%m.%Y"))
    page.get_by_label("Пол").select_option(actor.sex)
    page.get_by_role("button", name="Продолжить").click()


@then("VK ID просит ввести пароль от аккаунта VK ID")
def asks_for_password(page: Page) -> None:
    expect(page.get_by_role("heading", name="Введите пароль")).to_be_visible()


@when(parsers.re(rf"(?:{WHO} )?вводит пароль от аккаунта VK ID и нажимает «Продолжить»"))
def enter_password(page: Page, scene: Scene) -> None:
    """Personas seeded with `vkid_password=persona.password` use one password for the journal and VK ID."""
    page.get_by_label("Пароль", exact=True).fill(scene.actor.password)
    page.get_by_role("button", name="Продолжить").click()
