"""Госуслуги's simplified registration (seed 003): «Дети до 14 лет регистрируются по упрощенной схеме с привязкой
к своему телефону или e-mail». The name and birth date, a phone or e-mail, the code sent there, a password."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

import httpx
import pytest

from simulator import SimulatorServer
from simulator.testing import Persona, Personas, SimSession
from tests.support.http_browser import HttpBrowser, location
from tests.support.sim_schools import LYCEUM, school_session

PASSWORD = "Gu-new-2024"
SCHOOL = LYCEUM


@pytest.fixture
def world(server: SimulatorServer) -> Iterator[SimSession]:
    with school_session(server, seed=5) as session:
        yield session


@pytest.fixture
def child(world: SimSession) -> Persona:
    """A 6А student under 14 in ЭлЖур, with no Госуслуги account and no contact in the journal yet."""
    persona = Personas(5).make("student", age="child")
    created = world.seed(
        {"people": [persona.entry(journal="eljur", org=SCHOOL["id"], school_class="6А", contact_added=False)]}
    )
    persona.ids = created["people"][persona.key]
    return persona


def text(page: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def form_of(persona: Persona, login: str) -> dict[str, str]:
    return {
        "last_name": persona.last_name,
        "first_name": persona.first_name,
        "patronymic": persona.patronymic,
        "birth_date": persona.birth_date.strftime("%d.%m.%Y"),
        "login": login,
    }


def from_eljur(client: HttpBrowser) -> None:
    """ЭлЖур's «Войти через Госуслуги» → Госуслуги's «Вход», which offers «Зарегистрироваться»."""
    client.get(client.post("eljur", "/login").headers["Location"])
    page = client.get("gosuslugi", "/login").text
    assert '<a href="/registration">Зарегистрироваться</a>' in page


def register(client: HttpBrowser, world: SimSession, data: dict[str, str], sent_to: str) -> httpx.Response:
    """The whole registration, the code read from what was sent to `sent_to`; answers «Учетная запись создана»."""
    assert location(client.post("gosuslugi", "/registration", data=data))[1] == "/registration/code"
    code = world.last_code(sent_to)
    assert location(client.post("gosuslugi", "/registration/code", data={"code": code}))[1] == "/registration/password"
    saved = client.post("gosuslugi", "/registration/password", data={"password": PASSWORD, "password2": PASSWORD})
    assert location(saved)[1] == "/registration/done"
    return client.get("gosuslugi", "/registration/done")


def test_a_child_registers_by_phone_and_returns_to_the_waiting_sign_in(client, world, child) -> None:
    from_eljur(client)
    page = client.get("gosuslugi", "/registration")
    assert page.status_code == 200 and "<h1>Регистрация</h1>" in page.text
    assert location(client.post("gosuslugi", "/registration", data=form_of(child, child.phone)))[1] == (
        "/registration/code"
    )
    code_page = text(client.get("gosuslugi", "/registration/code").text)
    assert f"Мы отправили SMS с кодом на номер +7 *** ** *{child.phone[-2:]}" in code_page
    assert "SMS придёт в течение 01:59" in code_page
    [sms] = world.messages(to=child.phone)
    assert sms["channel"] == "sms" and sms["text"].startswith("Госуслуги: код подтверждения")
    assert world.snapshot()["gosuslugi_accounts"] == []  # nothing until the code and the password
    client.post("gosuslugi", "/registration/code", data={"code": sms["code"]})
    client.post("gosuslugi", "/registration/password", data={"password": PASSWORD, "password2": PASSWORD})
    done = client.get("gosuslugi", "/registration/done")
    assert "Учетная запись создана" in done.text and "Упрощенная учетная запись создана" in text(done.text)
    assert "в МФЦ или в онлайн-банкинге" in done.text
    assert '<a class="button" href="/login">Войти</a>' in done.text  # ЭлЖур's sign-in still waits
    [account] = world.snapshot()["gosuslugi_accounts"]
    # The child's own phone, name and birth date: the account is the child's.
    assert (account["login"], account["confirmed"], account["person_id"]) == (child.phone, False, child.key)
    back = client.post("gosuslugi", "/login", data={"login": child.phone, "password": PASSWORD})
    assert location(back)[0].startswith("eljur.")


def test_a_child_registers_by_email(client, world, child) -> None:
    from_eljur(client)
    done = register(client, world, form_of(child, child.email.upper()), sent_to=child.email)
    assert f"электронной почтой {child.email}" in text(done.text)
    [letter] = world.messages(to=child.email)
    assert letter["channel"] == "email"
    [account] = world.snapshot()["gosuslugi_accounts"]
    assert (account["login"], account["person_id"]) == (child.email, child.key)


def test_a_registration_of_someone_the_world_does_not_know_makes_a_new_person(client, world) -> None:
    data = {"last_name": "Новикова", "first_name": "Ева", "patronymic": "", "birth_date": "03.04.2013"}
    done = register(client, world, {**data, "login": "8 (912) 000-00-01"}, sent_to="+79120000001")
    assert "Войти</a>" not in done.text  # no service is waiting
    snapshot = world.snapshot()
    [account] = snapshot["gosuslugi_accounts"]
    person = next(p for p in snapshot["people"] if p["id"] == account["person_id"])
    assert (person["last_name"], person["first_name"], person["patronymic"]) == ("Новикова", "Ева", None)
    assert (person["birth_date"], person["phone"], account["login"]) == ("2013-04-03", "+79120000001", "+79120000001")


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("last_name", "", "Заполните это поле"),
        ("first_name", "<script>alert(1)</script>", "Допустимы только буквы, пробел, дефис и апостроф"),
        ("last_name", "Я" * 51, "Не больше 50 символов"),
        ("birth_date", "31.02.2012", "Такой даты не существует: проверьте день и месяц"),
        ("birth_date", "01.01.2030", "Укажите настоящую дату рождения"),
        ("login", "", "Заполните это поле"),
        ("login", "12345", "Введите номер мобильного телефона или электронную почту"),
        ("login", "<b>x</b>@mail", "Неверный формат электронной почты"),
    ],
)
def test_bad_input_is_refused_with_a_russian_message_and_nothing_stored(client, world, child, field, value, message):
    from_eljur(client)
    response = client.post("gosuslugi", "/registration", data={**form_of(child, child.phone), field: value})
    assert response.status_code == 422
    error = re.search(rf'id="{field}-error"[^>]*>([^<]+)<', response.text)
    assert error is not None and html.unescape(error.group(1)).startswith(message)
    assert "<script>alert" not in response.text and "<b>x</b>" not in response.text  # shown escaped
    assert world.messages() == [] and world.snapshot()["gosuslugi_accounts"] == []


def test_a_phone_already_registered_is_refused(client, world) -> None:
    persona = Personas(6).make("student", age="child")
    world.seed({"people": [persona.entry(journal=None, gosuslugi={"login": "phone", "password": "Gu-old-1"})]})
    before = world.snapshot()["gosuslugi_accounts"]
    response = client.post("gosuslugi", "/registration", data=form_of(persona, persona.phone))
    assert response.status_code == 422
    assert "Этот номер телефона уже зарегистрирован на Госуслугах" in response.text
    assert world.messages() == [] and world.snapshot()["gosuslugi_accounts"] == before


def test_a_wrong_code_and_a_bad_password_store_nothing(client, world, child) -> None:
    client.post("gosuslugi", "/registration", data=form_of(child, child.phone))
    code = world.last_code(child.phone)
    wrong = "".join(str((int(d) + 1) % 10) for d in code)
    response = client.post("gosuslugi", "/registration/code", data={"code": wrong})
    assert response.status_code == 422 and "Неверный код. Осталось попыток: 4" in response.text
    response = client.post("gosuslugi", "/registration/code", data={"code": "12ab"})
    assert response.status_code == 422 and "Введите 6 цифр" in response.text
    assert location(client.post("gosuslugi", "/registration/password", data={"password": "x"}))[1] == (
        "/registration/code"  # no password before the code
    )
    client.post("gosuslugi", "/registration/code", data={"code": code})
    short = client.post("gosuslugi", "/registration/password", data={"password": "abc", "password2": "abc"})
    assert short.status_code == 422 and "Пароль должен содержать от 6 до 64 символов" in short.text
    other = client.post("gosuslugi", "/registration/password", data={"password": PASSWORD, "password2": "Другой-1"})
    assert other.status_code == 422 and "Пароли не совпадают" in other.text
    assert world.snapshot()["gosuslugi_accounts"] == []


def test_screens_out_of_order_lead_to_the_right_one(client, world) -> None:
    for path in ("/registration/code", "/registration/password", "/registration/done"):
        assert location(client.get("gosuslugi", path))[1] == "/registration"
    assert location(client.post("gosuslugi", "/registration/code/resend"))[1] == "/registration"


def test_a_new_code_only_after_the_countdown(client, world, child) -> None:
    client.post("gosuslugi", "/registration", data=form_of(child, child.phone))
    assert location(client.post("gosuslugi", "/registration/code/resend"))[1] == "/registration/code"
    assert len(world.messages(to=child.phone)) == 1
    world.advance(119)
    assert "Получить новый код" in client.get("gosuslugi", "/registration/code").text
    client.post("gosuslugi", "/registration/code/resend")
    assert len(world.messages(to=child.phone)) == 2
