"""Every screen on a 390 px wide phone: nothing scrolls the document sideways, nothing sticks out of its card.

The sferum.ru cabinet is opened as the administrator of two organisations (a school, and a kindergarten
with a sent invitation and a join request) with long names and addresses; then every GET screen of every
platform is opened as a link from elsewhere opens it, signed out; then every GET screen of МЭШ, ЭлЖур, ЭШ,
МАХ and VK Мессенджер signed in, as people with long names in a school with a long name, linked, with a
long message in their class chat. The screens are found from the platforms' route tables, not listed here.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect
from playwright.sync_api import Error as PlaywrightError

from simulator import SESSION_HEADER, SimulatorServer
from simulator.platforms import installed
from simulator.platforms.sferum import ROUTES as SFERUM_ROUTES
from simulator.testing import Personas, SimSession, Simulator
from simulator.world import organisations as orgs
from simulator.world import organisations as world_organisations
from simulator.world.models import Role
from simulator.world.seed import OrganisationEntry
from tests.console.test_console_layout import DOCUMENT_WIDTHS, NARROW_TEXT
from tests.support.sim_browser import Browser as HttpBrowser
from tests.support.sim_browser import location
from tests.support.sim_orgs import SCHOOL, SFERUM, seed, sign_in_to

PHONE_WIDTH = 390
SHOTS = Path(__file__).resolve().parents[2] / "reports" / "layout-390"  # the cabinet's screens, as measured
KINDERGARTEN: OrganisationEntry = {
    "id": 216600390,
    "name": "Муниципальное бюджетное дошкольное образовательное учреждение «Детский сад комбинированного вида №7»",
    "kind": "kindergarten",
}
LONG_LAST_NAME = "Константинопольская-Преображенская"
LONG_EMAIL = "konstantin.preobrazhensky." + "x" * 60 + "@example-kindergarten-district.ru"

# Elements reaching past the window's right edge, or out of their card, other than inside a box that
# scrolls sideways (that box is then the one measured).
STICKING_OUT = """() => {
  const found = [], reported = new Set();
  const width = document.documentElement.clientWidth;
  for (const element of document.body.querySelectorAll('*')) {
    if (reported.has(element.parentElement)) { reported.add(element); continue; }  // its box's fault, said once
    const box = element.getBoundingClientRect();
    if (!box.width || getComputedStyle(element).visibility !== 'visible' || box.width <= 1) continue;
    let inside = element.parentElement, scrolled = false;
    const card = element.parentElement && element.parentElement.closest('.card, .topbar');
    for (; inside && inside !== card; inside = inside.parentElement) {
      if (['auto', 'scroll', 'hidden'].includes(getComputedStyle(inside).overflowX)) { scrolled = true; break; }
    }
    if (scrolled) continue;
    const limit = card ? card.getBoundingClientRect() : {left: 0, right: width};
    if (box.right > limit.right + 0.5 || box.left < limit.left - 0.5) {
      reported.add(element);
      found.push({tag: element.tagName.toLowerCase(), cls: String(element.className),
                  text: (element.textContent || element.getAttribute('aria-label') || '').trim().slice(0, 40),
                  left: Math.round(box.left), right: Math.round(box.right),
                  limit: [Math.round(limit.left), Math.round(limit.right)]});
    }
  }
  return found;
}"""


def filled(path: str, **values: object) -> str:
    """A route's path with its placeholders ({org_id:\\d{1,18}}) given values; "1" for the ones not named."""
    return re.sub(r"\{(\w+)(?::[^{}]*(?:\{[^{}]*\}[^{}]*)*)?\}", lambda m: str(values.get(m.group(1), 1)), path)


def phone_context(browser: Browser, session: SimSession) -> BrowserContext:
    return browser.new_context(
        viewport={"width": PHONE_WIDTH, "height": 844},
        extra_http_headers={SESSION_HEADER: session.key},
        locale="ru-RU",
        timezone_id="Europe/Moscow",
    )


def layout_problems(page: Page, url: str, *, words: bool, shot: Path | None = None) -> dict[str, Any]:
    """What is wrong with the screen at `url`, or nothing; a download or other file is no screen.
    `shot`: where to keep a full-page screenshot of the screen."""
    try:
        response = page.goto(url)
    except PlaywrightError as error:
        if "Download is starting" in error.message:
            return {}
        raise
    if response is None or not response.headers.get("content-type", "").startswith("text/html"):
        return {}
    if shot:
        page.screenshot(path=shot, full_page=True)
    scroll_width, client_width = page.evaluate(DOCUMENT_WIDTHS)
    problems: dict[str, Any] = {}
    if scroll_width > client_width:
        problems["document"] = [scroll_width, client_width]
    if sticking_out := page.evaluate(STICKING_OUT):
        problems["sticking_out"] = sticking_out
    if words and (narrow := page.evaluate(NARROW_TEXT)):
        problems["narrow"] = narrow
    return problems


@dataclass
class Cabinet:
    page: Page
    session: SimSession
    org_ids: list[int]
    sign_in: Callable[[], None]  # the phone's browser signed in afresh (sferum.ru's «Войти» signs it out first)


@pytest.fixture(scope="module")
def cabinet(server: SimulatorServer, sim: Simulator, browser: Browser) -> Iterator[Cabinet]:
    """A phone signed in to sferum.ru as the administrator of a school and a kindergarten."""
    session = sim.new_session(seed=390)
    personas = Personas(390)
    session.seed({"organisations": [SCHOOL, KINDERGARTEN]})
    admin, admin_ids = seed(session, personas, "admin", journal=None, org_admin=KINDERGARTEN["id"])
    teacher = replace(personas.make("teacher"), last_name=LONG_LAST_NAME)
    teacher_entry = teacher.entry(org=SCHOOL["id"], school_class="10А", vkid=True, profile=True, linked="vkid")
    session.seed({"people": [teacher_entry]})
    _, parent_ids = seed(session, personas, "parent", journal=None)

    def attach_and_ask() -> None:
        world = server.world.get(session.key)
        admin_profile = world.profiles[admin_ids["profile_id"]]
        world_organisations.attach(world, admin_profile, SCHOOL["id"], Role.ADMIN, "seed", chats_after=timedelta(0))
        kindergarten = world.organisations[KINDERGARTEN["id"]]
        orgs.request(world, kindergarten, world.profiles[parent_ids["profile_id"]], Role.PARENT)

    server.call(attach_and_ask)
    walk = HttpBrowser(server.url, session)
    sign_in_to(walk, SFERUM, "/login", admin.phone)
    invited = walk.post(
        f"/org/{KINDERGARTEN['id']}/invitations", host=SFERUM, data={"to": LONG_EMAIL, "role": "teacher"}
    )
    assert invited.status_code == 303, invited.text
    walk.close()
    context = phone_context(browser, session)

    def sign_in() -> None:
        """The VK ID walk over HTTP; its sign-in cookie handed to the phone's browser."""
        walk = HttpBrowser(server.url, session)
        sign_in_to(walk, SFERUM, "/login", admin.phone)
        signed_in = walk.http.cookies["sferum_session"]
        context.add_cookies([{"name": "sferum_session", "value": signed_in, "url": session.url("sferum", "/")}])
        walk.close()

    sign_in()
    yield Cabinet(context.new_page(), session, [SCHOOL["id"], KINDERGARTEN["id"]], sign_in)
    context.close()
    session.delete()


def cabinet_urls(cabinet: Cabinet) -> list[str]:
    """sferum.ru's GET routes, each organisation's where the path names one."""
    urls = []
    for method, path, _ in SFERUM_ROUTES:
        if method == "GET":
            ids = cabinet.org_ids if "{org_id" in path else [0]
            urls += [cabinet.session.url("sferum", filled(path, org_id=org_id)) for org_id in ids]
    return urls


def test_the_cabinet_shows_what_the_check_needs(cabinet: Cabinet) -> None:
    """Signed in: both organisations to choose from, the long name among the users, the invitation sent."""
    page = cabinet.page
    page.goto(cabinet.session.url("sferum", "/cabinet"))
    expect(page.get_by_role("heading", name="Выберите организацию")).to_be_visible()
    expect(page.get_by_role("link", name=KINDERGARTEN["name"])).to_be_visible()
    page.goto(cabinet.session.url("sferum", f"/org/{SCHOOL['id']}"))
    expect(page.get_by_test_id("users")).to_contain_text(LONG_LAST_NAME)
    expect(page.get_by_role("button", name="Выйти")).to_be_visible()
    page.goto(cabinet.session.url("sferum", f"/org/{KINDERGARTEN['id']}"))
    expect(page.get_by_test_id("invitations")).to_contain_text(LONG_EMAIL)
    expect(page.get_by_test_id("join-request")).to_have_count(1)


def test_every_cabinet_screen_fits_a_390_px_phone(cabinet: Cabinet) -> None:
    """No sideways scrolling, «Выйти» and the tables inside the window and their cards, no word broken."""
    problems: dict[str, Any] = {}
    signed_in_screens = 0
    shutil.rmtree(SHOTS, ignore_errors=True)
    SHOTS.mkdir(parents=True)
    for url in cabinet_urls(cabinet):
        cabinet.sign_in()
        shot = SHOTS / f"sferum-{re.sub(r'[^A-Za-z0-9]+', '-', urlsplit(url).path).strip('-') or 'root'}.png"
        if found := layout_problems(cabinet.page, url, words=True, shot=shot):
            problems[url] = found
        signed_in_screens += cabinet.page.get_by_test_id("admin").count()
    assert signed_in_screens >= 3  # the choice of organisations, and each organisation's cabinet
    assert problems == {}, json.dumps(problems, ensure_ascii=False, indent=1)


@pytest.mark.parametrize("platform", list(installed()))
def test_every_screen_fits_a_390_px_phone_signed_out(platform: str, browser: Browser, sim_session: SimSession) -> None:
    """Each GET route of the platform (a placeholder given 1) as a link opens it; where it lands is checked."""
    context = phone_context(browser, sim_session)
    page = context.new_page()
    problems: dict[str, Any] = {}
    checked: set[str] = set()
    for method, path, _ in installed()[platform].ROUTES:
        if method != "GET":
            continue
        url = sim_session.url(platform, filled(path))
        found = layout_problems(page, url, words=False)
        if page.url not in checked:
            checked.add(page.url)
            if found:
                problems[page.url] = found
    context.close()
    assert checked
    assert problems == {}, json.dumps(problems, ensure_ascii=False, indent=1)


# -- signed in: МЭШ, ЭлЖур, ЭШ, МАХ and VK Мессенджер ------------------------------------------------------

LYCEUM: OrganisationEntry = {
    "id": 216590391,
    "name": "Муниципальное автономное общеобразовательное учреждение «Лицей №131» Советского района г. Казани",
    "classes": ["10А", "11А"],
    "lessons": [
        {"class": "10А", "subject": "Физика", "starts_at": "2024-10-16T09:00:00+03:00", "online": True},
        {"class": "10А", "subject": "Литература", "starts_at": "2024-10-16T10:00:00+03:00"},
    ],
}
GOSUSLUGI_PASSWORD = "Gosuslugi-390"
LONG_MESSAGE = "Завтра контрольная по физике: " + "электродинамика " * 12 + "https://example.ru/" + "a" * 80
# The screens a signed-in person must have been measured on; a sign-in that failed lands on the login page.
SIGNED_IN_SCREENS = {
    "mes": {"mes-cabinet", "mes-passport"},
    "eljur": {"eljur-diary", "eljur-lesson"},  # a student: «Мой класс» is the class teacher's
    "es": {"es-diary", "es-sferum", "es-conference"},
    "max": {"max-sferum"},
    "messenger": {"messenger-home", "messenger-chats", "messenger-organisations", "messenger-settings"},
}
SIGN_IN_COOKIES = {
    "mes": "mes_session",
    "eljur": "eljur_session",
    "es": "es_session",
    "max": "max_session",
    "messenger": "messenger_session",
}


@dataclass
class SignedIn:
    page: Page
    session: SimSession
    values: dict[str, int]  # route placeholders: a chat, a lesson of the person's


def _walk_sign_ins(walk: HttpBrowser, session: SimSession, people: dict[str, Any]) -> None:
    """Each platform's own way in, over HTTP; the cookies end up in `walk`."""
    for platform in ("mes", "es"):
        person = people[platform]
        answer = walk.post("/", host=f"{platform}.localhost", data={"login": person.login, "password": person.password})
        assert answer.status_code == 303, answer.text
    eljur = people["eljur"]
    walk.get(location(walk.post("/login", host="eljur.localhost")))  # Госуслуги's «Вход»
    back = walk.post("/login", host="gosuslugi.localhost", data={"login": eljur.phone, "password": GOSUSLUGI_PASSWORD})
    walk.get(location(back))
    max_person = people["max"]
    assert location(walk.get("/sferum", host="max.localhost"), 303) == "/login"
    walk.post("/login", host="max.localhost", data={"phone": max_person.phone})
    walk.post("/code", host="max.localhost", data={"code": session.last_code(max_person.phone, channel="sms")})
    sign_in_to(walk, "messenger.localhost", "/", people["messenger"].phone)


@pytest.fixture(scope="module")
def signed_in(server: SimulatorServer, sim: Simulator, browser: Browser) -> Iterator[SignedIn]:
    """A phone signed in to the five platforms, each as a person with a long name, linked, in a class with chats."""
    session = sim.new_session(seed=391)
    personas = Personas(391)
    session.seed({"organisations": [LYCEUM]})
    linked: Any = {"org": LYCEUM["id"], "school_class": "10А", "vkid": True, "profile": True, "linked": "vkid"}
    people = {
        "mes": replace(personas.make("teacher"), last_name=LONG_LAST_NAME),
        "es": replace(personas.make("student"), last_name=LONG_LAST_NAME),
        "eljur": replace(personas.make("student"), last_name=LONG_LAST_NAME),
        "max": replace(personas.make("teacher"), last_name=LONG_LAST_NAME),
    }
    people["messenger"] = people["mes"]
    gosuslugi: Any = {"login": "phone", "password": GOSUSLUGI_PASSWORD, "confirmed": True}
    entries = [
        people["mes"].entry(**linked),
        people["es"].entry(journal="es", **linked),
        people["eljur"].entry(journal="eljur", gosuslugi=gosuslugi, **linked),
        people["max"].entry(org=LYCEUM["id"], school_class="11А", max_account=True, max_profile=True, linked="max"),
    ]
    session.seed({"people": entries})
    walk = HttpBrowser(server.url, session)
    _walk_sign_ins(walk, session, people)
    world = session.snapshot()
    class_chat = next(c["id"] for c in world["chats"] if c["title"] == "10А · Общая беседа")
    sent = walk.post(f"/chats/{class_chat}", host="messenger.localhost", data={"action": "send", "text": LONG_MESSAGE})
    assert sent.status_code == 303, sent.text
    context = phone_context(browser, session)
    cookies = {cookie.name: cookie.value or "" for cookie in walk.http.cookies.jar}
    context.add_cookies(
        [
            {"name": name, "value": cookies[name], "url": session.url(platform, "/")}
            for platform, name in SIGN_IN_COOKIES.items()
        ]
    )
    walk.close()
    lesson = next(lesson["id"] for lesson in world["lessons"] if lesson["subject"] == "Физика")
    yield SignedIn(context.new_page(), session, {"chat_id": class_chat, "lesson_id": lesson})
    context.close()
    session.delete()


# Text a screen cuts or breaks on purpose, not squeezed by a narrow box: a chat's title ends in «…» as seed 001's
# list shows («МБОУ "Школа №51" Вахитовского района г. Казани · О...»); a message's long link breaks anywhere;
# ЭлЖур's top bar stays one line and the person's name gives way there.
DELIBERATE = {("a", "chat-title"), ("p", "text"), ("span", "user")}


def squeezed(problems: dict[str, Any]) -> dict[str, Any]:
    """`problems` without the words cut or broken on purpose."""
    narrow = [word for word in problems.get("narrow", []) if (word["tag"], word["cls"]) not in DELIBERATE]
    return {kind: found for kind, found in {**problems, "narrow": narrow}.items() if found}


@pytest.mark.parametrize("platform", list(SIGNED_IN_SCREENS))
def test_every_screen_fits_a_390_px_phone_signed_in(platform: str, signed_in: SignedIn) -> None:
    """Each GET screen of the platform as its signed-in person sees it: the chat, lesson and conference of their
    class where the path names one. Ways back from another platform (…/callback) are the sign-in's, not screens."""
    page = signed_in.page
    problems: dict[str, Any] = {}
    screens: set[str] = set()
    for method, path, _ in installed()[platform].ROUTES:
        if method != "GET" or "callback" in path:
            continue
        url = signed_in.session.url(platform, filled(path, **signed_in.values))
        if found := squeezed(layout_problems(page, url, words=True)):
            problems[page.url] = found
        if urlsplit(page.url).hostname == urlsplit(url).hostname:
            screens.update(
                filter(None, page.locator("[data-screen]").evaluate_all("s => s.map(e => e.dataset.screen)"))
            )
    assert SIGNED_IN_SCREENS[platform] <= screens, f"signed in, expected {SIGNED_IN_SCREENS[platform]}; saw {screens}"
    assert problems == {}, json.dumps(problems, ensure_ascii=False, indent=1)
