"""A large snapshot costs a bounded multiple of its size, does not hold up other requests, and slow clients
are timed out — against a `sferum-sim serve` process, measured from the outside (its /proc status)."""

from __future__ import annotations

import base64
import json
import os
import re
import select
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from simulator import SimulatorServer
from simulator.app import Timeouts
from simulator.testing import Personas, Simulator
from simulator.validation import FILE_MAX
from tests.support.sim_orgs import SCHOOL, seed

SNAPSHOT_MAX = 256 * 1024 * 1024  # the control plane's limit for a snapshot body (README)
# Peak memory of a PUT, over the server's memory before it, as a multiple of the body: the body is held
# once as bytes, then once as text, then its strings once as values — never all three at once.
PEAK_MULTIPLE = 3


class Serve:
    """`sferum-sim serve` as the README starts it, on a free port, until the test ends."""

    def __init__(self, tmp: Path) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [sys.executable, "-m", "simulator", "serve", "--port", str(self.port)],
            cwd=tmp,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        assert self.process.stdout is not None
        banner = self.process.stdout.readline()  # printed once the app is built, just before it listens
        assert banner.startswith("sferum-sim on"), banner
        self.control = Simulator(self.url, timeout=120)  # its health check retries until the port answers

    def memory(self, field: str) -> int:
        """VmRSS (now) or VmHWM (the peak so far) of the server process, in bytes."""
        status = Path(f"/proc/{self.process.pid}/status").read_text()
        match = re.search(rf"^{field}:\s+(\d+) kB$", status, re.M)
        assert match, status
        return int(match.group(1)) * 1024

    def stop(self) -> None:
        self.control.close()
        self.process.terminate()
        self.process.communicate(timeout=30)


@pytest.fixture
def serve(tmp_path: Path) -> Iterator[Serve]:
    server = Serve(tmp_path)
    yield server
    server.stop()


def large_snapshot(server: Serve, budget: int) -> bytes:
    """A real session's snapshot grown with 2 MB files in its class chat until it is about `budget` bytes."""
    session = server.control.new_session(seed=5)
    session.seed({"organisations": [SCHOOL]})
    seed(session, Personas(5), "teacher", org=SCHOOL["id"], school_class="10А", linked="vkid")
    document = server.control.http.get(f"/sessions/{session.key}/snapshot").json()
    session.delete()
    chat = document["chats"][0]["id"]
    profile = document["profiles"][0]["id"]
    sent_at = document["clock"].get("now") or "2024-10-16T09:00:00+03:00"
    data = base64.b64encode(os.urandom(FILE_MAX)).decode("ascii")
    count = budget // len(data)
    document["chat_messages"] = [
        {
            "id": 1000 + i,
            "chat_id": chat,
            "profile_id": profile,
            "text": "",
            "sent_at": sent_at,
            "file": {
                "name": f"отчёт-{i}.bin",
                "size": FILE_MAX,
                "content_type": "application/octet-stream",
                "data": data,
            },
        }
        for i in range(count)
    ]
    return json.dumps(document).encode()


def test_a_snapshot_put_near_the_body_limit_peaks_within_a_small_multiple_of_its_size(serve: Serve) -> None:
    body = large_snapshot(serve, SNAPSHOT_MAX - 8 * 1024 * 1024)
    assert SNAPSHOT_MAX * 0.9 < len(body) <= SNAPSHOT_MAX
    before = serve.memory("VmRSS")
    assert serve.memory("VmHWM") < before + len(body)  # the peak below is this request's
    response = httpx.put(
        f"{serve.url}/_sim/v1/sessions/copy/snapshot",
        content=body,
        headers={"Content-Type": "application/json"},
        timeout=300,
    )
    assert response.status_code == 201, response.text[:500]
    peak = serve.memory("VmHWM") - before
    mib = 1 << 20
    print(f"body {len(body) / mib:.0f} MiB, peak +{peak / mib:.0f} MiB ({peak / len(body):.2f}x)")
    assert peak <= PEAK_MULTIPLE * len(body), f"{peak / len(body):.2f}x the body"
    # What was put is what is kept: the files came through whole.
    sent = json.loads(body)["chat_messages"]
    kept = serve.control.http.get("/sessions/copy/snapshot").json()["chat_messages"]
    assert [m["file"] for m in kept] == [m["file"] for m in sent]


def _request(port: int, head: str, body: bytes = b"") -> socket.socket:
    connection = socket.create_connection(("127.0.0.1", port))
    connection.sendall(head.encode() + body)
    return connection


def _answer(connection: socket.socket) -> bytes:
    """Everything the server sends until it closes the connection."""
    connection.settimeout(120)  # a bound for a broken server, not a measurement
    received = b""
    while chunk := connection.recv(65536):
        received += chunk
    return received


def test_other_requests_are_answered_while_a_large_snapshot_is_loaded(serve: Serve) -> None:
    body = large_snapshot(serve, SNAPSHOT_MAX // 2)
    head = (
        "PUT /_sim/v1/sessions/big/snapshot HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    )
    put = socket.create_connection(("127.0.0.1", serve.port))
    sender = threading.Thread(target=put.sendall, args=(head.encode() + body,))
    sender.start()
    sender.join()  # the whole body is on its way: what remains for the server is to read and load it
    answered_first = []
    with httpx.Client(base_url=serve.url, timeout=120) as other:
        for _ in range(5):
            assert other.get("/_sim/v1/health").status_code == 200
            readable, _, _ = select.select([put], [], [], 0)
            answered_first.append(not readable)  # the health check came back while the PUT had no answer yet
    assert all(answered_first), answered_first
    assert _answer(put).startswith(b"HTTP/1.1 201"), "the snapshot was loaded"
    assert "big" in serve.control.http.get("/sessions").json()["sessions"]


@pytest.fixture
def impatient() -> Iterator[SimulatorServer]:
    with SimulatorServer(timeouts=Timeouts(body=0.5, keepalive=0.5)) as server:
        yield server


def test_a_body_not_sent_in_time_is_answered_408_and_the_connection_closed(impatient: SimulatorServer) -> None:
    before = httpx.get(f"{impatient.url}/_sim/v1/sessions").json()["sessions"]
    head = (
        "POST /_sim/v1/sessions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        "Content-Length: 100\r\n\r\n"
    )
    with _request(impatient.port, head, b'{"key": "sl') as connection:  # the rest never comes
        answer = _answer(connection)
    status, _, rest = answer.partition(b"\r\n")
    assert status == b"HTTP/1.1 408 Request Timeout", answer[:300]
    assert json.loads(rest.partition(b"\r\n\r\n")[2])["error"] == "request_timeout"
    assert httpx.get(f"{impatient.url}/_sim/v1/sessions").json()["sessions"] == before  # nothing was created


def test_a_page_form_not_sent_in_time_is_a_russian_page(impatient: SimulatorServer) -> None:
    head = (
        "POST / HTTP/1.1\r\nHost: mes.localhost\r\nContent-Type: application/x-www-form-urlencoded\r\n"
        "Content-Length: 50\r\n\r\n"
    )
    with _request(impatient.port, head, b"login=") as connection:
        answer = _answer(connection).decode()
    assert answer.startswith("HTTP/1.1 408"), answer[:300]
    assert "text/html" in answer.partition("\r\n\r\n")[0]
    assert "Запрос не пришёл целиком" in answer


def test_a_request_whose_headers_stall_is_closed_without_an_answer(impatient: SimulatorServer) -> None:
    with _request(impatient.port, "GET /_sim/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n") as connection:
        assert _answer(connection) == b""  # the blank line ending the headers never came
