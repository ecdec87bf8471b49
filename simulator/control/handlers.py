"""The control plane tests use: sessions, seeding, the outbox, the clock, faults and settings."""

from __future__ import annotations

import asyncio
import math
import secrets
from collections.abc import Callable, Coroutine
from datetime import datetime
from typing import Any, TypeVar

from aiohttp import web
from aiohttp.http_exceptions import HttpProcessingError
from aiohttp.web_protocol import RequestPayloadError

from .. import web as sim
from ..clock import DEFAULT_START, ClockError, within_calendar
from ..platforms import installed
from ..world import Session, apply_seed, faults
from ..world import outbox as world_outbox
from ..world.faults import FAULTS
from ..world.models import to_json
from ..world.seed import registered_client
from ..world.session import SNAPSHOT_PARTS, Limits
from ..world.snapshot import dump as dump_session
from ..world.snapshot import load as load_session
from . import errors, json_body

T = TypeVar("T")
WAIT_MAX = 30.0
# How often a held /outbox/wait looks whether its client is still connected (aiohttp does not cancel it).
DISCONNECT_CHECK = 0.1
CLIENT_CLOSED_REQUEST = 499  # the status proxies log for a client that left before its answer
OPENAPI = web.AppKey("openapi", dict)
# The HTTPS listener, when the server has one: {"port": …, "spki": …} (see simulator/tls.py).
TLS = web.AppKey("tls", dict)
# With `serve --state DIR`: how saving the sessions in DIR goes (see simulator/state.py).
STATE: web.AppKey[Callable[[], dict[str, Any]]] = web.AppKey("state")


async def _json(request: web.Request) -> dict[str, Any]:
    if not request.can_read_body:
        return {}
    try:
        raw = await request.read()
    except (HttpProcessingError, RequestPayloadError) as error:  # e.g. a Content-Encoding that does not decode
        raise errors.InvalidJson(f"the body cannot be read: {sim.unreadable(error)}") from None
    try:
        return json_body.parse(raw, request.charset)
    except json_body.UnreadableJson as error:
        raise errors.InvalidJson(str(error)) from None


def _session(request: web.Request) -> Session:
    return sim.world(request).get(request.match_info["key"])  # UnknownSession answers unknown_session


async def _session_and_body(request: web.Request) -> tuple[Session, dict[str, Any]]:
    """The named session and the JSON body, refused if the session was reset or deleted while the body arrived."""
    session = _session(request)  # an unknown key is refused before a body is waited for
    body = await _json(request)
    if not sim.world(request).is_current(session):
        raise errors.SessionReplaced(session.key, "nothing was changed")
    return session, body


def _number(value: Any, name: str, *, minimum: float = 0, maximum: float | None = None) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise errors.InvalidParameter(f"{name} must be a number") from None
    if not math.isfinite(number):
        raise errors.InvalidParameter(f"{name} must be a finite number")
    if number < minimum or (maximum is not None and number > maximum):
        bound = f"between {minimum:g} and {maximum:g}" if maximum is not None else f"at least {minimum:g}"
        raise errors.InvalidParameter(f"{name} must be {bound}")
    return number


def _json_number(value: Any, name: str) -> float:
    """A number given in a JSON body: true, false and strings are not numbers there."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise errors.InvalidParameter(f"{name} must be a number")
    return _number(value, name)


def _boolean(value: Any, name: str) -> bool:
    if not isinstance(value, bool):
        raise errors.InvalidParameter(f"{name} must be true or false")
    return value


# -- world ----------------------------------------------------------------------------------------


async def health(request: web.Request) -> web.Response:
    """Liveness, the number of sessions, each platform's origin, the HTTPS listener and the --state DIR (or nulls).

    `state` is null without `serve --state DIR`; else {directory, status, unsaved, error}: status is "failing"
    while some session's changes cannot be written to DIR (a full or read-only disk), `unsaved` names those
    sessions and `error` says why; the top-level status is then "failing" too. Saving is retried.
    """
    hosts = sim.hosts(request)
    state_health = request.config_dict.get(STATE)
    state = state_health() if state_health is not None else None
    return web.json_response(
        {
            "status": "failing" if state is not None and state["status"] != "ok" else "ok",
            "sessions": len(sim.world(request).sessions),
            "platforms": {name: hosts.origin(name) for name in installed()},
            "tls": request.config_dict.get(TLS),
            "state": state,
        }
    )


async def openapi(request: web.Request) -> web.Response:
    """This OpenAPI document."""
    return web.json_response(request.config_dict[OPENAPI])


async def reset_world(request: web.Request) -> web.Response:
    """Forget every session; only an empty «default» remains."""
    sim.world(request).reset()
    return web.json_response({"status": "reset"})


# -- sessions -------------------------------------------------------------------------------------


async def list_sessions(request: web.Request) -> web.Response:
    """The keys of all sessions."""
    return web.json_response({"sessions": sorted(sim.world(request).sessions)})


async def create_session(request: web.Request) -> web.Response:
    """Create a session: {key?, seed?, clock?: {now?, running?}}."""
    body = await _json(request)
    key = body.get("key") or f"s-{secrets.token_urlsafe(16)}"  # unguessable: a key is all a session asks for
    if not isinstance(key, str):
        raise errors.InvalidParameter("key must be a string")
    seed = body.get("seed", 0)
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise errors.InvalidParameter("seed must be an integer")
    clock = body.get("clock") or {}
    if not isinstance(clock, dict):
        raise errors.InvalidParameter("clock must be an object: {now?, running?}")
    running = clock.get("running")
    if running is not None:
        _boolean(running, "clock.running")
    start = _datetime(clock["now"], "clock.now") if "now" in clock else DEFAULT_START
    session = sim.world(request).create(key, seed=seed, running_clock=running, start=start)
    return web.json_response({"key": session.key, "seed": session.seed, "clock": session.clock.to_json()}, status=201)


async def get_session(request: web.Request) -> web.Response:
    """Everything the session holds: people, accounts, profiles, links, faults, clock; `only=profiles,links` some."""
    only = None
    if "only" in request.query:
        only = request.query["only"].split(",")
        if unknown := [name for name in only if name not in SNAPSHOT_PARTS]:
            raise errors.InvalidParameter(f"only: no part {unknown[0][:40]!r}; parts: {', '.join(SNAPSHOT_PARTS)}")
    return web.json_response(_session(request).snapshot(only))


async def delete_session(request: web.Request) -> web.Response:
    """Delete a session and everything it holds."""
    session = _session(request)
    sim.world(request).delete(session.key)
    return web.json_response({"status": "deleted", "key": session.key})


async def reset_session(request: web.Request) -> web.Response:
    """Empty a session, keeping its key and seed."""
    session = _session(request)
    fresh = sim.world(request).reset(session.key)
    return web.json_response({"status": "reset", "key": fresh.key})


async def seed(request: web.Request) -> web.Response:
    """Add organisations, classes, OAuth clients and people; all or nothing."""
    session, body = await _session_and_body(request)
    created = apply_seed(session, body)
    return web.json_response(created, status=201)


async def links(request: web.Request) -> web.Response:
    """The journal accounts linked to educational profiles."""
    session = _session(request)
    return web.json_response(
        {
            "links": [
                {
                    **to_json(link),
                    "journal": session.journal_accounts[link.journal_account_id].journal,
                    "person_id": session.journal_accounts[link.journal_account_id].person_id,
                }
                for link in session.links.values()
            ]
        }
    )


async def events(request: web.Request) -> web.Response:
    """What happened in the session, in order: requests, codes sent, accounts, profiles, links; after an id."""
    session = _session(request)
    after = int(_number(request.query.get("after", 0), "after"))
    return web.json_response({"events": to_json(session.events_after(after))})


# -- outbox ---------------------------------------------------------------------------------------


def _outbox_filter(request: web.Request) -> dict[str, Any]:
    query = request.query
    channel = query.get("channel")
    if channel not in (None, "sms", "call", "email"):
        raise errors.InvalidParameter("channel must be sms, call or email")
    return {"to": query.get("to"), "channel": channel, "after": int(_number(query.get("after", 0), "after"))}


async def outbox(request: web.Request) -> web.Response:
    """Messages sent by SMS, call or e-mail, filtered by to, channel and after (an id)."""
    session = _session(request)
    messages = session.messages(**_outbox_filter(request))
    return web.json_response({"messages": to_json(messages)})


async def outbox_wait(request: web.Request) -> web.Response:
    """The first matching message, answered the moment it is sent (tests never poll or sleep)."""
    session = _session(request)
    match = _outbox_filter(request)
    timeout = _number(request.query.get("timeout", 5), "timeout", maximum=WAIT_MAX)
    try:
        message = await _while_connected(request, world_outbox.wait_message(session, timeout, **match))
    except ClientGone:
        return web.Response(status=CLIENT_CLOSED_REQUEST)  # written to nobody; ends the handler quietly
    if message is None:
        raise errors.Timeout(timeout)
    return web.json_response(to_json(message))


class ClientGone(Exception):
    """The client of a held request disconnected: nobody is left to answer."""


async def _while_connected(request: web.Request, waiting: Coroutine[Any, Any, T]) -> T:
    """`waiting`'s result, or ClientGone (and `waiting` cancelled) as soon as the client disconnects."""
    task = asyncio.ensure_future(waiting)
    try:
        while not task.done():
            transport = request.transport
            if transport is None or transport.is_closing():
                raise ClientGone
            await asyncio.wait({task}, timeout=DISCONNECT_CHECK)
        return task.result()
    finally:
        task.cancel()


async def fix_code(request: web.Request) -> web.Response:
    """Fix the codes sent to {to}: 4 digits for calls, 6 for SMS and e-mail (set both to fix both)."""
    session, body = await _session_and_body(request)
    code = body.get("code")
    if not isinstance(code, str) or not code.isdigit() or len(code) not in (4, 6):
        raise errors.InvalidParameter("code must be a string of 4 (call) or 6 (SMS, e-mail) digits")
    world_outbox.fix_code(session, request.match_info["to"], code)
    return web.json_response({"to": request.match_info["to"], "code": code})


async def unfix_code(request: web.Request) -> web.Response:
    """Codes sent to {to} are random (seeded) again."""
    world_outbox.unfix_codes(_session(request), request.match_info["to"])
    return web.json_response({"status": "random"})


# -- clock ----------------------------------------------------------------------------------------


def _datetime(value: Any, name: str = "now") -> datetime:
    """A time to set the clock to: ISO 8601, within the clock's calendar."""
    if not isinstance(value, str):
        raise errors.InvalidParameter(f"{name} must be an ISO 8601 date-time string")
    try:
        return within_calendar(datetime.fromisoformat(value))
    except ClockError as error:
        raise errors.InvalidParameter(f"{name}: {error}") from None
    except ValueError:
        raise errors.InvalidParameter(f"{name} must be an ISO 8601 date-time") from None


async def get_clock(request: web.Request) -> web.Response:
    """The session's virtual time."""
    return web.json_response(_session(request).clock.to_json())


async def set_clock(request: web.Request) -> web.Response:
    """{"advance": seconds} moves time forward; {"now": iso, "running": bool} sets it."""
    session, body = await _session_and_body(request)
    if "advance" in body:
        try:
            session.clock.advance(_json_number(body["advance"], "advance"))
        except ValueError as error:
            raise errors.InvalidParameter(f"advance: {error}") from None
    elif "now" in body:
        running = _boolean(body.get("running", session.clock.running), "running")
        session.clock.set(_datetime(body["now"]), running=running)
    else:
        raise errors.InvalidParameter("give either advance (seconds) or now (ISO 8601)")
    session.record("clock_set", now=session.clock.now().isoformat())  # what is due by now shows on open pages
    return web.json_response(session.clock.to_json())


# -- faults and settings --------------------------------------------------------------------------


async def list_faults(request: web.Request) -> web.Response:
    """The faults switched on, and the ones there are."""
    session = _session(request)
    return web.json_response({"active": to_json(list(session.faults.values())), "available": FAULTS})


async def set_fault(request: web.Request) -> web.Response:
    """Switch a fault on; http_error takes {platform, path, status?}, the others no parameters."""
    session, body = await _session_and_body(request)
    fault = faults.set_fault(session, request.match_info["name"], body)
    return web.json_response(to_json(fault))


async def clear_fault(request: web.Request) -> web.Response:
    """Switch a fault off."""
    session = _session(request)
    faults.clear_fault(session, request.match_info["name"])
    return web.json_response({"active": to_json(list(session.faults.values()))})


async def get_settings(request: web.Request) -> web.Response:
    """The session's settings."""
    return web.json_response(_session(request).settings)


async def update_settings(request: web.Request) -> web.Response:
    """Change settings, e.g. {phone_code_channel: sms}."""
    session, body = await _session_and_body(request)
    settings = faults.change_settings(session, body)
    return web.json_response(settings)


async def register_client(request: web.Request) -> web.Response:
    """Register a relying party: {client_id, redirect_uris, service_name, bullets?, client_secret?, first_party?}."""
    session, body = await _session_and_body(request)
    client = registered_client(body)
    session.oauth.register(client)
    return web.json_response(to_json(client), status=201)


# -- snapshots ------------------------------------------------------------------------------------

SNAPSHOT_MAX = 256 * 1024 * 1024  # a snapshot is a whole session: far above the forms' limit
# One snapshot is read and loaded at a time: each costs about twice its size in memory while it is parsed.
SNAPSHOTS = web.AppKey("snapshots", asyncio.Semaphore)
SNAPSHOT_CHUNK = 1 << 20  # a GET's document is encoded and sent in pieces of about this many bytes


async def get_snapshot(request: web.Request) -> web.StreamResponse:
    """The whole session as one JSON document with its schema_version; PUT it back to restore the session."""
    document = dump_session(_session(request))  # on the loop, in one go: a consistent picture of the session
    # Encoding a large session (its files above all) takes long: it runs in a thread a piece at a time, so
    # the loop keeps answering, and the pieces are sent as they come rather than joined into a second copy.
    response = web.StreamResponse(headers={"Content-Type": "application/json; charset=utf-8"})
    await response.prepare(request)
    for piece in await asyncio.to_thread(json_body.encode_in_pieces, document, SNAPSHOT_CHUNK):
        await response.write(piece)
    await response.write_eof()
    return response


async def put_snapshot(request: web.Request) -> web.Response:
    """Replace (or create) the session {key} with a snapshot taken by GET; a malformed one changes nothing.

    Every OAuth code and token (authorization codes, access, refresh and id_tokens) belongs to the one session
    that issued it and is refused in any other. A snapshot put back under its own key keeps them; one put under
    another key is a copy: the copy's grants are the same, but each of its codes and tokens gets a new value
    (the snapshot's `oauth` part names them), so the original's keep working in the original alone and stop
    when it is deleted. id_tokens keep their issue times, so one expired in the original is expired in a copy.
    """
    key = request.match_info["key"]
    world = sim.world(request)
    async with request.config_dict[SNAPSHOTS]:
        raw = await _snapshot_bytes(request)
        try:
            # Parsing and checking a large document takes seconds: off the loop, which keeps answering.
            session = await asyncio.to_thread(_load_snapshot, raw, request.charset, key, world.limits)
            created = world.restore(session)
        except json_body.UnreadableJson as error:
            raise errors.InvalidJson(str(error)) from None
    return web.json_response({"status": "restored", "key": key, "created": created}, status=201 if created else 200)


def _load_snapshot(raw: bytearray, charset: str | None, key: str, limits: Limits) -> Session:
    """The session a posted snapshot describes, built apart from the world (which only the loop touches)."""
    body = json_body.parse(raw, charset, max_values=json_body.VALUES_MAX)
    return load_session(body, key=key, limits=limits)


async def _snapshot_bytes(request: web.Request) -> bytearray:
    """The posted body, read past the app's small limit (meant for forms) into one growing buffer.

    Chunks gathered in a list and joined would hold the body twice. The buffer grows with what arrives, not
    with what Content-Length claims, so a client that declares 256 MiB and stalls holds nothing.
    """
    too_large = errors.BodyTooLarge(f"a snapshot is at most {SNAPSHOT_MAX // (1 << 20)} MiB")
    declared = request.content_length
    if declared is not None and declared > SNAPSHOT_MAX:
        raise too_large
    body = bytearray()
    try:
        async for chunk in request.content.iter_chunked(1 << 16):
            if len(body) + len(chunk) > SNAPSHOT_MAX:
                raise too_large
            body += chunk
    except (HttpProcessingError, RequestPayloadError) as error:
        raise errors.InvalidJson(f"the body cannot be read: {sim.unreadable(error)}") from None
    return body
