"""Госуслуги steps: the «Вход» form services such as ЭлЖур send their users to."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import pytest
from playwright.sync_api import Page, expect
from pytest_bdd import parsers, then, when

from simulator.testing import SimSession
from simulator.testing.acts import (
    Actor,
    Chosen,
    Click,
    Fill,
    Gained,
    Heading,
    Open,
    Screen,
    Shows,
    Where,
    acts,
    checks,
)

from .common import WHO, Scene, button, expect_countdown
from .failures import fail

F = TypeVar("F", bound=Callable[..., object])
# Services that sign their users in through Госуслуги: platform and the page with the button.
SERVICES = {"ЭлЖур": ("eljur", "/")}


@pytest.fixture
def gosuslugi_logins() -> dict[str, tuple[str, str]]:
    """Persona key → (what they type into «Телефон / Email / СНИЛС», their Госуслуги password)."""
    return {}


@then("открывается «Вход» на Госуслугах")
@checks(Screen("gosuslugi-login"))
def gosuslugi_login_screen(page: Page) -> None:
    """Checks the screen shows the Госуслуги heading «Вход» and the fields «Телефон / Email / СНИЛС» and «Пароль»."""
    expect(page.get_by_role("heading", name="Вход", exact=True)).to_be_visible()
    expect(page.get_by_label("Телефон / Email / СНИЛС", exact=True)).to_be_visible()
    expect(page.get_by_label("Пароль", exact=True)).to_be_visible()


@when(parsers.re(rf"(?:{WHO} )?вводит свой (?:телефон|e-mail) и пароль от Госуслуг и нажимает «Войти»"))
@acts(
    Fill("Телефон / Email / СНИЛС", Actor("gosuslugi_login")),
    Fill("Пароль", Actor("gosuslugi_password")),
    Click("Войти", role="button"),
)
def gosuslugi_sign_in(page: Page, scene: Scene, gosuslugi_logins: dict[str, tuple[str, str]]) -> None:
    """Types the actor's Госуслуги login and password, as seeded, into the form «Вход» and clicks «Войти»."""
    if scene.person.key not in gosuslugi_logins:
        fail("его логин и пароль Госуслуг", "ни один шаг не создал ему учетную запись Госуслуг")
    login, password = gosuslugi_logins[scene.person.key]
    page.get_by_label("Телефон / Email / СНИЛС", exact=True).fill(login)
    page.get_by_label("Пароль", exact=True).fill(password)
    page.get_by_role("button", name="Войти", exact=True).click()


# ЭлЖур's «Войти через Госуслуги» and the person's Госуслуги login, as the recorder reads the step (its own or the
# class teacher's, in eljur.py).
ELJUR_THROUGH_GOSUSLUGI = (
    Open("eljur"),
    Click("Войти через Госуслуги"),
    Fill("Телефон / Email / СНИЛС", Actor("gosuslugi_login")),
    Fill("Пароль", Actor("gosuslugi_password")),
    Click("Войти", role="button"),
)


@when(parsers.re(rf"{WHO} входит в (?P<service>ЭлЖур) через Госуслуги"))
@acts(*ELJUR_THROUGH_GOSUSLUGI)
def sign_in_with_gosuslugi(
    page: Page, sim_session: SimSession, scene: Scene, gosuslugi_logins: dict[str, tuple[str, str]], service: str
) -> None:
    """Opens the service, clicks «Войти через Госуслуги», checks the form «Вход» and signs in there with the actor's Госуслуги login."""
    platform, path = SERVICES[service]
    page.goto(sim_session.url(platform, path))
    button(page, "Войти через Госуслуги").click()
    gosuslugi_login_screen(page)
    gosuslugi_sign_in(page, scene, gosuslugi_logins)


# -- «Регистрация»: the simplified account of seed 003 ----------------------------------------------

BY = {"телефон": "phone", "телефону": "phone", "e-mail": "email"}


def registered_with(scene: Scene, by: str) -> str:
    """What the actor registers with: their own phone or e-mail («с привязкой к своему телефону или e-mail»)."""
    return scene.person.phone if BY[by] == "phone" else scene.person.email


@then("открывается «Регистрация» на Госуслугах")
@checks(Screen("gosuslugi-registration"))
def registration_screen(page: Page) -> None:
    """Checks the Госуслуги heading «Регистрация» and its fields: the name, «Дата рождения», «Мобильный телефон или электронная почта»."""
    expect(page.get_by_role("heading", name="Регистрация", exact=True)).to_be_visible()
    for label in ("Фамилия", "Имя", "Дата рождения", "Мобильный телефон или электронная почта"):
        expect(page.get_by_label(label, exact=True)).to_be_visible()


def _registers_with(login: str, by: str) -> Callable[[F], F]:
    """The form «Регистрация» filled with the actor's own name, birth date and this login of theirs."""
    return acts(
        Fill("Фамилия", Actor("last_name")),
        Fill("Имя", Actor("first_name")),
        Fill("Дата рождения", Actor("birth_date")),
        Fill("Мобильный телефон или электронная почта", Actor(login)),
        Click("Зарегистрироваться", role="button"),
        screen="gosuslugi-registration",
        values={"by": by},
    )


@when(
    parsers.re(
        rf"(?:{WHO} )?указывает свои фамилию, имя, дату рождения и (?P<by>телефон|e-mail) и нажимает «Зарегистрироваться»"
    )
)
@_registers_with("phone", "телефон")
@_registers_with("email", "e-mail")
def fill_registration(page: Page, scene: Scene, by: str) -> None:
    """Types the actor's last and first name, birth date and own phone or e-mail into «Регистрация», remembers the login and clicks «Зарегистрироваться»."""
    actor = scene.person
    scene.login = registered_with(scene, by)
    page.get_by_label("Фамилия", exact=True).fill(actor.last_name)
    page.get_by_label("Имя", exact=True).fill(actor.first_name)
    page.get_by_label("Дата рождения", exact=True).fill(actor.birth_date.strftime("%d.%m.%Y"))
    page.get_by_label("Мобильный телефон или электронная почта", exact=True).fill(scene.login)
    page.get_by_role("button", name="Зарегистрироваться", exact=True).click()


@then(parsers.re(r"Госуслуги просят подтвердить (?P<what>телефон кодом из SMS|почту кодом из письма)"))
@checks(
    Screen("gosuslugi-registration-code", values={"what": "телефон кодом из SMS"}), Heading("Подтверждение телефона")
)
@checks(Screen("gosuslugi-registration-code", values={"what": "почту кодом из письма"}), Heading("Подтверждение почты"))
def registration_code_screen(page: Page, scene: Scene, what: str) -> None:
    """Checks the code screen names where the code went (the number masked as seed 003 prints «+7 *** ** *11», or the e-mail) and shows «Код подтверждения» and its countdown."""
    if what.startswith("телефон"):
        expect(page.get_by_role("heading", name="Подтверждение телефона", exact=True)).to_be_visible()
        sent = f"Мы отправили SMS с кодом на номер +7 *** ** *{scene.typed_login[-2:]}"
        waiting = "SMS придёт в течение 01:59"
    else:
        expect(page.get_by_role("heading", name="Подтверждение почты", exact=True)).to_be_visible()
        sent = f"Мы отправили письмо с кодом на адрес {scene.typed_login}"
        waiting = "Письмо придёт в течение 01:59"
    expect(page.get_by_text(sent, exact=True)).to_be_visible()
    expect(page.get_by_label("Код подтверждения", exact=True)).to_be_visible()
    expect_countdown(page, waiting)


@when(parsers.re(rf"(?:{WHO} )?придумывает пароль от Госуслуг, повторяет его и нажимает «Сохранить»"))
@acts(
    Fill("Пароль", Chosen("password")),
    Fill("Повторите пароль", Chosen("password")),
    Click("Сохранить", role="button"),
    screen="gosuslugi-registration-password",
)
def registration_password(page: Page, scene: Scene, gosuslugi_logins: dict[str, tuple[str, str]]) -> None:
    """Checks «Создайте пароль», types a new password into «Пароль» and «Повторите пароль», remembers it as the actor's Госуслуги sign-in and clicks «Сохранить»."""
    expect(page.get_by_role("heading", name="Создайте пароль", exact=True)).to_be_visible()
    password = f"Gu-{scene.person.password}"
    page.get_by_label("Пароль", exact=True).fill(password)
    page.get_by_label("Повторите пароль", exact=True).fill(password)
    page.get_by_role("button", name="Сохранить", exact=True).click()
    gosuslugi_logins[scene.person.key] = (scene.typed_login, password)


@then(parsers.re(r"на Госуслугах создана упрощенная учетная запись (?:(?P<whose>ученика) )?по (?P<by>телефону|e-mail)"))
@checks(
    Gained("gosuslugi_account_created"),
    Shows("Входите с номером телефона"),
    Where(("gosuslugi-registration-done",), values={"by": "телефону", "whose": "ученика"}),
)
@checks(
    Gained("gosuslugi_account_created"),
    Shows("Входите с электронной почтой"),
    Where(("gosuslugi-registration-done",), values={"by": "e-mail", "whose": "ученика"}),
)
def simplified_account_created(sim_session: SimSession, scene: Scene, by: str, whose: str | None) -> None:
    """Checks the world: one Госуслуги account on the actor's own phone or e-mail, not confirmed, and it is the actor's (their person)."""
    login = registered_with(scene, by)
    accounts = [a for a in sim_session.snapshot("gosuslugi_accounts")["gosuslugi_accounts"] if a["login"] == login]
    assert [(a["confirmed"], a["person_id"]) for a in accounts] == [(False, scene.person.key)], accounts
