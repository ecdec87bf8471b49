"""Sferum in VK Messenger steps: signing in, the chat list, writing and calling, settings, organisations.

The chat screens are shared with ЭШ and МАХ (simulator/platforms/chat_screens.py): writing and calling
steps here serve there too; files, call participants and chats made by hand are in sferum_chats.py.
"""

from __future__ import annotations

from playwright.sync_api import Locator, Page, expect
from pytest_bdd import parsers, then, when

from simulator.testing import SimSession
from simulator.testing.acts import (
    CODE,
    Action,
    Actor,
    Click,
    Fill,
    Group,
    Notice,
    Open,
    Screen,
    Shows,
    Table,
    Tally,
    Where,
    acts,
    checks,
)

from .cast import Cast, report_id
from .common import CHAT_COLUMNS, WHO, Scene, code_of, read_code
from .failures import created, fail


def vkid_sign_in(page: Page, sim_session: SimSession, scene: Scene, phone: str) -> None:
    """VK ID for an account with an educational profile: number, code, «Продолжить в учебном профиле»."""
    page.get_by_label("Телефон или почта").fill(phone)
    page.get_by_role("button", name="Продолжить").click()
    page.get_by_label("Код подтверждения").fill(code_of(read_code(sim_session, scene, phone)))
    page.get_by_role("button", name="Продолжить").click()
    page.get_by_role("button", name="Продолжить в учебном профиле").click()
    page.get_by_role("button", name="Продолжить").click()


def vkid_sign_in_acts(phone: str = "phone") -> tuple[Action, ...]:
    """vkid_sign_in as the recorder reads it: the actor's number (`phone`, a field of theirs), the code, the profile."""
    return (
        Fill("Телефон или почта", Actor(phone)),
        Click("Продолжить", role="button"),
        Fill("Код подтверждения", CODE),
        Click("Продолжить", role="button"),
        Click("Продолжить в учебном профиле", role="button"),
        Click("Продолжить", role="button"),
    )


def _menu(page: Page) -> Locator:
    return page.get_by_role("navigation", name="Меню")


@then("открывается Сферум с его учебным профилем")
@checks(Screen("messenger-home"))
def messenger_opens(page: Page, scene: Scene) -> None:
    """Checks the profile name on the screen has the actor's last and first name."""
    expect(page.get_by_test_id("profile-name")).to_contain_text(f"{scene.person.last_name} {scene.person.first_name}")


@when(parsers.re(rf"(?:{WHO} )?входит в Сферум в VK Мессенджере(?P<other> с другого номера)?"))
@acts(
    Open("messenger"),
    *vkid_sign_in_acts(),
)
@acts(
    Open("messenger"),
    *vkid_sign_in_acts("duplicate_phone"),
    values={"other": " с другого номера"},
)
def sign_in(page: Page, sim_session: SimSession, scene: Scene, cast: Cast, other: str | None) -> None:
    """VK Messenger is VK's own app: VK ID asks for no consent, only the number and the code."""
    page.goto(sim_session.url("messenger", "/"))
    expect(page.get_by_role("heading", name="Вход в VK ID")).to_be_visible()
    vkid_sign_in(page, sim_session, scene, cast.duplicate_phone if other else scene.person.phone)
    messenger_opens(page, scene)


# -- chats ----------------------------------------------------------------------------------------


@when(parsers.re(rf"(?:{WHO} )?открывает чаты в VK Мессенджере"))
@acts(Click("Чаты", role="link"))
def open_chats(page: Page) -> None:
    """Clicks «Чаты» in the menu."""
    _menu(page).get_by_role("link", name="Чаты", exact=True).click()


@then("под списком ссылка «Показать все»")
@checks(Shows("Показать все"), Where(("messenger-home",), present=("chats",)))
def show_all_link(page: Page) -> None:
    """Checks the screen shows the link «Показать все»."""
    expect(page.get_by_role("link", name="Показать все", exact=True)).to_be_visible()


@then("открывается список всех чатов:")
@checks(Table("chats", CHAT_COLUMNS), Screen("messenger-chats"))
def all_chats(page: Page, datatable: list[list[str]]) -> None:
    """Checks the screen lists exactly the table's chats (title and caption) in order, with no link «Показать все»."""
    expect(page.get_by_test_id("chat")).to_have_text([f"{title} {caption}" for title, caption in datatable[1:]])
    expect(page.get_by_role("link", name="Показать все", exact=True)).to_have_count(0)


@when(parsers.re(rf"(?:{WHO} )?открывает чат «(?P<title>[^«»]+)»"))
@acts(Click("Чаты", role="link", within="Меню"), Click(Group("title"), role="link"))
@acts(Click(Group("title"), role="link"), screen="messenger-chats")
@acts(Open("messenger", "/chats"), Click(Group("title"), role="link"))
def open_chat(page: Page, sim_session: SimSession, title: str) -> None:
    """Opens VK Messenger's chat list, clicks the chat with this title and checks its heading."""
    page.goto(sim_session.url("messenger", "/chats"))
    page.get_by_test_id("chat").get_by_role("link", name=title, exact=True).click()
    expect(page.get_by_role("heading", name=title, exact=True)).to_be_visible()


def remember_written(cast: Cast, text: str) -> None:
    """What the actor wrote, for the checks of their messages."""
    cast.messages.append(text)


# A text of spaces is no message (the chat refuses it, E11): «вводит «   » в поле «Сообщение» …» says that.
@when(parsers.re(rf"(?:{WHO} )?пишет в чат «(?P<text>.*\S.*)»$"))
@acts(Fill("Сообщение", Group("text")), Click("Отправить", role="button"), tells=remember_written)
def write(page: Page, cast: Cast, text: str) -> None:
    """Types the text into «Сообщение», clicks «Отправить», remembers it and checks the chat shows as many messages as were written."""
    page.get_by_label("Сообщение", exact=True).fill(text)
    page.get_by_role("button", name="Отправить", exact=True).click()
    remember_written(cast, text)
    expect(page.get_by_test_id("message-text")).to_have_count(len(cast.messages))


@when(parsers.re(rf"(?:{WHO} )?начинает звонок"))
@acts(Click("Начать звонок", role="button"))
def start_call(page: Page) -> None:
    """Clicks «Начать звонок» and checks the call screen opens, saying the call began and the members were invited."""
    page.get_by_role("button", name="Начать звонок", exact=True).click()
    expect(page.get_by_role("heading", name="Звонок", exact=True)).to_be_visible()
    expect(page.get_by_role("status")).to_have_text("Звонок начат. Участники чата получили приглашение присоединиться.")


@then("его сообщения показаны в чате как обычный текст, а звонок отмечен в чате")
@checks(Where(("messenger-chat", "es-chat", "max-chat"), present=("message-text", "call")))
def shown_as_text(page: Page, scene: Scene, cast: Cast) -> None:
    """Checks the chat shows exactly the messages written, as plain text, and that the actor started a call; the world is not checked."""
    expect(page.get_by_test_id("message-text")).to_have_text(cast.messages)
    assert page.locator("[data-testid=messages] b, [data-testid=messages] script").count() == 0
    verb = "начала" if scene.person.sex == "female" else "начал"
    expect(page.get_by_test_id("call")).to_contain_text(
        f"{scene.person.last_name} {scene.person.first_name} {verb} звонок"
    )


@then(parsers.re(r"в мире записаны его сообщения и (?P<calls>\d+) звон(?:ок|ка|ков) с временем часов Сферума"))
@checks(Tally(Group("calls")))
def recorded(sim_session: SimSession, scene: Scene, cast: Cast, calls: str) -> None:
    """Checks the world: the actor's chat messages are the ones written, and they started this many calls, all at the Sferum clock's current time."""
    world = sim_session.snapshot()
    clock = world["clock"]
    profile_id = created(scene.person.ids, "profile_id", "него", "учебный профиль")
    mine = [m for m in world["chat_messages"] if m["profile_id"] == profile_id]
    assert [m["text"] for m in mine] == cast.messages
    started = [c["started_at"] for c in world["calls"] if c["profile_id"] == profile_id]
    assert len(started) == int(calls)
    times = [*(m["sent_at"] for m in mine), *started]
    # A frozen clock (a scenario) gave them all its one now; where it runs (a recording), each came by now.
    assert all(t <= clock["now"] for t in times) if clock.get("running") else set(times) <= {clock["now"]}


# -- account settings -----------------------------------------------------------------------------


def remember_shown_id(page: Page, cast: Cast) -> None:
    """The profile ID the account settings show, for the checks that compare it with the administrator's report."""
    cast.shown_id = page.get_by_test_id("profile-id").inner_text()


@when(parsers.re(rf"(?:{WHO} )?открывает настройки аккаунта в VK Мессенджере"))
@acts(Click("Настройки аккаунта", role="link", within="Меню"), tells=remember_shown_id)
def open_settings(page: Page, cast: Cast) -> None:
    """Clicks «Настройки аккаунта» in the menu, checks its heading and address, and remembers the profile ID it shows."""
    _menu(page).get_by_role("link", name="Настройки аккаунта", exact=True).click()
    expect(page.get_by_role("heading", name="Настройки аккаунта")).to_be_visible()
    if "/settings/account?back=" not in page.url:
        fail("адрес настроек аккаунта с «/settings/account?back=»", page.url)
    remember_shown_id(page, cast)


@then("ID в настройках аккаунта не совпадает с ID учителя в отчёте администратора")
@checks(Where(("messenger-settings",), present=("profile-id",)))
def ids_differ(scene: Scene, cast: Cast) -> None:
    """The admin's mismatch: the teacher chats from the duplicate; the report names the attached profile."""
    duplicate = created(scene.person.ids, "duplicate_profile_id", "него", "профиль-дублёр")
    own = created(scene.person.ids, "profile_id", "него", "учебный профиль")
    assert cast.shown_id != report_id(cast, scene.person)
    assert cast.shown_id == str(duplicate)
    assert report_id(cast, scene.person) == str(own)


@then("ID учителя в отчёте администратора совпадает с ID в настройках аккаунта")
@checks(Where(("sferum-cabinet",), present=("download",)))  # the report just downloaded (recorder/downloads.py)
def ids_match(scene: Scene, cast: Cast) -> None:
    """Checks the teacher's ID on the downloaded sheet «Пользователи» equals the ID the settings showed, the duplicate profile's."""
    duplicate = created(scene.person.ids, "duplicate_profile_id", "него", "профиль-дублёр")
    assert report_id(cast, scene.person) == cast.shown_id == str(duplicate)


# -- organisations --------------------------------------------------------------------------------


@then(parsers.re(r"в Сферуме приглашение в организацию «(?P<name>.+)»$"))
def invitation_notice(page: Page, name: str) -> None:
    """Checks the screen shows the notice of an invitation into the named organisation."""
    expect(page.get_by_test_id("invitation-notice")).to_contain_text(f"Приглашение в организацию «{name}»")


@when(parsers.re(rf"(?:{WHO} )?открывает «Организации» в VK Мессенджере"))
@acts(Click("Организации", role="link", within="Меню"))
def open_organisations(page: Page) -> None:
    """Clicks «Организации» in the menu and checks its heading."""
    _menu(page).get_by_role("link", name="Организации", exact=True).click()
    expect(page.get_by_role("heading", name="Организации", exact=True)).to_be_visible()


@then(parsers.re(r"в разделе «Приглашения» приглашение от «(?P<name>.+)» как «(?P<role>[^«»]+)»"))
def invitation_listed(page: Page, name: str, role: str) -> None:
    """Checks the invitation on the screen has the organisation's name and the role."""
    expect(page.get_by_test_id("invitation")).to_contain_text(name)
    expect(page.get_by_test_id("invitation")).to_contain_text(role)


@then(parsers.re(r"Сферум сообщает «(?P<text>.+)»$"))
@checks(Notice(Group("text"), on="messenger"))
def sferum_says(page: Page, text: str) -> None:
    """Checks the status on the screen reads exactly this text."""
    expect(page.get_by_role("status")).to_have_text(text)


@when(parsers.re(rf"(?:{WHO} )?ищет организацию «(?P<query>[^«»]+)»"))
@acts(Fill("Название или ID организации", Group("query")), Click("Найти", role="button"))
def search(page: Page, query: str) -> None:
    """Types the query into «Название или ID организации» and clicks «Найти»."""
    page.get_by_label("Название или ID организации").fill(query)
    page.get_by_role("button", name="Найти", exact=True).click()


@when(parsers.re(rf"(?:{WHO} )?выбирает тип пользователя «(?P<role>[^«»]+)» и нажимает «Подать заявку»"))
@acts(Fill("Тип пользователя", Group("role")), Click("Подать заявку", role="button"))
def apply(page: Page, scene: Scene, role: str) -> None:
    """Chooses the role in «Тип пользователя» of the school found and clicks its «Подать заявку»."""
    found = page.get_by_test_id("found-organisation").filter(has_text=scene.school["name"])
    found.get_by_label("Тип пользователя").select_option(label=role)
    found.get_by_role("button", name="Подать заявку", exact=True).click()


@then(parsers.re(r"заявка в организацию в статусе «(?P<status>[^«»]+)»"))
def request_status(page: Page, scene: Scene, status: str) -> None:
    """Checks the join request on the screen reads the school's name and this status."""
    expect(page.get_by_test_id("join-request")).to_have_text(f"{scene.school['name']} {status}")
