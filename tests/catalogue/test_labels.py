"""Every «…» label the seeds quote is on the screen the seed puts it on, spelled exactly; so are the
sentences the seeds print as a screen shows them (`PRINTED`).

The labels come from the seeds (../shared/seeds/) when they are there, otherwise from the copy kept in
tests/seed_labels.json, which also names the screen of each label. Per seed, a tour walks the seed's
flow in the browser with the BDD suite's own step functions and keeps what every screen it reached
showed: its visible text and its accessible names (icon buttons such as «Мой паспорт» have only those).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page, Playwright, expect

from sferum_sim_steps import eljur, es, gosuslugi, mes, sferum, vkid
from sferum_sim_steps import max as max_steps
from sferum_sim_steps.cast import Cast
from sferum_sim_steps.common import Scene, press, school
from simulator import SESSION_HEADER
from simulator.testing import Personas, SimSession

SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"
COPY = Path(__file__).resolve().parents[1] / "seed_labels.json"
# Quoted in running text as grammatical forms, not as what a screen shows.
NOT_LABELS = {"Сферуме", "Электронной школе"}
QUOTED = re.compile(r"«[^»]+»")

KAZAN = 'МБОУ "Школа №51" Вахитовского района г. Казани'
MOSCOW = "ГБОУ Школа №1501"
LYCEUM = "МАОУ «Лицей №2»"
TULA = 'МБОУ "Средняя школа №12" г. Тулы'
# An ЭлЖур student's age, Госуслуги account and its login, as the step «ученик ЭлЖур …» takes them.
ADULT = ("14 лет и старше", "подтвержденной", None)

# The screens of the copy, each by what is on the page only when that screen is.
SCREENS = {
    "mes-cabinet": ".platform-mes [data-screen=mes-cabinet]",
    "sferum-cabinet": "[data-screen=sferum-cabinet]",
    "mes-app": ".platform-mes:has(.appbar) [data-screen=mes-cabinet]",
    "mes-dialog": ".platform-mes [data-testid=connect-dialog]",
    "mes-linked": ".platform-mes [data-testid=linked-dialog]",
    "mes-passport": ".platform-mes [data-screen=mes-passport] [data-testid=sferum-account]",
    "mes-unlink": ".platform-mes [data-testid=unlink-dialog]",
    "mes-add-profile": ".platform-mes [data-screen=mes-add-profile]",
    "max-login": ".platform-max [data-screen=max-login]",
    "max-code": ".platform-max [data-screen=max-code]",
    "vkid-login": ".platform-vkid [data-screen=login]",
    "vkid-password": ".platform-vkid [data-screen=password]",
    "vkid-account": ".platform-vkid [data-screen=profile]",
    "vkid-create-refused": ".platform-vkid [data-screen=profile] [role=alert]",
    "vkid-about": ".platform-vkid [data-screen=about]",
    "eljur-login": ".platform-eljur [data-screen=eljur-login]",
    "max-install": ".platform-max [data-screen=max-install]",
    "eljur-diary": ".platform-eljur [data-screen=eljur-diary]",
    "eljur-lesson": ".platform-eljur [data-screen=eljur-lesson]",
    "es-diary": ".platform-es [data-screen=es-diary]",
    "es-sferum": ".platform-es [data-screen=es-sferum]",
}

# What the user sees of a screen: its text and the names of its visible elements.
SHOWN = """root => [root.innerText, ...new Set(Array.from(root.querySelectorAll("[aria-label], [title]"))
    .filter(element => element.checkVisibility())
    .flatMap(element => [element.getAttribute("aria-label"), element.getAttribute("title")])
    .filter(Boolean))].join("\\n")"""


def seed_labels(seeds: Path = SEEDS) -> dict[str, set[str]]:
    """Per seed (its file name's prefix) the labels it quotes, as
    `grep -ohE '«[^»]+»' FILE | sed 's/\\*//g; s/^«//; s/»$//'` finds them (grep matches within a line)."""
    labels: dict[str, set[str]] = {}
    for path in sorted(seeds.glob("*.txt")):
        lines = path.read_text(encoding="utf-8").split("\n")
        quotes = [quote for line in lines for quote in QUOTED.findall(line)]
        found = {quote.replace("*", "").removeprefix("«").removesuffix("»") for quote in quotes}
        labels[path.name.split("_")[0]] = found - NOT_LABELS - {""}
    return labels


# Sentences a seed prints as the screen shows them (not quoted in «»), and the screen: each is checked to be
# the seed's own words (`seed_text`) and to be on that screen.
PRINTED: dict[str, dict[str, str]] = {
    "000": {
        "Для привязки обязательно необходимо скачать приложение МАХ и авторизоваться в нем.": "max-install",
        "О том, как скачать МАХ, читайте здесь.": "max-install",
    },
    "001": {
        "Мессенджер не подключен": "mes-dialog",
        "С сервисом «МЭШ ВКС» можно связать свой учебный профиль": "vkid-login",
        "Вход в учебный профиль в VK Мессенджере по VK ID": "vkid-login",
        "Общение в защищенном от посторонних лиц пространстве": "vkid-login",
        "Регистрации ВКонтакте не нужна, а если аккаунт уже есть, его никто не увидит": "vkid-login",
        "Вход в VK ID": "vkid-login",
    },
    "003": {
        "С сервисом «ЭлЖур» можно связать свой учебный профиль:": "vkid-login",
        "VK Мессенджер и VK Звонки можно использовать для учебных коммуникаций": "vkid-login",
        "Для этого используйте учебный профиль VK ID": "vkid-login",
        "Ваш профиль ВКонтакте никто не увидит": "vkid-login",
        "Нажимая на «Продолжить», вы принимаете пользовательское соглашение и политику конфиденциальности сервиса. "
        "Передаваемые данные >": "vkid-login",
        "Введите пароль": "vkid-password",
        "Информация о себе": "vkid-about",
        "Дети после 14 лет должны подтвердить свою учетную запись на Госуслугах как взрослые, то есть через МФЦ или "
        "если есть личная дебетовая карта Сбербанка или Открытия в онлайн-банкинге.": "eljur-login",
    },
}
MARKDOWN_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")


def seed_text(seed: str, seeds: Path = SEEDS) -> str:
    """A seed as a reader reads it: markdown links and emphasis dropped, whitespace collapsed."""
    [path] = seeds.glob(f"{seed}_*.txt")
    plain = MARKDOWN_LINK.sub(r"\1", path.read_text(encoding="utf-8")).replace("**", "")
    return " ".join(plain.split())


COPY_LABELS: dict[str, dict[str, str]] = json.loads(COPY.read_text(encoding="utf-8"))
LABELS = seed_labels() if SEEDS.is_dir() else {seed: set(screens) for seed, screens in COPY_LABELS.items()}


def test_the_label_copy_matches_the_seeds() -> None:
    if not SEEDS.is_dir():
        pytest.skip(f"no seeds at {SEEDS}: the labels come from the copy {COPY.name}")
    in_seeds = seed_labels()
    in_copy = {seed: set(screens) for seed, screens in COPY_LABELS.items()}
    differences = [
        f"seed {seed}: only in the seed {sorted(in_seeds.get(seed, set()) - in_copy.get(seed, set()))}, "
        f"only in the copy {sorted(in_copy.get(seed, set()) - in_seeds.get(seed, set()))}"
        for seed in sorted(in_seeds.keys() | in_copy.keys())
        if in_seeds.get(seed) != in_copy.get(seed)
    ]
    assert not differences, f"{COPY.name} is out of date with {SEEDS}:\n" + "\n".join(differences)


# -- the tours ------------------------------------------------------------------------------------


@dataclass
class Screens:
    """Screen name → what it showed each time a tour reached it, whitespace collapsed."""

    shown: dict[str, list[str]] = field(default_factory=dict)

    def record(self, name: str, page: Page) -> None:
        expect(page.locator(SCREENS[name]).first).to_be_visible()
        dialog = page.locator("[role=dialog][aria-modal=true]")
        root = dialog.first if dialog.count() else page.locator("body")  # a modal dialog is a screen of its own
        self.shown.setdefault(name, []).append(" ".join(root.evaluate(SHOWN).split()))


@dataclass
class Tour:
    """A tour's fixtures, browsers and the screens it has reached."""

    page: Page
    sim_session: SimSession
    personas: Personas
    new_context: Callable[..., BrowserContext]
    playwright: Playwright
    browser_context_args: dict[str, Any]
    screens: Screens = field(default_factory=Screens)

    def seen(self, name: str, page: Page | None = None) -> None:
        self.screens.record(name, page or self.page)

    def another_browser(self) -> Page:
        """A second person's browser: own cookies, the same test session (as browser_fixtures.context)."""
        context = self.new_context(
            extra_http_headers={SESSION_HEADER: self.sim_session.key}, locale="ru-RU", timezone_id="Europe/Moscow"
        )
        return context.new_page()

    def phone(self) -> Page:
        """A phone with the app «Моя школа Журнал»."""
        return mes.mobile_app(self.playwright, self.new_context, self.browser_context_args, self.sim_session)


TOURS: dict[str, Callable[[Tour], None]] = {}


def tour(seed: str) -> Callable[[Callable[[Tour], None]], Callable[[Tour], None]]:
    def register(walk: Callable[[Tour], None]) -> Callable[[Tour], None]:
        TOURS[seed] = walk
        return walk

    return register


@tour("000")
def max_link_and_unlink(t: Tour) -> None:
    """In the app «Моя школа Журнал»: link through МАХ, then «Мой паспорт» → «Безопасность» → the unlink dialog."""
    scene = Scene()
    school(t.sim_session, scene, KAZAN)
    mes.mes_teacher(t.sim_session, t.personas, scene, "у которого есть МАХ и учебный профиль Сферум в МАХ", None)
    max_steps.mes_uses_max(t.sim_session, {})
    phone = t.phone()
    mes.sign_in(phone, t.sim_session, scene, "Кабинет учителя")
    t.seen("mes-app", phone)
    mes.app_messenger(phone)
    t.seen("mes-dialog", phone)
    press(phone, "Перейти к подключению")
    t.seen("max-login", phone)
    max_steps.enter_phone(phone, scene)
    t.seen("max-code", phone)
    max_steps.enter_sms_code(phone, t.sim_session, scene, "Перейти в МАХ")
    t.seen("mes-linked", phone)
    press(phone, "Закрыть")
    mes.passport_security(phone)
    t.seen("mes-passport", phone)
    mes.unlink_icon(phone)
    t.seen("mes-unlink", phone)

    computer, colleague = t.another_browser(), Scene(org=scene.org)
    mes.mes_teacher(t.sim_session, t.personas, colleague, "у которого нет ни МАХ, ни учебного профиля Сферум", None)
    mes.sign_in(computer, t.sim_session, colleague, "Кабинет учителя")
    mes.navigation_sferum(computer)
    press(computer, "Перейти к подключению")
    max_steps.enter_phone(computer, colleague)
    t.seen("max-install", computer)


@tour("001")
def mes_vkid_new_profile(t: Tour) -> None:
    """A teacher with VK ID but no profile: «Кабинет учителя» → VK ID «МЭШ ВКС» → «Добавление профиля Сферум»;
    then the administrator's statistics at sferum.ru."""
    scene = Scene()
    school(t.sim_session, scene, KAZAN)
    mes.mes_teacher(t.sim_session, t.personas, scene, "у которого есть VK ID, но нет учебного профиля Сферум", None)
    mes.sign_in(t.page, t.sim_session, scene, "Кабинет учителя")
    t.seen("mes-cabinet")
    mes.navigation_sferum(t.page)
    t.seen("mes-dialog")
    press(t.page, "Перейти к подключению")
    t.seen("vkid-login")
    vkid.enter_phone(t.page, scene)
    vkid.enter_code(t.page, t.sim_session, scene)
    t.seen("vkid-account")
    press(t.page, "Создать учебный профиль")
    vkid.fill_about(t.page, scene)
    t.seen("mes-add-profile")
    visit_sferum_cabinet(t, scene)


def visit_sferum_cabinet(t: Tour, scene: Scene) -> None:
    """The organisation's administrator at sferum.ru, where «Скачать статистику» is (screen "sferum-cabinet")."""
    cast = Cast()
    sferum.org_admin(t.sim_session, t.personas, scene, cast)
    sferum.admin_signs_in(t.new_context, t.sim_session, scene, cast)
    t.seen("sferum-cabinet", cast.admin_page)


@tour("002")
def mes_child_email(t: Tour) -> None:
    """A child's МЭШ account whose e-mail has VK ID without a profile: creating one by e-mail is refused."""
    scene = Scene()
    school(t.sim_session, scene, MOSCOW)
    mes.mes_child(
        t.sim_session, t.personas, scene, "младше 14 лет", ", у почты которого есть VK ID без учебного профиля"
    )
    mes.sign_in(t.page, t.sim_session, scene, "Дневник ученика")
    mes.navigation_sferum(t.page)
    t.seen("mes-dialog")
    press(t.page, "Перейти к подключению")
    t.seen("vkid-login")
    vkid.enter_email(t.page, scene)
    vkid.enter_password(t.page, scene)
    press(t.page, "Создать учебный профиль")
    t.seen("vkid-create-refused")


def vkid_with_password(t: Tour, page: Page, scene: Scene, *, record: bool = False) -> None:
    """Seeds 003 and 004's VK ID walk to the profile choice (phone, password, SMS code); `record` notes every screen."""
    if record:
        t.seen("vkid-login", page)
    vkid.enter_phone(page, scene)
    if record:
        t.seen("vkid-password", page)
    vkid.enter_vkid_password(page, scene)
    vkid.enter_code(page, t.sim_session, scene)
    t.seen("vkid-account", page)


@tour("003")
def eljur_online_lesson(t: Tour) -> None:
    """Variant 1 to the online lesson; variant 2 (a classmate, another browser) to «Информация о себе»; a student
    of 14 with a simplified Госуслуги account refused at the entry (a third browser)."""
    scene, logins = Scene(), dict[str, tuple[str, str]]()
    school(t.sim_session, scene, LYCEUM)
    has = "у которого есть аккаунт VK с паролем и учебный профиль"
    eljur.eljur_student(t.sim_session, t.personas, scene, eljur.Diary(), logins, t.page, *ADULT, has)
    gosuslugi.sign_in_with_gosuslugi(t.page, t.sim_session, scene, logins, "ЭлЖур")
    eljur.open_diary(t.page)
    t.seen("eljur-diary")
    press(t.page, "Онлайн-урок")
    vkid_with_password(t, t.page, scene, record=True)
    press(t.page, "Продолжить в учебном профиле")
    vkid.confirm_profile(t.page, scene)
    t.seen("eljur-lesson")

    other, classmate = t.another_browser(), Scene(org=scene.org)
    has = "у которого есть аккаунт VK с паролем, но нет учебного профиля"
    eljur.eljur_student(t.sim_session, t.personas, classmate, eljur.Diary(), logins, other, *ADULT, has)
    gosuslugi.sign_in_with_gosuslugi(other, t.sim_session, classmate, logins, "ЭлЖур")
    eljur.open_diary(other)
    press(other, "Онлайн-урок")
    vkid_with_password(t, other, classmate)
    press(other, "Создать учебный профиль")
    t.seen("vkid-about", other)

    third, unconfirmed = t.another_browser(), Scene(org=scene.org)
    simplified = ("14 лет и старше", "упрощенной", None)
    eljur.eljur_student(t.sim_session, t.personas, unconfirmed, eljur.Diary(), logins, third, *simplified, "")
    gosuslugi.sign_in_with_gosuslugi(third, t.sim_session, unconfirmed, logins, "ЭлЖур")
    t.seen("eljur-login", third)


@tour("004")
def es_authorisation(t: Tour) -> None:
    """Variant 1 to the tab «Сферум»; variant 2 (a classmate, another browser) up to «Создать учебный профиль»."""
    scene = Scene()
    school(t.sim_session, scene, TULA)
    es.es_user(t.sim_session, t.personas, scene, "ученик", "у которого есть VK ID с паролем и учебный профиль Сферум")
    es.sign_in(t.page, t.sim_session, scene)
    t.seen("es-diary")
    es.open_tab(t.page, "Авторизация в Сферум")
    vkid_with_password(t, t.page, scene, record=True)
    press(t.page, "Продолжить в учебном профиле")
    vkid.confirm_profile(t.page, scene)
    t.seen("es-sferum")

    other, classmate = t.another_browser(), Scene(org=scene.org)
    has = "у которого есть VK ID с паролем, но нет учебного профиля Сферум"
    es.es_user(t.sim_session, t.personas, classmate, "ученик", has)
    es.sign_in(other, t.sim_session, classmate)
    es.open_tab(other, "Авторизация в Сферум")
    vkid_with_password(t, other, classmate)


# -- the check ------------------------------------------------------------------------------------


def on_screen(label: str, shown: str) -> bool:
    """The label as a whole phrase: «Сферум» is not found in «Сферуме»."""
    return re.search(rf"(?<!\w){re.escape(' '.join(label.split()))}(?!\w)", shown) is not None


@pytest.mark.parametrize("seed", sorted(LABELS))
def test_labels_appear_on_their_screens(
    seed: str,
    page: Page,
    sim_session: SimSession,
    personas: Personas,
    new_context: Callable[..., BrowserContext],
    playwright: Playwright,
    browser_context_args: dict[str, Any],
) -> None:
    screen_of = COPY_LABELS.get(seed, {})
    unmapped = sorted(LABELS[seed] - screen_of.keys())
    assert not unmapped, f"seed {seed}: {COPY.name} names no screen for {unmapped}"
    assert seed in TOURS, f"seed {seed}: no tour walks its flow"
    walk = Tour(page, sim_session, personas, new_context, playwright, browser_context_args)
    TOURS[seed](walk)
    shown = walk.screens.shown
    missing = []
    for label in sorted(LABELS[seed]):
        screen = screen_of[label]
        if screen not in shown:
            missing.append(f"«{label}»: the tour never reached screen {screen!r} (it reached {sorted(shown)})")
        elif not any(on_screen(label, text) for text in shown[screen]):
            texts = "\n--\n".join(shown[screen])
            missing.append(f"«{label}» is missing from screen {screen!r}, which shows:\n{texts}")
    for text, screen in PRINTED.get(seed, {}).items():  # the sentences the seed prints, on their screens too
        if not any(on_screen(text, seen) for seen in shown.get(screen, [])):
            texts = "\n--\n".join(shown.get(screen, ["(the tour never reached it)"]))
            missing.append(f"the printed «{text}» is missing from screen {screen!r}, which shows:\n{texts}")
    assert not missing, f"seed {seed}:\n" + "\n\n".join(missing)


@pytest.mark.parametrize("seed", sorted(PRINTED))
def test_printed_sentences_are_the_seeds_own_words(seed: str) -> None:
    if not SEEDS.is_dir():
        pytest.skip(f"no seeds at {SEEDS}")
    in_seed = seed_text(seed)
    missing = [text for text in PRINTED[seed] if text not in in_seed]
    assert not missing, f"seed {seed} does not print: {missing}"
