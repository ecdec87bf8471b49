"""ЭлЖур: entering through Госуслуги, who may enter, who may join an online lesson, and when VK ID is asked."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import httpx
import pytest

from simulator import SimulatorServer
from simulator.ages import age
from simulator.platforms.eljur import rules
from simulator.testing import Persona, Personas, SimSession
from tests.support.http_browser import HttpBrowser, location
from tests.support.sim_schools import LYCEUM, school_session

PASSWORD = "Gos-pass-2024"
SCHOOL = LYCEUM


@pytest.fixture
def world(server: SimulatorServer) -> Iterator[SimSession]:
    with school_session(server, seed=3) as session:
        yield session


@pytest.fixture
def people() -> Personas:
    return Personas(3)


def seed(world: SimSession, persona: Persona, *, confirmed: bool = True, **entry) -> Persona:
    entry.setdefault("gosuslugi", {"login": "phone", "password": PASSWORD, "confirmed": confirmed})
    created = world.seed({"people": [persona.entry(journal="eljur", org=SCHOOL["id"], **entry)]})
    persona.ids = created["people"][persona.key]
    return persona


def student(world: SimSession, people: Personas, **entry) -> Persona:
    return seed(world, people.make("student"), school_class="9Б", **entry)


def sign_in(client: HttpBrowser, persona: Persona) -> httpx.Response:
    """«Войти через Госуслуги» → «Вход» → back to ЭлЖур's callback; returns the callback's answer."""
    authorize = client.post("eljur", "/login").headers["Location"]
    client.get(authorize)
    back = client.post("gosuslugi", "/login", data={"login": persona.phone, "password": PASSWORD})
    return client.get(back.headers["Location"])


def lesson_id(world: SimSession, subject: str) -> int:
    return next(lesson["id"] for lesson in world.snapshot()["lessons"] if lesson["subject"] == subject)


# -- entering ЭлЖур -------------------------------------------------------------------------------


def test_the_only_way_in_is_gosuslugi(client: HttpBrowser) -> None:
    page = client.get("eljur", "/")
    assert "Войти через Госуслуги" in page.text and "<input" not in page.text
    assert location(client.get("eljur", "/diary"))[1] == "/"


def test_student_enters_and_sees_the_online_button_only_under_online_lessons(client, world, people) -> None:
    persona = student(world, people)
    assert location(sign_in(client, persona))[1] == "/diary"
    diary = client.get("eljur", "/diary").text
    for subject in ("Русский язык", "Физика", "История"):
        assert subject in diary
    assert "Математика" not in diary  # another class's lesson
    assert diary.count(">Онлайн-урок</a>") == 1
    assert f'href="/lessons/{lesson_id(world, "Физика")}"' in diary


def test_a_state_that_does_not_match_is_refused(client, world, people) -> None:
    persona = student(world, people)
    authorize = client.post("eljur", "/login").headers["Location"]
    client.get(authorize)
    back = client.post("gosuslugi", "/login", data={"login": persona.phone, "password": PASSWORD})
    forged = back.headers["Location"].replace("state=", "state=x")
    response = client.get(forged)
    assert response.status_code == 400
    assert "Сессия входа устарела" in response.text
    assert location(client.get("eljur", "/diary"))[1] == "/"


def test_a_callback_without_a_started_sign_in_is_refused(client, world, people) -> None:
    response = client.get("eljur", "/login/callback?code=abc&state=" + "s" * 32)
    assert response.status_code == 400
    assert location(client.get("eljur", "/diary"))[1] == "/"


def test_a_code_cannot_be_replayed(client, world, people) -> None:
    persona = student(world, people)
    authorize = client.post("eljur", "/login").headers["Location"]
    client.get(authorize)
    back = client.post("gosuslugi", "/login", data={"login": persona.phone, "password": PASSWORD}).headers["Location"]
    assert location(client.get(back))[1] == "/diary"
    client.post("eljur", "/logout")
    client.post("eljur", "/login")  # a new sign-in: a new state, the old code is spent anyway
    response = client.get(back)
    assert response.status_code == 400
    assert location(client.get("eljur", "/diary"))[1] == "/"


@pytest.mark.parametrize(
    "age, confirmed, contact_added, message",
    [
        ("student", False, True, rules.NOT_CONFIRMED),
        ("child", False, False, rules.CONTACT_MISSING),
        ("student", True, False, rules.CONTACT_MISSING),
    ],
)
def test_e07_refusals_change_nothing(client, world, people, age, confirmed, contact_added, message) -> None:
    persona = seed(
        world,
        people.make("student", age=age),
        school_class="9Б",
        confirmed=confirmed,
        contact_added=contact_added,
        profile=True,
    )
    before = world.snapshot()
    response = sign_in(client, persona)
    assert response.status_code == 403
    assert message in response.text.replace("&#34;", '"')
    assert location(client.get("eljur", "/diary"))[1] == "/"
    assert client.get("eljur", f"/lessons/{lesson_id(world, 'Физика')}").status_code == 303
    after = world.snapshot()
    assert after["links"] == before["links"] == []
    assert after["profiles"] == before["profiles"] and after["vkid_accounts"] == before["vkid_accounts"]


def test_a_child_under_14_enters_with_a_simplified_account(client, world, people) -> None:
    persona = seed(
        world,
        people.make("student", age="child"),
        school_class="6А",
        confirmed=False,
        gosuslugi={"login": "email", "password": PASSWORD, "confirmed": False},
    )
    persona.phone = persona.email  # signs in to Госуслуги by e-mail
    assert location(sign_in(client, persona))[1] == "/diary"
    assert "Математика" in client.get("eljur", "/diary").text


def test_gosuslugi_account_without_a_journal_account(client, world, people) -> None:
    persona = people.make("student")
    world.seed(
        {"people": [persona.entry(journal=None, gosuslugi={"login": "phone", "password": PASSWORD, "confirmed": True})]}
    )
    response = sign_in(client, persona)
    assert response.status_code == 403 and rules.NO_ACCOUNT in response.text


def test_age_boundary() -> None:
    today = date(2024, 10, 16)
    assert age(date(2010, 10, 16), today) == 14
    assert age(date(2010, 10, 17), today) == 13


# -- the online lesson ----------------------------------------------------------------------------


def test_parent_sees_the_lessons_but_cannot_open_the_online_lesson(client, world, people) -> None:
    child = student(world, people)
    parent = seed(world, people.make("parent"), children=[child.key])
    assert location(sign_in(client, parent))[1] == "/diary"
    diary = client.get("eljur", "/diary").text
    assert "Физика" in diary and child.last_name in diary
    assert "Онлайн-урок</a>" not in diary and "/lessons/" not in diary
    response = client.get("eljur", f"/lessons/{lesson_id(world, 'Физика')}")
    assert response.status_code == 403
    assert "родители урок не увидят" in response.text
    assert "Location" not in response.headers  # not sent to VK ID
    assert world.links() == []


def test_unlinked_student_is_sent_to_vkid_with_eljur_as_the_service(client, world, people) -> None:
    persona = student(world, people)
    sign_in(client, persona)
    response = client.get("eljur", f"/lessons/{lesson_id(world, 'Физика')}")
    host, path, query = location(response)
    assert (host, path, query["client_id"]) == ("id.localhost", "/authorize", "eljur")
    client.get(response.headers["Location"])
    page = client.get("vkid", "/auth").text
    assert "С сервисом «ЭлЖур» можно связать свой учебный профиль" in page
    for bullet in (
        "VK Мессенджер и VK Звонки можно использовать для учебных коммуникаций",
        "Для этого используйте учебный профиль VK ID",
        "Ваш профиль ВКонтакте никто не увидит",
    ):
        assert bullet in page
    assert world.links() == []


@pytest.mark.parametrize("subject, status", [("История", 409), ("Математика", 404)])
def test_lessons_that_are_not_online_or_not_yours_are_refused(client, world, people, subject, status) -> None:
    persona = student(world, people)
    sign_in(client, persona)
    assert client.get("eljur", f"/lessons/{lesson_id(world, subject)}").status_code == status
    assert client.get("eljur", "/lessons/999999").status_code == 404
    assert client.get("eljur", "/lessons/abc").status_code == 404
    assert client.get("eljur", "/lessons/" + "9" * 5000).status_code == 404  # beyond int() of a string


def test_second_visit_opens_the_lesson_without_relinking(client, world, people) -> None:
    persona = student(world, people, profile=True, linked="vkid")
    before = world.snapshot()
    sign_in(client, persona)
    for _ in range(2):
        response = client.get("eljur", f"/lessons/{lesson_id(world, 'Физика')}")
        assert response.status_code == 200
        assert "Онлайн-урок" in response.text and "Физика" in response.text
        assert persona.last_name in response.text
    after = world.snapshot()
    assert after["links"] == before["links"] and len(after["links"]) == 1
    assert after["profiles"] == before["profiles"]
    assert world.messages() == []
