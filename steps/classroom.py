"""The trainers' classroom (`sferum-sim classroom`): trainees who join by their seat's link alone, the trainer's room.

Every trainee's browser is a context of a Chromium launched with none of the harness's arguments: no host
rules, no session header, no routing — what a trainee's own computer has. The platforms are reached on an
address that is not *.localhost (127.0.0.2), one port a platform, so only the link's cookie can bind the
browser to its seat. The trainer's room view opens in a fourth context, with the admin token as the
password of the browser's sign-in prompt. «Time on a step» and «stuck» run on a lesson clock the steps
move, so nothing sleeps.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, expect
from pytest_bdd import given, parsers, then, when

from simulator.testing.browser import system_chromium

from .failures import fail, known

if TYPE_CHECKING:  # the classroom's modules are loaded by the scenarios that hold a lesson, not by every run
    from simulator.classroom.seats import Seat
    from simulator.classroom.server import ClassroomServer

# A loopback address nothing maps or names: the trainees' browsers reach it as they would reach a lab's computer.
ROOM_ADDRESS = "127.0.0.2"
SEAT = r"ученик места (?P<number>\d+)"
STATUS = {"готово": "done", "застрял": "stuck", "работает": "working"}


class LessonClock:
    """The wall clock as the classroom sees it, moved on by the scenario instead of waited for."""

    def __init__(self) -> None:
        self.offset = 0.0

    def __call__(self) -> float:
        return time.monotonic() + self.offset

    def advance(self, seconds: float) -> None:
        self.offset += seconds


@dataclass
class Trainee:
    context: BrowserContext
    card: Page
    platform: Page | None = None


@dataclass
class Lesson:
    """A classroom of the scenario: its server, the plain browser the trainees and the trainer use, their pages."""

    playwright: Playwright
    clock: LessonClock = field(default_factory=LessonClock)
    server: ClassroomServer | None = None
    browser: Browser | None = None
    trainees: dict[int, Trainee] = field(default_factory=dict)
    room: Page | None = None

    def running(self) -> ClassroomServer:
        if self.server is None:
            fail("класс, начатый шагом «Дано класс на N мест по сценарию …»", "класса нет")
        return self.server

    def seat(self, number: str | int) -> Seat:
        classroom = self.running().classroom
        assert classroom is not None
        return known(classroom.seats.by_number, int(number), "место с номером")

    def trainee(self, number: str | int) -> Trainee:
        return known(self.trainees, int(number), "ученик, открывший ссылку места")

    def platform(self, number: str) -> Page:
        page = self.trainee(number).platform
        if page is None:
            fail(f"открытая платформа у ученика места {number}", "ученик ещё не открыл платформу из карточки")
        return page

    def trainer(self) -> Page:
        if self.room is None:
            fail("вид класса, открытый шагом «Дано тренер открыл вид класса»", "вид класса не открыт")
        return self.room

    def plain_browser(self) -> Browser:
        """A Chromium launched with nothing of the harness: no host rules, no headers — a trainee's browser."""
        if self.browser is None:
            chromium = self.playwright.chromium
            own = None if Path(chromium.executable_path).exists() else system_chromium(headless=True)
            self.browser = chromium.launch(executable_path=own) if own else chromium.launch()
        return self.browser

    def close(self) -> None:
        if self.browser is not None:
            self.browser.close()
        if self.server is not None:
            self.server.stop()


@pytest.fixture
def lesson(playwright: Playwright) -> Iterator[Lesson]:
    held = Lesson(playwright)
    yield held
    held.close()


def _same_page(page: Page) -> None:
    """The room view was not reloaded since it opened: what it shows came by its live stream."""
    if not page.evaluate("window.classroomSamePage === true"):
        fail("вид класса, обновлённый без перезагрузки", "страница вида класса загружалась заново")


# -- the lesson ---------------------------------------------------------------------------------------


@given(parsers.re(r"класс на (?P<count>\d+) мест[ао]? по сценарию (?P<flow>[FE]\d\d)"))
def classroom_for(lesson: Lesson, count: str, flow: str) -> None:
    """Starts `sferum-sim classroom`'s server for this flow (the first scenario tagged with it in features/) with this many seats, each world prepared by the scenario's «Дано» steps; the platforms on 127.0.0.2, a port each."""
    from simulator.classroom.lesson import choose
    from simulator.classroom.server import ClassroomServer
    from simulator.recorder.library import load

    library = load()
    server = ClassroomServer(
        choose([flow], [], library=library),
        library,
        address=ROOM_ADDRESS,
        host=ROOM_ADDRESS,
        wall_clock=lesson.clock,
    )
    lesson.server = server.start()
    server.seat(int(count))


@given("тренер открыл вид класса")
def trainer_opens_room(lesson: Lesson) -> None:
    """Opens the room view in a browser of its own, the admin token given as the sign-in prompt's password, and marks the page to tell a reload."""
    server = lesson.running()
    context = lesson.plain_browser().new_context(
        http_credentials={"username": "тренер", "password": server.admin_token}, locale="ru-RU"
    )
    page = lesson.room = context.new_page()
    page.goto(server.room_url)
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"^Класс: \d+ мест"))
    page.evaluate("window.classroomSamePage = true")


@when("каждый ученик открывает ссылку своего места в браузере без настроек симулятора")
def trainees_join(lesson: Lesson) -> None:
    """For every seat: a new context of the plain browser (no header, no host rules) opens the seat's link, as a trainee types or scans it."""
    server = lesson.running()
    classroom = server.classroom
    assert classroom is not None
    for seat in classroom.seats:
        link = classroom.link(seat)
        if ".localhost" in link or f"//{ROOM_ADDRESS}:" not in link:
            fail(f"ссылку места на адресе {ROOM_ADDRESS}", link)
        context = lesson.plain_browser().new_context(locale="ru-RU")
        card = context.new_page()
        card.goto(link)
        lesson.trainees[seat.number] = Trainee(context, card)


@then("каждый ученик видит карточку задания со своим именем и первым шагом")
def each_sees_own_card(lesson: Lesson) -> None:
    """Checks every trainee's card names the person their seat's world holds (by surname, read from the world) and marks step 1 as current."""
    server = lesson.running()
    for number, trainee in lesson.trainees.items():
        seat = lesson.seat(number)
        people = server.call(lambda key=seat.key: [p.last_name for p in server.world.sessions[key].people.values()])
        name = trainee.card.get_by_test_id("persona-name")
        expect(name).to_contain_text(people[-1])
        expect(trainee.card.locator('[aria-current="step"]')).to_have_attribute("data-step", "1")


# -- what a trainee does, in their own browser -----------------------------------------------------


@when(parsers.re(rf"{SEAT} входит в «(?P<cabinet>[^«»]+)» с логином и паролем из карточки задания"))
def trainee_signs_in(lesson: Lesson, number: str, cabinet: str) -> None:
    """In the trainee's browser: «Открыть платформу и начать» on the card (a second tab), the login and password copied from the card, «Войти»; checks the cabinet."""
    trainee = lesson.trainee(number)
    with trainee.context.expect_page() as opened:
        trainee.card.get_by_test_id("start").click()
    platform = trainee.platform = opened.value
    platform.get_by_label("Логин").fill(trainee.card.get_by_test_id("persona-login").inner_text())
    platform.get_by_label("Пароль").fill(trainee.card.get_by_test_id("persona-password").inner_text())
    platform.get_by_role("button", name="Войти").click()
    expect(platform.get_by_test_id("cabinet")).to_have_text(cabinet)


@when(parsers.re(rf"{SEAT} нажимает на кнопку перехода в Сферум в навигационной панели"))
def trainee_opens_sferum(lesson: Lesson, number: str) -> None:
    """In the trainee's platform tab: the link «Сферум» of the «Навигационная панель»."""
    page = lesson.platform(number)
    page.get_by_role("navigation", name="Навигационная панель").get_by_role("link", name="Сферум").click()


@when(parsers.re(rf"{SEAT} подключает Сферум через VK ID с кодом из карточки задания"))
def trainee_connects(lesson: Lesson, number: str) -> None:
    """In the trainee's platform tab, as F06 goes: «Сферум» in the navigation panel, «Перейти к подключению», the phone from the card, the code as the card shows it (a call's last four digits), «Продолжить в учебном профиле», «Продолжить»; stops before «Привязать»."""
    trainee = lesson.trainee(number)
    page = lesson.platform(number)
    trainee_opens_sferum(lesson, number)
    page.get_by_role("button", name="Перейти к подключению").click()
    page.get_by_label("Телефон или почта").fill(trainee.card.get_by_test_id("persona-phone").inner_text())
    page.get_by_role("button", name="Продолжить").click()
    expect(page.get_by_label("Код подтверждения")).to_be_visible()
    call = trainee.card.get_by_test_id("messages").get_by_role("listitem").first
    expect(call).to_contain_text("Входящий звонок с номера")  # the card shows it live: no reload
    page.get_by_label("Код подтверждения").fill(re.sub(r"\D", "", call.inner_text())[-4:])
    page.get_by_role("button", name="Продолжить").click()
    page.get_by_role("button", name="Продолжить в учебном профиле").click()
    page.get_by_role("button", name="Продолжить", exact=True).click()
    expect(page.get_by_role("button", name="Привязать")).to_be_visible()


@when(parsers.re(rf"{SEAT} нажимает «(?P<label>[^«»]+)» на платформе"))
def trainee_presses(lesson: Lesson, number: str, label: str) -> None:
    """In the trainee's platform tab: clicks the button with exactly this label."""
    lesson.platform(number).get_by_role("button", name=label, exact=True).click()


@then(parsers.re(rf"{SEAT} видит ошибку, в которой есть «(?P<text>[^«»]+)»"))
def trainee_sees_error(lesson: Lesson, number: str, text: str) -> None:
    """Checks the trainee's platform tab shows an alert containing this text."""
    expect(lesson.platform(number).get_by_role("alert")).to_contain_text(text)


@then(parsers.re(rf"{SEAT} видит сообщение «(?P<text>[^«»]+)»"))
def trainee_sees_notice(lesson: Lesson, number: str, text: str) -> None:
    """Checks the trainee's platform tab shows a status message with exactly this text."""
    expect(lesson.platform(number).get_by_role("status")).to_have_text(text)


@then(
    parsers.re(r"на карточке задания ученика места (?P<number>\d+) отмечен шаг (?P<step>\d+)(?: «(?P<text>[^«»]+)»)?$")
)
def card_marks_step(lesson: Lesson, number: str, step: str, text: str | None) -> None:
    """Checks the trainee's card — the tab left open, never reloaded — marks this step as current, with this text (the card follows the simulator's reading of progress, not clicks on it)."""
    current = lesson.trainee(number).card.locator('[aria-current="step"]')
    expect(current).to_have_attribute("data-step", step)
    if text:
        expect(current).to_contain_text(text, ignore_case=True)


# -- what the trainer does and sees ---------------------------------------------------------------------


@when(parsers.re(r"тренер нажимает «(?P<label>[^«»]+)» на плитке места (?P<number>\d+)"))
def trainer_presses_on_tile(lesson: Lesson, label: str, number: str) -> None:
    """In the room view: the button with exactly this label on the seat's tile; waits until the room has taken the action."""
    tile = lesson.trainer().get_by_test_id(f"tile-{int(number)}")
    button = tile.get_by_role("button", name=label, exact=True)
    button.click()
    expect(button).to_be_enabled()  # disabled while the room's answer is awaited


@when(parsers.re(r"на уроке проходят (?P<minutes>\d+) минуты?"))
def lesson_time_passes(lesson: Lesson, minutes: str) -> None:
    """Moves the lesson's clock (time on a step, «stuck») on by this many minutes; the seats' worlds keep their own clocks."""
    lesson.clock.advance(int(minutes) * 60)
    server = lesson.running()
    server.push()
    if lesson.room is not None:  # what the room shows from now on was computed after the move, or nothing is known
        lesson.room.wait_for_function(
            "s => Number(document.querySelector('[data-testid=lesson-time]').dataset.seconds) >= s",
            arg=int(server.call(server.classroom.elapsed) if server.classroom else 0),
        )


@then(parsers.re(r"тренер без перезагрузки видит на плитке места (?P<number>\d+) «(?P<text>[^«»]+)»"))
def tile_shows(lesson: Lesson, number: str, text: str) -> None:
    """Checks the seat's tile in the room view contains this text, arrived by the live stream (the page was not reloaded)."""
    page = lesson.trainer()
    expect(page.get_by_test_id(f"tile-{int(number)}")).to_contain_text(text)
    _same_page(page)


@then(parsers.re(r"тренер без перезагрузки видит: (?P<states>место \d+ — «[^«»]+»(?:, место \d+ — «[^«»]+»)*)$"))
def tiles_state(lesson: Lesson, states: str) -> None:
    """Checks each named seat's tile reads this status (готово, застрял, работает), arrived by the live stream."""
    page = lesson.trainer()
    for number, status in re.findall(r"место (\d+) — «([^«»]+)»", states):
        tile = page.get_by_test_id(f"tile-{int(number)}")
        expect(tile).to_have_attribute("data-state", known(STATUS, status, "состояние"))
        expect(tile.locator('[data-field="status"]')).to_have_text(status)
    _same_page(page)


@when("тренер открывает «Итог урока»")
def trainer_opens_summary(lesson: Lesson) -> None:
    """In the room view: the link «Итог урока»."""
    page = lesson.trainer()
    page.get_by_role("link", name="Итог урока", exact=True).click()
    expect(page.get_by_role("heading", name="Итог урока", exact=True)).to_be_visible()


@then(parsers.re(r"в итоге урока самая частая ошибка — «(?P<text>[^«»]+)»"))
def summary_common_mistake(lesson: Lesson, text: str) -> None:
    """Checks the summary's «Самая частая ошибка» reads exactly this."""
    expect(lesson.trainer().get_by_test_id("common-mistake")).to_have_text(text)


@then(parsers.re(r"в итоге урока самый трудный шаг — шаг (?P<step>\d+) сценария"))
def summary_hardest(lesson: Lesson, step: str) -> None:
    """Checks the summary's «Самый трудный шаг» is this step of the lesson's scenario, by its sentence."""
    exercise = lesson.seat(1).exercise
    expect(lesson.trainer().get_by_test_id("hardest")).to_have_text(exercise.steps[int(step) - 1].sentence)


@then(parsers.re(r"в итоге урока у места (?P<number>\d+): (?P<cells>.+)$"))
def summary_row(lesson: Lesson, number: str, cells: str) -> None:
    """Checks the seat's row of the summary: the trainee's name, and each «column — text» named (шагов, ошибки, помощь на шаге N)."""
    seat = lesson.seat(number)
    row = lesson.trainer().locator(f'[data-testid="trainees"] tr[data-seat="{int(number)}"]')
    expect(row).to_contain_text(seat.persona.name)
    for column, value in re.findall(r"(шагов|ошибки|помощь) — «([^«»]+)»", cells):
        if column == "помощь":
            found = re.fullmatch(r"на шаге (\d+)", value)
            if found is None:
                fail("«на шаге N»", f"«{value}»")
            value = seat.exercise.steps[int(found[1]) - 1].sentence
        expect(row.locator(f'[data-column="{column}"]')).to_have_text(value)
