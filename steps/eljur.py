"""ЭлЖур steps: its students and parents, «Дневник», «Онлайн-урок», and the VK ID screens of seed 003."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest
from playwright.sync_api import Locator, Page, expect
from pytest_bdd import given, parsers, then, when

from simulator.testing import Persona, Personas, SimSession
from simulator.testing.acts import Alert, Click, Group, Open, Unchanged, acts, checks
from simulator.world import PersonEntry
from simulator.world.seed.schema import GosuslugiEntry, GosuslugiLogin

from .common import WHO, Scene, button
from .vkid import vkid_password

GREEN = "rgb(46, 158, 79)"  # the «Онлайн-урок» button's colour
CLASSES = {"14 лет и старше": ("student", "9Б"), "младше 14 лет": ("child", "6А")}
# What the student already has, as the seed's three variants (and the second visit) describe it.
ACCOUNTS: dict[str, dict[str, Any]] = {
    "": {},
    "у которого есть аккаунт VK с паролем и учебный профиль": {"vkid": True, "password": True, "profile": True},
    "у которого есть аккаунт VK с паролем, но нет учебного профиля": {"vkid": True, "password": True},
    "у которого нет аккаунта VK": {},
    "который уже подключался к онлайн-уроку": {"profile": True, "linked": "vkid"},
    "чей телефон или e-mail классный руководитель не добавил в журнал": {"contact_added": False},
}


@dataclass
class Diary:
    """The ЭлЖур side of a scenario: the student, the world before, the addresses the browser asked for."""

    student: Persona | None = None
    before: dict[str, Any] = field(default_factory=dict)
    requested: list[str] = field(default_factory=list)

    @property
    def known_student(self) -> Persona:
        """The student a «Дано» step has put in the journal."""
        if self.student is None:
            raise AssertionError("no ЭлЖур student yet: a «Дано» step must add one")
        return self.student


@pytest.fixture
def diary() -> Diary:
    return Diary()


def gosuslugi(
    persona: Persona, logins: dict[str, tuple[str, str]], by: GosuslugiLogin, confirmed: bool
) -> GosuslugiEntry:
    """The persona's own Госуслуги account (seed item), remembered for the «Вход» form."""
    password = f"Gu-{persona.password}"
    logins[persona.key] = (getattr(persona, by), password)
    return {"login": by, "password": password, "confirmed": confirmed}


def _seed(sim_session: SimSession, persona: Persona, entry: PersonEntry) -> None:
    created = sim_session.seed({"people": [entry]})
    persona.ids = created["people"][persona.key]


# -- who is in the journal --------------------------------------------------------------------------


@given(
    parsers.re(
        r"ученик ЭлЖур (?P<age>14 лет и старше|младше 14 лет) с (?P<level>подтвержденной|упрощенной) учетной записью "
        r"Госуслуг(?: по (?P<by>телефону|e-mail))?(?:, (?P<accounts>.+))?$"
    )
)
def eljur_student(
    sim_session: SimSession,
    personas: Personas,
    scene: Scene,
    diary: Diary,
    gosuslugi_logins: dict[str, tuple[str, str]],
    page: Page,
    age: str,
    level: str,
    by: str | None,
    accounts: str | None,
) -> None:
    """Seeds an ЭлЖур student (9Б or 6А by age) with a Госуслуги account of this level and login and what the words list, makes them the actor and records the world."""
    kind, school_class = CLASSES[age]
    has = ACCOUNTS[accounts or ""]
    student = personas.make("student", age=kind)
    login: GosuslugiLogin = "email" if by == "e-mail" else "phone"
    entry = student.entry(
        journal="eljur",
        org=scene.school["id"],
        school_class=school_class,
        vkid=has.get("vkid", False),
        vkid_password=vkid_password(student) if has.get("password") else None,
        profile=has.get("profile", False),
        gosuslugi=gosuslugi(student, gosuslugi_logins, login, level == "подтвержденной"),
        contact_added=has.get("contact_added", True),
        linked=has.get("linked"),
    )
    _seed(sim_session, student, entry)
    page.on("request", lambda request: diary.requested.append(request.url))
    scene.actor = diary.student = student
    diary.before = sim_session.snapshot()
    scene.profiles_before = len(diary.before["profiles"])


@given("его родитель с подтвержденной учетной записью Госуслуг")
def eljur_parent(
    sim_session: SimSession,
    personas: Personas,
    scene: Scene,
    diary: Diary,
    gosuslugi_logins: dict[str, tuple[str, str]],
) -> None:
    """Seeds the student's ЭлЖур parent with a confirmed Госуслуги account by phone, makes them the actor and records the world."""
    parent = personas.make("parent")
    entry = parent.entry(
        journal="eljur",
        org=scene.school["id"],
        children=[diary.known_student.key],
        gosuslugi=gosuslugi(parent, gosuslugi_logins, "phone", True),
    )
    _seed(sim_session, parent, entry)
    scene.actor = parent
    diary.before = sim_session.snapshot()


# -- entering through Госуслуги ---------------------------------------------------------------------


@when(parsers.re(rf"(?:{WHO} )?открывает ЭлЖур и нажимает «Войти через Госуслуги»"))
@acts(Open("eljur"), Click("Войти через Госуслуги"))
def open_eljur(page: Page, sim_session: SimSession) -> None:
    """Opens ЭлЖур and clicks «Войти через Госуслуги»."""
    page.goto(sim_session.url("eljur", "/"))
    button(page, "Войти через Госуслуги").click()


@when(parsers.re(rf"(?:{WHO} )?переходит в раздел «Дневник»"))
@acts(Click("Дневник", role="link"))
def open_diary(page: Page) -> None:
    """Clicks «Дневник» in the navigation and checks its heading."""
    page.get_by_role("navigation").get_by_role("link", name="Дневник", exact=True).click()
    expect(page.get_by_role("heading", name="Дневник", exact=True)).to_be_visible()


@then(parsers.re(r"(?P<platform>ЭлЖур|Госуслуги) сообщает «(?P<text>.+)»$"))
@checks(Alert(Group("text"), platform=Group("platform")))
def eljur_says(page: Page, platform: str, text: str) -> None:
    """Checks the page's alert reads exactly this text."""
    expect(page.get_by_role("alert")).to_have_text(text)


@then("раздел «Дневник» ему недоступен")
def diary_closed(page: Page, sim_session: SimSession) -> None:
    """Opens ЭлЖур's /diary directly and checks it shows «Войти через Госуслуги» and no heading «Дневник»."""
    page.goto(sim_session.url("eljur", "/diary"))
    expect(button(page, "Войти через Госуслуги")).to_be_visible()
    expect(page.get_by_role("heading", name="Дневник")).to_have_count(0)


# -- «Дневник» and «Онлайн-урок» --------------------------------------------------------------------


def _lesson(page: Page, subject: str) -> Locator:
    return page.get_by_test_id("lesson").filter(has=page.get_by_test_id("subject").get_by_text(subject, exact=True))


@then(
    parsers.re(r"под уроком «(?P<online>[^«»]+)» зеленая кнопка «Онлайн-урок», а под уроком «(?P<other>[^«»]+)» ее нет")
)
def online_button(page: Page, online: str, other: str) -> None:
    """Checks the first lesson has a green «Онлайн-урок» button and the second is shown without one."""
    join = button(_lesson(page, online), "Онлайн-урок")
    expect(join).to_be_visible()
    expect(join).to_have_css("background-color", GREEN)
    expect(_lesson(page, other)).to_be_visible()
    expect(button(_lesson(page, other), "Онлайн-урок")).to_have_count(0)


@then("родитель видит уроки ребенка, но не кнопку «Онлайн-урок»")
def parent_diary(page: Page, diary: Diary) -> None:
    """Checks the diary names the child, shows every lesson of the child's class, no «Онлайн-урок» button, and the note about online lessons."""
    expect(page.get_by_test_id("children")).to_contain_text(diary.known_student.full_name)
    lessons = [ls for ls in diary.before["lessons"] if ls["class_id"] == _class_of(diary)]
    for lesson in lessons:
        expect(_lesson(page, lesson["subject"])).to_be_visible()
    expect(button(page, "Онлайн-урок")).to_have_count(0)
    expect(page.get_by_test_id("online-note").first).to_be_visible()


def _class_of(diary: Diary) -> str:
    return str(
        next(a["class_id"] for a in diary.before["journal_accounts"] if a["person_id"] == diary.known_student.key)
    )


@when(parsers.re(rf"(?:{WHO} )?открывает адрес онлайн-урока «(?P<subject>[^«»]+)» напрямую"))
def open_lesson_url(page: Page, sim_session: SimSession, diary: Diary, subject: str) -> None:
    """Opens the address of the student's class's lesson in this subject (/lessons/<id>) directly in the browser."""
    lesson = next(
        ls for ls in diary.before["lessons"] if ls["subject"] == subject and ls["class_id"] == _class_of(diary)
    )
    page.goto(sim_session.url("eljur", f"/lessons/{lesson['id']}"))


@then(parsers.re(r"открывается онлайн-урок «(?P<subject>[^«»]+)» в его учебном профиле"))
def lesson_opens(page: Page, sim_session: SimSession, scene: Scene, subject: str) -> None:
    """Checks the page «Онлайн-урок» at ЭлЖур's /lessons/ shows the subject and the actor's last and first name as the profile."""
    expect(page.get_by_role("heading", name="Онлайн-урок", exact=True)).to_be_visible()
    expect(page.get_by_test_id("lesson-subject")).to_have_text(subject)
    expect(page.get_by_test_id("lesson-profile")).to_contain_text(f"{scene.person.last_name} {scene.person.first_name}")
    assert page.url.startswith(sim_session.url("eljur", "/lessons/"))


# -- what the world now holds -----------------------------------------------------------------------


@then("экраны VK ID не открывались")
def no_vkid(sim_session: SimSession, diary: Diary) -> None:
    """Checks the browser requested pages but none of VK ID's, and the simulator sent no message."""
    vkid = sim_session.url("vkid", "/")
    assert diary.requested and not [url for url in diary.requested if url.startswith(vkid)]
    assert sim_session.messages() == []


@then("новая привязка и новый учебный профиль не созданы")
def nothing_new(sim_session: SimSession, diary: Diary) -> None:
    """Checks the world: links, profiles and VK ID accounts are as they were when the person was seeded."""
    world = sim_session.snapshot()
    assert world["links"] == diary.before["links"]
    assert world["profiles"] == diary.before["profiles"]
    assert world["vkid_accounts"] == diary.before["vkid_accounts"]


@then(parsers.re(r"учетн(?:ая запись|ые записи) ЭлЖур не привязан[аы], учебный профиль не создан"))
@checks(Unchanged(("linked", "profile_created"), journal="eljur"))
def nothing_linked(sim_session: SimSession, diary: Diary) -> None:
    """Checks the world holds no link (nor did it before), and profiles and VK ID accounts are as they were when seeded."""
    world = sim_session.snapshot()
    assert world["links"] == [] and diary.before["links"] == []
    assert world["profiles"] == diary.before["profiles"]
    assert world["vkid_accounts"] == diary.before["vkid_accounts"]
