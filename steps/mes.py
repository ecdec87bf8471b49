"""МЭШ steps: its people, signing in to a cabinet, the navigation panel, the app «Моя школа Журнал», «Мой паспорт»."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypedDict

from playwright.sync_api import BrowserContext, Page, Playwright, expect
from pytest_bdd import given, parsers, then, when

from simulator import SESSION_HEADER
from simulator.testing import Personas, SimSession
from simulator.testing.acts import Actor, Click, Device, Fill, Open, Shows, acts, checks
from simulator.world.seed.schema import CodeChannel, LinkedVia

from .common import WHO, Scene
from .failures import first, known, the_only

PHONE = "Pixel 7"  # the phone the app «Моя школа Журнал» runs on in the scenarios


class Accounts(TypedDict, total=False):
    """What a person has besides the journal account: `Persona.entry`'s switches."""

    vkid: bool
    profile: bool
    max_account: bool
    max_profile: bool
    linked: LinkedVia


ACCOUNTS: dict[str, Accounts] = {
    "у которого есть учебный профиль Сферум": {"vkid": True, "profile": True},
    "у которого есть VK ID, но нет учебного профиля Сферум": {"vkid": True, "profile": False},
    "у которого нет ни VK ID, ни учебного профиля Сферум": {"vkid": False, "profile": False},
    "у которого есть МАХ и учебный профиль Сферум в МАХ": {"max_account": True, "max_profile": True},
    "у которого есть учебный профиль Сферум и МАХ с тем же номером телефона": {
        "vkid": True,
        "profile": True,
        "max_account": True,
    },
    "у которого нет ни МАХ, ни учебного профиля Сферум": {},
    "у которого учебный профиль Сферум привязан через VK ID": {"vkid": True, "profile": True, "linked": "vkid"},
    "у которого учебный профиль Сферум привязан через МАХ": {"max_account": True, "max_profile": True, "linked": "max"},
}


# Seed 001: «Вход по номеру телефона необходимо подтвердить SMS-кодом или с помощью звонка» — the person's case.
CODE_CHANNELS: dict[str, CodeChannel] = {"звонком": "call", "по SMS": "sms"}


@given(
    parsers.re(
        r"учитель МЭШ, (?P<accounts>у которого .+?)"
        r"(?:, и вход по номеру телефона он подтверждает (?P<how>звонком|по SMS))?$"
    )
)
def mes_teacher(sim_session: SimSession, personas: Personas, scene: Scene, accounts: str, how: str | None) -> None:
    """Seeds a МЭШ teacher (in the school's first class, if a school is named) with the VK ID, profile, МАХ and link the words list, VK ID confirming their phone by the call or SMS named (else as the session's setting says), and makes them the actor."""
    teacher = personas.make("teacher")
    org = scene.school["id"] if scene.org else None
    school_class = scene.school["classes"][0] if scene.org else None
    channel = CODE_CHANNELS[how] if how else None
    has = known(ACCOUNTS, accounts, "у учителя МЭШ —")
    entry = teacher.entry(org=org, school_class=school_class, code_channel=channel, **has)
    created = sim_session.seed({"people": [entry]})
    teacher.ids = created["people"][teacher.key]
    scene.cast(teacher)
    scene.profiles_before = len(sim_session.snapshot("profiles")["profiles"])


CHILD_ACCOUNTS: dict[str, Accounts] = {
    "": {},
    ", на почту которого уже создан учебный профиль": {"vkid": True, "profile": True},
    ", у почты которого есть VK ID без учебного профиля": {"vkid": True, "profile": False},
}


@given(parsers.re(r"ученик (?P<age>младше 14 лет|14 лет и старше) с учетной записью МЭШ(?P<accounts>.*)$"))
def mes_child(sim_session: SimSession, personas: Personas, scene: Scene, age: str, accounts: str) -> None:
    """A student (under 14, or 14 to 17) whose VK ID (if any) is registered by e-mail only, with a password, as seed 002 has it."""
    child = personas.make("student", age="child" if age == "младше 14 лет" else None)
    org = scene.school["id"] if scene.org else None
    school_class = scene.school["classes"][0] if scene.org else None
    entry = child.entry(org=org, school_class=school_class, **known(CHILD_ACCOUNTS, accounts, "у ученика МЭШ —"))
    if vkid := entry.get("vkid"):
        vkid["password"] = child.password
        entry["phone"] = None  # the e-mail is the only way in
    created = sim_session.seed({"people": [entry]})
    child.ids = created["people"][child.key]
    scene.cast(child)
    scene.profiles_before = len(sim_session.snapshot("profiles")["profiles"])


@when(parsers.re(rf"{WHO} входит в «(?P<cabinet>[^«»]+)»"))
@acts(
    Open("mes"),
    Fill("Логин", Actor("login")),
    Fill("Пароль", Actor("password")),
    Click("Войти", role="button"),
    reads={"cabinet": "cabinet"},
)
def sign_in(page: Page, sim_session: SimSession, scene: Scene, cabinet: str) -> None:
    """Opens МЭШ, signs in with the actor's login and password and checks the cabinet shown is the named one."""
    page.goto(sim_session.url("mes", "/"))
    page.get_by_label("Логин").fill(scene.person.login)
    page.get_by_label("Пароль").fill(scene.person.password)
    page.get_by_role("button", name="Войти").click()
    expect(page.get_by_test_id("cabinet")).to_have_text(cabinet)


@when(parsers.re(rf"(?:{WHO} )?нажимает на кнопку перехода в Сферум в навигационной панели"))
@acts(Click("Сферум", role="link", within="Навигационная панель"))
def navigation_sferum(page: Page) -> None:
    """Clicks the link «Сферум» in the «Навигационная панель»."""
    page.get_by_role("navigation", name="Навигационная панель").get_by_role("link", name="Сферум").click()


@then("МЭШ показывает, что Сферум подключен к его учебному профилю")
@checks(Shows("Сферум подключен: учебный профиль"))
def mes_shows_link(page: Page, sim_session: SimSession, scene: Scene) -> None:
    """Checks МЭШ's Sferum status on the screen shows the id of the profile the world links the actor's account to."""
    profile_id = first(
        (link["profile_id"] for link in sim_session.links() if link["person_id"] == scene.person.key),
        "привязка его учетной записи МЭШ к учебному профилю",
        "привязки нет",
    )
    expect(page.get_by_test_id("sferum-status")).to_contain_text(f"id {profile_id}")


# -- the app «Моя школа Журнал» (МЭШ on a phone) ----------------------------------------------------


@given(parsers.re(rf"(?:{WHO} )?пользуется мобильным приложением «Моя школа Журнал»"), target_fixture="page")
@acts(Device(PHONE))
def mobile_app(
    playwright: Playwright,
    new_context: Callable[..., BrowserContext],
    browser_context_args: dict[str, Any],
    sim_session: SimSession,
) -> Page:
    """From here on the scenario's page is a phone's: the app shows МЭШ in a mobile web view."""
    device = {
        k: v
        for k, v in playwright.devices[PHONE].items()
        if k != "default_browser_type" and k not in browser_context_args
    }
    context = new_context(
        **device, extra_http_headers={SESSION_HEADER: sim_session.key}, locale="ru-RU", timezone_id="Europe/Moscow"
    )
    return context.new_page()


@when(parsers.re(rf"(?:{WHO} )?нажимает на кнопку мессенджера в верхней панели приложения «Моя школа Журнал»"))
@acts(Click("Мессенджер", role="link"))
def app_messenger(page: Page) -> None:
    """Checks the app's top panel «Моя школа Журнал» and clicks its link «Мессенджер»."""
    panel = page.get_by_role("banner").filter(has_text="Моя школа Журнал")
    expect(panel.get_by_text("Моя школа Журнал", exact=True)).to_be_visible()
    panel.get_by_role("link", name="Мессенджер", exact=True).click()


# -- «Мой паспорт» → «Безопасность» --------------------------------------------------------------


@when(parsers.re(rf"(?:{WHO} )?переходит в «Мой паспорт» и открывает вкладку «Безопасность»"))
@acts(Click("Мой паспорт", role="link"), Click("Безопасность", role="link", within="Разделы паспорта"))
def passport_security(page: Page) -> None:
    """Clicks «Мой паспорт», checks its heading and opens the tab «Безопасность» in «Разделы паспорта»."""
    page.get_by_role("link", name="Мой паспорт", exact=True).click()
    expect(page.get_by_role("heading", name="Мой паспорт")).to_be_visible()
    page.get_by_role("navigation", name="Разделы паспорта").get_by_role("link", name="Безопасность").click()


@then("МЭШ показывает, что аккаунт «МЭШ» привязан к учебному профилю Сферум, и id аккаунта")
@checks(Shows("Привязан к учебному профилю Сферум"))
def passport_shows_link(page: Page, sim_session: SimSession, scene: Scene) -> None:
    """Checks the «Безопасность» tab shows «Аккаунт в «МЭШ»» linked to the Sferum profile with its id, and the world holds exactly one link of the actor's, to that profile."""
    link = the_only(
        (link for link in sim_session.links() if link["person_id"] == scene.person.key),
        "одна привязка его учетной записи",
        "привязок",
    )
    section = page.get_by_test_id("sferum-account")
    expect(section.get_by_text("Аккаунт в «МЭШ»")).to_be_visible()
    expect(section.get_by_test_id("link-status")).to_contain_text("Привязан к учебному профилю Сферум")
    expect(section.get_by_test_id("profile-id")).to_have_text(f"id {link['profile_id']}")


@then("МЭШ показывает, что аккаунт «МЭШ» не привязан к учебному профилю Сферум")
@checks(Shows("Не привязан к учебному профилю Сферум"))
def passport_shows_no_link(page: Page) -> None:
    """Checks the tab says «Не привязан к учебному профилю Сферум» and shows no profile id; the world is not checked."""
    expect(page.get_by_test_id("link-status")).to_have_text("Не привязан к учебному профилю Сферум")
    expect(page.get_by_test_id("profile-id")).to_have_count(0)


@when(parsers.re(rf"(?:{WHO} )?нажимает на значок отвязки рядом с id аккаунта"))
@acts(Click("Отвязать аккаунт «Сферум»", role="link"))
def unlink_icon(page: Page) -> None:
    """Clicks «Отвязать аккаунт «Сферум»» in the Sferum account section."""
    page.get_by_test_id("sferum-account").get_by_role("link", name="Отвязать аккаунт «Сферум»").click()
