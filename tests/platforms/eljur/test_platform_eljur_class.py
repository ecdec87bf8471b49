"""ЭлЖур's «Мой класс» (seed 003): the class teacher adds the phone or e-mail a student registered with on
Госуслуги to the journal, and only then the student gets in; and the entry refusals in the seed's words."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

import httpx
import pytest

from simulator import SimulatorServer
from simulator.platforms.eljur import rules
from simulator.testing import Persona, Personas, SimSession
from tests.support.http_browser import HttpBrowser, location
from tests.support.sim_schools import LYCEUM, school_session

PASSWORD = "Gos-pass-2024"
SCHOOL = LYCEUM
# Seed 003, word for word: why a student of 14 or more with a simplified account cannot get in.
SEED_003_ADULTS = (
    "Дети после 14 лет должны подтвердить свою учетную запись на Госуслугах как взрослые, то есть через МФЦ или "
    "если есть личная дебетовая карта Сбербанка или Открытия в онлайн-банкинге."
)


@pytest.fixture
def world(server: SimulatorServer) -> Iterator[SimSession]:
    with school_session(server, seed=8) as session:
        yield session


@pytest.fixture
def people() -> Personas:
    return Personas(8)


def browser(server: SimulatorServer, world: SimSession) -> HttpBrowser:
    return HttpBrowser(server, world.key)


@pytest.fixture
def teacher_browser(server: SimulatorServer, world: SimSession) -> Iterator[HttpBrowser]:
    client = browser(server, world)
    yield client
    client.close()


@pytest.fixture
def student_browser(server: SimulatorServer, world: SimSession) -> Iterator[HttpBrowser]:
    client = browser(server, world)
    yield client
    client.close()


def seed(world: SimSession, persona: Persona, **entry) -> Persona:
    entry.setdefault("gosuslugi", {"login": "phone", "password": PASSWORD, "confirmed": True})
    persona.ids = world.seed({"people": [persona.entry(journal="eljur", org=SCHOOL["id"], **entry)]})["people"][
        persona.key
    ]
    return persona


def sign_in(client: HttpBrowser, login: str) -> httpx.Response:
    client.get(client.post("eljur", "/login").headers["Location"])
    back = client.post("gosuslugi", "/login", data={"login": login, "password": PASSWORD})
    return client.get(back.headers["Location"])


def text(page: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


@pytest.fixture
def class_teacher(world: SimSession, people: Personas, teacher_browser: HttpBrowser) -> Persona:
    """The 6А class teacher, signed in to ЭлЖур in their own browser."""
    teacher = seed(world, people.make("teacher"), school_class="6А")
    assert location(sign_in(teacher_browser, teacher.phone))[1] == "/diary"
    return teacher


@pytest.fixture
def child(world: SimSession, people: Personas) -> Persona:
    """A 6А student under 14 with a simplified Госуслуги account by phone; the journal has no contact of theirs."""
    return seed(
        world,
        people.make("student", age="child"),
        school_class="6А",
        contact_added=False,
        gosuslugi={"login": "phone", "password": PASSWORD, "confirmed": False},
    )


def contact_of(world: SimSession, persona: Persona) -> str | None:
    return next(a["contact"] for a in world.snapshot()["journal_accounts"] if a["person_id"] == persona.key)


def add(client: HttpBrowser, persona: Persona, value: str) -> httpx.Response:
    return client.post("eljur", f"/class/students/{persona.ids['journal_account']}/contact", data={"contact": value})


def test_the_class_teacher_adds_the_phone_and_then_the_student_gets_in(
    world, people, class_teacher, teacher_browser, student_browser, child
) -> None:
    refused = sign_in(student_browser, child.phone)
    assert refused.status_code == 403 and rules.CONTACT_MISSING in html.unescape(refused.text)
    other_class = seed(world, people.make("student"), school_class="9Б")
    diary = teacher_browser.get("eljur", "/diary").text
    assert '<a href="/class">Мой класс</a>' in diary
    page = teacher_browser.get("eljur", "/class")
    assert page.status_code == 200 and "Мой класс: 6А" in page.text
    shown = text(page.text)
    assert child.full_name in shown and other_class.full_name not in shown
    assert "Телефон или e-mail не добавлен" in shown
    typed = f"8 ({child.phone[2:5]}) {child.phone[5:8]}-{child.phone[8:10]}-{child.phone[10:]}"
    assert location(add(teacher_browser, child, typed))[1] == "/class"
    assert contact_of(world, child) == child.phone  # stored as Госуслуги logins are
    after = text(teacher_browser.get("eljur", "/class").text)
    formatted = f"+7 {child.phone[2:5]} {child.phone[5:8]}-{child.phone[8:10]}-{child.phone[10:]}"
    assert f"Телефон или e-mail ученика {child.full_name} добавлен в журнал: {formatted}." in after
    assert f"Телефон или e-mail для входа: {formatted}" in after
    assert location(sign_in(student_browser, child.phone))[1] == "/diary"
    assert "Математика" in student_browser.get("eljur", "/diary").text


def test_a_student_known_only_by_the_contact_gets_in(world, people, class_teacher, teacher_browser, student_browser):
    """The Госуслуги account of someone the journal knows under another record: the contact decides."""
    registered = people.make("student", age="child")
    world.seed({"people": [registered.entry(journal=None, gosuslugi={"login": "email", "password": PASSWORD})]})
    in_journal = seed(
        world, people.make("student", age="child"), school_class="6А", contact_added=False, gosuslugi=None
    )
    assert sign_in(student_browser, registered.email).status_code == 403
    add(teacher_browser, in_journal, registered.email)
    assert location(sign_in(student_browser, registered.email))[1] == "/diary"
    assert in_journal.full_name in student_browser.get("eljur", "/diary").text


@pytest.mark.parametrize(
    "value, message",
    [
        ("", "Заполните это поле"),
        ("   ", "Заполните это поле"),
        ("+7 999 12", "Неверный формат номера телефона. Пример: +7 999 123-45-67"),
        ("ivan@", "Неверный формат электронной почты. Пример: name@example.ru"),
        ("<script>alert(1)</script>@mail.ru", "Неверный формат электронной почты. Пример: name@example.ru"),
        ("x" * 300 + "@mail.ru", "Неверный формат электронной почты. Пример: name@example.ru"),
    ],
)
def test_bad_input_is_refused_in_russian_and_nothing_stored(
    world, class_teacher, teacher_browser, child, value, message
) -> None:
    response = add(teacher_browser, child, value)
    assert response.status_code == 422
    field = f"contact-{child.ids['journal_account']}"
    error = re.search(rf'id="{field}-error"[^>]*>([^<]+)<', response.text)
    assert error is not None and html.unescape(error.group(1)) == message
    assert f'aria-describedby="{field}-error"' in response.text
    assert "<script>alert" not in response.text  # shown escaped
    assert contact_of(world, child) is None


def test_a_contact_of_another_student_is_refused(world, people, class_teacher, teacher_browser, child) -> None:
    classmate = seed(world, people.make("student", age="child"), school_class="6А")
    response = add(teacher_browser, child, classmate.phone)
    assert response.status_code == 422 and "уже добавлен в журнал другому ученику" in response.text
    assert contact_of(world, child) is None and contact_of(world, classmate) == classmate.phone


@pytest.mark.parametrize("student_id", ["nobody", "eljur-" + "x" * 500, "%3Cb%3E"])
def test_an_unknown_student_is_not_found(world, class_teacher, teacher_browser, student_id) -> None:
    response = teacher_browser.post("eljur", f"/class/students/{student_id}/contact", data={"contact": "+79990000000"})
    assert response.status_code == 404 and "Ученик не найден в вашем классе." in response.text
    assert all(a["contact"] != "+79990000000" for a in world.snapshot()["journal_accounts"])


def test_another_classes_student_is_not_found(world, people, class_teacher, teacher_browser) -> None:
    other = seed(world, people.make("student"), school_class="9Б", contact_added=False)
    response = add(teacher_browser, other, "+79990000000")
    assert response.status_code == 404 and contact_of(world, other) is None


@pytest.mark.parametrize("who", ["student", "parent", "teacher without a class"])
def test_only_a_class_teacher_may_open_the_class(world, people, server, child, who) -> None:
    if who == "parent":
        persona = seed(world, people.make("parent"), children=[child.key])
    elif who == "student":
        persona = seed(world, people.make("student"), school_class="9Б")
    else:
        persona = seed(world, people.make("teacher"))
    client = browser(server, world)
    try:
        assert location(sign_in(client, persona.phone))[1] == "/diary"
        assert "Мой класс</a>" not in client.get("eljur", "/diary").text
        for response in (client.get("eljur", "/class"), add(client, child, "+79990000000")):
            assert response.status_code == 403
            assert "Раздел «Мой класс» доступен только классному руководителю." in html.unescape(response.text)
        assert contact_of(world, child) is None
    finally:
        client.close()


def test_the_class_needs_a_signed_in_teacher(world, server, child) -> None:
    client = browser(server, world)
    try:
        assert location(client.get("eljur", "/class"))[1] == "/"
        assert location(add(client, child, "+79990000000"))[1] == "/"
        assert contact_of(world, child) is None
    finally:
        client.close()


def test_a_student_of_14_with_a_simplified_account_is_refused_in_the_seeds_words(world, people, server) -> None:
    persona = seed(
        world,
        people.make("student"),
        school_class="9Б",
        gosuslugi={"login": "phone", "password": PASSWORD, "confirmed": False},
    )
    client = browser(server, world)
    try:
        refused = sign_in(client, persona.phone)
        assert refused.status_code == 403
        assert SEED_003_ADULTS in html.unescape(refused.text)
        assert "МФЦ" in rules.NOT_CONFIRMED and SEED_003_ADULTS in rules.NOT_CONFIRMED
    finally:
        client.close()
