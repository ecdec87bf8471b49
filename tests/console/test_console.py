"""The console at /_sim/: what it shows of a session, and what its forms change in the world."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime, timedelta

import httpx
import pytest

from simulator import SimulatorServer
from simulator.testing import SimSession
from simulator.world import outbox
from simulator.world.models import Channel
from tests.support.sim_seeds import PHONE, SCHOOL, person


@pytest.fixture
def console(server: SimulatorServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url, timeout=15) as client:
        yield client


def page(console: httpx.Client, session: SimSession) -> str:
    response = console.get("/_sim/", params={"session": session.key})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    return response.text


def post(console: httpx.Client, session: SimSession, path: str, **form: str) -> httpx.Response:
    return console.post(f"/_sim/console/{session.key}{path}", data=form)


def assert_back_to_console(response: httpx.Response, session: SimSession) -> None:
    assert response.status_code == 303, response.text
    assert response.headers["Location"] == f"/_sim/?session={session.key}"


def send(server: SimulatorServer, session: SimSession, channel: Channel, to: str) -> None:
    server.call(lambda: outbox.send_code(server.world.get(session.key), channel, to))


def test_shows_people_their_accounts_links_and_the_outbox_newest_first(
    console: httpx.Client, server: SimulatorServer, sim_session: SimSession
) -> None:
    sim_session.seed({"organisations": [SCHOOL], "people": [{**person(), "linked": "vkid"}]})
    send(server, sim_session, Channel.CALL, PHONE)
    send(server, sim_session, Channel.SMS, PHONE)
    calls, sms = sim_session.messages(channel="call"), sim_session.messages(channel="sms")
    html = page(console, sim_session)
    assert "Иванов Иван Петрович" in html and "ivanov" in html and "secret-1" in html  # what a trainer signs in with
    assert "ГБОУ Школа № 1" in html and "привязан к учебному профилю" in html
    # Newest first; a call shows the digits the user types: the caller's last four.
    caller = calls[0]["caller"]
    assert caller is not None
    assert html.index(sms[0]["code"]) < html.index(caller)
    typed = re.sub(r"\D", "", caller)[-4:]
    assert f'data-testid="code">{typed}<' in html
    assert "Исходящие" in html and "звонок" in html and "SMS" in html


def test_output_is_escaped(console: httpx.Client, server: SimulatorServer, sim_session: SimSession) -> None:
    send(server, sim_session, Channel.EMAIL, "<script>alert(1)</script>@example.ru")
    html = page(console, sim_session)
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;@example.ru" in html


def test_switches_faults_on_and_off(console: httpx.Client, sim_session: SimSession) -> None:
    assert_back_to_console(post(console, sim_session, "/faults/vpn", on="1"), sim_session)
    assert [f["name"] for f in sim_session.snapshot()["faults"]] == ["vpn"]
    assert "включён — выключить" in page(console, sim_session)
    assert_back_to_console(post(console, sim_session, "/faults/identity_unavailable", on="1"), sim_session)
    assert_back_to_console(post(console, sim_session, "/faults/vpn", on="0"), sim_session)
    assert [f["name"] for f in sim_session.snapshot()["faults"]] == ["identity_unavailable"]


def test_a_fault_switched_off_here_is_in_the_event_log_as_from_the_control_plane(
    console: httpx.Client, sim_session: SimSession
) -> None:
    post(console, sim_session, "/faults/vpn", on="1")
    post(console, sim_session, "/faults/vpn", on="0")
    post(console, sim_session, "/faults/vpn", on="0")  # already off: nothing happens, nothing is logged
    kinds = [(e["kind"], e.get("name")) for e in sim_session.events() if e["kind"].startswith("fault")]
    assert kinds == [("fault_on", "vpn"), ("fault_off", "vpn")]


def test_refuses_faults_it_cannot_switch(console: httpx.Client, sim_session: SimSession) -> None:
    """http_error needs a platform, a path and a status: only the control plane switches it on."""
    assert post(console, sim_session, "/faults/http_error", on="1").status_code == 400
    assert post(console, sim_session, "/faults/nonsense", on="1").status_code == 400
    assert sim_session.snapshot()["faults"] == []


def test_moves_the_clock(console: httpx.Client, sim_session: SimSession) -> None:
    start = datetime.fromisoformat(sim_session.snapshot()["clock"]["now"])
    assert_back_to_console(post(console, sim_session, "/clock", advance="300"), sim_session)
    assert_back_to_console(post(console, sim_session, "/clock", advance="86400"), sim_session)
    now = datetime.fromisoformat(sim_session.snapshot()["clock"]["now"])
    assert now - start == timedelta(days=1, minutes=5)
    assert now.strftime("%d.%m.%Y %H:%M:%S") in page(console, sim_session)
    for bad in ("-60", "soon", ""):
        assert post(console, sim_session, "/clock", advance=bad).status_code == 400
    assert datetime.fromisoformat(sim_session.snapshot()["clock"]["now"]) == now


def test_changes_settings(console: httpx.Client, sim_session: SimSession) -> None:
    assert_back_to_console(post(console, sim_session, "/settings", name="phone_code_channel", value="sms"), sim_session)
    assert_back_to_console(post(console, sim_session, "/settings", name="mes_sferum_in", value="max"), sim_session)
    assert sim_session.snapshot()["settings"] == {"phone_code_channel": "sms", "mes_sferum_in": "max"}
    assert post(console, sim_session, "/settings", name="phone_code_channel", value="pigeon").status_code == 400
    assert post(console, sim_session, "/settings", name="colour", value="sms").status_code == 400
    assert sim_session.snapshot()["settings"]["phone_code_channel"] == "sms"


def test_resets_the_session_keeping_its_key_and_seed(console: httpx.Client, sim_session: SimSession) -> None:
    sim_session.seed({"organisations": [SCHOOL], "people": [person()]})
    post(console, sim_session, "/faults/vpn", on="1")
    assert_back_to_console(post(console, sim_session, "/reset"), sim_session)
    world = sim_session.snapshot()
    assert (world["key"], world["seed"]) == (sim_session.key, sim_session.seed_value)
    assert world["people"] == world["vkid_accounts"] == world["faults"] == []
    assert "В сессии нет людей" in page(console, sim_session)


def test_unknown_session(console: httpx.Client) -> None:
    response = console.get("/_sim/", params={"session": "no-such-session"})
    assert response.status_code == 404 and "Сессия «no-such-session» не найдена" in response.text
    assert console.post("/_sim/console/no-such-session/reset").status_code == 404


def test_is_on_every_host_and_lists_sessions(console: httpx.Client, sim_session: SimSession) -> None:
    response = console.get("/_sim/", params={"session": sim_session.key}, headers={"Host": "id.localhost"})
    assert response.status_code == 200 and f'href="/_sim/?session={sim_session.key}"' in response.text
    assert console.get("/_sim").headers["Location"] == "/_sim/"
