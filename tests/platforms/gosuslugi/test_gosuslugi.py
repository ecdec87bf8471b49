"""Госуслуги (ЕСИА) sign-in: /authorize checks, the «Вход» form's errors, one-time codes."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from simulator import SimulatorServer
from simulator.platforms.eljur.screens import GOSUSLUGI
from simulator.platforms.gosuslugi import esia
from simulator.testing import Personas, SimSession, Simulator
from simulator.world.esia import CODE_TTL
from tests.support.http_browser import HttpBrowser, location

PASSWORD = "Gos-pass-2024"


@pytest.fixture
def world(server: SimulatorServer) -> Iterator[SimSession]:
    simulator = Simulator(server.url)
    session = simulator.new_session(seed=3)
    yield session
    session.delete()
    simulator.close()


@pytest.fixture
def student(world: SimSession):
    persona = Personas(3).make("student")
    world.seed(
        {"people": [persona.entry(journal=None, gosuslugi={"login": "phone", "password": PASSWORD, "confirmed": True})]}
    )
    return persona


def authorize_query(client: HttpBrowser, **overrides: str) -> dict[str, str]:
    query = {
        "client_id": "eljur",
        "redirect_uri": client.hosts.url("eljur", "/login/callback"),
        "response_type": "code",
        "state": "s" * 32,
    }
    return {k: v for k, v in {**query, **overrides}.items() if v is not None}


def start(client: HttpBrowser) -> None:
    response = client.get("gosuslugi", "/authorize", params=authorize_query(client))
    assert location(response)[1] == "/login"


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"client_id": "unknown"}, "Неизвестная информационная система"),
        ({"redirect_uri": "http://evil.localhost/steal"}, "Адрес возврата не зарегистрирован"),
        ({"state": None}, "Сервис не передал параметры входа"),
        ({"state": "short"}, "Сервис не передал параметры входа"),
    ],
)
def test_a_bad_authorize_request_is_explained_not_redirected(client: HttpBrowser, overrides, message) -> None:
    response = client.get("gosuslugi", "/authorize", params=authorize_query(client, **overrides))
    assert response.status_code == 400
    assert "Location" not in response.headers
    assert message in response.text


def test_login_page_without_a_service_is_refused(client: HttpBrowser) -> None:
    response = client.get("gosuslugi", "/login")
    assert response.status_code == 400
    assert "Сессия входа не найдена" in response.text


def test_login_form_shows_the_fields(client: HttpBrowser) -> None:
    start(client)
    page = client.get("gosuslugi", "/login").text
    for label in ("<h1>Вход</h1>", "Телефон / Email / СНИЛС", "Пароль", "Войти", "Для входа в «ЭлЖур»"):
        assert label in page


@pytest.mark.parametrize(
    "form, errors",
    [
        ({"login": "", "password": ""}, ["login-error", "password-error"]),
        ({"login": "not a phone", "password": "x"}, ["Введите телефон, электронную почту или СНИЛС"]),
    ],
)
def test_empty_or_malformed_fields_are_field_errors(client: HttpBrowser, student, form, errors) -> None:
    start(client)
    response = client.post("gosuslugi", "/login", data=form)
    assert response.status_code == 422
    for error in errors:
        assert error in response.text


@pytest.mark.parametrize("login", ["phone", "email", "snils"])
def test_wrong_password_or_unknown_login_changes_nothing(
    client: HttpBrowser, world: SimSession, student, login
) -> None:
    start(client)
    typed = {"phone": student.phone, "email": student.email, "snils": "123-456-789 01"}[login]
    response = client.post("gosuslugi", "/login", data={"login": typed, "password": PASSWORD + "x"})
    assert response.status_code == 422
    assert "Неверный логин или пароль" in response.text
    assert typed in response.text  # the typed login is kept
    assert world.links() == []


def test_typed_value_is_escaped(client: HttpBrowser) -> None:
    start(client)
    response = client.post("gosuslugi", "/login", data={"login": "<b>x@y.ru", "password": "p"})
    assert "<b>x@y.ru" not in response.text and "&lt;b&gt;" in response.text


def test_success_returns_a_code_and_the_same_state(client: HttpBrowser, student) -> None:
    start(client)
    phone = f"8 ({student.phone[2:5]}) {student.phone[5:8]}-{student.phone[8:10]}-{student.phone[10:]}"
    response = client.post("gosuslugi", "/login", data={"login": phone, "password": PASSWORD})
    host, path, query = location(response)
    assert (host, path) == ("eljur.localhost", "/login/callback")
    assert query["state"] == "s" * 32 and len(query["code"]) >= 20
    # The flow is over: the login page no longer belongs to a service.
    assert client.get("gosuslugi", "/login").status_code == 400


def _code(server: SimulatorServer, world: SimSession, client: HttpBrowser, student) -> str:
    start(client)
    response = client.post("gosuslugi", "/login", data={"login": student.phone, "password": PASSWORD})
    return location(response)[2]["code"]


def test_a_code_is_redeemed_once_by_its_own_client(server: SimulatorServer, world: SimSession, client, student) -> None:
    code = _code(server, world, client, student)
    session = server.world.get(world.key)
    redirect_uri = client.hosts.url("eljur", "/login/callback")
    other = esia.EsiaClient("mes", "other", "Другой сервис", "/cb")
    with pytest.raises(esia.EsiaError):
        server.call(esia.redeem, session, other, code, redirect_uri)
    with pytest.raises(esia.EsiaError):
        server.call(esia.redeem, session, GOSUSLUGI, code, "http://eljur.localhost/other")
    account = server.call(esia.redeem, session, GOSUSLUGI, code, redirect_uri)
    assert (account.person_id, account.confirmed) == (student.key, True)
    with pytest.raises(esia.EsiaError, match="Не удалось войти через Госуслуги"):
        server.call(esia.redeem, session, GOSUSLUGI, code, redirect_uri)


def test_a_code_expires(server: SimulatorServer, world: SimSession, client, student) -> None:
    code = _code(server, world, client, student)
    world.advance(CODE_TTL.total_seconds() + 1)
    with pytest.raises(esia.EsiaError):
        server.call(
            esia.redeem, server.world.get(world.key), GOSUSLUGI, code, client.hosts.url("eljur", "/login/callback")
        )
