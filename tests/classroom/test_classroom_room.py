"""The trainer's room view in a browser: its buttons for a seat and for the room change the seats' worlds (read
from the worlds, not from the page), «Экран» shows the seat's last page, the QR codes read back as the seats'
links (Chromium draws them, zxing-cpp decodes them), and the summary prints to a PDF poppler reads in Russian."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import httpx
import pytest
import zxingcpp
from playwright.sync_api import Browser, Page, Playwright, expect

from simulator.classroom.lesson import choose
from simulator.classroom.seats import Seat
from simulator.classroom.server import ClassroomServer
from simulator.classroom.state import SeatingError
from simulator.recorder.library import load

ADDRESS = "127.0.0.2"
QR_SIDE = 400  # pixels the code is drawn at for the decoder: a phone's camera sees it at least this well


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("lesson")


@pytest.fixture(scope="module")
def server(out: Path) -> Iterator[ClassroomServer]:
    library = load()
    running = ClassroomServer(choose(["F06"], [], library=library), library, address=ADDRESS, host=ADDRESS, out=out)
    with running:
        running.seat(2)
        yield running


@pytest.fixture
def room(server: ClassroomServer, plain_browser: Browser) -> Iterator[Page]:
    context = plain_browser.new_context(http_credentials={"username": "тренер", "password": server.admin_token})
    page = context.new_page()
    page.goto(server.room_url)
    yield page
    context.close()


def seats(server: ClassroomServer) -> list[Seat]:
    assert server.classroom is not None
    return list(server.classroom.seats)


def faults(server: ClassroomServer) -> dict[int, list[str]]:
    return server.call(lambda: {s.number: sorted(server.world.sessions[s.key].faults) for s in seats(server)})


def clock(server: ClassroomServer, seat: Seat) -> datetime:
    return server.call(lambda: server.world.sessions[seat.key].clock.now())


def press(page: Page, label: str, seat: int | None = None, status: int = 200) -> None:
    """A button of the room (or of a seat's tile), waited on until the room has answered it."""
    scope = page.get_by_test_id(f"tile-{seat}") if seat else page.locator("section").first
    button = scope.get_by_role("button", name=label, exact=True)
    with page.expect_response(lambda r: r.request.method == "POST") as answered:
        button.click()
    assert answered.value.status == status, answered.value.text()
    expect(button).to_be_enabled()  # the page has taken the answer in


def test_room_buttons_switch_faults_for_the_room_and_move_one_seat_s_clock(server: ClassroomServer, room: Page) -> None:
    first, second = seats(server)
    press(room, "Включить VPN")
    assert faults(server) == {1: ["vpn"], 2: ["vpn"]}
    expect(room.get_by_test_id("tile-2")).to_contain_text("Сбои: VPN")  # pushed to the open page
    press(room, "Выключить VPN")
    assert faults(server) == {1: [], 2: []}
    press(room, "«невозможно получить идентификационные данные»", seat=2)
    assert faults(server) == {1: [], 2: ["identity_unavailable"]}
    press(room, "Без ошибки данных", seat=2)
    before_first, before_second = clock(server, first), clock(server, second)
    press(room, "Часы +5 мин", seat=1)
    assert clock(server, first) - before_first >= timedelta(minutes=5)
    assert clock(server, second) - before_second < timedelta(minutes=1)
    press(room, "Код истекает", seat=2)
    assert clock(server, second) - before_second > timedelta(minutes=5)


def test_reset_gives_the_seat_a_new_world_with_the_same_person_and_the_screen_shows_its_last_page(
    server: ClassroomServer, room: Page
) -> None:
    first, _ = seats(server)
    assert server.classroom is not None
    with httpx.Client(base_url=server.classroom.hosts.origin("mes"), follow_redirects=True) as trainee:
        trainee.get(f"/_class/join/{first.token}")
        trainee.post("/", data={"login": first.persona.login, "password": first.persona.password})
    expect(room.get_by_test_id("tile-1").locator('[data-field="done"]')).not_to_have_text("0")
    with room.context.expect_page() as opened:
        room.get_by_test_id("tile-1").get_by_role("link", name="Экран").click()
    expect(opened.value.get_by_test_id("cabinet")).to_have_text("Кабинет учителя")  # the page the trainee was sent
    opened.value.close()
    person = first.persona.name
    press(room, "Заново", seat=1)
    expect(room.get_by_test_id("tile-1").locator('[data-field="done"]')).to_have_text("0")
    journal = server.call(lambda: [e for e in server.world.sessions[first.key].events if e["kind"] == "request"])
    assert journal == [] and first.persona.name == person and first.progress.done == 0


def decoded(page: Page, image: str) -> str:
    """The QR code of the <img> as Chromium draws it, read by zxing-cpp from its grey pixels."""
    grey = page.evaluate(
        """([selector, side]) => {
            const image = document.querySelector(selector);
            const canvas = Object.assign(document.createElement("canvas"), {width: side, height: side});
            const context = canvas.getContext("2d");
            context.drawImage(image, 0, 0, side, side);
            const rgba = context.getImageData(0, 0, side, side).data;
            return Array.from({length: side * side}, (_, i) => rgba[i * 4]);
        }""",
        [image, QR_SIDE],
    )
    found = zxingcpp.read_barcodes(memoryview(bytes(grey)).cast("B", (QR_SIDE, QR_SIDE)))
    assert len(found) == 1, f"{len(found)} codes in {image}"
    return str(found[0].text)


def test_the_qr_codes_read_back_as_the_seats_links(server: ClassroomServer, room: Page) -> None:
    assert server.classroom is not None
    links = {s.number: server.classroom.link(s) for s in seats(server)}
    expect(room.get_by_test_id("qr-1")).to_be_visible()
    room.wait_for_function("document.querySelector('[data-testid=qr-1]').complete")
    assert decoded(room, '[data-testid="qr-1"]') == links[1]
    with room.context.expect_page() as opened:
        room.get_by_role("link", name="QR-коды ссылок").click()
    codes = opened.value
    for number, link in links.items():
        expect(codes.get_by_test_id(f"qr-{number}")).to_be_visible()
        codes.wait_for_function(f"document.querySelector('[data-testid=qr-{number}]').naturalWidth > 0")
        assert decoded(codes, f'[data-testid="qr-{number}"]') == link
        expect(codes.locator(f'[data-seat="{number}"]')).to_contain_text(link)


@pytest.mark.slow  # pdftotext reads the printed summary
def test_the_summary_prints_to_a_pdf_poppler_reads_in_russian(
    server: ClassroomServer, out: Path, playwright: Playwright
) -> None:
    """Chromium prints it, as the command does at the lesson's end (`playwright`: the test starts browsers)."""
    with httpx.Client(
        base_url=server.trainer_url, headers={"Authorization": f"Bearer {server.admin_token}"}, timeout=120
    ) as trainer:
        answer = trainer.post("/_sim/classroom/summary")
    assert answer.status_code == 200, answer.text
    assert sorted(Path(p).name for p in answer.json()["written"]) == ["summary.html", "summary.pdf"]
    assert shutil.which("pdftotext"), "pdftotext missing: make setup installs poppler-utils (scripts/ensure-browser.sh)"
    text = subprocess.run(
        ["pdftotext", "-layout", str(out / "summary.pdf"), "-"], capture_output=True, text=True, check=True, timeout=60
    ).stdout
    assert "Итог урока" in text and "Самый трудный шаг" in text and "Самая частая ошибка" in text
    for seat in seats(server):  # every trainee by name: the Cyrillic text is text in the PDF, not pictures of it
        assert seat.persona.name.split()[0] in text


def test_a_reset_that_fails_is_told_to_the_trainer_and_harms_no_other_seat(
    server: ClassroomServer, room: Page, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert server.classroom is not None
    failing = "место 2: шаг «Дано <b>школа</b>» не выполнен"

    def remake(seat: Seat) -> None:
        if seat.number == 2:
            raise SeatingError(failing)

    monkeypatch.setattr(server.classroom, "remake", remake)
    press(room, "Заново", seat=2, status=409)
    expect(room.get_by_test_id("problem")).to_have_text(failing)  # as text: the markup is not interpreted
    expect(room.get_by_test_id("problem").locator("b")).to_have_count(0)
    press(room, "Заново", seat=1)
    expect(room.get_by_test_id("problem")).to_have_text("")
