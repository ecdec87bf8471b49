"""Steps every platform shares: the school, buttons by their label, messages, and the world's state."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Locator, Page, expect
from pytest_bdd import given, parsers, then, when

from simulator import SESSION_HEADER, hosts
from simulator.testing import Persona, SimSession
from simulator.testing.acts import (
    Alert,
    Click,
    FieldAlert,
    Fill,
    Gained,
    Group,
    Heading,
    Notice,
    Reload,
    Shows,
    Table,
    Text,
    TypedBack,
    Unchanged,
    Wait,
    Where,
    acts,
    checks,
)
from simulator.testing.client import Link, Message

from .failures import created, fail, first, listed

# fixtures/ in the repository, package data of the wheel: found the same way in both.
SCHOOLS = resources.files("sferum_sim_steps.fixtures") / "schools.json"
# Who acts in a step; the steps do not depend on it, the features read better with it.
WHO = r"(?:учитель|ученик|родитель|пользователь|администратор)"


@dataclass
class Scene:
    """What a scenario has set up and seen so far."""

    actor: Persona | None = None
    org: dict[str, Any] | None = None
    login: str | None = None  # what was typed into «Телефон или почта»
    password: str | None = None  # a password the actor set during the scenario
    last_message: int = 0  # outbox id already read, so each step reads the next code
    entered: dict[str, str] = field(default_factory=dict)
    profiles_before: int = 0
    earlier: list[Persona] = field(default_factory=list)  # who acted before the actor, in one world

    def cast(self, persona: Persona) -> None:
        """`persona` acts from now on; one who acted before stays in the world, to sit down again later."""
        if self.actor is not None and self.actor is not persona:
            self.earlier.append(self.actor)
        self.actor = persona

    @property
    def person(self) -> Persona:
        """The actor, once a «Дано» step has named who acts."""
        if self.actor is None:
            fail("человек, который действует в сценарии", "ни один шаг «Дано» его ещё не назвал")
        return self.actor

    @property
    def typed_login(self) -> str:
        """What the actor typed into «Телефон или почта»."""
        if self.login is None:
            fail("введённое в поле «Телефон или почта»", "в это поле ещё ничего не вводили")
        return self.login

    def typed(self, field_label: str) -> str:
        """What the actor typed into this field earlier in the scenario («code»: the confirmation code read)."""
        if field_label not in self.entered:
            what = "код подтверждения" if field_label == "code" else f"поле «{field_label}»"
            typed = "введено только " + listed(self.entered) if self.entered else "ни один шаг ничего не вводил"
            fail(f"введённое раньше в сценарии: {what}", typed)
        return self.entered[field_label]

    @property
    def school(self) -> dict[str, Any]:
        """The organisation a «Дано» step has seeded."""
        if self.org is None:
            fail("школа сценария", "её ещё не назвал шаг «Дано школа «…»»")
        return self.org


@pytest.fixture
def scene() -> Scene:
    return Scene()


def button(page: Page | Locator, label: str) -> Locator:
    """A button or a link, by its exact visible label (on the page, or inside a part of it)."""
    return page.get_by_role("button", name=label, exact=True).or_(page.get_by_role("link", name=label, exact=True))


def read_code(sim_session: SimSession, scene: Scene, to: str) -> Message:
    """The next message sent to `to`: the server answers as soon as it is sent."""
    message = sim_session.wait_message(to=to, after=scene.last_message)
    scene.last_message = message["id"]
    return message


def read_latest_code(sim_session: SimSession, scene: Scene, to: str) -> Message:
    """The newest message sent to `to`, once one after those already read has come: what the user has in hand
    after asking for a new code without reading the first."""
    message = read_code(sim_session, scene, to)
    newer = [m for m in sim_session.messages(to=to) if m["id"] > message["id"]]
    if newer:
        message = newer[-1]
        scene.last_message = message["id"]
    return message


# -- a phone number as the seeds print it ----------------------------------------------------------
# Written from the seeds' own examples, not with the simulator's formatter, so a wrong format on a screen
# fails a scenario: seed 003 prints the number +71991111111 as «+7 199 111-11-11» («Используйте пароль,
# указанный при регистрации с телефоном +7 199 111-11-11») and the number an SMS went to as
# «+7 *** ** *11» («Мы отправили SMS с кодом на номер +7 *** ** *11»). tests/test_seed_phones.py holds
# the rule to those examples.
PHONE_DIGITS = re.compile(r"\+7(\d{3})(\d{3})(\d{2})(\d{2})")


def seed_phone(phone: str) -> str:
    """+71991111111 → «+7 199 111-11-11»: the code, then the number in groups of three, three, two and two."""
    found = PHONE_DIGITS.fullmatch(phone)
    if found is None:
        fail("номер мобильного телефона в виде +7XXXXXXXXXX", f"«{phone}»")
    code, first, second, third = found.groups()
    return f"+7 {code} {first}-{second}-{third}"


def seed_masked_phone(phone: str) -> str:
    """+71991111111 → «+7 *** ** *11»: only the last two digits shown, the rest as stars in groups."""
    found = PHONE_DIGITS.fullmatch(phone)
    if found is None:
        fail("номер мобильного телефона в виде +7XXXXXXXXXX", f"«{phone}»")
    return f"+7 *** ** *{phone[-2:]}"


def code_of(message: Message) -> str:
    """What the user types: the SMS/e-mail code, or the calling number's last four digits."""
    if message["channel"] == "call":
        if not message["caller"]:
            fail("звонок с номера, последние 4 цифры которого — код", f"звонок без номера: {message}")
        return re.sub(r"\D", "", message["caller"])[-4:]
    return message["code"]


# -- the world ------------------------------------------------------------------------------------


@given(parsers.re(r"школа «(?P<name>.+)»"))
def school(sim_session: SimSession, scene: Scene, name: str) -> None:
    """Seeds the organisation of this name from fixtures/schools.json into the world and makes it the scenario's school."""
    organisations = json.loads(SCHOOLS.read_text(encoding="utf-8"))["organisations"]
    scene.org = first(
        (org for org in organisations if org["name"] == name),
        f"школа «{name}» из fixtures/schools.json",
        "там только " + ", ".join(f"«{org['name']}»" for org in organisations),
    )
    sim_session.seed({"organisations": [scene.org]})


SEATS = {"учитель": "teacher", "ученик": "student", "родитель": "parent"}


@when(parsers.re(r"за другой компьютер садится (?P<who>учитель|ученик|родитель)"), target_fixture="page")
def another_computer(
    new_context: Callable[..., BrowserContext], sim_session: SimSession, scene: Scene, who: str
) -> Page:
    """The person of this role seeded earlier in the scenario acts from here on, in a browser of their own (none of the last one's cookies); the world as it is now is what their checks compare with."""
    persona = next((p for p in reversed(scene.earlier) if p.role == SEATS[who]), None)
    if persona is None:
        fail(f"{who}, который действовал в сценарии раньше", f"до этого шага {who} в сценарии не было")
    scene.earlier.remove(persona)
    scene.cast(persona)
    scene.login, scene.password, scene.entered = None, None, {}
    scene.profiles_before = len(sim_session.snapshot("profiles")["profiles"])
    context = new_context(
        extra_http_headers={SESSION_HEADER: sim_session.key}, locale="ru-RU", timezone_id="Europe/Moscow"
    )
    return context.new_page()


# -- the screen -----------------------------------------------------------------------------------


@when(parsers.re(rf"(?:{WHO} )?нажимает «(?P<label>[^«»]+)»"))
@acts(Click(Group("label")))
def press(page: Page, label: str) -> None:
    """Clicks the button or link with exactly this label."""
    button(page, label).click()


@then(parsers.re(r"открывается окно «(?P<title>[^«»]+)»"))
@checks(Heading(Group("title")))
def dialog_opens(page: Page, title: str) -> None:
    """Checks the screen shows a heading with exactly this title; the world is not checked."""
    expect(page.get_by_role("heading", name=title, exact=True)).to_be_visible()


@then(parsers.re(r"(?P<platform>МЭШ|VK ID) сообщает «(?P<text>.+)»$"))
@checks(Notice(Group("text"), platform=Group("platform")))
@checks(Text("linked-message", Group("text"), values={"platform": "МЭШ"}))
@checks(Text("unlink-question", Group("text"), values={"platform": "МЭШ"}))
def platform_says(page: Page, platform: str, text: str) -> None:
    """Checks the screen shows exactly this text (whichever platform is named); the world is not checked."""
    expect(page.get_by_text(text, exact=True)).to_be_visible()


@then(parsers.re(r"(?P<platform>МЭШ|VK ID) показывает ошибку «(?P<text>.+)»$"))
@checks(Alert(Group("text"), platform=Group("platform")))
def platform_shows_error(page: Page, platform: str, text: str) -> None:
    """Checks the page's alert reads exactly this text; the world is not checked."""
    expect(page.get_by_role("alert")).to_have_text(text)


@then(parsers.re(r"у поля «(?P<label>[^«»]+)» ошибка «(?P<text>.+)»$"))
@checks(FieldAlert(Group("label"), Group("text")))
def field_error(page: Page, label: str, text: str) -> None:
    """Checks the field with this label is marked aria-invalid and the error it is described by reads exactly this text."""
    field_ = page.get_by_label(label, exact=True)
    expect(field_).to_have_attribute("aria-invalid", "true")
    error_id = field_.get_attribute("aria-describedby")
    expect(page.locator(f"#{error_id}")).to_have_text(text)


@when(parsers.re(r"проходит (?P<minutes>\d+) минут[аы]?"))
@acts(Wait(Group("minutes"), unit=60))
def time_passes(sim_session: SimSession, minutes: str) -> None:
    """Moves the simulator's clock on by this many minutes."""
    sim_session.advance(int(minutes) * 60)


@when(parsers.re(r"проходит (?P<seconds>\d+) секунд[аы]?"))
@acts(Wait(Group("seconds")))
def seconds_pass(sim_session: SimSession, seconds: str) -> None:
    """Moves the simulator's clock on by this many seconds; a page already open shows what it showed."""
    sim_session.advance(int(seconds))


@given("часы симулятора идут, и страница сама отсчитывает секунды")
def clock_runs(page: Page, sim_session: SimSession) -> None:
    """Sets the simulator's clock running from where it stands (countdowns tick in the page) and hands the page's timers to Playwright's clock, so the test moves them."""
    sim_session.set_clock(sim_session.snapshot("clock")["clock"]["now"], running=True)
    page.clock.install()


@when(parsers.re(r"на экране проходит (?P<seconds>\d+) секунд[аы]?"))
def seconds_pass_on_screen(page: Page, sim_session: SimSession, seconds: str) -> None:
    """Marks the open page, then moves the simulator's clock and the page's timers on by this many seconds, without reloading."""
    page.evaluate("window.sferumSimSamePage = true")
    sim_session.advance(int(seconds))
    page.clock.run_for(int(seconds) * 1000)


def expect_countdown(page: Page, text: str) -> None:
    """Checks the countdown reads `text` («SMS придёт в течение 01:59») as the server rendered it.

    Where the simulator's clock runs (a recording, `serve`) the page ticks the countdown down once a second, and
    the moment a check reads it is not the moment the page arrived: the same words with a time no later than
    `text`'s then hold. A frozen clock (every scenario's) keeps the exact text.
    """
    countdown = page.get_by_test_id("countdown")
    if countdown.get_attribute("data-clock") != "running":
        expect(countdown).to_have_text(text)
        return
    words, _, at = text.rpartition(" ")
    expect(countdown).to_have_text(re.compile(rf"{re.escape(words)} \d\d:\d\d"))
    shown = countdown.inner_text().rpartition(" ")[2]
    if _seconds(shown) > _seconds(at):
        fail(f"отсчёт «{text}» или меньше", f"«{countdown.inner_text()}»")


def _seconds(clock: str) -> int:
    minutes, _, seconds = clock.partition(":")
    return int(minutes) * 60 + int(seconds)


@then(parsers.re(r"вместо отсчёта появляется «(?P<label>[^«»]+)», страница не обновлялась"))
def countdown_replaced(page: Page, label: str) -> None:
    """Checks the countdown is gone and the button with this label is shown, on the page marked before (no reload)."""
    expect(page.get_by_test_id("countdown")).to_have_count(0)
    expect(button(page, label)).to_be_visible()
    if not page.evaluate("window.sferumSimSamePage === true"):
        fail("та же страница, без перезагрузки", "страница перезагрузилась")


@when(parsers.re(rf"(?:{WHO} )?обновляет страницу"))
@acts(Reload())
def reload(page: Page) -> None:
    """Reloads the page in the browser."""
    page.reload()


@when(parsers.re(rf"(?:{WHO} )?вводит «(?P<value>[^»]*)» в поле «(?P<label>[^«»]+)» и нажимает «(?P<press>[^«»]+)»"))
@acts(Fill(Group("label"), Group("value")), Click(Group("press")))
# Nothing typed is no event a page sends: the forms where sending nothing is the point say it by their own words.
@acts(
    Fill("Сообщение", ""),
    Click("Отправить", role="button"),
    values={"value": "", "label": "Сообщение", "press": "Отправить"},
)
@acts(
    Fill("Название чата", ""),
    Click("Создать", role="button"),
    values={"value": "", "label": "Название чата", "press": "Создать"},
)
def type_into(page: Page, value: str, label: str, press: str) -> None:
    """Fills the field with this label with the value and clicks the button or link with the given label."""
    page.get_by_label(label, exact=True).fill(value)
    button(page, press).click()


@then(parsers.re(r"поле «(?P<label>[^«»]+)» показывает «(?P<value>[^»]*)» как обычный текст"))
@checks(TypedBack(Group("label"), Group("value")))
def shows_as_text(page: Page, label: str, value: str) -> None:
    """What the user typed comes back as text: markup in it is neither run nor rendered."""
    expect(page.get_by_label(label, exact=True)).to_have_value(value)
    assert page.locator("body b, body script:not([src])").count() == 0


# -- the chat list (simulator/templates/chat_list.html), wherever Sferum shows it ------------------

WHERE_CHATS = r"(?P<where>во вкладке «Сферум»|в Сферуме)"
CHAT_COLUMNS = ("чат", "описание")
# Where the list is, as the sentences say it: ЭШ's tab «Сферум», VK Мессенджер's main screen.
IN_ES_TAB = Where(("es-sferum",), {"where": "во вкладке «Сферум»"})
IN_MESSENGER = Where(("messenger-home",), {"where": "в Сферуме"})


@then(parsers.re(rf"{WHERE_CHATS} сказано, что чаты создаются, и чатов (?P<listed>в списке )?пока нет"))
@checks(Shows("Чаты создаются."), Where(("es-sferum",), {**IN_ES_TAB.values, "listed": "в списке "}))
@checks(Shows("Чаты создаются."), IN_MESSENGER)
def chats_being_created(page: Page) -> None:
    """Checks the chat list says «Чаты создаются.», its heading is «Чаты 0» and it lists no chat; the world is not checked."""
    expect(page.get_by_test_id("chats-pending")).to_contain_text("Чаты создаются.")
    expect(page.get_by_role("heading", name="Чаты 0", exact=True)).to_be_visible()
    expect(page.get_by_test_id("chat")).to_have_count(0)


@then(parsers.re(rf"{WHERE_CHATS} «(?P<heading>Чаты \d+)»(?P<listed>, в списке)?:"))
@checks(Table("chats", CHAT_COLUMNS), Text("chats-title", Group("heading")), IN_ES_TAB)
@checks(
    Table("chats", CHAT_COLUMNS),
    Text("chats-title", Group("heading")),
    Where(("messenger-home",), {**IN_MESSENGER.values, "listed": ", в списке"}),
)
def chats_listed(page: Page, heading: str, datatable: list[list[str]]) -> None:
    """Checks the chat list has this heading, no «Чаты создаются.», and exactly the table's chats (title and caption) in order."""
    expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible()
    expect(page.get_by_test_id("chats-pending")).to_have_count(0)
    expect(page.get_by_test_id("chat")).to_have_text([f"{title} {caption}" for title, caption in datatable[1:]])


# -- what the world now holds ---------------------------------------------------------------------


def _links_of(sim_session: SimSession, person: Persona, journal: str) -> list[Link]:
    return [link for link in sim_session.links() if link["person_id"] == person.key and link["journal"] == journal]


# VK ID's screens where a sign-in is refused: the phone or e-mail, the password, the code, «Информация о себе».
VKID_SCREENS = ("login", "password", "code-sms", "code-call", "code-email", "about")
# Each e-journal by its word in the sentences, as the platform table names it: {"ЭШ": "es", …}.
JOURNALS = {word: journal for journal, word in hosts.JOURNAL_WORDS.items()}
JOURNAL_WORDS = dict(hosts.JOURNAL_WORDS)
ANY_JOURNAL = "|".join(map(re.escape, JOURNALS))  # МЭШ|ЭлЖур|ЭШ


@then(parsers.re(rf"учетная запись (?P<journal>{ANY_JOURNAL}) привязана к его учебному профилю$"))
@checks(Gained("linked", journal=Group("journal"), without=("profile_created",), names=JOURNAL_WORDS, via="vkid"))
def linked_to_own_profile(sim_session: SimSession, scene: Scene, journal: str) -> None:
    """Checks the world: the actor's journal account has exactly one link, via VK ID, to their own profile, and no profile was added."""
    links = _links_of(sim_session, scene.person, JOURNALS[journal])
    profile_id = created(scene.person.ids, "profile_id", "него", "учебный профиль")
    assert [(link["profile_id"], link["via"]) for link in links] == [(profile_id, "vkid")]
    assert len(sim_session.snapshot("profiles")["profiles"]) == scene.profiles_before


@then(parsers.re(r"учетная запись (?P<journal>МЭШ|ЭШ) не привязана, учебный профиль не создан"))
@checks(Unchanged(("linked", "profile_created"), journal="mes"))
# ЭШ's refusals are VK ID's (its journal has no sign-in of its own to refuse): said «учетная запись ЭШ».
@checks(Unchanged(("linked", "profile_created"), journal="es"), Where(VKID_SCREENS, {"journal": "ЭШ"}))
def nothing_linked(sim_session: SimSession, scene: Scene, journal: str) -> None:
    """Checks the world: the actor's МЭШ (or ЭШ) account has no link and there are as many profiles as when the actor was seeded."""
    assert _links_of(sim_session, scene.person, JOURNALS[journal]) == []
    assert len(sim_session.snapshot("profiles")["profiles"]) == scene.profiles_before


@then(
    parsers.re(
        r"на платформе создан учебный профиль с введёнными данными, и он привязан к учетной записи "
        rf"(?P<journal>{ANY_JOURNAL})$"
    )
)
@checks(Gained("linked", journal=Group("journal"), also=("profile_created",), names=JOURNAL_WORDS, via="vkid"))
def created_profile_linked(sim_session: SimSession, scene: Scene, journal: str) -> None:
    """Checks the world: one new profile, of the VK ID account on the actor's phone, has the name typed, their birth date and sex, and is the only link (via VK ID) of their journal account."""
    world = sim_session.snapshot()
    account = first(
        (a for a in world["vkid_accounts"] if a["phone"] == scene.person.phone),
        f"аккаунт VK ID на телефоне {scene.person.phone}",
        "такого аккаунта нет",
    )
    profile = first(
        (p for p in world["profiles"] if p["id"] == account["profile_id"]),
        "учебный профиль этого аккаунта VK ID",
        "у аккаунта нет профиля",
    )
    assert (profile["last_name"], profile["first_name"], profile["patronymic"]) == (
        scene.typed("Фамилия"),
        scene.typed("Имя"),
        scene.typed("Отчество (необязательно)") or None,
    )
    assert (profile["birth_date"], profile["sex"]) == (scene.person.birth_date.isoformat(), scene.person.sex)
    assert len(world["profiles"]) == scene.profiles_before + 1
    links = _links_of(sim_session, scene.person, JOURNALS[journal])
    assert [(link["profile_id"], link["via"]) for link in links] == [(profile["id"], "vkid")]


@then("учебный профиль не создан")
@checks(Unchanged(("profile_created",)))
@checks(Unchanged(("profile_created",), screens=("profile",), refused=False))  # back on VK ID's account («←»)
def no_profile_created(sim_session: SimSession, scene: Scene) -> None:
    """Checks the world: there are as many profiles as when the actor was seeded."""
    assert len(sim_session.snapshot("profiles")["profiles"]) == scene.profiles_before


@then("на платформе создан учебный профиль по почте с введёнными данными, и он привязан к учетной записи МЭШ ученика")
@checks(Gained("linked", also=("profile_created",), via="vkid", sent="email"))
def email_profile_linked(sim_session: SimSession, scene: Scene) -> None:
    """Checks the world: the VK ID account on the child's e-mail has the password set (the actor's own, unless the scenario set another) and no phone, its profile has the name typed, birth date and sex, and the child's МЭШ account is linked to it alone."""
    world = sim_session.snapshot()
    account = first(
        (a for a in world["vkid_accounts"] if a["email"] == scene.person.email),
        f"аккаунт VK ID на почте {scene.person.email}",
        "такого аккаунта нет",
    )
    assert account["password"] == (scene.password or scene.person.password) and account["phone"] is None
    profile = first(
        (p for p in world["profiles"] if p["id"] == account["profile_id"]),
        "учебный профиль этого аккаунта VK ID",
        "у аккаунта нет профиля",
    )
    assert (profile["last_name"], profile["first_name"]) == (scene.typed("Фамилия"), scene.typed("Имя"))
    assert (profile["birth_date"], profile["sex"]) == (scene.person.birth_date.isoformat(), scene.person.sex)
    assert [link["profile_id"] for link in _links_of(sim_session, scene.person, "mes")] == [profile["id"]]


@then("код подтверждения не отправлен")
@checks(Unchanged(("code_sent",)))
@checks(Unchanged(("code_sent",), screens=("password",), refused=False))  # a password asked for instead of a code
def no_code_sent(sim_session: SimSession, scene: Scene) -> None:
    """Checks the world: the simulator sent no message to the actor's phone or e-mail."""
    assert sim_session.messages(to=scene.person.phone) == []
    assert sim_session.messages(to=scene.person.email) == []
