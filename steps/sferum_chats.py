"""Chat steps wherever Sferum opens its chats: ЭШ's tab «Сферум», «Сферум в МАХ», VK Мессенджер.

Seed 004: «общаться в чатах…, совершать онлайн-звонки, обмениваться контентом»; seed 001: «свои групповые
чаты, созданные вручную». The chat screens are the same on every platform, so these steps are too;
what differs is only how the chat is reached. Expected types and sizes of files come from what the step
sent, never from the simulator.
"""

from __future__ import annotations

import base64
import mimetypes
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import quote

import pytest
from playwright.sync_api import BrowserContext, FilePayload, Page, expect
from pytest_bdd import given, parsers, then, when

from simulator import SESSION_HEADER
from simulator.testing import Persona, Personas, SimSession
from simulator.testing.acts import (
    ANYTHING,
    Actor,
    Attach,
    By,
    CallStarted,
    Click,
    FileSent,
    Fill,
    Group,
    MadeChat,
    Named,
    Open,
    People,
    Text,
    Unchanged,
    Where,
    acts,
    checks,
)

from .cast import Cast, person
from .common import WHO, Scene
from .failures import created, known, the_only
from .messenger import vkid_sign_in, vkid_sign_in_acts

# A 1×1 PNG: what a picture is to a browser, made here rather than by the simulator.
PICTURE = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg=="
)
DOCUMENT = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
UNITS = {"байт": 1, "КБ": 1024, "МБ": 1024 * 1024}
# A link's target as the page's own request fetches it: its status, Content-Disposition and bytes (base64).
FETCH = """async link => {
  const response = await fetch(link.href);
  const bytes = new Uint8Array(await response.arrayBuffer());
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return {status: response.status, disposition: response.headers.get("content-disposition"), body: btoa(binary)};
}"""
# «одноклассник» and the like: the people of a chat scenario besides its actor, by the word the feature uses.
OTHERS = r"(?:одноклассник|ученик|учитель)"
WHOM = {"одноклассника": "одноклассник", "ученика": "ученик", "учителя": "учитель"}  # the same, as objects


@dataclass
class Chats:
    """What a chat scenario sent and the browsers of the people besides the actor."""

    files: dict[str, bytes] = field(default_factory=dict)  # by name: the bytes the actor sent
    pages: dict[str, Page] = field(default_factory=dict)  # by the word the feature calls the person


@pytest.fixture
def chats() -> Chats:
    return Chats()


def _own_browser(new_context: Callable[..., BrowserContext], sim_session: SimSession) -> Page:
    """Another person's browser: own cookies, the same test session."""
    context = new_context(
        extra_http_headers={SESSION_HEADER: sim_session.key}, locale="ru-RU", timezone_id="Europe/Moscow"
    )
    return context.new_page()


def profile_id(who: Persona) -> int:
    """The educational profile a person chats from: the one in МАХ if they have one, else VK ID's."""
    return int(created(who.ids, ("max_profile_id", "profile_id"), who.full_name, "учебный профиль (в МАХ или VK ID)"))


def _sent(chats: Chats, name: str) -> bytes:
    """The bytes the actor attached under this name."""
    return known(chats.files, name, "файл, прикреплённый в сценарии, —")


def _people(scene: Scene, cast: Cast, words: str) -> list[Persona]:
    """«ученик, одноклассник» → those people, in that order."""
    return [person(scene, cast, word.strip()) for word in words.split(",")]


def at_sferum_clock(times: list[str], clock: dict[str, Any]) -> None:
    """Checks the times were taken from the Sferum clock: its «now» on a frozen clock, as every scenario has it; where
    the clock runs (a recording, `serve`), times of its day no later than now, the moment the check reads it."""
    now = clock["now"]
    if not clock.get("running"):
        assert set(times) == {now}, f"{times} ≠ {now}"
        return
    off = [t for t in times if t[:10] != now[:10] or datetime.fromisoformat(t) > datetime.fromisoformat(now)]
    assert not off, f"{off}: не по часам Сферума (сейчас {now})"


def _name(who: Persona) -> str:
    """As the chat and the call show a person: last and first name."""
    return f"{who.last_name} {who.first_name}"


# -- the world ------------------------------------------------------------------------------------


@given("его одноклассник уже авторизован в Сферум из ЭШ")
def es_classmate(sim_session: SimSession, personas: Personas, scene: Scene, cast: Cast) -> None:
    """Seeds a student of the actor's class in ЭШ, linked to a VK ID profile long ago (their chats are built)."""
    classmate = personas.make("student")
    entry = classmate.entry(
        journal="es",
        org=scene.school["id"],
        school_class=scene.school["classes"][0],
        vkid=True,
        profile=True,
        linked="vkid",
    )
    classmate.ids = sim_session.seed({"people": [entry]})["people"][classmate.key]
    cast.people["одноклассник"] = classmate
    scene.profiles_before = len(sim_session.snapshot("profiles")["profiles"])


# -- reaching a chat --------------------------------------------------------------------------------


def _open(page: Page, title: str) -> None:
    page.get_by_test_id("chat").get_by_role("link", name=title, exact=True).click()
    expect(page.get_by_role("heading", name=title, exact=True)).to_be_visible()


@when(parsers.re(rf"(?:{WHO} )?открывает во вкладке «Сферум» чат «(?P<title>[^«»]+)»"))
@acts(Click("Сферум", role="link", within="Меню"), Click(Group("title"), role="link"))
@acts(Click(Group("title"), role="link"), screen="es-sferum")
def open_es_chat(page: Page, title: str) -> None:
    """Clicks the ЭШ menu's tab «Сферум», then the chat with this title, and checks its heading."""
    page.get_by_role("navigation", name="Меню").get_by_role("link", name="Сферум", exact=True).click()
    _open(page, title)


@when(parsers.re(rf"(?:{WHO} )?открывает МАХ"))
def open_max(page: Page, sim_session: SimSession) -> None:
    """Opens МАХ in the browser and checks it asks to sign in («Вход в МАХ»)."""
    page.goto(sim_session.url("max", "/"))
    expect(page.get_by_role("heading", name="Вход в МАХ")).to_be_visible()


@when(parsers.re(rf"(?:{WHO} )?открывает в «Сферум в МАХ» чат «(?P<title>[^«»]+)»"))
@acts(Click("Сферум в МАХ", role="link", within="Меню"), Click(Group("title"), role="link"))
@acts(Click(Group("title"), role="link"), screen="max-sferum")
def open_max_chat(page: Page, title: str) -> None:
    """Clicks «Сферум в МАХ» in МАХ's menu, then the chat with this title, and checks its heading."""
    page.get_by_role("navigation", name="Меню").get_by_role("link", name="Сферум в МАХ", exact=True).click()
    _open(page, title)


# -- writing, files ----------------------------------------------------------------------------------


def remember_attached(sim_session: SimSession, chats: Chats, name: str) -> None:
    """The file the person chose by hand, as the world keeps it (its last one of this name), for the checks of it."""
    sent = [
        m["file"]
        for m in sim_session.snapshot("chat_messages")["chat_messages"]
        if (m["file"] or {}).get("name") == name
    ]
    if sent:
        chats.files[name] = base64.b64decode(sent[-1]["data"])


@when(
    parsers.re(
        rf"(?:{WHO} )?прикрепляет (?P<kind>картинку|файл) «(?P<name>[^«»]+)»"
        r"(?: размером (?P<size>\d+) (?P<unit>байт|КБ|МБ))? и нажимает «Отправить»"
    )
)
@acts(
    Attach("Файл или изображение", Group("name"), Group("kind"), size=Group("size"), unit=Group("unit")),
    Click("Отправить", role="button"),
    tells=remember_attached,
)
def attach(page: Page, chats: Chats, kind: str, name: str, size: str | None, unit: str | None) -> None:
    """Chooses a file of this name in «Файл или изображение» — a real PNG for a picture, a small PDF for a document, or that many bytes — and clicks «Отправить»."""
    if size is not None and unit is not None:
        data = b"0" * (int(size) * UNITS[unit])
    else:
        data = PICTURE if kind == "картинку" else DOCUMENT
    chats.files[name] = data
    mime = mimetypes.guess_type(name)[0] or "application/octet-stream"
    payload: FilePayload = {"name": name, "mimeType": mime, "buffer": data}
    page.get_by_label("Файл или изображение", exact=True).set_input_files(files=[payload])
    page.get_by_role("button", name="Отправить", exact=True).click()


@when(parsers.re(rf"(?:{WHO} )?вводит сообщение из (?P<length>\d+) символов и нажимает «Отправить»"))
def send_long(page: Page, length: str) -> None:
    """Types a message of this many letters into «Сообщение» and clicks «Отправить»."""
    page.get_by_label("Сообщение", exact=True).fill("я" * int(length))
    page.get_by_role("button", name="Отправить", exact=True).click()


@then(parsers.re(r"в чате показана картинка «(?P<name>[^«»]+)»"))
@checks(FileSent(Group("name"), picture=True))
def picture_shown(page: Page, name: str) -> None:
    """Checks the chat shows the picture of this name, loaded (the browser could draw it), and a link to it."""
    picture = page.get_by_role("img", name=name, exact=True)
    expect(picture).to_be_visible()
    expect(picture).to_have_js_property("naturalWidth", 1)
    expect(page.get_by_test_id("file-link").filter(has_text=name)).to_be_visible()


@then(parsers.re(r"в чате файл «(?P<name>[^«»]+)» для скачивания"))
@checks(FileSent(Group("name")))
def file_downloads(page: Page, chats: Chats, name: str) -> None:
    """Checks the chat links the file of this name, and that its link is a download (an attachment named so) of exactly the bytes sent under that name."""
    link = page.get_by_test_id("file-link").filter(has_text=name)
    expect(link).to_be_visible()
    # Fetched by the page rather than clicked: a check reads the page and leaves it as it is (a recording sees no
    # click), and the browser's own request goes where its links go.
    got = link.evaluate(FETCH)
    assert got["status"] == 200, f"{got['status']}"
    assert got["disposition"] == f"attachment; filename*=UTF-8''{quote(name, safe='')}", got["disposition"]
    body = base64.b64decode(got["body"])
    assert body == _sent(chats, name), body.decode(errors="replace")[-2500:]


@then(parsers.re(r"в мире записаны его сообщения и файл «(?P<name>[^«»]+)» типа (?P<mime>\S+) с его размером"))
@checks(FileSent(Group("name"), content_type=Group("mime"), world=True))
def file_recorded(sim_session: SimSession, scene: Scene, cast: Cast, chats: Chats, name: str, mime: str) -> None:
    """Checks the world: the actor's messages are the texts written and one file of this name, this type and the size sent, at the Sferum clock's time."""
    world = sim_session.snapshot()
    mine = [m for m in world["chat_messages"] if m["profile_id"] == profile_id(scene.person)]
    assert [m["text"] for m in mine if m["text"]] == cast.messages
    files = [m["file"] for m in mine if m["file"]]
    assert [(f["name"], f["content_type"], f["size"]) for f in files] == [(name, mime, len(_sent(chats, name)))]
    at_sferum_clock([m["sent_at"] for m in mine], world["clock"])


@then("в мире нет ни одного его сообщения")
@checks(Unchanged(("chat_message",), screens=("messenger-chat", "max-chat", "es-chat")))
def nothing_written(sim_session: SimSession, scene: Scene) -> None:
    """Checks the world holds no chat message of the actor's profile."""
    world = sim_session.snapshot()
    assert [m for m in world["chat_messages"] if m["profile_id"] == profile_id(scene.person)] == []


# -- calls --------------------------------------------------------------------------------------------


@then(parsers.re(r"в звонке в чате «(?P<title>[^«»]+)» участники: (?P<who>.+)$"))
@checks(Text("call-chat", Group("title")), People("call-participant", Group("who")))
def call_participants(page: Page, scene: Scene, cast: Cast, title: str, who: str) -> None:
    """Checks the call screen is this chat's and lists exactly these people in it, in the order they joined."""
    expect(page.get_by_role("heading", name="Звонок", exact=True)).to_be_visible()
    expect(page.get_by_test_id("call-chat")).to_have_text(title)
    people = _people(scene, cast, who)
    expect(page.get_by_role("heading", name=f"Участники звонка: {len(people)}")).to_be_visible()
    expect(page.get_by_test_id("call-participant")).to_have_text([_name(p) for p in people])


STARTERS = {"учеником": "ученик", "учителем": "учитель"}  # who started a call, as the sentence says it
CLASSMATE = By("одноклассник")  # the classmate's own browser (chats.pages)


@when(parsers.re(r"одноклассник открывает вкладку «Сферум» в своём электронном дневнике"))
@acts(
    Open("es"),
    Fill("Логин", Actor("login")),
    Fill("Пароль", Actor("password")),
    Click("Войти", role="button"),
    Click("Сферум", role="link", within="Меню"),
    by=CLASSMATE,
)
def classmate_opens_tab(
    new_context: Callable[..., BrowserContext], sim_session: SimSession, cast: Cast, chats: Chats
) -> None:
    """In the classmate's own browser: signs in to ЭШ with their login and password and clicks the tab «Сферум»."""
    classmate = cast.called("одноклассник")  # before a browser opens for someone the scenario lacks
    page = chats.pages["одноклассник"] = _own_browser(new_context, sim_session)
    page.goto(sim_session.url("es", "/"))
    page.get_by_label("Логин").fill(classmate.login)
    page.get_by_label("Пароль").fill(classmate.password)
    page.get_by_role("button", name="Войти").click()
    page.get_by_role("navigation", name="Меню").get_by_role("link", name="Сферум", exact=True).click()


@then(parsers.re(r"среди видеоконференций одноклассника идёт звонок в чате «(?P<title>[^«»]+)»"))
@checks(Where(("es-sferum",)), Text("ongoing-call-chat", Group("title")), by=CLASSMATE)
def call_among_conferences(chats: Chats, title: str) -> None:
    """Checks the classmate's tab «Сферум» lists, under «Видеоконференции», the call going on in this chat."""
    page = _classmates_page(chats)
    section = page.get_by_role("region", name="Видеоконференции")
    expect(section.get_by_test_id("ongoing-call")).to_contain_text(f"Звонок · {title}")


def _classmates_page(chats: Chats) -> Page:
    """The classmate's own browser, once they have opened their diary's tab «Сферум»."""
    return known(chats.pages, "одноклассник", "браузер человека —")


def _join(page: Page) -> None:
    page.get_by_role("button", name="Присоединиться", exact=True).click()
    expect(page.get_by_role("status")).to_have_text("Вы присоединились к звонку.")


@when("одноклассник присоединяется к звонку")
@acts(Click(ANYTHING, role="link"), Click("Присоединиться", role="button"), screen="es-sferum", by=CLASSMATE)
def classmate_joins(chats: Chats) -> None:
    """In the classmate's browser: clicks the call among the video conferences, then «Присоединиться»."""
    page = _classmates_page(chats)
    page.get_by_test_id("ongoing-call").get_by_role("link").click()
    _join(page)


@when(parsers.re(rf"(?P<word>{OTHERS}) присоединяется к звонку в чате «(?P<title>[^«»]+)» из VK Мессенджера"))
@acts(
    Open("messenger", "/chats"),
    *vkid_sign_in_acts(),
    Click(Group("title"), role="link"),
    Click("Присоединиться к звонку", role="link"),
    Click("Присоединиться", role="button"),
    by=By(Group("word"), own=True),
)
def joins_from_messenger(
    new_context: Callable[..., BrowserContext],
    sim_session: SimSession,
    scene: Scene,
    cast: Cast,
    chats: Chats,
    word: str,
    title: str,
) -> None:
    """In that person's own browser: signs in to VK Мессенджер through VK ID, opens the chat, «Присоединиться к звонку», «Присоединиться»."""
    joining = cast.called(word)
    page = chats.pages[word] = _own_browser(new_context, sim_session)
    page.goto(sim_session.url("messenger", "/chats"))
    vkid_sign_in(page, sim_session, scene, joining.phone)
    _open(page, title)
    page.get_by_test_id("ongoing-call").get_by_role("link", name="Присоединиться к звонку").click()
    _join(page)


@then(
    parsers.re(
        r"в мире записан звонок в чате «(?P<title>[^«»]+)», начатый (?P<starter>учеником|учителем) по часам Сферума, "
        r"участники: (?P<who>.+)$"
    )
)
@checks(
    Text("call-chat", Group("title")), CallStarted(Group("starter"), Group("who"), {v: k for k, v in STARTERS.items()})
)
def call_recorded(sim_session: SimSession, scene: Scene, cast: Cast, title: str, starter: str, who: str) -> None:
    """Checks the world: this chat has one call, started by that person at the Sferum clock's time, with exactly these participants in order."""
    world = sim_session.snapshot()
    chat = the_only(
        (c for c in world["chats"] if c["title"] == title and c["created_by"] is None),
        f"один чат «{title}», созданный Сферумом",
        "чатов с этим названием",
    )
    call = the_only((c for c in world["calls"] if c["chat_id"] == chat["id"]), "один звонок в чате", "звонков")
    by = person(scene, cast, STARTERS[starter])
    assert call["profile_id"] == profile_id(by)
    at_sferum_clock([call["started_at"]], world["clock"])
    assert [p["profile_id"] for p in call["participants"]] == [profile_id(p) for p in _people(scene, cast, who)]


# -- a group chat made by hand ----------------------------------------------------------------------


@when(parsers.re(rf"(?:{WHO} )?отмечает среди участников организации (?P<whom>{'|'.join(WHOM)}) и нажимает «Добавить»"))
@acts(Click(Named(Group("whom"), {word: form for form, word in WHOM.items()}), role="checkbox"), Click("Добавить"))
def choose_member(page: Page, scene: Scene, cast: Cast, whom: str) -> None:
    """Ticks that person in «Участники организации» and clicks «Добавить»."""
    member = person(scene, cast, WHOM[whom])
    page.get_by_role("group", name="Участники организации").get_by_label(member.full_name, exact=False).check()
    page.get_by_role("button", name="Добавить", exact=True).click()


@then(parsers.re(r"в чате (?P<caption>\d+ участник\w*): (?P<who>.+)$"))
@checks(Text("chat-caption", Group("caption")), People("member", Group("who"), any_order=True))
def chat_members(page: Page, scene: Scene, cast: Cast, caption: str, who: str) -> None:
    """Checks «Участники чата» shows this count (as the seed writes «15 участников») and exactly these people, by name."""
    expect(page.get_by_role("heading", name="Участники чата")).to_be_visible()
    expect(page.get_by_test_id("chat-caption")).to_have_text(caption)
    names = sorted(p.full_name for p in _people(scene, cast, who))
    expect(page.get_by_test_id("member")).to_have_count(len(names))
    shown = sorted(page.get_by_test_id("member").locator("span:first-child").all_inner_texts())
    assert shown == names


@then(parsers.re(r"в мире чат «(?P<title>[^«»]+)» школы создан учителем, в нём (?P<first>\w+) и (?P<second>\w+)"))
@checks(Text("call-chat", Group("title")), MadeChat(Group("first"), Group("second")))
def made_by_hand(sim_session: SimSession, scene: Scene, cast: Cast, title: str, first: str, second: str) -> None:
    """Checks the world: one group chat of this title belongs to the school, was made by the teacher at the clock's time, and has exactly these two members."""
    world = sim_session.snapshot()
    chat = the_only((c for c in world["chats"] if c["title"] == title), f"один чат «{title}»", "чатов с этим названием")
    teacher = person(scene, cast, "учитель")
    assert (chat["org_id"], chat["kind"], chat["created_by"]) == (scene.school["id"], "group", profile_id(teacher))
    assert chat["created_at"] is not None
    members = {m["profile_id"] for m in world["memberships"] if m["chat_id"] == chat["id"]}
    assert members == {profile_id(person(scene, cast, first)), profile_id(person(scene, cast, second))}
