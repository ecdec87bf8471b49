"""The session's event log: what a step caused, as the simulator saw it."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from simulator import SimulatorServer
from simulator.testing import SimSession, Simulator


@pytest.fixture
def session(server: SimulatorServer) -> Iterator[SimSession]:
    sim = Simulator(server.url)
    session = sim.new_session(seed=5)
    yield session
    session.delete()
    sim.close()


def test_browser_requests_and_world_changes_are_logged_in_order(server: SimulatorServer, session: SimSession) -> None:
    headers = {"Host": "mes.localhost", "X-Sim-Session": session.key}
    assert httpx.get(server.url + "/", headers=headers).status_code == 200
    assert httpx.get(server.url + "/no-such-page", headers=headers).status_code == 404
    session.fault("vpn")
    session.clear_fault("vpn")
    session.seed(
        {
            "people": [
                {
                    "id": "t",
                    "last_name": "Иванова",
                    "first_name": "Анна",
                    "patronymic": "Петровна",
                    "birth_date": "1980-01-02",
                    "sex": "female",
                    "phone": "+79990001122",
                    "vkid": {"login": "phone"},
                }
            ]
        }
    )
    events = session.events()
    assert [e["id"] for e in events] == list(range(1, len(events) + 1))
    kinds = [e["kind"] for e in events]
    assert kinds[:4] == ["request", "request", "fault_on", "fault_off"] and "vkid_account_created" in kinds
    assert [(e["platform"], e["path"], e["status"]) for e in events[:2]] == [
        ("mes", "/", 200),
        ("mes", "/no-such-page", 404),
    ]
    assert session.events(after=3) == events[3:]


def test_control_plane_and_other_sessions_stay_out(server: SimulatorServer, session: SimSession) -> None:
    httpx.get(server.url + "/_sim/v1/health", headers={"X-Sim-Session": session.key})
    httpx.get(server.url + "/", headers={"Host": "mes.localhost"})  # the default session's
    assert session.events() == []


def test_events_are_in_the_openapi_document(server: SimulatorServer) -> None:
    paths = httpx.get(server.url + "/_sim/v1/openapi.json").json()["paths"]
    operation = paths["/_sim/v1/sessions/{key}/events"]["get"]
    assert [p["name"] for p in operation["parameters"]] == ["key", "after"]


def test_chats_a_profile_joins_are_logged(session: SimSession) -> None:
    session.seed({"organisations": [{"id": 7, "name": "Школа №7", "kind": "school", "classes": ["5А"]}]})
    person = {
        "id": "s",
        "last_name": "Петров",
        "first_name": "Пётр",
        "patronymic": "Петрович",
        "birth_date": "2007-03-04",
        "sex": "male",
        "phone": "+79990002233",
        "journal": {
            "journal": "es",
            "role": "student",
            "login": "petrov",
            "password": "Пароль-1",
            "org": 7,
            "class": "5А",
        },
        "vkid": {"profile": True},
        "linked": "vkid",
    }
    session.seed({"people": [person]})
    [joined] = [e for e in session.events() if e["kind"] == "chats_joined"]
    assert joined["org"] == "Школа №7"
    assert joined["chats"] == [
        {"title": "Школа №7 · Объявления", "kind": "channel"},
        {"title": "5А · Общая беседа", "kind": "group"},
    ]
