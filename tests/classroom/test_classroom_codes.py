"""No two seats share a code: trainees walking F06 to VK ID's code screen each get a call whose code is their own.

The seats' worlds are seeded apart, so their codes would rarely meet by chance; here every seat's code generator is
set to the first seat's state, so each would draw the same code, and the world must make them differ.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, expect

from simulator.classroom.lesson import choose
from simulator.classroom.seats import Seat
from simulator.classroom.server import ClassroomServer
from simulator.recorder.library import load

ADDRESS = "127.0.0.2"  # a loopback address named by nothing, as the other classroom tests use
SEATS = 3


@pytest.fixture(scope="module")
def server() -> Iterator[ClassroomServer]:
    library = load()
    running = ClassroomServer(choose(["F06"], [], library=library), library, address=ADDRESS, host=ADDRESS)
    with running:
        running.seat(SEATS)
        yield running


def seats(server: ClassroomServer) -> list[Seat]:
    assert server.classroom is not None
    return list(server.classroom.seats)


def align_code_generators(server: ClassroomServer) -> None:
    """Every seat's code generator in the first seat's state: left alone, all would draw one code next."""
    keys = [seat.key for seat in seats(server)]

    def align() -> list[object]:
        sessions = [server.world.sessions[key] for key in keys]
        state = sessions[0].codes._rng.getstate()
        for session in sessions[1:]:
            session.codes._rng.setstate(state)
        return [session.codes._rng.getstate() for session in sessions]

    states = server.call(align)
    assert all(state == states[0] for state in states)


def walk_to_the_code_screen(server: ClassroomServer, browser: Browser, seat: Seat) -> str:
    """As a trainee does: the seat's link, МЭШ's sign-in from the card, «Сферум», «Перейти к подключению», the
    phone from the card; returns the code as the card shows it, the last four digits of the calling number."""
    assert server.classroom is not None
    context = browser.new_context(locale="ru-RU")
    card = context.new_page()
    card.goto(server.classroom.link(seat))
    with context.expect_page() as opened:
        card.get_by_test_id("start").click()
    mes = opened.value
    mes.get_by_label("Логин").fill(card.get_by_test_id("persona-login").inner_text())
    mes.get_by_label("Пароль").fill(card.get_by_test_id("persona-password").inner_text())
    mes.get_by_role("button", name="Войти").click()
    mes.get_by_role("navigation", name="Навигационная панель").get_by_role("link", name="Сферум").click()
    mes.get_by_role("button", name="Перейти к подключению").click()
    mes.get_by_label("Телефон или почта").fill(card.get_by_test_id("persona-phone").inner_text())
    mes.get_by_role("button", name="Продолжить").click()
    expect(mes.get_by_label("Код подтверждения")).to_be_visible()
    call = card.get_by_test_id("messages").get_by_role("listitem").first
    expect(call).to_contain_text("Входящий звонок с номера")
    digits = re.sub(r"\D", "", call.inner_text())
    context.close()
    return digits[-4:]


def test_seats_whose_generators_agree_still_get_distinct_codes(server: ClassroomServer, plain_browser: Browser) -> None:
    align_code_generators(server)
    shown = {seat.number: walk_to_the_code_screen(server, plain_browser, seat) for seat in seats(server)}
    assert len(set(shown.values())) == SEATS, shown
    # What each card showed is the code its own world is waiting for, and no other seat's world accepts it.
    for seat in seats(server):
        sent = server.call(lambda key=seat.key: [c.code for c in server.world.sessions[key].confirmations.values()])
        assert sent == [shown[seat.number]]
