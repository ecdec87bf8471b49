"""Control-plane requests racing a reset or a disconnect, with real sockets: nothing is lost or left running."""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Callable

import pytest

from simulator import SimulatorServer
from simulator.testing import SimSession

WRITES = [
    ("POST", "/seed", {"organisations": [{"id": 1, "name": "Школа", "classes": []}]}),
    ("PUT", "/codes/+79990000000", {"code": "1234"}),
    ("POST", "/clock", {"advance": 60}),
    ("PUT", "/faults/vpn", {}),
    ("PATCH", "/settings", {"phone_code_channel": "sms"}),
    ("POST", "/clients", {"client_id": "rp", "redirect_uris": ["https://rp.example/cb"], "service_name": "RP"}),
]


def until(condition: Callable[[], bool], seconds: float = 3.0) -> bool:
    """Whether `condition` came true within `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return condition()


def head(server: SimulatorServer, method: str, path: str, length: int) -> bytes:
    return (
        f"{method} /_sim/v1{path} HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {length}\r\nConnection: close\r\n\r\n"
    ).encode()


def status_of(sock: socket.socket) -> tuple[int, dict[str, str]]:
    """The status and JSON body of the answer on `sock`."""
    answer = b""
    while chunk := sock.recv(65536):
        answer += chunk
    status_line, _, rest = answer.partition(b"\r\n")
    body = rest.partition(b"\r\n\r\n")[2]
    return int(status_line.split()[1]), json.loads(body) if body else {}


def waiters(server: SimulatorServer, key: str) -> int:
    """Outbox waits held on the session object now under `key`, or on the one that was."""
    condition = server.call(lambda: server.world.sessions[key]._outbox_changed)
    return len(getattr(condition, "_waiters", None) or ())


@pytest.mark.parametrize("how", ["reset", "delete"])
@pytest.mark.parametrize(("method", "path", "document"), WRITES, ids=[w[1].split("/")[1] for w in WRITES])
def test_a_write_whose_body_arrives_after_a_reset_is_refused(
    server: SimulatorServer, sim_session: SimSession, how: str, method: str, path: str, document: dict[str, object]
) -> None:
    """Not a 2xx for a change made to a session nobody can see any more."""
    body = json.dumps(document).encode()
    with socket.create_connection((server.host, server.port), timeout=10) as sock:
        sock.sendall(head(server, method, f"/sessions/{sim_session.key}{path}", len(body)) + body[:1])
        time.sleep(0.2)  # the server has the head and waits for the rest of the body
        sim_session.reset() if how == "reset" else sim_session.delete()
        sock.sendall(body[1:])
        status, answer = status_of(sock)
    assert status == 404, answer
    assert answer["error"] == "unknown_session" and "reset or deleted" in answer["message"]
    if how == "reset":
        fresh = sim_session.snapshot()
        assert (
            fresh["organisations"] == [] and fresh["faults"] == [] and fresh["settings"]["phone_code_channel"] == "call"
        )


def test_an_outbox_wait_that_spans_a_reset_is_answered_at_once(
    server: SimulatorServer, sim_session: SimSession
) -> None:
    """A wait on the old session is not left to its timeout, and never answers with the new session's messages."""
    request = f"GET /_sim/v1/sessions/{sim_session.key}/outbox/wait?timeout=20 HTTP/1.1\r\n"
    with socket.create_connection((server.host, server.port), timeout=10) as sock:
        sock.sendall(f"{request}Host: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())
        assert until(lambda: waiters(server, sim_session.key) == 1)
        started = time.monotonic()
        sim_session.reset()
        status, answer = status_of(sock)
    assert time.monotonic() - started < 3
    assert status == 404 and answer["error"] == "unknown_session" and "reset or deleted" in answer["message"]


def test_a_disconnected_clients_wait_ends(server: SimulatorServer, sim_session: SimSession) -> None:
    """Its client gone, a held wait stops at once instead of holding the session until its timeout."""
    request = f"GET /_sim/v1/sessions/{sim_session.key}/outbox/wait?timeout=30 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
    sock = socket.create_connection((server.host, server.port), timeout=10)
    sock.sendall(request.encode())
    assert until(lambda: waiters(server, sim_session.key) == 1)
    sock.close()
    assert until(lambda: waiters(server, sim_session.key) == 0)
