"""Session snapshots: a whole session as JSON and back, exactly, over the control plane and in the world."""

from __future__ import annotations

import copy
from typing import Any

import httpx
import pytest

from simulator import SimulatorServer
from simulator.testing import Personas, SimSession
from simulator.world import World, outbox
from simulator.world.models import Organisation
from simulator.world.snapshot import SCHEMA_VERSION, SnapshotError, dump, load
from tests.support.sim_browser import Browser
from tests.support.sim_orgs import KINDERGARTEN, MESSENGER, SCHOOL, seed, sign_in_to

JSON = {"Content-Type": "application/json"}
PICTURE = ("задача.gif", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", "image/gif")


@pytest.fixture
def busy(sim_session: SimSession, new_http_browser: Any) -> tuple[SimSession, Browser]:
    """A session with something in every table: people, links, chats, messages, codes, faults, a signed-in browser."""
    personas = Personas(33)
    sim_session.seed({"organisations": [SCHOOL, KINDERGARTEN]})
    seed(sim_session, personas, "admin", journal=None, org_admin=SCHOOL["id"])
    teacher, _ = seed(sim_session, personas, "teacher", org=SCHOOL["id"], school_class="10А", linked="vkid")
    messenger = new_http_browser()
    sign_in_to(messenger, MESSENGER, "/", teacher.phone)
    chats = sim_session.snapshot()["chats"]
    class_chat = next(c["id"] for c in chats if c["title"] == "10А · Общая беседа")
    messenger.post(f"/chats/{class_chat}", host=MESSENGER, data={"action": "send", "text": "Добрый день!"})
    messenger.post(f"/chats/{class_chat}", host=MESSENGER, data={"action": "send"}, files={"file": PICTURE})
    messenger.post(f"/chats/{class_chat}", host=MESSENGER, data={"action": "call"})
    messenger.post("/chats/new", host=MESSENGER, data={"title": "Кружок робототехники"})  # a chat made by hand
    sim_session.fix_code("+79990001122", "123456")
    sim_session.fault("vpn")
    sim_session.settings(mes_sferum_in="max")
    return sim_session, messenger


def test_a_snapshot_put_back_reads_the_same(busy: tuple[SimSession, Browser], control: httpx.Client) -> None:
    session, _ = busy
    taken = control.get(f"/sessions/{session.key}/snapshot").json()
    assert taken["schema_version"] == SCHEMA_VERSION
    for table in ("people", "profiles", "links", "chats", "chat_messages", "calls", "outbox", "browsers"):
        assert taken[table], table
    # What the chat screens add to the world: a file with its message, a call's participants, a chat made by hand.
    assert [m["file"]["name"] for m in taken["chat_messages"] if m["file"]] == ["задача.gif"]
    assert [len(c["participants"]) for c in taken["calls"]] == [1]
    assert [c["title"] for c in taken["chats"] if c["created_by"]] == ["Кружок робототехники"]
    assert taken["codes"]["fixed"] == [{"to": "+79990001122", "code": "123456"}]
    assert taken["oauth"]["tokens"] and taken["events"]["last_id"] > 0

    copy_key = session.key + "-copy"
    created = control.put(f"/sessions/{copy_key}/snapshot", json=taken)
    assert created.status_code == 201, created.text
    try:
        copied = control.get(f"/sessions/{copy_key}/snapshot").json()
        assert {**copied, "oauth": None} == {**taken, "key": copy_key, "oauth": None}
        # A copy's grants are the original's, under new values: a code or token names one session.
        assert copied["oauth"]["clients"] == taken["oauth"]["clients"]
        for part in ("codes", "tokens", "id_tokens"):
            assert len(copied["oauth"][part]) == len(taken["oauth"][part]), part
        assert not _token_values(copied) & _token_values(taken)
        replaced = control.put(f"/sessions/{session.key}/snapshot", json=taken)
        assert replaced.status_code == 200 and replaced.json()["created"] is False
        assert control.get(f"/sessions/{session.key}/snapshot").json() == taken
    finally:
        control.delete(f"/sessions/{copy_key}")


def _token_values(snapshot: dict[str, Any]) -> set[str]:
    oauth = snapshot["oauth"]
    return (
        {c["code"] for c in oauth["codes"]}
        | {t[name] for t in oauth["tokens"] for name in ("access_token", "refresh_token")}
        | {t["id_token"] for t in oauth["id_tokens"]}
    )


def test_a_restored_session_carries_on_where_it_was(
    busy: tuple[SimSession, Browser], control: httpx.Client, server: SimulatorServer
) -> None:
    """Browsers stay signed in, event ids keep counting, tokens still name their session."""
    session, messenger = busy
    taken = control.get(f"/sessions/{session.key}/snapshot").json()
    control.post(f"/sessions/{session.key}/reset")
    assert control.put(f"/sessions/{session.key}/snapshot", json=taken).status_code == 200
    assert messenger.get("/", host=MESSENGER).status_code == 200  # still signed in: no redirect to VK ID
    events = session.events()
    assert [e["id"] for e in events] == [taken["events"]["last_id"] + 1]
    token = taken["oauth"]["tokens"][0]["access_token"]
    assert server.world.by_token(token) is server.world.get(session.key)


def test_the_world_round_trips_a_session_without_http() -> None:
    world = World()
    session = world.create("w", seed=4)
    outbox.fix_code(session, "+79990000000", "1234")
    session.record("something", detail=1)
    doc = dump(session)
    restored = load(copy.deepcopy(doc))
    assert dump(restored) == doc
    assert restored.new_id({}) == session.new_id({})  # the same ids are drawn next


def _doc() -> dict[str, Any]:
    world = World()
    session = world.create("m")
    session.organisations[1] = Organisation(1, "Школа")
    return dump(session)


@pytest.mark.parametrize(
    "change, field",
    [
        (lambda d: d.pop("people"), "people: missing"),
        (lambda d: d.update(people=[{"id": "p"}]), "people[0].last_name: missing"),
        (lambda d: d.update(organisations=[{"id": "one", "name": "x"}]), "organisations[0].id: must be an integer"),
        (lambda d: d["clock"].update(now="2024-10-16T09:00:00"), "clock.now: must be an ISO 8601 date-time"),
        (lambda d: d.update(colour="red"), "colour: not a field"),
        (
            lambda d: d.update(classes=[{"id": "10А", "org_id": 7, "name": "10А"}]),
            "classes[0].org_id: no organisations",
        ),
        (lambda d: d.update(organisations=d["organisations"] * 2), "organisations[1].id: 1 appears twice"),
        (lambda d: d["settings"].update(mes_sferum_in="pigeon"), "settings.mes_sferum_in"),
        (lambda d: d.update(faults=[{"name": "nonsense", "params": {}}]), "faults[0].name: no fault"),
        (lambda d: d["random"].update(ids=[1, 2]), "random.ids"),
        (lambda d: d.update(schema_version=SCHEMA_VERSION + 1), "newer snapshot schema"),
        (lambda d: d.pop("schema_version"), "not a sferum-sim session snapshot"),
    ],
)
def test_a_malformed_snapshot_is_refused_naming_the_field(change: Any, field: str) -> None:
    doc = _doc()
    change(doc)
    with pytest.raises(SnapshotError, match=field.replace("[", r"\[").replace("]", r"\]")):
        load(doc)


def test_the_control_plane_refuses_a_bad_snapshot_with_422_and_changes_nothing(
    sim_session: SimSession, control: httpx.Client
) -> None:
    url = f"/sessions/{sim_session.key}/snapshot"
    before = control.get(url).json()
    for body, field in (
        ({**before, "schema_version": 99}, "schema_version"),
        ({**before, "people": [{"id": 5}]}, "people[0].id"),
        ({**before, "oauth": {"clients": [], "codes": [], "tokens": [{}]}}, "oauth.tokens[0]"),
    ):
        answer = control.put(url, json=body)
        assert answer.status_code == 422, answer.text
        assert answer.json()["error"] == "invalid_snapshot" and answer.json()["message"].startswith(field)
    assert control.put(url, content=b"[1]", headers=JSON).status_code == 400
    assert control.put(url, content=b"{", headers=JSON).json()["error"] == "invalid_json"
    assert control.put("/sessions/bad key!/snapshot", json=before).status_code == 400
    assert control.get(url).json() == before


def test_a_snapshot_larger_than_a_form_is_accepted(sim_session: SimSession, control: httpx.Client) -> None:
    personas = Personas(8)
    sim_session.seed({"people": [personas.make("teacher", key=f"t{i}").entry(journal=None) for i in range(300)]})
    taken = control.get(f"/sessions/{sim_session.key}/snapshot").json()
    assert len(httpx.Request("PUT", "/", json=taken).content) > 64 * 1024
    assert control.put(f"/sessions/{sim_session.key}/snapshot", json=taken).status_code == 200
