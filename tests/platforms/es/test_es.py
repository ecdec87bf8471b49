"""ЭШ: which menu tabs a diary account sees, and what the tab «Сферум» lists as time passes."""

from __future__ import annotations

import re
from collections.abc import Iterator
from html import unescape
from urllib.parse import parse_qs, urlparse

import httpx
import pytest

from simulator import SimulatorServer
from simulator.testing import Personas, SimSession, Simulator
from simulator.world import links
from simulator.world.seed import OrganisationEntry

ORG: OrganisationEntry = {
    "id": 216590012,
    "name": "Школа №12",
    "classes": ["10А", "6В"],
    "lessons": [
        {"class": "10А", "subject": "Физика", "starts_at": "2024-10-16T09:00:00+03:00", "online": True},
        {"class": "10А", "subject": "Литература", "starts_at": "2024-10-16T10:00:00+03:00", "online": False},
        {"class": "10А", "subject": "История", "starts_at": "2024-10-16T11:00:00+03:00", "online": True},
        {"class": "6В", "subject": "Русский язык", "starts_at": "2024-10-16T09:00:00+03:00", "online": True},
    ],
}


@pytest.fixture
def session(server: SimulatorServer) -> Iterator[SimSession]:
    simulator = Simulator(server.url)
    session = simulator.new_session(seed=4)
    session.seed({"organisations": [ORG]})
    yield session
    session.delete()
    simulator.close()


class Diary:
    """One browser of ЭШ: its own cookies, every request in the test session."""

    def __init__(self, server: SimulatorServer, session: SimSession) -> None:
        self.http = httpx.Client(
            base_url=server.url, headers={"Host": "es.localhost", "X-Sim-Session": session.key}, timeout=10
        )

    def sign_in(self, login: str, password: str) -> httpx.Response:
        response = self.http.post("/", data={"login": login, "password": password})
        assert response.status_code == 303, response.text
        return self.http.get("/diary")

    def get(self, path: str) -> httpx.Response:
        return self.http.get(path)


def tabs(page: httpx.Response) -> list[str]:
    menu = re.search(r'<nav class="tabs" aria-label="Меню">(.*?)</nav>', page.text, re.S)
    assert menu, "no menu on the page"
    return [unescape(t).strip() for t in re.findall(r"<a [^>]*>([^<]*)</a>", menu.group(1))]


def items(page: httpx.Response, testid: str) -> list[str]:
    found = re.findall(rf'<li data-testid="{testid}">(.*?)</li>', page.text, re.S)
    parts = r"<(?:span|a)[^>]*>([^<]*)</(?:span|a)>"  # a chat's title is a link to it
    return [" | ".join(unescape(t).strip() for t in re.findall(parts, li)) for li in found]


def seed_person(session: SimSession, personas: Personas, role: str, **entry) -> tuple:
    person = personas.make(role)
    created = session.seed({"people": [person.entry(journal="es", org=ORG["id"], **entry)]})
    return person, created["people"][person.key]


def link(server: SimulatorServer, session: SimSession, account_id: str, profile_id: int) -> None:
    """Link as the callback does, at the session's current time (the chats come later)."""

    def run() -> None:
        world = server.world.get(session.key)
        links.link(world, world.journal_accounts[account_id], world.profiles[profile_id], via="vkid")

    server.call(run)


def test_student_sees_authorisation_tab_until_linked(server, session) -> None:
    personas = Personas(1)
    student, ids = seed_person(session, personas, "student", school_class="10А", vkid=True, profile=True)
    diary = Diary(server, session)
    assert tabs(diary.sign_in(student.login, student.password)) == ["Дневник", "Авторизация в Сферум"]
    assert diary.get("/sferum").headers["location"] == "/diary"  # no «Сферум» before the link
    link(server, session, ids["journal_account"], ids["profile_id"])
    assert tabs(diary.get("/diary")) == ["Дневник", "Сферум"]
    again = diary.http.get("/sferum/authorize")
    assert again.status_code == 303 and again.headers["location"] == "/sferum"


def test_authorisation_tab_starts_vkid_for_electronic_school(server, session) -> None:
    student, _ = seed_person(session, Personas(2), "student", school_class="10А")
    diary = Diary(server, session)
    diary.sign_in(student.login, student.password)
    response = diary.http.get("/sferum/authorize")
    assert response.status_code == 303
    target = urlparse(response.headers["location"])
    query = parse_qs(target.query)
    assert (target.hostname, target.path) == ("id.localhost", "/authorize")
    assert query["client_id"] == ["es_sferum"]
    assert query["redirect_uri"][0].endswith(f"es.localhost:{server.port}/sferum/callback")
    assert session.snapshot()["links"] == []


def test_teacher_links_and_gets_the_sferum_tab_too(server, session) -> None:
    """Seed 004: chats «с учениками, учителями и родителями» — a teacher has the same tabs as a student."""
    teacher, ids = seed_person(session, Personas(3), "teacher", school_class="10А", vkid=True, profile=True)
    diary = Diary(server, session)
    assert tabs(diary.sign_in(teacher.login, teacher.password)) == ["Дневник", "Авторизация в Сферум"]
    started = diary.get("/sferum/authorize")
    assert started.status_code == 303 and urlparse(started.headers["location"]).hostname == "id.localhost"
    link(server, session, ids["journal_account"], ids["profile_id"])
    assert tabs(diary.get("/diary")) == ["Дневник", "Сферум"]
    assert diary.get("/sferum").status_code == 200


def test_chats_appear_once_built(server, session) -> None:
    personas = Personas(5)
    classmates = [personas.make("student") for _ in range(3)]
    session.seed(
        {
            "people": [
                p.entry(journal="es", org=ORG["id"], school_class="10А", vkid=True, profile=True, linked="vkid")
                for p in classmates
            ]
        }
    )
    student, ids = seed_person(session, personas, "student", school_class="10А", vkid=True, profile=True)
    diary = Diary(server, session)
    diary.sign_in(student.login, student.password)
    link(server, session, ids["journal_account"], ids["profile_id"])

    page = diary.get("/sferum")
    assert "Чаты создаются" in page.text
    assert items(page, "chat") == []
    assert items(page, "conference") == [
        "Физика · 10А | 16.10.2024 09:00–09:45 · Идёт сейчас",
        "История · 10А | 16.10.2024 11:00–11:45",
    ]

    session.advance(4 * 60 + 59)
    assert items(diary.get("/sferum"), "chat") == []
    session.advance(1)
    page = diary.get("/sferum")
    assert "Чаты создаются" not in page.text
    assert items(page, "chat") == [
        "Школа №12 · Объявления | 4 подписчика · Информационный канал",
        "10А · Общая беседа | 4 участника",
    ]
    assert "Чаты 2" in page.text


def test_parent_sees_children_classes(server, session) -> None:
    personas = Personas(6)
    child = personas.make("student", age="child")
    parent = personas.make("parent")
    created = session.seed(
        {
            "people": [
                child.entry(journal="es", org=ORG["id"], school_class="6В"),
                parent.entry(journal="es", org=ORG["id"], children=[child.key], vkid=True, profile=True),
            ]
        }
    )
    ids = created["people"][parent.key]
    diary = Diary(server, session)
    page = diary.sign_in(parent.login, parent.password)
    assert tabs(page) == ["Дневник", "Авторизация в Сферум"]
    assert f"{child.full_name}, 6В класс" in unescape(page.text)
    link(server, session, ids["journal_account"], ids["profile_id"])
    session.advance(5 * 60)
    page = diary.get("/sferum")
    assert items(page, "chat") == [
        "Школа №12 · Объявления | 1 подписчик · Информационный канал",
        "6В · Общая беседа | 1 участник",
    ]
    assert items(page, "conference") == ["Русский язык · 6В | 16.10.2024 09:00–09:45 · Идёт сейчас"]


def test_refused_sign_in_links_nothing(server, session) -> None:
    student, _ = seed_person(session, Personas(7), "student", school_class="10А", vkid=True, profile=True)
    diary = Diary(server, session)
    diary.sign_in(student.login, student.password)
    state = parse_qs(urlparse(diary.http.get("/sferum/authorize").headers["location"]).query)["state"][0]
    page = diary.get(f"/sferum/callback?error=access_denied&state={state}")
    assert page.status_code == 400
    assert "Вход через VK ID не выполнен. Попробуйте ещё раз." in page.text
    assert tabs(page) == ["Дневник", "Авторизация в Сферум"]
    forged = diary.get("/sferum/callback?code=abc&state=forged")  # no sign-in under way any more
    assert forged.status_code == 400
    assert session.snapshot()["links"] == []
