"""ЭШ (АИС «Электронная школа») steps: its students and parents, the diary's menu and the tab «Сферум»."""

from __future__ import annotations

from playwright.sync_api import Locator, Page, expect
from pytest_bdd import given, parsers, then, when

from simulator.testing import Personas, SimSession
from simulator.testing.acts import (
    CODE,
    Actor,
    Click,
    Fill,
    Group,
    Joined,
    Notice,
    Open,
    Reload,
    Screen,
    Table,
    Where,
    acts,
    checks,
)
from simulator.world import PersonEntry

from .common import WHO, Scene, _links_of, code_of, read_code
from .failures import fail, known, number, the_only
from .vkid import enter_vkid_password, vkid_password

ROLES = {"ученик": "student", "родитель": "parent", "учитель": "teacher"}
ACCOUNTS = {
    "у которого есть VK ID с паролем и учебный профиль Сферум": {"vkid": True, "password": True, "profile": True},
    "у которого есть VK ID с паролем, но нет учебного профиля Сферум": {"vkid": True, "password": True},
    "у которого нет аккаунта VK ID": {},
}
IN_CHATS = r"его учебный профиль добавлен в информационный канал школы «(?P<channel>[^«»]+)» и в чат «(?P<chat>[^«»]+)»"
LINKED = "Авторизация в Сферум выполнена: учебный профиль привязан к вашей учетной записи ЭШ."


def _menu(page: Page) -> Locator:
    return page.get_by_role("navigation", name="Меню")


# -- the world ------------------------------------------------------------------------------------


@given(parsers.re(r"(?P<who>ученик|родитель|учитель) ЭШ, (?P<accounts>у которого .+)$"))
def es_user(sim_session: SimSession, personas: Personas, scene: Scene, who: str, accounts: str) -> None:
    """A diary account in the school's first class; a parent's child is in that class."""
    wants = known(ACCOUNTS, accounts, f"у {'родителя' if who == 'родитель' else who + 'а'} ЭШ —")
    org, school_class = scene.school["id"], scene.school["classes"][0]
    people: list[PersonEntry] = []
    children: list[str] = []
    if who == "родитель":
        child = personas.make("student")
        people.append(child.entry(journal="es", org=org, school_class=school_class))
        children.append(child.key)
    person = personas.make(ROLES[who])
    people.append(
        person.entry(
            journal="es",
            org=org,
            school_class=None if children else school_class,
            children=children,
            vkid=wants.get("vkid", False),
            vkid_password=vkid_password(person) if wants.get("password") else None,
            profile=wants.get("profile", False),
        )
    )
    person.ids = sim_session.seed({"people": people})["people"][person.key]
    scene.cast(person)
    scene.profiles_before = len(sim_session.snapshot("profiles")["profiles"])


@given("в Сферуме уже общаются ученики школы:")
def classmates_linked(sim_session: SimSession, personas: Personas, scene: Scene, datatable: list[list[str]]) -> None:
    """Students of the school linked earlier: their chats exist, so they count as members and subscribers."""
    people = [
        personas.make("student").entry(
            journal="es", org=scene.school["id"], school_class=school_class, vkid=True, profile=True, linked="vkid"
        )
        for school_class, how_many in datatable[1:]
        for _ in range(number(how_many, f"число учеников класса «{school_class}»"))
    ]
    sim_session.seed({"people": people})
    scene.profiles_before = len(sim_session.snapshot("profiles")["profiles"])


# -- the diary ------------------------------------------------------------------------------------


@when(parsers.re(rf"{WHO} входит в электронный дневник"))
@acts(
    Open("es"),
    Fill("Логин", Actor("login")),
    Fill("Пароль", Actor("password")),
    Click("Войти", role="button"),
)
def sign_in(page: Page, sim_session: SimSession, scene: Scene) -> None:
    """Opens ЭШ, signs in with the actor's login and password and checks the heading «Электронный дневник»."""
    page.goto(sim_session.url("es", "/"))
    page.get_by_label("Логин").fill(scene.person.login)
    page.get_by_label("Пароль").fill(scene.person.password)
    page.get_by_role("button", name="Войти").click()
    expect(page.get_by_role("heading", name="Электронный дневник")).to_be_visible()


@then(parsers.re(r"в меню ЭШ есть вкладка «(?P<shown>[^«»]+)», а вкладки «(?P<hidden>[^«»]+)» нет"))
def menu_tabs(page: Page, shown: str, hidden: str) -> None:
    """Checks the ЭШ menu shows the first tab and has no tab named as the second."""
    expect(_menu(page).get_by_role("link", name=shown, exact=True)).to_be_visible()
    expect(_menu(page).get_by_role("link", name=hidden, exact=True)).to_have_count(0)


@when(parsers.re(rf"(?:{WHO} )?нажимает на вкладку меню «(?P<tab>[^«»]+)»"))
@acts(Click(Group("tab"), role="link", within="Меню"))
def open_tab(page: Page, tab: str) -> None:
    """Clicks the tab of this name in the ЭШ menu."""
    _menu(page).get_by_role("link", name=tab, exact=True).click()


@then(parsers.re(r"ЭШ сообщает «(?P<text>.+)»$"))
@checks(Notice(Group("text"), on="es"))
def es_says(page: Page, text: str) -> None:
    """Checks the screen shows a status reading exactly this text."""
    expect(page.get_by_role("status").filter(has_text=text)).to_have_text(text)


@when(parsers.re(rf"(?:{WHO} )?авторизуется в Сферум через VK ID со своим учебным профилем"))
@acts(
    Click("Авторизация в Сферум", role="link", within="Меню"),
    Fill("Телефон или почта", Actor("phone")),
    Click("Продолжить", role="button"),
    Fill("Пароль", Actor("vkid_password")),
    Click("Продолжить", role="button"),
    Fill("Код подтверждения", CODE),
    Click("Продолжить", role="button"),
    Click("Продолжить в учебном профиле", role="button"),
    Click("Продолжить", role="button"),
)
def authorise_with_profile(page: Page, sim_session: SimSession, scene: Scene) -> None:
    """Variant 1 of the instruction in one step, for scenarios about what comes after it."""
    open_tab(page, "Авторизация в Сферум")
    page.get_by_label("Телефон или почта").fill(scene.person.phone)
    page.get_by_role("button", name="Продолжить").click()
    enter_vkid_password(page, scene)
    page.get_by_label("Код подтверждения").fill(code_of(read_code(sim_session, scene, scene.person.phone)))
    page.get_by_role("button", name="Продолжить").click()
    page.get_by_role("button", name="Продолжить в учебном профиле").click()
    page.get_by_role("button", name="Продолжить").click()
    es_says(page, LINKED)


# -- the tab «Сферум» -----------------------------------------------------------------------------


@then("открывается вкладка «Сферум»")
@checks(Screen("es-sferum"))
def sferum_tab_open(page: Page) -> None:
    """Checks the menu's tab «Сферум» is the current page."""
    expect(_menu(page).get_by_role("link", name="Сферум", exact=True)).to_have_attribute("aria-current", "page")


@when(parsers.re(rf"(?:{WHO} )?обновляет вкладку «Сферум»"))
@acts(Reload(), screen="es-sferum")
def reload_tab(page: Page) -> None:
    """Reloads the page in the browser."""
    page.reload()


@then("во вкладке «Сферум» видеоконференции:")
@checks(Table("conferences", ("видеоконференция", "время")), Where(("es-sferum",)))
def conferences_listed(page: Page, datatable: list[list[str]]) -> None:
    """Checks the tab lists exactly the table's video conferences (what and when), in order."""
    expect(page.get_by_test_id("conference")).to_have_text([f"{what} {when}" for what, when in datatable[1:]])


# -- what the world now holds ---------------------------------------------------------------------


def _profile_id(sim_session: SimSession, scene: Scene) -> int:
    link = the_only(_links_of(sim_session, scene.person, "es"), "одна привязка его учетной записи ЭШ", "привязок")
    if link["via"] != "vkid":
        fail("привязка через VK ID", f"привязка через «{link['via']}»")
    return int(link["profile_id"])


@then(parsers.re(IN_CHATS))
@checks(Joined(Group("channel"), Group("chat")))
def profile_in_chats(sim_session: SimSession, scene: Scene, channel: str, chat: str) -> None:
    """Sferum has put the profile in these chats (they show up once built: Membership.available_at)."""
    profile_id = _profile_id(sim_session, scene)
    world = sim_session.snapshot()
    titles = {c["id"]: c["title"] for c in world["chats"]}
    joined = {titles[m["chat_id"]] for m in world["memberships"] if m["profile_id"] == profile_id}
    assert joined == {f"{scene.school['name']} · {channel}", chat}


@then("это ровно те чаты, в которых состоит его учебный профиль")
@checks(Where(("es-sferum",), present=("chat",)))
def listed_chats_are_memberships(page: Page, sim_session: SimSession, scene: Scene) -> None:
    """Checks the chat titles on the screen are, in any order, exactly the chats of the profile the actor's ЭШ account is linked to (once, via VK ID)."""
    profile_id = _profile_id(sim_session, scene)
    world = sim_session.snapshot()
    titles = {c["id"]: c["title"] for c in world["chats"]}
    joined = sorted(titles[m["chat_id"]] for m in world["memberships"] if m["profile_id"] == profile_id)
    shown = sorted(page.locator("[data-testid=chat] .chat-title").all_inner_texts())
    assert shown == joined
