"""МАХ over HTTP: registration, codes, the linking request from МЭШ, VPN, and unlinking in «Мой паспорт»."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from simulator import SESSION_HEADER, SimulatorServer
from simulator.testing import Personas, SimSession
from simulator.testing.client import Simulator

VPN = "Привязка учебного профиля Сферум в МАХ к учетной записи электронного журнала не работает при включенном VPN"


class Browser:
    """One cookie jar per origin, as a browser keeps them; redirects are followed across hosts."""

    def __init__(self, server: SimulatorServer, key: str) -> None:
        self.server, self.key = server, key
        self.clients: dict[str, httpx.Client] = {}
        self.origin = f"mes.localhost:{server.port}"

    def _client(self, host: str) -> httpx.Client:
        if host not in self.clients:
            headers = {"Host": host, SESSION_HEADER: self.key}
            self.clients[host] = httpx.Client(base_url=self.server.url, headers=headers)
        return self.clients[host]

    def go(self, method: str, url: str, *, follow: bool = True, **kwargs: Any) -> httpx.Response:
        parts = urlsplit(url)
        if parts.netloc:
            self.origin = parts.netloc
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        response = self._client(self.origin).request(method, path, **kwargs)
        if follow and response.is_redirect:
            return self.go("GET", response.headers["Location"])
        return response

    def close(self) -> None:
        for client in self.clients.values():
            client.close()

    def url(self, platform: str, path: str) -> str:
        host = {"mes": "mes.localhost", "max": "max.localhost"}[platform]
        return f"http://{host}:{self.server.port}{path}"


@pytest.fixture
def session(server: SimulatorServer) -> Iterator[SimSession]:
    simulator = Simulator(server.url)
    sim_session = simulator.new_session(seed=7)
    yield sim_session
    sim_session.delete()
    simulator.close()


@pytest.fixture
def web(server: SimulatorServer, session: SimSession) -> Iterator[Browser]:
    opened = Browser(server, session.key)
    yield opened
    opened.close()


def teacher(session: SimSession, **accounts: Any):
    person = Personas(11).make("teacher")
    person.ids = session.seed({"people": [person.entry(**accounts)]})["people"][person.key]
    return person


def sign_in_mes(web: Browser, person) -> None:
    page = web.go("POST", web.url("mes", "/"), data={"login": person.login, "password": person.password})
    assert "Кабинет учителя" in page.text


def start_linking(web: Browser, session: SimSession) -> httpx.Response:
    session.settings(mes_sferum_in="max")
    return web.go("POST", web.url("mes", "/sferum/connect"))


def enter_phone(web: Browser, phone: str) -> httpx.Response:
    return web.go("POST", web.url("max", "/login"), data={"phone": phone})


def sms_code(session: SimSession, phone: str) -> str:
    return session.last_code(phone, channel="sms")


# -- registration -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("last_name", "<b>Иванов</b>", "Допустимы только буквы, пробел, дефис и апостроф"),
        ("first_name", "И" * 51, "Не больше 50 символов"),
        ("first_name", "", "Заполните это поле"),
    ],
)
def test_registration_refuses_bad_names_and_stores_nothing(
    web: Browser, session: SimSession, field: str, value: str, message: str
) -> None:
    install = enter_phone(web, "+79990001122")
    assert "Для привязки обязательно необходимо скачать приложение МАХ и авторизоваться в нем." in install.text
    names = {"last_name": "Иванов", "first_name": "Иван", "patronymic": "Иванович", field: value}
    page = web.go("POST", web.url("max", "/register"), data=names)
    assert page.status_code == 422
    assert message in page.text
    assert "<b>Иванов</b>" not in page.text  # shown escaped, never as markup
    world = session.snapshot()
    assert world["max_accounts"] == [] and session.messages() == []


def test_registration_with_the_real_name_creates_the_account_once_the_sms_code_is_right(
    web: Browser, session: SimSession
) -> None:
    enter_phone(web, "8 (999) 000-11-22")
    names = {"last_name": "Иванова", "first_name": "Анна", "patronymic": ""}
    page = web.go("POST", web.url("max", "/register"), data=names)
    # The masked number's spaces do not break (no-break spaces), so it never wraps inside itself.
    assert "Код подтверждения регистрации отправлен в SMS на номер +7\u00a0***\u00a0**\u00a0*22" in page.text
    assert re.search(r"SMS придёт в течение <time>01:59</time>", page.text)
    [sms] = session.messages(to="+79990001122")
    assert sms["channel"] == "sms" and sms["text"].startswith("МАХ: код подтверждения")
    assert session.snapshot()["max_accounts"] == []  # nothing until the code is confirmed
    page = web.go("POST", web.url("max", "/code"), data={"code": sms["code"]})
    assert "Сферум в МАХ" in page.text and "У вас нет учебного профиля Сферум" in page.text
    [account] = session.snapshot()["max_accounts"]
    assert (account["phone"], account["last_name"], account["first_name"], account["patronymic"]) == (
        "+79990001122",
        "Иванова",
        "Анна",
        None,
    )


def test_a_wrong_code_is_refused_and_signs_nobody_in(web: Browser, session: SimSession) -> None:
    person = teacher(session, max_account=True, max_profile=True)
    page = enter_phone(web, person.phone)
    assert "Мы отправили SMS с кодом на номер" in page.text
    wrong = "000000" if sms_code(session, person.phone) != "000000" else "111111"
    page = web.go("POST", web.url("max", "/code"), data={"code": wrong})
    assert page.status_code == 422 and "Неверный код. Осталось попыток: 4" in page.text
    assert "Вход в МАХ" in web.go("GET", web.url("max", "/sferum")).text


def test_a_new_code_is_sent_only_after_the_countdown(web: Browser, session: SimSession) -> None:
    person = teacher(session, max_account=True)
    enter_phone(web, person.phone)
    page = web.go("POST", web.url("max", "/code/resend"))
    assert "SMS придёт в течение <time>01:59</time>" in page.text
    assert len(session.messages(to=person.phone)) == 1
    session.advance(119)
    assert "Получить новый код" in web.go("GET", web.url("max", "/code")).text
    web.go("POST", web.url("max", "/code/resend"))
    _, second = session.messages(to=person.phone)
    page = web.go("POST", web.url("max", "/code"), data={"code": second["code"]})
    assert "Сферум в МАХ" in page.text


# -- linking from МЭШ -------------------------------------------------------------------------


def test_vpn_refuses_linking_without_using_the_code_and_the_same_code_works_once_it_is_off(
    web: Browser, session: SimSession
) -> None:
    person = teacher(session, max_account=True, max_profile=True)
    sign_in_mes(web, person)
    assert "Привязка учебного профиля Сферум в МАХ к учетной записи «МЭШ»" in start_linking(web, session).text
    enter_phone(web, person.phone)
    code = sms_code(session, person.phone)
    session.fault("vpn")
    refused = web.go("POST", web.url("max", "/code"), data={"code": code})
    assert refused.status_code == 403 and VPN in refused.text
    assert session.links() == []
    session.clear_fault("vpn")
    page = web.go("POST", web.url("max", "/code"), data={"code": code})
    assert "Ваша учетная запись успешно привязана к учебному профилю Сферум в МАХ." in page.text
    [link] = session.links()
    assert (link["profile_id"], link["via"]) == (person.ids["max_profile_id"], "max")


def test_a_ticket_links_once_and_only_for_the_browser_that_asked(web: Browser, session: SimSession) -> None:
    person = teacher(session, max_account=True, max_profile=True)
    sign_in_mes(web, person)
    start_linking(web, session)
    enter_phone(web, person.phone)
    back = web.go("POST", web.url("max", "/code"), data={"code": sms_code(session, person.phone)}, follow=False)
    callback = back.headers["Location"]
    assert parse_qs(urlsplit(callback).query).keys() == {"state", "ticket"}
    web.go("GET", callback)
    replay = web.go("GET", callback)
    assert replay.status_code == 400 and "Сессия привязки устарела" in replay.text
    assert len(session.links()) == 1


def test_a_linking_request_from_an_unknown_service_is_refused(web: Browser) -> None:
    page = web.go("GET", web.url("max", "/link?service=evil&state=" + "a" * 32))
    assert page.status_code == 400 and "Запрос на привязку учебного профиля недействителен" in page.text


def test_a_max_account_without_a_profile_gets_one_in_max_with_its_name(web: Browser, session: SimSession) -> None:
    person = teacher(session, max_account=True)
    sign_in_mes(web, person)
    start_linking(web, session)
    enter_phone(web, person.phone)
    page = web.go("POST", web.url("max", "/code"), data={"code": sms_code(session, person.phone)})
    assert "Он будет создан в МАХ с вашими ФИО" in page.text
    page = web.go("POST", web.url("max", "/profile"), data={"birth_date": "31.02.1980", "sex": "female"})
    assert page.status_code == 422 and session.snapshot()["profiles"] == []
    data = {"birth_date": person.birth_date.strftime("%d.%m.%Y"), "sex": person.sex}
    web.go("POST", web.url("max", "/profile"), data=data)
    [profile] = session.snapshot()["profiles"]
    assert profile["max_id"] == person.ids["max_id"] and profile["vkid_id"] is None
    assert (profile["last_name"], profile["first_name"]) == (person.last_name, person.first_name)
    assert [link["profile_id"] for link in session.links()] == [profile["id"]]


def test_a_vk_id_profile_under_the_same_phone_comes_into_max(web: Browser, session: SimSession) -> None:
    person = teacher(session, vkid=True, profile=True, max_account=True)
    sign_in_mes(web, person)
    start_linking(web, session)
    enter_phone(web, person.phone)
    web.go("POST", web.url("max", "/code"), data={"code": sms_code(session, person.phone)})
    [profile] = session.snapshot()["profiles"]
    assert profile["id"] == person.ids["profile_id"] and profile["max_id"] == person.ids["max_id"]
    assert [(link["profile_id"], link["via"]) for link in session.links()] == [(profile["id"], "max")]


# -- «Мой паспорт» → «Безопасность» -----------------------------------------------------------


@pytest.mark.parametrize("via", ["vkid", "max"])
def test_unlinking_in_the_passport(web: Browser, session: SimSession, via: str) -> None:
    accounts = {"vkid": {"vkid": True, "profile": True}, "max": {"max_account": True, "max_profile": True}}[via]
    person = teacher(session, linked=via, **accounts)
    sign_in_mes(web, person)
    profile_id = person.ids["profile_id" if via == "vkid" else "max_profile_id"]
    page = web.go("GET", web.url("mes", "/passport/security?unlink=1"))
    assert f"id {profile_id}" in page.text and 'Удаление профиля "Сферум"' in page.text
    web.go("GET", web.url("mes", "/passport/security"))  # «Отменить»
    assert len(session.links()) == 1
    page = web.go("POST", web.url("mes", "/passport/security/unlink"))
    assert "Аккаунт «Сферум» отвязан от вашей учетной записи." in page.text
    assert "Не привязан к учебному профилю Сферум" in page.text
    assert session.links() == []
