"""Control-plane requests racing a reset or a disconnect, with real sockets: nothing is lost or left running."""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import httpx
import pytest

from simulator import SimulatorServer
from simulator.clock import DEFAULT_START
from simulator.testing import SimSession
from simulator.world import Session, World

WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
DAY = timedelta(days=1)

KEY = "race"
NEW_KEY = "race-created"
SNAPSHOT_SETTINGS = {"phone_code_channel": "sms"}


@dataclass(frozen=True)
class Write:
    """A control-plane write with a valid body, and how its effect shows in the session it names."""

    path: str  # under /_sim/v1, with {key} and the other parameters filled in
    body: dict[str, Any]
    applied: Callable[[World], bool]


def _session(world: World, key: str = KEY) -> Session | None:
    return world.sessions.get(key)


def _has(key: str, check: Callable[[Session], bool]) -> Callable[[World], bool]:
    return lambda world: (session := _session(world, key)) is not None and check(session)


# One valid request for every control-plane operation that takes a body (the OpenAPI document lists them).
BODY_WRITES: dict[str, Write] = {
    "create_session": Write("/sessions", {"key": NEW_KEY}, lambda world: NEW_KEY in world.sessions),
    "seed": Write(
        f"/sessions/{KEY}/seed",
        {"organisations": [{"id": 1, "name": "Школа", "classes": []}]},
        _has(KEY, lambda s: bool(s.organisations)),
    ),
    "fix_code": Write(
        f"/sessions/{KEY}/codes/+79990000000", {"code": "1234"}, _has(KEY, lambda s: bool(s.codes.fixed))
    ),
    "set_clock": Write(
        f"/sessions/{KEY}/clock", {"advance": 86400}, _has(KEY, lambda s: s.clock.now() >= DEFAULT_START + DAY)
    ),
    "set_fault": Write(f"/sessions/{KEY}/faults/vpn", {}, _has(KEY, lambda s: "vpn" in s.faults)),
    "update_settings": Write(
        f"/sessions/{KEY}/settings",
        SNAPSHOT_SETTINGS,
        _has(KEY, lambda s: s.settings == {**s.settings, **SNAPSHOT_SETTINGS}),
    ),
    "register_client": Write(
        f"/sessions/{KEY}/clients",
        {"client_id": "rp-race", "redirect_uris": ["https://rp.example/cb"], "service_name": "RP"},
        _has(KEY, lambda s: "rp-race" in s.oauth.clients),
    ),
    "put_snapshot": Write(
        f"/sessions/{KEY}/snapshot", {}, _has(KEY, lambda s: s.settings["phone_code_channel"] == "sms")
    ),
}
# What may win a race with one of them: another request emptying the session the write names, or the world.
RESETS = {
    "reset": ("POST", f"/sessions/{KEY}/reset"),
    "delete": ("DELETE", f"/sessions/{KEY}"),
    "world reset": ("POST", "/reset"),
}
# A write that applies to whatever session its key names when it runs, never to one forgotten meanwhile.
APPLIED_TO_THE_NEW_WORLD = {"create_session", "put_snapshot"}


@pytest.fixture(scope="module")
def raced() -> Iterator[SimulatorServer]:
    """A simulator of its own: the races reset its whole world."""
    with SimulatorServer() as running:
        yield running


def operations(server: SimulatorServer) -> dict[str, tuple[str, bool]]:
    """Every control-plane write in the OpenAPI document: operationId → (method, whether it takes a body)."""
    document = httpx.get(server.url + "/_sim/v1/openapi.json").json()
    return {
        operation["operationId"]: (method.upper(), "requestBody" in operation)
        for item in document["paths"].values()
        for method, operation in item.items()
        if method.upper() in WRITE_METHODS
    }


def read_answer(sock: socket.socket, buffered: bytes = b"") -> tuple[int, bytes, bytes]:
    """The next answer on `sock` (a 100 Continue included): its status, its body and the bytes after it."""
    data = buffered
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        assert chunk, f"the connection closed before an answer: {data!r}"
        data += chunk
    head, _, rest = data.partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    length = int(
        next(
            (line.split(b":", 1)[1] for line in head.split(b"\r\n")[1:] if line.lower().startswith(b"content-length:")),
            b"0",
        )
    )
    while len(rest) < length:
        chunk = sock.recv(65536)
        assert chunk, "the connection closed inside an answer"
        rest += chunk
    return status, rest[:length], rest[length:]


def send_head(server: SimulatorServer, method: str, path: str, length: int) -> socket.socket:
    """A request's head, asking to be told (100 Continue) before its body is sent."""
    sock = socket.create_connection((server.host, server.port), timeout=10)
    sock.sendall(
        f"{method} /_sim/v1{path} HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {length}\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n".encode()
    )
    return sock


def test_every_write_that_reads_a_body_is_raced(raced: SimulatorServer) -> None:
    """A new write with a body is raced below as soon as it is in the router."""
    with_body = {name for name, (_, body) in operations(raced).items() if body}
    assert with_body == set(BODY_WRITES)


@pytest.mark.parametrize("reset", RESETS, ids=list(RESETS))
@pytest.mark.parametrize("name", BODY_WRITES, ids=list(BODY_WRITES))
def test_a_write_racing_a_reset_is_applied_to_the_new_world_or_refused(
    raced: SimulatorServer, name: str, reset: str
) -> None:
    """The reset runs between the write's look-up of its session and its body: never a 2xx for a lost change."""
    control = httpx.Client(base_url=raced.url + "/_sim/v1", timeout=10)
    raced.call(lambda: raced.world.reset())
    control.post("/sessions", json={"key": KEY}).raise_for_status()
    write = BODY_WRITES[name]
    body = write.body
    if name == "put_snapshot":  # a snapshot taken from a session in SMS mode, so its restoring shows
        control.patch(f"/sessions/{KEY}/settings", json=SNAPSHOT_SETTINGS).raise_for_status()
        body = control.get(f"/sessions/{KEY}/snapshot").json()
        control.post(f"/sessions/{KEY}/reset").raise_for_status()
    raw = json.dumps(body).encode()
    method = operations(raced)[name][0]
    with send_head(raced, method, write.path, len(raw)) as sock:
        # 100 Continue is written by the server as it enters the handler, which looks its session up before
        # it awaits the body: the reset below is handled after that look-up, whatever the scheduling.
        status, _, rest = read_answer(sock)
        assert status == 100
        reset_method, reset_path = RESETS[reset]
        control.request(reset_method, reset_path).raise_for_status()
        sock.sendall(raw)
        status, answer, _ = read_answer(sock, rest)
    applied = raced.call(write.applied, raced.world)
    if name in APPLIED_TO_THE_NEW_WORLD:
        assert status in (200, 201), answer
        assert applied, f"{name} answered {status} but its change is not in the world"
    else:
        assert status == 409, answer
        error = json.loads(answer)
        assert error["error"] == "session_replaced" and "nothing was changed" in error["message"], error
        assert not applied, f"{name} was refused but changed the session"
    control.close()


@pytest.mark.parametrize("name", ["reset_world", "delete_session", "reset_session", "unfix_code", "clear_fault"])
def test_a_write_without_a_body_never_waits_for_one(raced: SimulatorServer, name: str) -> None:
    """It looks its session up and changes it in one step: no reset can come between the two."""
    writes = operations(raced)
    assert {n for n, (_, body) in writes.items() if not body} == {
        "reset_world",
        "delete_session",
        "reset_session",
        "unfix_code",
        "clear_fault",
    }
    raced.call(lambda: raced.world.reset())
    httpx.post(raced.url + "/_sim/v1/sessions", json={"key": KEY}).raise_for_status()
    paths = {
        "reset_world": "/reset",
        "delete_session": f"/sessions/{KEY}",
        "reset_session": f"/sessions/{KEY}/reset",
        "unfix_code": f"/sessions/{KEY}/codes/+79990000000",
        "clear_fault": f"/sessions/{KEY}/faults/vpn",
    }
    with send_head(raced, writes[name][0], paths[name], 2) as sock:
        status, _, rest = read_answer(sock)
        if status == 100:  # the handler ran after the interim answer, without the body
            status, _, _ = read_answer(sock, rest)
        sock.sendall(b"{}")  # the unread body, so the server ends the request instead of waiting for it
        while sock.recv(65536):
            pass
    assert status == 200


def until(condition: Callable[[], bool], seconds: float = 3.0) -> bool:
    """Whether `condition` came true within `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return condition()


def waiters(server: SimulatorServer, key: str) -> int:
    """Outbox waits held on the session object now under `key`, or on the one that was."""
    condition = server.call(lambda: server.world.sessions[key].outbox_changed)
    return len(getattr(condition, "_waiters", None) or ())


def test_an_outbox_wait_that_spans_a_reset_is_answered_at_once(
    server: SimulatorServer, sim_session: SimSession
) -> None:
    """A wait on the old session is not left to its timeout, and never answers with the new session's messages.

    The wait's own timeout (20 s) is past the socket's (10 s): an answer read at all came from the reset.
    """
    request = f"GET /_sim/v1/sessions/{sim_session.key}/outbox/wait?timeout=20 HTTP/1.1\r\n"
    with socket.create_connection((server.host, server.port), timeout=10) as sock:
        sock.sendall(f"{request}Host: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())
        assert until(lambda: waiters(server, sim_session.key) == 1)
        sim_session.reset()
        status, answer, _ = read_answer(sock)
    error = json.loads(answer)
    assert status == 409 and error["error"] == "session_replaced" and "reset or deleted" in error["message"]


def test_a_disconnected_clients_wait_ends(server: SimulatorServer, sim_session: SimSession) -> None:
    """Its client gone, a held wait stops at once instead of holding the session until its timeout."""
    request = f"GET /_sim/v1/sessions/{sim_session.key}/outbox/wait?timeout=30 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
    sock = socket.create_connection((server.host, server.port), timeout=10)
    sock.sendall(request.encode())
    assert until(lambda: waiters(server, sim_session.key) == 1)
    sock.close()
    assert until(lambda: waiters(server, sim_session.key) == 0)
