"""Two people at once: each in a browser of their own, each seeing what the other does without a reload.

Seeds 001 and 004: «общаться в чатах …, совершать онлайн-звонки». A classmate's message, a participant joining
a call, the chats Sferum builds, a join request reaching the administrator — pushed to the open page
(simulator/live/). «Без перезагрузки» is checked, not assumed: the text is waited for on the page as it
is, and the page must have fetched itself live at least once (`window.simLive.refreshes`, kept by
simulator/static/live.js in the document — a reload would start it again at nought). Nothing sleeps.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from playwright.sync_api import BrowserContext, Page, expect
from pytest_bdd import given, parsers, then, when

from simulator import SESSION_HEADER
from simulator.testing import Persona, SimSession
from simulator.testing.acts import (
    Attends,
    By,
    Click,
    Fill,
    Group,
    Latest,
    LessonCall,
    Live,
    People,
    RowCount,
    Shows,
    Text,
    Where,
    acts,
    checks,
)

from .cast import Cast, person
from .common import WHO, Scene
from .failures import fail, known
from .messenger import vkid_sign_in

PEOPLE = r"(?:ученик|учитель|одноклассник)"
SEEING = rf"(?P<word>{PEOPLE}|администратор)(?P<second> во втором браузере)?"
# Whoever looks, in whichever browser of theirs: the recorder names the window's person in these groups.
LOOKING = By(Group("word"), second=Group("second"))
SECOND = By(Group("word"))  # the second browser of the person the group names
CHAT_SCREENS = ("messenger-chat", "es-chat", "max-chat")  # one chat screen on every platform


@dataclass
class Together:
    """The second browsers of a scenario, by the word the feature calls their person."""

    pages: dict[str, Page] = field(default_factory=dict)


@pytest.fixture
def together() -> Together:
    return Together()


def _second(together: Together, word: str) -> Page:
    return known(together.pages, word, "второй браузер человека —")


def _seen_by(page: Page, scene: Scene, cast: Cast, together: Together, word: str, second: str | None) -> Page:
    """The page of the person who looks: their second browser, the administrator's, or the actor's own."""
    if second:
        return _second(together, word)
    if word == "администратор":
        return cast.admin
    if scene.actor is not None and person(scene, cast, word) is scene.actor:
        return page
    return _second(together, word)


def _came_live(page: Page) -> None:
    """The page fetched itself live since it was loaded: what it shows came without a reload."""
    refreshes = page.evaluate("window.simLive ? window.simLive.refreshes : 0")
    if refreshes < 1:
        fail("страница, обновлённая без перезагрузки", "страница ни разу не получала изменений мира сама")


def _name(who: Persona) -> str:
    return f"{who.last_name} {who.first_name}"


def _open_chat(page: Page, title: str) -> None:
    page.get_by_test_id("chat").get_by_role("link", name=title, exact=True).click()
    expect(page.get_by_role("heading", name=title, exact=True)).to_be_visible()


# -- a second browser --------------------------------------------------------------------------------


@given(
    parsers.re(
        rf"второй браузер, в котором (?P<word>{PEOPLE}) вош[её]л в (?P<place>VK Мессенджер|электронный дневник ЭШ)"
        r"(?: и открыл (?:во вкладке «Сферум» )?чат «(?P<title>[^«»]+)»)?$"
    )
)
def second_browser(
    new_context: Callable[..., BrowserContext],
    sim_session: SimSession,
    scene: Scene,
    cast: Cast,
    together: Together,
    word: str,
    place: str,
    title: str | None,
) -> None:
    """Opens a browser of that person's own (own cookies, the same world), signs them in — VK Мессенджер by VK ID, ЭШ by login and password, then its tab «Сферум» — and opens the chat if named."""
    who = cast.called(word)
    context = new_context(
        extra_http_headers={SESSION_HEADER: sim_session.key}, locale="ru-RU", timezone_id="Europe/Moscow"
    )
    page = together.pages[word] = context.new_page()
    if place == "VK Мессенджер":
        page.goto(sim_session.url("messenger", "/chats"))
        vkid_sign_in(page, sim_session, scene, who.phone)
        expect(page.get_by_role("heading", name="Чаты", exact=False)).to_be_visible()
    else:
        page.goto(sim_session.url("es", "/"))
        page.get_by_label("Логин").fill(who.login)
        page.get_by_label("Пароль").fill(who.password)
        page.get_by_role("button", name="Войти").click()
        page.get_by_role("navigation", name="Меню").get_by_role("link", name="Сферум", exact=True).click()
    if title:
        _open_chat(page, title)


# -- what the second person does ----------------------------------------------------------------------


@when(parsers.re(rf"(?P<word>{PEOPLE}) во втором браузере пишет в чат «(?P<text>[^«»]+)»"))
@acts(Fill("Сообщение", Group("text")), Click("Отправить", role="button"), by=SECOND)
def second_writes(together: Together, word: str, text: str) -> None:
    """In that person's second browser, on the chat: types the text into «Сообщение», clicks «Отправить» and sees it sent."""
    page = _second(together, word)
    page.get_by_label("Сообщение", exact=True).fill(text)
    page.get_by_role("button", name="Отправить", exact=True).click()
    expect(page.get_by_test_id("message-text").filter(has_text=text)).to_be_visible()


@when(parsers.re(rf"(?P<word>{PEOPLE}) во втором браузере присоединяется к звонку"))
@acts(Click("Присоединиться к звонку", role="link"), Click("Присоединиться", role="button"), by=SECOND)
def second_joins_call(together: Together, word: str) -> None:
    """In the second browser, on the chat: «Присоединиться к звонку» (shown once the call started), then «Присоединиться»."""
    page = _second(together, word)
    page.get_by_test_id("ongoing-call").get_by_role("link", name="Присоединиться к звонку").click()
    page.get_by_role("button", name="Присоединиться", exact=True).click()
    expect(page.get_by_role("status")).to_have_text("Вы присоединились к звонку.")


@when(parsers.re(rf"(?P<word>{PEOPLE}) во втором браузере присоединяется к видеоконференции «(?P<title>[^«»]+)»"))
@acts(Click("Присоединиться", role="button"), by=SECOND, reads={"title": "conference-title"})
def second_joins_conference(together: Together, word: str, title: str) -> None:
    """In the second browser, on the tab «Сферум»: «Присоединиться» in the row of this video conference."""
    _join_conference(_second(together, word), title)


@when(parsers.re(rf"(?P<word>{PEOPLE}) во втором браузере нажимает «(?P<label>[^«»]+)»"))
@acts(Click(Group("label"), role="button"), by=SECOND)
def second_presses(together: Together, word: str, label: str) -> None:
    """In the second browser: clicks the button with this label."""
    _second(together, word).get_by_role("button", name=label, exact=True).click()


# -- one person's own call and lesson screens ----------------------------------------------------------


def _join_conference(page: Page, title: str) -> None:
    row = page.get_by_test_id("conference").filter(has=page.get_by_role("link", name=title, exact=True))
    row.get_by_role("button", name="Присоединиться", exact=True).click()
    expect(page.get_by_test_id("conference-title")).to_have_text(title)


@when(parsers.re(rf"(?:{WHO} )?присоединяется к видеоконференции «(?P<title>[^«»]+)» во вкладке «Сферум»"))
@acts(
    Click("Сферум", role="link", within="Меню"),
    Click("Присоединиться", role="button"),
    reads={"title": "conference-title"},
)
def joins_conference(page: Page, title: str) -> None:
    """On the tab «Сферум»: «Присоединиться» in the row of this online lesson, which opens its call."""
    page.get_by_role("navigation", name="Меню").get_by_role("link", name="Сферум", exact=True).click()
    _join_conference(page, title)


@then(parsers.re(r"на (?P<place>онлайн-уроке|видеоконференции) участники: (?P<who>.+)$"))
@checks(Where(("eljur-lesson",), values={"place": "онлайн-уроке"}), Attends(Group("who")))
@checks(Where(("es-conference",), values={"place": "видеоконференции"}), Attends(Group("who")))
def lesson_participants(page: Page, scene: Scene, cast: Cast, who: str, place: str) -> None:
    """Checks the lesson's call screen lists exactly these people, by surname and name, the actor's own tile marked."""
    people = [person(scene, cast, w.strip()) for w in who.split(",")]
    expect(page.get_by_role("heading", name=f"Участники звонка: {len(people)}")).to_be_visible()
    expect(page.get_by_test_id("call-participant")).to_have_text([_name(p) for p in people])
    expect(page.locator("[data-testid=call-participant][aria-current=true]")).to_have_text(_name(scene.person))


@then("на онлайн-уроке никого нет")
@checks(Shows("Участники звонка: 0"), Shows("Присоединиться к уроку"))
def lesson_empty(page: Page) -> None:
    """Checks the lesson's call screen shows no participant and offers «Присоединиться к уроку» again."""
    expect(page.get_by_test_id("call-participant")).to_have_count(0)
    expect(page.get_by_role("button", name="Присоединиться к уроку", exact=True)).to_be_visible()


@then(
    parsers.re(
        r"в мире звонок онлайн-урока «(?P<subject>[^«»]+)» в чате его класса: участники (?P<who>[^;]+)"
        r"(?P<ended>; звонок завершён)?$"
    )
)
@checks(
    Text("lesson-subject", Group("subject")),
    LessonCall(Group("who"), ended=True, values={"ended": "; звонок завершён"}),
)
@checks(Text("lesson-subject", Group("subject")), LessonCall(Group("who"), ended=False))
@checks(
    Text("conference-subject", Group("subject")),
    People("call-participant", Group("who")),
    LessonCall(None, ended=False),
)
def lesson_call_recorded(
    sim_session: SimSession, scene: Scene, cast: Cast, subject: str, who: str, ended: str | None
) -> None:
    """Checks the world: one call of this lesson, held in its class's chat, with exactly these participants in order, ended or going on."""
    world = sim_session.snapshot("lessons", "chats", "calls", "profiles")
    lessons = [ls for ls in world["lessons"] if ls["subject"] == subject and ls["online"]]
    if len(lessons) != 1:
        fail(f"один онлайн-урок «{subject}»", f"таких уроков {len(lessons)}")
    calls = [c for c in world["calls"] if c["lesson_id"] == lessons[0]["id"]]
    if len(calls) != 1:
        fail(f"один звонок урока «{subject}»", f"звонков {len(calls)}")
    chat = next(c for c in world["chats"] if c["id"] == calls[0]["chat_id"])
    assert chat["class_id"] == lessons[0]["class_id"] and chat["kind"] == "group"
    names = {p["id"]: f"{p['last_name']} {p['first_name']}" for p in world["profiles"]}
    expected = [_name(person(scene, cast, w.strip())) for w in who.split(",")]
    assert [names[p["profile_id"]] for p in calls[0]["participants"]] == expected
    assert (calls[0]["ended_at"] is not None) == bool(ended)


# -- what is seen without a reload ---------------------------------------------------------------------


@then(parsers.re(rf"{SEEING} видит сообщение «(?P<text>[^«»]+)» без перезагрузки"))
@checks(Live(), Latest("message-text", Group("text")), by=LOOKING)
def sees_message(
    page: Page, scene: Scene, cast: Cast, together: Together, word: str, second: str | None, text: str
) -> None:
    """Waits for the message on that person's open chat, as it is, and checks it came live, not by a reload."""
    seen = _seen_by(page, scene, cast, together, word, second)
    expect(seen.get_by_test_id("message-text").filter(has_text=text)).to_be_visible()
    _came_live(seen)


@then(parsers.re(rf"{SEEING} видит, что в чате идёт звонок, без перезагрузки"))
@checks(Live(), Where(CHAT_SCREENS, present=("ongoing-call",)), by=LOOKING)
def sees_call_going(page: Page, scene: Scene, cast: Cast, together: Together, word: str, second: str | None) -> None:
    """Waits for the open chat's banner «Идёт звонок» with «Присоединиться к звонку», and checks it came live."""
    seen = _seen_by(page, scene, cast, together, word, second)
    expect(seen.get_by_test_id("ongoing-call")).to_contain_text("Идёт звонок")
    expect(seen.get_by_role("link", name="Присоединиться к звонку")).to_be_visible()
    _came_live(seen)


@then(parsers.re(rf"{SEEING} видит в звонке участников: (?P<who>.+) без перезагрузки"))
@checks(Live(), People("call-participant", Group("who")), by=LOOKING)
def sees_participants(
    page: Page, scene: Scene, cast: Cast, together: Together, word: str, second: str | None, who: str
) -> None:
    """Waits until the open call screen lists exactly these people, by surname and name, and checks it came live."""
    seen = _seen_by(page, scene, cast, together, word, second)
    people = [person(scene, cast, w.strip()) for w in who.split(",")]
    expect(seen.get_by_test_id("call-participant")).to_have_text([_name(p) for p in people])
    expect(seen.get_by_role("heading", name=f"Участники звонка: {len(people)}")).to_be_visible()
    _came_live(seen)


@then(
    parsers.re(
        rf"{SEEING} видит во вкладке «Сферум» «(?P<heading>Чаты \d+)» и чат «(?P<title>[^«»]+)» без перезагрузки"
    )
)
def sees_chats(
    page: Page, scene: Scene, cast: Cast, together: Together, word: str, second: str | None, heading: str, title: str
) -> None:
    """Waits for the chat counter and the chat in the open list, and checks they came live."""
    seen = _seen_by(page, scene, cast, together, word, second)
    expect(seen.get_by_role("heading", name=heading, exact=True)).to_be_visible()
    expect(seen.get_by_test_id("chat").get_by_role("link", name=title, exact=True)).to_be_visible()
    _came_live(seen)


@then(parsers.re(rf"{SEEING} видит у видеоконференции «(?P<title>[^«»]+)» участников: (?P<count>\d+) без перезагрузки"))
@checks(Live(), RowCount("conference", Group("title"), Group("count"), "участников"), by=LOOKING)
def sees_conference_count(
    page: Page, scene: Scene, cast: Cast, together: Together, word: str, second: str | None, title: str, count: str
) -> None:
    """Waits for the number of people in this online lesson on the open tab «Сферум», and checks it came live."""
    seen = _seen_by(page, scene, cast, together, word, second)
    row = seen.get_by_test_id("conference").filter(has=seen.get_by_role("link", name=title, exact=True))
    expect(row).to_contain_text(f"участников: {count}")
    _came_live(seen)


@then(parsers.re(rf"{SEEING} видит это без перезагрузки"))
@checks(Live(), by=LOOKING)
def saw_it_live(page: Page, scene: Scene, cast: Cast, together: Together, word: str, second: str | None) -> None:
    """Checks what the step before read on that person's page came live: the page fetched itself, it was not reloaded."""
    _came_live(_seen_by(page, scene, cast, together, word, second))
