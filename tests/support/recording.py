"""A person at `sferum-sim record`'s window, and the check every recorded flow passes (tests/recorder/).

`Person` clicks and types in the recorder's browser as a person does: credentials and codes are read off
the recorder's panel, checks are added by clicking the panel's proposals, never through the recorder's
internals. `record_and_run` records one `Flow`, compares the feature written with the repository's
hand-written scenario for its ID (every step of one that the other lacks must be among the flow's
documented differences, and every documented difference must still be there) and runs it unchanged.
The walks shared by several flows (a journal's sign-in, VK ID's screens, «Информация о себе») are here.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, Error, Page, Playwright

from simulator.recorder import Options, Recording, panel, run_feature

FEATURES = Path(__file__).resolve().parents[2] / "features"
STEP = re.compile(r"^\s*(?:Дано|Когда|Тогда|И|Но) (?P<text>.+)$")


class Person:
    """Someone at one of the recorder's windows (its first by default): reads the panel, clicks and types in the page."""

    def __init__(self, recording: Recording, page: Page | None = None) -> None:
        self.recording = recording
        self.page: Page = page or recording.page

    def open_window(self, word: str) -> Person:
        """Click the panel's «Открыть окно: <word>» and go over to the window it opens for that person."""
        where = self.panel()["buttons"][f"person:{word}"]
        self.page.mouse.click(where["x"], where["y"])
        return self.window(word)

    def window(self, word: str, timeout: float = 10) -> Person:
        """The one at the recording's window whose panel says «Вы — <word>…» (a second browser, one opened for them)."""
        deadline = time.monotonic() + timeout
        while True:
            self.pause()
            browser = self.page.context.browser
            for page in [page for context in (browser.contexts if browser else []) for page in context.pages]:
                try:
                    who = panel.read(page)["who"]
                except Error:  # a page still loading, or one that is not the recorder's
                    continue
                if who and who[0].startswith(f"Вы — {word}"):
                    return Person(self.recording, page)
            assert time.monotonic() < deadline, f"no window of «{word}» opened"

    def pause(self) -> None:
        self.recording.settle()

    def panel(self) -> dict[str, Any]:
        self.recording.settle()
        return panel.read(self.page)

    def credential(self, prefix: str, index: int = 0) -> str:
        """A value the panel's «who» lines show after `prefix` (its first, or `index`-th, word after it)."""
        for line in self.panel()["who"]:
            if line.startswith(prefix):
                return line.removeprefix(prefix).split()[index]
        raise AssertionError(f"the panel shows no «{prefix}»: {self.panel()['who']}")

    def credential_line(self, prefix: str) -> str:
        return next(line for line in self.panel()["who"] if line.startswith(prefix))

    def own_phone(self) -> str:
        """The phone the panel shows («Телефон: +7 922 324-28-22   Почта: …»), as typed: its digits."""
        shown = self.credential_line("Телефон:").removeprefix("Телефон:").split("Почта:")[0]
        return "+" + re.sub(r"\D", "", shown)

    def code(self, after: int = 0, timeout: float = 10) -> str:
        """The newest code the panel shows («SMS на …: код 1234», «Звонок … введите 1234»), once it shows more
        than `after` messages."""
        deadline = time.monotonic() + timeout
        while True:
            codes = self.panel()["codes"]
            if len(codes) > after:
                return re.findall(r"\d+", codes[-1])[-1]
            assert time.monotonic() < deadline, f"the panel shows no new code: {codes}"

    def click(self, role: str, name: str) -> None:
        self.page.get_by_role(role, name=name, exact=True).first.click()  # type: ignore[arg-type]
        self.pause()

    def fill(self, label: str, value: str) -> None:
        self.page.get_by_label(label, exact=True).fill(value)

    def check(self, sentence: str, timeout: float = 10) -> None:
        """Click the proposal that reads so on the panel, with the mouse."""
        deadline = time.monotonic() + timeout
        while True:
            shown = self.panel()
            found = [i for i, text in enumerate(shown["proposals"]) if text.partition(" ")[2] == sentence]
            if found:
                break
            assert time.monotonic() < deadline, (
                f"not proposed: «{sentence}»; the panel shows {shown['proposals']}, "
                + (f"failing {shown['failing']}, {shown['text']}")
            )
        where = shown["buttons"][f"check:{found[0]}"]
        lines = len(self.recording.entries)
        self.page.mouse.click(where["x"], where["y"])
        while len(self.recording.entries) == lines:
            self.pause()
            assert time.monotonic() < deadline, f"the panel did not add «{sentence}»"


# -- the flows, as their people walk them -------------------------------------------------------------


def journal_sign_in(person: Person) -> None:
    """A journal's own sign-in (МЭШ, ЭШ) with the login and password the panel shows."""
    person.fill("Логин", person.credential("Логин:"))
    person.fill("Пароль", person.credential("Логин:", 2))
    person.click("button", "Войти")


def es_authorise_in_sferum(person: Person) -> None:
    """ЭШ's «Авторизация в Сферум» through VK ID with the password and the SMS code, no check on the way."""
    person.page.get_by_role("navigation", name="Меню").get_by_role("link", name="Авторизация в Сферум").click()
    person.pause()
    person.fill("Телефон или почта", person.own_phone())
    person.click("button", "Продолжить")
    person.fill("Пароль", person.credential("VK ID: пароль"))
    person.click("button", "Продолжить")
    person.fill("Код подтверждения", person.code())
    person.click("button", "Продолжить")
    person.click("button", "Продолжить в учебном профиле")
    person.click("button", "Продолжить")


def vkid_profile_sign_in(person: Person, *, after: int = 0) -> None:
    """VK ID for an account with an educational profile: the phone the panel shows, the code, the profile."""
    person.fill("Телефон или почта", person.own_phone())
    person.click("button", "Продолжить")
    person.fill("Код подтверждения", person.code(after=after))
    person.click("button", "Продолжить")
    person.click("button", "Продолжить в учебном профиле")
    person.click("button", "Продолжить")


def messenger_chat(person: Person) -> None:
    """VK Мессенджер's start: signed in through VK ID, the class chat opened from «Чаты»."""
    vkid_profile_sign_in(person)
    person.page.get_by_role("navigation", name="Меню").get_by_role("link", name="Чаты").click()
    person.pause()
    person.page.get_by_test_id("chat").get_by_role("link", name="10А · Общая беседа", exact=True).click()
    person.pause()


def eljur_sign_in(person: Person) -> None:
    person.click("button", "Войти через Госуслуги")
    person.check("открывается «Вход» на Госуслугах")
    person.fill("Телефон / Email / СНИЛС", person.credential("Госуслуги:"))
    person.fill("Пароль", person.credential("Госуслуги:", 2))
    person.click("button", "Войти")


def vkid_with_password(person: Person, service: str) -> None:
    person.click("link", "Онлайн-урок")
    person.check(f"открывается «Вход в VK ID» с сервисом «{service}»")
    person.fill("Телефон или почта", person.own_phone())
    person.click("button", "Продолжить")
    person.check("VK ID просит ввести пароль, указанный при регистрации с его телефоном")
    person.fill("Пароль", person.credential("VK ID: пароль"))
    person.click("button", "Продолжить")
    person.check("VK ID просит подтвердить номер кодом из SMS")
    person.fill("Код подтверждения", person.code())
    person.click("button", "Продолжить")


def about_self(person: Person, *, patronymic: bool, who: str = "ученик") -> None:
    """«Информация о себе» with the persona's own data, as the panel shows it («Вы — ученик: Фамилия Имя Отчество»)."""
    person.fill("Фамилия", person.credential(f"Вы — {who}:", 0))
    person.fill("Имя", person.credential(f"Вы — {who}:", 1))
    if patronymic:
        person.fill("Отчество (необязательно)", person.credential(f"Вы — {who}:", 2))
    person.fill("Дата рождения", person.credential("Дата рождения:"))
    person.page.get_by_label("Пол", exact=True).select_option(label=person.credential("Дата рождения:", 2))
    person.click("button", "Продолжить")


def journal_connect(person: Person) -> None:
    """The journal's «Сферум» in its navigation panel, then «Перейти к подключению», no check on the way."""
    person.page.get_by_role("navigation", name="Навигационная панель").get_by_role("link", name="Сферум").click()
    person.pause()
    person.click("button", "Перейти к подключению")


def mes_to_vkid(person: Person) -> None:
    journal_sign_in(person)
    journal_connect(person)
    person.fill("Телефон или почта", person.own_phone())
    person.click("button", "Продолжить")


def back_to_sferum(person: Person) -> None:
    person.page.get_by_role("navigation", name="Навигационная панель").get_by_role("link", name="Сферум").click()
    person.check("открывается Сферум с его учебным профилем")


def mes_to_max(person: Person, *, look: bool = True, request: bool = True) -> None:
    """МЭШ's cabinet to МАХ's «Вход в МАХ» with the link request, the phone typed (МЭШ connects through МАХ);
    `look`: the person checks the dialog on the way, `request` also МАХ's link request, as F01's scenario does."""
    journal_sign_in(person)
    person.page.get_by_role("navigation", name="Навигационная панель").get_by_role("link", name="Сферум").click()
    if look:
        person.check("открывается окно «Мессенджер не подключен»")
    person.click("button", "Перейти к подключению")
    if look and request:
        person.check("МАХ показывает запрос на привязку учебного профиля Сферум в МАХ к учетной записи «МЭШ»")
    person.fill("Номер телефона", person.own_phone())
    person.click("button", "Продолжить")


def max_linked(person: Person, check: str) -> None:
    person.check("МЭШ сообщает «Ваша учетная запись успешно привязана к учебному профилю Сферум в МАХ.»")
    person.check(check)
    person.click("link", "Перейти в Сферум")
    person.check("открывается «Сферум в МАХ» с его учебным профилем и школой")


@dataclass(frozen=True)
class Flow:
    givens: tuple[str, ...]
    person: Callable[[Person], None]
    journal: str = "mes"
    persona: str = "teacher"
    scenario: str | None = None  # words of the hand-written scenario's name, where the ID tags several
    differences: tuple[tuple[str, str], ...] = ()  # (a step of one scenario only, why)
    start: str | None = None  # the recorder's start besides the journal (`--start`)
    example: int = 0  # the row of an outline's «Примеры» the person walks


def catalogue_id(key: str) -> str:
    """The ID of docs/flows.md a key of FLOWS records («F01/max» → «F01»)."""
    return key.partition("/")[0]


def hand_written(flow_id: str, scenario: str | None = None, example: int = 0, *, attached: bool = False) -> list[str]:
    """The steps of the repository's first scenario tagged with this ID (and named with `scenario`'s words),
    background included, keyword-normalised; `attached`: its lines as written, data tables and doc strings too."""
    for feature in sorted(FEATURES.glob("*.feature")):
        lines = feature.read_text(encoding="utf-8").splitlines()
        background: list[str] = []
        for i, line in enumerate(lines):
            if line.strip().startswith("Предыстория:"):
                background = _steps(lines[i + 1 :], attached)
            tagged = line.strip().startswith("@") and f"@{flow_id}" in line.split()
            if tagged and (scenario is None or scenario in lines[i + 1]):
                found = [*background, *_steps(lines[i + 2 :], attached)]
                steps = [_example(line, lines[i + 2 :], example) for line in found]
                return steps if attached else normalise(steps)
    raise AssertionError(f"no scenario tagged @{flow_id} in {FEATURES}")


def _example(step: str, lines: list[str], row: int) -> str:
    """An outline's step with this row of its «Примеры» put in (the recording walks one row)."""
    if "<" not in step:
        return step
    scenario = next((i for i, line in enumerate(lines) if line.strip().startswith(("@", "Сценари"))), len(lines))
    table = next((i for i, line in enumerate(lines[:scenario]) if line.strip() == "Примеры:"), None)
    if table is None:  # not an outline: «<почта>» is the step's own word
        return step
    header, values = ([cell.strip() for cell in lines[table + k].strip().strip("|").split("|")] for k in (1, 2 + row))
    for name, value in zip(header, values, strict=True):
        step = step.replace(f"<{name}>", value)
    return step


def _steps(lines: list[str], attached: bool = False) -> list[str]:
    found = []
    for line in lines:
        if not line.strip():
            break
        if STEP.match(line) or attached:
            found.append(line.strip())
    return found


def under_steps(lines: list[str]) -> list[tuple[str, ...]]:
    """What is written under each step of these lines, in order: a data table's rows, cells trimmed (how its columns
    are aligned is no difference), or a doc string's lines; empty for a step with neither."""
    found: list[list[str]] = []
    for line in (line.strip() for line in lines):
        if STEP.match(line):
            found.append([])
        elif found and line.startswith("|"):
            found[-1].append("|".join(cell.strip() for cell in line.strip("|").split("|")))
        elif found and line and not line.startswith(("#", "@", "Сценари", "Примеры")):
            found[-1].append(line)  # a doc string's line, its quotes too
    return [tuple(block) for block in found]


ACTORS = ("ученик", "учитель", "родитель", "администратор", "пользователь", "классный руководитель")


def normalise(lines: list[str]) -> list[str]:
    """Steps as «Дано/Когда/Тогда <sentence>», with the actor named: «И» takes the block's keyword."""
    out: list[str] = []
    keyword, actor = "Дано", "ученик"
    for line in lines:
        word, _, text = line.partition(" ")
        if word in ("Дано", "Когда", "Тогда"):
            keyword = word
        if keyword == "Когда" and not text.startswith((*ACTORS, "VK ID", "проходит")):
            text = f"{actor} {text}"
        elif keyword == "Когда" and text.startswith(ACTORS):
            actor = next(who for who in ACTORS if text.startswith(who))
        out.append(f"{keyword} {text}")
    return out


def record_and_run(
    flow_id: str, flow: Flow, browser: Browser, tmp_path: Path, playwright: Playwright | None = None
) -> None:
    """Record `flow` in a context of `browser`, compare it with the hand-written @ID, run it unchanged; `playwright`,
    the one `browser` runs in, gives a flow on a phone its device."""
    options = Options(
        persona=flow.persona, journal=flow.journal, givens=flow.givens, headless=True, title=flow_id, start=flow.start
    )
    with Recording(options, playwright=playwright, browser=browser) as recording:
        flow.person(Person(recording))
        text = recording.feature_text()
        assert recording.placeholders() == [], text
    recorded = normalise([line.strip() for line in text.splitlines() if STEP.match(line)])
    expected = hand_written(catalogue_id(flow_id), flow.scenario, flow.example)
    differ = set(recorded) ^ set(expected)
    # A step of both whose table or doc string differs is a difference too.
    written_under = zip(recorded, under_steps(text.splitlines()), strict=True)
    raw = hand_written(catalogue_id(flow_id), flow.scenario, flow.example, attached=True)
    differ |= {step for step, _ in set(written_under) ^ set(zip(expected, under_steps(raw), strict=True))}
    documented = {step for step, _ in flow.differences}
    assert differ - documented == set(), f"undocumented differences from the hand-written @{flow_id}:\n{text}"
    assert documented - differ == set(), f"documented differences that are no longer there:\n{text}"
    written = tmp_path / f"{flow_id.replace('/', '-')}.feature"
    written.write_text(text, encoding="utf-8")
    verdict = run_feature(written)
    assert verdict.passed, verdict.describe(written) + verdict.output[-2000:]
