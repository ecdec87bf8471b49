"""ЭлЖур steps: its students and parents, «Дневник», «Онлайн-урок», and the VK ID screens of seed 003."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Locator, Page, expect
from pytest_bdd import given, parsers, then, when

from simulator import SESSION_HEADER
from simulator.testing import Persona, Personas, SimSession
from simulator.testing.acts import (
    Alert,
    By,
    Click,
    Fill,
    Gained,
    Group,
    Open,
    Screen,
    Shows,
    Subject,
    Text,
    Unchanged,
    Where,
    acts,
    checks,
)
from simulator.world import PersonEntry
from simulator.world.seed.schema import GosuslugiEntry, GosuslugiLogin

from .common import WHO, Scene, button
from .failures import fail, first, known, the_only
from .gosuslugi import ELJUR_THROUGH_GOSUSLUGI, gosuslugi_login_screen
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
    """The ЭлЖур side of a scenario: the student, the world before, the addresses the browser asked for,
    and the class teacher with their own browser."""

    student: Persona | None = None
    before: dict[str, Any] = field(default_factory=dict)
    requested: list[str] = field(default_factory=list)
    teacher: Persona | None = None
    teacher_page: Page | None = None

    @property
    def class_teacher(self) -> Persona:
        """The class teacher a «Дано» step has put in the journal."""
        if self.teacher is None:
            fail("классный руководитель в журнале", "его ещё не добавил шаг «Дано классный руководитель …»")
        return self.teacher

    @property
    def teacher_browser(self) -> Page:
        """The class teacher's own browser page, once they have signed in."""
        if self.teacher_page is None:
            fail("браузер классного руководителя", "классный руководитель ещё не входил в ЭлЖур")
        return self.teacher_page

    @property
    def known_student(self) -> Persona:
        """The student a «Дано» step has put in the journal."""
        if self.student is None:
            fail("ученик ЭлЖур в журнале", "его ещё не добавил шаг «Дано ученик ЭлЖур …»")
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
    has = known(ACCOUNTS, accounts or "", "у ученика ЭлЖур —")
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
    scene.cast(student)
    diary.student = student
    diary.before = sim_session.snapshot()
    scene.profiles_before = len(diary.before["profiles"])


@given(
    parsers.re(
        r"ученик ЭлЖур (?P<age>14 лет и старше|младше 14 лет) без учетной записи Госуслуг"
        r"(?P<added>, чей телефон классный руководитель уже добавил в журнал)?$"
    )
)
def eljur_student_without_gosuslugi(
    sim_session: SimSession, personas: Personas, scene: Scene, diary: Diary, page: Page, age: str, added: str | None
) -> None:
    """Seeds an ЭлЖур student (9Б or 6А by age) with no Госуслуги account, their phone in the journal only if the words say so, makes them the actor and records the world."""
    kind, school_class = CLASSES[age]
    student = personas.make("student", age=kind)
    entry = student.entry(journal="eljur", org=scene.school["id"], school_class=school_class, contact_added=bool(added))
    _seed(sim_session, student, entry)
    page.on("request", lambda request: diary.requested.append(request.url))
    scene.actor = diary.student = student
    diary.before = sim_session.snapshot()
    scene.profiles_before = len(diary.before["profiles"])


@given("классный руководитель его класса с подтвержденной учетной записью Госуслуг")
def eljur_class_teacher(
    sim_session: SimSession,
    personas: Personas,
    scene: Scene,
    diary: Diary,
    gosuslugi_logins: dict[str, tuple[str, str]],
) -> None:
    """Seeds the ЭлЖур class teacher of the student's class, with a confirmed Госуслуги account by phone; the student stays the actor."""
    teacher = personas.make("teacher")
    entry = teacher.entry(
        journal="eljur",
        org=scene.school["id"],
        school_class=_class_name(diary),
        gosuslugi=gosuslugi(teacher, gosuslugi_logins, "phone", True),
    )
    _seed(sim_session, teacher, entry)
    diary.teacher = teacher
    diary.before = sim_session.snapshot()


def _class_name(diary: Diary) -> str:
    """The student's class as the journal names it («6А»)."""
    class_id = _class_of(diary)
    classes = diary.before["classes"]
    return str(first((c["name"] for c in classes if c["id"] == class_id), "класс ученика в школе", "такого класса нет"))


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
    scene.cast(parent)
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
@checks(Screen("eljur-diary", present=("children", "online-note")))
def parent_diary(page: Page, diary: Diary) -> None:
    """Checks the diary names the child, shows every lesson of the child's class, no «Онлайн-урок» button, and the note about online lessons."""
    expect(page.get_by_test_id("children")).to_contain_text(diary.known_student.full_name)
    lessons = [ls for ls in diary.before["lessons"] if ls["class_id"] == _class_of(diary)]
    for lesson in lessons:
        expect(_lesson(page, lesson["subject"])).to_be_visible()
    expect(button(page, "Онлайн-урок")).to_have_count(0)
    expect(page.get_by_test_id("online-note").first).to_be_visible()


def _class_of(diary: Diary) -> str:
    student = diary.known_student
    accounts = diary.before["journal_accounts"]
    return str(
        first(
            (a["class_id"] for a in accounts if a["person_id"] == student.key),
            f"учетная запись ЭлЖур ученика {student.full_name}",
            "её нет в журнале",
        )
    )


@when(parsers.re(rf"(?:{WHO} )?открывает адрес онлайн-урока «(?P<subject>[^«»]+)» напрямую"))
@acts(Open("eljur", "/lessons/{subject}", records={"subject": ("lessons", "subject")}))
def open_lesson_url(page: Page, sim_session: SimSession, diary: Diary, subject: str) -> None:
    """Opens the address of the student's class's lesson in this subject (/lessons/<id>) directly in the browser."""
    class_id = _class_of(diary)
    lessons = [ls for ls in diary.before["lessons"] if ls["class_id"] == class_id]
    lesson = first(
        (ls for ls in lessons if ls["subject"] == subject),
        f"урок «{subject}» в расписании класса ученика",
        "в расписании только " + ", ".join(sorted({f"«{ls['subject']}»" for ls in lessons})),
    )
    page.goto(sim_session.url("eljur", f"/lessons/{lesson['id']}"))


@then(parsers.re(r"открывается онлайн-урок «(?P<subject>[^«»]+)» в его учебном профиле"))
@checks(Screen("eljur-lesson", reads={"subject": "lesson-subject"}))
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
@checks(Unchanged(("linked", "profile_created"), journal="eljur", screens=("login",), refused=False))
def nothing_linked(sim_session: SimSession, diary: Diary) -> None:
    """Checks the world holds no link (nor did it before), and profiles and VK ID accounts are as they were when seeded."""
    world = sim_session.snapshot()
    assert world["links"] == [] and diary.before["links"] == []
    assert world["profiles"] == diary.before["profiles"]
    assert world["vkid_accounts"] == diary.before["vkid_accounts"]


# -- «Мой класс»: the class teacher, in their own browser ---------------------------------------------

CLASS_TEACHER = By("классный руководитель")  # the class teacher's own browser (diary.teacher_page)


@when("классный руководитель входит в ЭлЖур через Госуслуги")
@acts(*ELJUR_THROUGH_GOSUSLUGI, by=CLASS_TEACHER)
def class_teacher_signs_in(
    new_context: Callable[..., BrowserContext],
    sim_session: SimSession,
    diary: Diary,
    gosuslugi_logins: dict[str, tuple[str, str]],
) -> None:
    """Opens ЭлЖур in the class teacher's own browser, «Войти через Госуслуги», signs in with their Госуслуги login and checks «Дневник»."""
    if diary.teacher_page is None:
        context = new_context(
            extra_http_headers={SESSION_HEADER: sim_session.key}, locale="ru-RU", timezone_id="Europe/Moscow"
        )
        diary.teacher_page = context.new_page()
    page = diary.teacher_browser
    page.goto(sim_session.url("eljur", "/"))
    button(page, "Войти через Госуслуги").click()
    gosuslugi_login_screen(page)
    login, password = gosuslugi_logins[diary.class_teacher.key]
    page.get_by_label("Телефон / Email / СНИЛС", exact=True).fill(login)
    page.get_by_label("Пароль", exact=True).fill(password)
    page.get_by_role("button", name="Войти", exact=True).click()
    expect(page.get_by_role("heading", name="Дневник", exact=True)).to_be_visible()


@when("классный руководитель открывает раздел «Мой класс»")
@acts(Click("Мой класс", role="link", within="Разделы"), by=CLASS_TEACHER)
def open_class(diary: Diary) -> None:
    """Clicks «Мой класс» in the class teacher's navigation and checks the heading names the student's class."""
    page = diary.teacher_browser
    page.get_by_role("navigation", name="Разделы").get_by_role("link", name="Мой класс", exact=True).click()
    expect(page.get_by_role("heading", name=f"Мой класс: {_class_name(diary)}", exact=True)).to_be_visible()


def _student_row(diary: Diary) -> Locator:
    page = diary.teacher_browser
    name = diary.known_student.full_name
    return page.get_by_test_id("student").filter(has=page.get_by_test_id("student-name").get_by_text(name, exact=True))


@then(parsers.re(r"в списке класса у ученика написано «(?P<text>[^«»]+)»"))
@checks(Text("contact", Group("text")), by=CLASS_TEACHER)
def class_list_says(diary: Diary, text: str) -> None:
    """Checks the student's row in «Мой класс» says exactly this about their phone or e-mail."""
    expect(_student_row(diary).get_by_test_id("contact")).to_have_text(text)


@when(parsers.re(r"классный руководитель вводит (?P<by>телефон|e-mail) ученика и нажимает «Сохранить»"))
@acts(
    Fill("Телефон или e-mail ученика", Subject("phone")),
    Click("Сохранить", role="button"),
    values={"by": "телефон"},
    by=CLASS_TEACHER,
)
@acts(
    Fill("Телефон или e-mail ученика", Subject("email")),
    Click("Сохранить", role="button"),
    values={"by": "e-mail"},
    by=CLASS_TEACHER,
)
def class_teacher_adds(diary: Diary, by: str) -> None:
    """Types the phone (as the seed writes numbers, «+7 199 111-11-11») or e-mail the student registered with into «Телефон или e-mail ученика» in their row, and clicks «Сохранить» there."""
    student = diary.known_student
    row = _student_row(diary)
    row.get_by_label("Телефон или e-mail ученика", exact=True).fill(
        seed_phone(student.phone) if by == "телефон" else student.email
    )
    row.get_by_role("button", name="Сохранить", exact=True).click()


def seed_phone(phone: str) -> str:
    """+71991111111 as seed 003 prints a number: «+7 199 111-11-11» (a rule of the test, not the simulator's)."""
    d = phone.removeprefix("+7")
    return f"+7 {d[:3]} {d[3:6]}-{d[6:8]}-{d[8:]}"


@then(parsers.re(r"ЭлЖур сообщает классному руководителю, что (?P<by>телефон|e-mail) ученика добавлен в журнал"))
# The notice names the student and what was added: said by whose it is, a phone shown as «+7 …» (the phone's case
# says all the e-mail's does, and more, so only one of them is proposed).
@checks(
    Where(("eljur-class",), {"by": "телефон"}),
    Shows("добавлен в журнал:"),
    Shows("добавлен в журнал: +7"),
    by=CLASS_TEACHER,
)
@checks(Where(("eljur-class",), {"by": "e-mail"}), Shows("добавлен в журнал:"), by=CLASS_TEACHER)
def class_teacher_told(diary: Diary, by: str) -> None:
    """Checks the class teacher's notice names the student and the phone (as the seed prints numbers) or e-mail, and the row shows it."""
    student = diary.known_student
    shown = seed_phone(student.phone) if by == "телефон" else student.email
    page = diary.teacher_browser
    expect(page.get_by_role("status")).to_have_text(
        f"Телефон или e-mail ученика {student.full_name} добавлен в журнал: {shown}."
    )
    expect(_student_row(diary).get_by_test_id("contact")).to_have_text(f"Телефон или e-mail для входа: {shown}")


@then(parsers.re(r"в журнале у ученика записан (?:телефон|e-mail), с которым он зарегистрировался на Госуслугах"))
@checks(Gained("contact_added"))
def contact_stored(sim_session: SimSession, diary: Diary) -> None:
    """Checks the world: the student's ЭлЖур account holds as its contact the login of their own Госуслуги account."""
    world = sim_session.snapshot()
    student = diary.known_student
    account = the_only(
        (a for a in world["journal_accounts"] if a["person_id"] == student.key and a["journal"] == "eljur"),
        "одна учетная запись ЭлЖур ученика",
        "учетных записей ЭлЖур",
    )
    gosuslugi_account = the_only(
        (a for a in world["gosuslugi_accounts"] if a["person_id"] == student.key),
        "одна учетная запись Госуслуг ученика",
        "учетных записей Госуслуг",
    )
    assert account["contact"] == gosuslugi_account["login"] in (student.phone, student.email)
