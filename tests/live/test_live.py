"""`GET /_live/events`: a session's events pushed to its open pages (simulator/live/), read as a browser reads them.

A stream carries its own session's events and no other's, each as one line of JSON the server made from ids —
nothing typed into the world reaches it — and ends cleanly when its session is reset or the server stops.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from simulator import SimulatorServer
from simulator.testing import Personas, SimSession, Simulator
from simulator.web import SESSION_HEADER
from tests.support.sim_browser import Browser, location
from tests.support.sim_orgs import MESSENGER, SCHOOL, seed, sign_in_to

ES = "es.localhost"


@dataclass
class Frame:
    """One Server-Sent Event as the browser's EventSource parses it (the WHATWG rules for its fields)."""

    event: str
    id: str
    data: str


class Stream:
    """An open stream, read frame by frame; a heartbeat before the frame expected means none came."""

    def __init__(self, response: httpx.Response) -> None:
        self.response = response
        self.lines = response.iter_lines()
        self.raw: list[str] = []

    def frames(self) -> Iterator[Frame | None]:
        """Each frame in order; None for a heartbeat (a comment-only block)."""
        fields: dict[str, str] = {}
        for line in self.lines:
            self.raw.append(line)
            if line == "":
                if "data" in fields:
                    yield Frame(fields.get("event", "message"), fields.get("id", ""), fields["data"])
                elif "ping" in fields.get(":", ""):
                    yield None
                fields = {}
                continue
            if line.startswith(":"):
                fields[":"] = fields.get(":", "") + line
                continue
            name, _, value = line.partition(":")
            value = value.removeprefix(" ")
            fields[name] = fields[name] + "\n" + value if name == "data" and name in fields else value

    def next_event(self) -> dict[str, Any]:
        """The next world event: its data, checked to be what the frame's id says."""
        for frame in self.frames():
            assert frame is not None, "a heartbeat came instead of the event"
            assert frame.event == "world"
            data: dict[str, Any] = json.loads(frame.data)
            assert frame.id == str(data["id"])
            return data
        raise AssertionError("the stream ended before the event")

    def ends(self) -> bool:
        """Reads on until the server closes the stream; False if a heartbeat comes first."""
        return all(frame is not None for frame in self.frames())


@contextmanager
def stream(
    server: SimulatorServer, key: str, host: str = MESSENGER, headers: dict[str, str] | None = None, **params: str
) -> Iterator[Stream]:
    with (
        httpx.Client(timeout=httpx.Timeout(30.0)) as client,
        client.stream(
            "GET",
            server.url + "/_live/events",
            headers={"Host": host, SESSION_HEADER: key, **(headers or {})},
            params=params,
        ) as response,
    ):
        assert response.status_code == 200, response.read()
        assert response.headers["content-type"] == "text/event-stream; charset=utf-8"
        assert response.headers["cache-control"] == "no-store"
        yield Stream(response)


@pytest.fixture
def school(sim_session: SimSession) -> dict[str, Any]:
    """A teacher and a student of 10А, linked long ago: their chats are built."""
    sim_session.seed({"organisations": [SCHOOL]})
    personas = Personas(7)
    return {
        who: seed(sim_session, personas, role, org=SCHOOL["id"], school_class="10А", linked="vkid")
        for who, role in (("teacher", "teacher"), ("student", "student"))
    }


@pytest.fixture
def messenger(school: dict[str, Any], http_browser: Browser) -> Browser:
    sign_in_to(http_browser, MESSENGER, "/", school["teacher"][0].phone)
    return http_browser


def class_chat(sim_session: SimSession) -> int:
    return next(c["id"] for c in sim_session.snapshot("chats")["chats"] if c["title"].endswith("10А · Общая беседа"))


def test_a_message_reaches_the_open_stream_as_its_chats_topic(
    server: SimulatorServer, sim_session: SimSession, messenger: Browser
) -> None:
    chat = class_chat(sim_session)
    with stream(server, sim_session.key) as live:
        sent = messenger.post(f"/chats/{chat}", host=MESSENGER, data={"action": "send", "text": "Кто решил?"})
        assert location(sent, 303) == f"/chats/{chat}"
        event = live.next_event()
    [message] = [e for e in sim_session.events() if e["kind"] == "chat_message"]
    assert event == {"id": message["id"], "kind": "chat_message", "topics": [f"chat-{chat}"]}
    assert live.raw[0] == "retry: 1000"


def test_a_stream_never_carries_another_sessions_events(
    server: SimulatorServer, sim: Simulator, sim_session: SimSession, messenger: Browser
) -> None:
    """Session A's message is pushed to A's page; B's page gets B's clock change first, never A's message."""
    other = sim.new_session(seed=2)
    try:
        chat = class_chat(sim_session)
        with stream(server, sim_session.key) as mine, stream(server, other.key, host=ES) as theirs:
            messenger.post(f"/chats/{chat}", host=MESSENGER, data={"action": "send", "text": "Только для своих"})
            other.advance(60)
            assert mine.next_event()["kind"] == "chat_message"
            assert theirs.next_event() == {"id": other.events()[-1]["id"], "kind": "clock_set", "topics": ["*"]}
    finally:
        other.delete()


def test_text_typed_into_the_world_never_reaches_the_stream(
    server: SimulatorServer, sim_session: SimSession, messenger: Browser
) -> None:
    """A message built to end a frame and forge another, and a file named with markup: one frame of ids, as sent."""
    chat = class_chat(sim_session)
    forged = 'Привет\n\nevent: world\ndata: {"id": 999, "kind": "forged", "topics": ["*"]}\n\n'
    with stream(server, sim_session.key) as live:
        messenger.post(
            f"/chats/{chat}",
            host=MESSENGER,
            data={"action": "send", "text": forged},
            files={"file": ("<script>alert(1)</script>.txt", b"1", "text/plain")},
        )
        sim_session.advance(1)
        first, second = live.next_event(), live.next_event()
    assert sim_session.snapshot("chat_messages")["chat_messages"][0]["text"] == forged.strip()  # stored as typed
    assert (first["kind"], set(first)) == ("chat_message", {"id", "kind", "topics"})
    assert second["kind"] == "clock_set"  # nothing came between: no frame was forged
    carried = "\n".join(live.raw)
    assert "forged" not in carried and "script" not in carried and "Привет" not in carried


def test_a_page_subscribing_late_gets_what_it_missed(
    server: SimulatorServer, sim_session: SimSession, messenger: Browser
) -> None:
    """`after` (the id the page was rendered at) or Last-Event-ID replays what a page shows, skipping requests."""
    chat = class_chat(sim_session)
    page = messenger.get(f"/chats/{chat}", host=MESSENGER)
    after = re.search(r'src="/_static/live\.js" data-after="(\d+)"', page.text)
    assert after is not None
    messenger.post(f"/chats/{chat}", host=MESSENGER, data={"action": "send", "text": "Пока страница грузилась"})
    with stream(server, sim_session.key, after=after[1]) as live:
        assert live.next_event()["kind"] == "chat_message"
    with stream(server, sim_session.key, headers={"Last-Event-ID": after[1]}, after="0") as live:
        assert live.next_event()["kind"] == "chat_message"  # the browser's own header wins over the URL's


@pytest.mark.parametrize("after", ["-1", "abc", "1" * 19, "１"])
def test_a_bad_after_is_a_clear_json_error(server: SimulatorServer, sim_session: SimSession, after: str) -> None:
    response = httpx.get(
        server.url + "/_live/events",
        params={"after": after},
        headers={"Host": MESSENGER, SESSION_HEADER: sim_session.key},
    )
    assert response.status_code == 400
    assert response.json() == {"error": "invalid_after", "message": "after: номер события — целое число от 0."}


def test_an_unknown_session_is_refused_not_streamed(server: SimulatorServer) -> None:
    response = httpx.get(server.url + "/_live/events", headers={"Host": MESSENGER, SESSION_HEADER: "no-such-session"})
    assert response.status_code == 400 and "не найдена" in response.text


def test_a_reset_ends_the_stream_and_a_reconnect_is_told_to_refresh(
    server: SimulatorServer, sim_session: SimSession, messenger: Browser
) -> None:
    messenger.post(f"/chats/{class_chat(sim_session)}", host=MESSENGER, data={"action": "send", "text": "До сброса"})
    last = sim_session.events()[-1]["id"]
    with stream(server, sim_session.key) as live:
        sim_session.reset()
        assert live.ends()
    with stream(server, sim_session.key, headers={"Last-Event-ID": str(last)}) as live:
        assert live.next_event()["topics"] == ["*"]  # ids started again: whatever the page shows is stale


def test_the_server_closes_open_streams_when_it_stops(caplog: pytest.LogCaptureFixture) -> None:
    """Stopping does not wait for a browser to go away, and logs no error."""
    caplog.set_level(logging.WARNING)
    own = SimulatorServer().start()
    client = Simulator(own.url)
    try:
        session = client.new_session(seed=1)
        with stream(own, session.key) as live:
            own.stop()  # on its own loop: ends the stream, then waits for the handlers
            assert live.ends()
    finally:
        client.close()
        if own._thread is not None and own._thread.is_alive():
            own.stop()
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []


def test_pages_mark_what_follows_the_world(
    sim_session: SimSession, messenger: Browser, new_http_browser: Callable[[], Browser]
) -> None:
    """The chat list, a chat's calls, messages and caption carry the topics their events name."""
    chat = class_chat(sim_session)
    listed = messenger.get("/chats", host=MESSENGER)
    assert '<div id="live-chats" data-live="chats">' in listed.text
    page = messenger.get(f"/chats/{chat}", host=MESSENGER)
    for region in ("live-chat-caption", "live-chat-call", "live-messages"):
        assert f'id="{region}" data-live="chat-{chat}"' in page.text
    started = messenger.post(f"/chats/{chat}", host=MESSENGER, data={"action": "call"})
    call = messenger.get(location(started, 303), host=MESSENGER)
    call_id = sim_session.snapshot("calls")["calls"][0]["id"]
    assert f'<div id="live-call" data-live="call-{call_id}"' in call.text
