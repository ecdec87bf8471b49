"""The classroom: a seat joined by its link alone, from a browser given no header and no host mapping, on an
address that is not *.localhost; what a seat's link grants and refuses; progress, mistakes, faults, stuck."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import httpx
import pytest
from playwright.sync_api import Browser, expect

from simulator.classroom.lesson import choose
from simulator.classroom.page import read
from simulator.classroom.progress import Progress
from simulator.classroom.seats import Seat
from simulator.classroom.server import ClassroomServer
from simulator.recorder.library import load
from simulator.wire import SESSION_HEADER

# A loopback address other than 127.0.0.1, named by nothing: nothing here can lean on *.localhost or a name.
ADDRESS = "127.0.0.2"


@pytest.fixture(scope="module")
def server() -> Iterator[ClassroomServer]:
    library = load()
    running = ClassroomServer(choose(["F06"], [], library=library), library, address=ADDRESS, host=ADDRESS)
    with running:
        running.seat(3)
        yield running


def seats(server: ClassroomServer) -> list[Seat]:
    assert server.classroom is not None
    return list(server.classroom.seats)


def trainer(server: ClassroomServer) -> httpx.Client:
    return httpx.Client(base_url=server.trainer_url, headers={"Authorization": f"Bearer {server.admin_token}"})


def requests_of(server: ClassroomServer, key: str) -> list[dict[str, object]]:
    return server.call(lambda: [e for e in server.world.sessions[key].events if e["kind"] == "request"])


def test_a_link_alone_binds_a_plain_browser_to_its_seat(server: ClassroomServer, plain_browser: Browser) -> None:
    first, second, _ = seats(server)
    context = plain_browser.new_context()  # no extra headers, no routing, no host rules: what a trainee's browser has
    card = context.new_page()
    assert server.classroom is not None
    link = server.classroom.link(first)
    assert link.startswith(f"http://{ADDRESS}:")
    card.goto(link)
    person = server.call(lambda: next(iter(server.world.sessions[first.key].people.values())))
    expect(card.get_by_test_id("persona-name")).to_contain_text(person.last_name)
    with context.expect_page() as opened:
        card.get_by_test_id("start").click()
    mes = opened.value
    mes.get_by_label("Логин").fill(card.get_by_test_id("persona-login").inner_text())
    mes.get_by_label("Пароль").fill(card.get_by_test_id("persona-password").inner_text())
    mes.get_by_role("button", name="Войти").click()
    expect(mes.get_by_test_id("cabinet")).to_have_text("Кабинет учителя")
    # The sign-in landed in the seat's own world, and in nobody else's.
    assert any(e["path"] == "/cabinet" for e in requests_of(server, first.key))
    assert not requests_of(server, second.key)
    expect(card.locator('[aria-current="step"]')).to_contain_text("перехода в Сферум")  # step 1 done, live
    context.close()


def test_a_seat_link_reaches_neither_the_control_plane_nor_the_console_nor_another_seat(
    server: ClassroomServer,
) -> None:
    first, second, _ = seats(server)
    assert server.classroom is not None
    mes = server.classroom.hosts.origin("mes")
    with httpx.Client(base_url=mes) as trainee:
        assert trainee.get(f"/_class/join/{first.token}").status_code == 303
        for path in ("/_sim/v1/sessions", "/_sim/", "/_sim/classroom/state", f"/_sim/v1/sessions/{second.key}"):
            answer = trainee.get(path, headers={"Authorization": f"Bearer {server.admin_token}"})
            assert answer.status_code == 404, path
        # Naming another seat's session in the header changes nothing: the cookie's seat answers.
        card = trainee.get("/_class/card", headers={SESSION_HEADER: second.key})
        assert first.persona.name in card.text and second.persona.name not in card.text
        trainee.get("/", headers={SESSION_HEADER: second.key})
        assert not requests_of(server, second.key)
    with httpx.Client(base_url=mes) as stranger:
        refused = stranger.get("/")
        assert refused.status_code == 403 and "ссылке вашего места" in refused.text
        wrong = stranger.get("/_class/join/" + "x" * 24)
        assert wrong.status_code == 403 and "<script>" not in stranger.get("/_class/join/<script>").text
    # The trainer's own port: the room view wants the admin token, which a seat's cookie is not.
    with httpx.Client(base_url=server.trainer_url, cookies={"sim_seat": first.token}) as guest:
        assert guest.get("/_sim/classroom/state").status_code == 401


def test_the_room_sees_progress_and_mistakes_and_stages_a_fault_for_one_seat(server: ClassroomServer) -> None:
    _, second, third = seats(server)
    assert server.classroom is not None
    with httpx.Client(base_url=server.classroom.hosts.origin("mes"), follow_redirects=True) as trainee:
        trainee.get(f"/_class/join/{second.token}")
        trainee.post("/", data={"login": second.persona.login, "password": "неверный"})
        trainee.post("/", data={"login": second.persona.login, "password": second.persona.password})
    with trainer(server) as room:
        tiles = {t["seat"]: t for t in room.get("/_sim/classroom/state").json()["seats"]}
        assert tiles[second.number]["done"] >= 1 and tiles[third.number]["done"] == 0
        answer = room.post(f"/_sim/classroom/seats/{third.number}", json={"action": "fault_on", "fault": "vpn"})
        assert answer.status_code == 200 and answer.json()["faults"] == ["vpn"]
        assert server.call(lambda: sorted(server.world.sessions[second.key].faults)) == []
        before = server.call(lambda: server.world.sessions[third.key].clock.now())
        room.post(f"/_sim/classroom/seats/{third.number}", json={"action": "expire_code"})
        after = server.call(lambda: server.world.sessions[third.key].clock.now())
        assert after - before > timedelta(minutes=5)
        bad = room.post(f"/_sim/classroom/seats/{third.number}", json={"action": "<b>взлом</b>"})
        assert bad.status_code == 400 and "action" in bad.json()["message"] and "<b>" not in bad.text
        assert room.post("/_sim/classroom/seats/99", json={"action": "reset"}).status_code == 404
        assert (
            room.post("/_sim/classroom/room", content=b"{", headers={"Content-Type": "application/json"}).status_code
            == 400
        )


def test_a_seat_without_progress_becomes_stuck_and_needed_help() -> None:
    library = load()
    exercise = choose(["F06"], [], library=library)[0]
    now = [1000.0]
    progress = Progress(exercise, wall_clock=lambda: now[0])
    assert not progress.stuck(after=120)
    now[0] += 121
    assert progress.stuck(after=120)
    progress.mark_stuck()
    assert progress.helped == {1}


def test_a_page_is_read_as_the_recorder_reads_it() -> None:
    shown = read(
        '<main data-screen="code"><h1>Вход</h1><p hidden role="alert">старое</p>'
        '<section role="dialog"><h2>Окно</h2><button>Да</button></section>'
        '<p role="alert">Неверный код. Осталось попыток: 2</p></main>',
        "vkid",
    )
    assert (shown.screen, shown.heading, shown.buttons) == ("code", "Окно", ("Да",))
    assert shown.alerts == ("Неверный код. Осталось попыток: 2",)


def test_summary_names_every_trainee_and_the_room_s_common_mistake(server: ClassroomServer) -> None:
    with trainer(server) as room:
        html = room.get("/_sim/classroom/summary").text
    for seat in seats(server):
        assert seat.persona.name in html
    assert "Самый трудный шаг" in html
