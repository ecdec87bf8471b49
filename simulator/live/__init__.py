"""Live pages: what happens in the world is pushed to the pages that show it, with Server-Sent Events.

Seeds 001 and 004: «общаться в чатах … совершать онлайн-звонки» — a classmate's message, a participant joining
a call, the chats Sferum builds after linking appear without a reload. Every platform origin answers
`GET /_live/events`: a stream of its session's events (never another session's — the browser's session
header or cookie-less default names it), each reduced to its id, kind and the *topics* it touches. A page
marks what it shows with `data-live="topics"` on elements with an id; simulator/static/live.js subscribes
once the page has loaded, fetches the page again when a topic it shows is touched and swaps those elements —
so a reload shows the same state, and a page without JS is simply a page.

No user text goes out on the stream: a frame is one line of JSON the server made from ids, so nothing
typed into the world can end a frame or forge one.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import Iterable
from typing import Any

from aiohttp import web

from .. import validation
from .. import web as sim
from ..world import Session, UnknownSession

PATH = "/_live/events"
HEARTBEAT = 10.0  # seconds: a comment line that finds a closed connection; proxies keep the stream open
RETRY_MS = 1000  # how soon a browser reconnects after the stream ends (a reset, a restart)
EVERYTHING = "*"
Inbox = asyncio.Queue[dict[str, Any] | None]  # one open stream's events; None ends it
STREAMS = web.AppKey("live_streams", set[Inbox])

# Which screens each kind of event changes: chat lists and counters, one chat, calls, the cabinet.
CHAT_LISTS = frozenset({"chats_joined", "chat_created", "linked", "unlinked", "chat_members_added"})
ORGANISATIONS = frozenset({"invitation_sent", "invitation_answered", "join_requested", "join_decided"})
CALLS = frozenset({"call_started", "call_joined", "call_left", "call_toggled"})


def topics(session: Session, event: dict[str, Any]) -> list[str]:
    """The topics an event of the world touches; none for what no page shows (requests, codes sent …)."""
    kind = event["kind"]
    found: list[str] = []
    if kind == "chat_message" or kind == "chat_members_added":
        found.append(f"chat-{event['chat']}")
    if kind in CHAT_LISTS or kind == "invitation_answered":
        found.append("chats")
    if kind in ORGANISATIONS:
        found.append("organisations")
    if kind in CALLS:
        call = next((c for c in session.calls if c.id == event.get("call")), None)
        if call is not None:
            found += ["calls", f"call-{call.id}", f"chat-{call.chat_id}"]
            if call.lesson_id is not None:
                found.append(f"lesson-{call.lesson_id}")
    if kind == "clock_set":  # chats Sferum was building, a lesson that has begun: anything may be due now
        found.append(EVERYTHING)
    return found


def frame(session: Session, event: dict[str, Any]) -> bytes | None:
    """One Server-Sent Event for a page, or None when no page shows what the event changed."""
    touched = topics(session, event)
    if not touched:
        return None
    data = json.dumps({"id": event["id"], "kind": event["kind"], "topics": touched}, ensure_ascii=True)
    return f"id: {event['id']}\nevent: world\ndata: {data}\n\n".encode("ascii")


def _replay(session: Session, after: int) -> Iterable[bytes]:
    """What a page missed between being rendered (or losing its stream) and subscribing."""
    if after > session.last_event_id:  # the session was reset since: its ids started again
        data = json.dumps({"id": session.last_event_id, "kind": "session_replaced", "topics": [EVERYTHING]})
        yield f"id: {session.last_event_id}\nevent: world\ndata: {data}\n\n".encode("ascii")
        return
    for event in session.events_after(after):
        if (framed := frame(session, event)) is not None:
            yield framed


def _after(request: web.Request) -> int | None:
    """Where the page's view of the world stands: the browser's Last-Event-ID on reconnecting, else ?after=."""
    given = request.headers.get("Last-Event-ID") or request.query.get("after")
    if given is None or given == "":
        return None
    after = validation.record_id(given)
    if after is None:
        raise web.HTTPBadRequest(
            text=json.dumps({"error": "invalid_after", "message": "after: номер события — целое число от 0."}),
            content_type="application/json",
        )
    return after


async def stream(request: web.Request) -> web.StreamResponse:
    """`GET /_live/events`: the session's events as they happen, until the session ends or the server stops."""
    after = _after(request)
    session = sim.session(request)
    queue: Inbox = asyncio.Queue()
    streams: set[Inbox] = request.config_dict[STREAMS]
    response = web.StreamResponse(
        headers={
            "Content-Type": "text/event-stream; charset=utf-8",
            "Cache-Control": "no-store",
            "X-Accel-Buffering": "no",
            "X-Content-Type-Options": "nosniff",
        }
    )
    session.watchers.append(queue.put_nowait)
    streams.add(queue)
    try:
        await response.prepare(request)
        await response.write(f"retry: {RETRY_MS}\n: {session.last_event_id}\n\n".encode("ascii"))
        if after is not None:
            for missed in _replay(session, after):
                await response.write(missed)
        while True:
            try:
                event = await asyncio.wait_for(queue.get(), HEARTBEAT)
            except TimeoutError:
                await response.write(b": ping\n\n")
                continue
            if event is None:  # the session ended or the server stops: the browser reconnects to what is next
                break
            if (framed := frame(session, event)) is not None:
                await response.write(framed)
    except (ConnectionResetError, ConnectionError):
        pass  # the page went away
    finally:
        with contextlib.suppress(ValueError):
            session.watchers.remove(queue.put_nowait)
        streams.discard(queue)
    with contextlib.suppress(ConnectionError):
        await response.write_eof()
    return response


async def _close_streams(app: web.Application) -> None:
    """On shutdown every open stream ends at once, instead of holding the server until its timeout."""
    streams: set[Inbox] = app[STREAMS]
    for queue in list(streams):
        queue.put_nowait(None)


def install(app: web.Application) -> None:
    """Keep the app's open streams, to end them when the server shuts down."""
    app[STREAMS] = set()
    app.on_shutdown.append(_close_streams)


def last_event(request: web.Request) -> str:
    """For a page's live.js: the id of the newest event when the page was rendered (`after`), or nothing."""
    try:
        return str(sim.session(request).last_event_id)
    except UnknownSession:
        return ""


sim.templates.globals["live_after"] = last_event
ROUTES = [("GET", PATH, stream)]
