"""The control plane tests use: sessions, seeding, the outbox, the clock, faults and settings."""

from __future__ import annotations

import math
import secrets
from datetime import datetime
from typing import Any

from aiohttp import web

from .. import validation
from .. import web as sim
from ..clock import DEFAULT_START, ClockError, within_calendar
from ..platforms import installed
from ..world import SeedError, Session, UnknownSession, apply_seed
from ..world.models import to_json
from ..world.oauth import OAuthClient
from ..world.session import FAULTS, SETTINGS, InvalidFaultParams, UnknownFault, UnknownSetting
from ..world.world import InvalidSessionKey, SessionExists
from . import errors, json_body

WAIT_MAX = 30.0
OPENAPI = web.AppKey("openapi", dict)
# The HTTPS listener, when the server has one: {"port": …, "spki": …} (see simulator/tls.py).
TLS = web.AppKey("tls", dict)


async def _json(request: web.Request) -> dict[str, Any]:
    if not request.can_read_body:
        return {}
    try:
        return json_body.parse(await request.read(), request.charset)
    except json_body.UnreadableJson as error:
        raise errors.InvalidJson(str(error)) from None


def _session(request: web.Request) -> Session:
    key = request.match_info["key"]
    try:
        return sim.world(request).get(key)
    except UnknownSession:
        raise errors.UnknownSession(key) from None


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
    """Liveness, the number of sessions, each platform's origin and the HTTPS listener (or null)."""
    hosts = sim.hosts(request)
    return web.json_response(
        {
            "status": "ok",
            "sessions": len(sim.world(request).sessions),
            "platforms": {name: hosts.origin(name) for name in installed()},
            "tls": request.config_dict.get(TLS),
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
    key = body.get("key") or f"s-{secrets.token_hex(6)}"
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
    try:
        session = sim.world(request).create(key, seed=seed, running_clock=running, start=start)
    except SessionExists as error:
        raise errors.SessionExists(str(error)) from None
    except InvalidSessionKey as error:
        raise errors.InvalidParameter(str(error)) from None
    return web.json_response({"key": session.key, "seed": session.seed, "clock": session.clock.to_json()}, status=201)


async def get_session(request: web.Request) -> web.Response:
    """Everything the session holds: people, accounts, profiles, links, faults, clock."""
    return web.json_response(_session(request).snapshot())


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
    session = _session(request)
    try:
        created = apply_seed(session, await _json(request))
    except SeedError as error:
        raise errors.InvalidSeed(str(error)) from None
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
    message = await session.wait_message(timeout, **match)
    if message is None:
        raise errors.Timeout(timeout)
    return web.json_response(to_json(message))


async def fix_code(request: web.Request) -> web.Response:
    """Fix the codes sent to {to}: 4 digits for calls, 6 for SMS and e-mail (set both to fix both)."""
    session = _session(request)
    body = await _json(request)
    code = body.get("code")
    if not isinstance(code, str) or not code.isdigit() or len(code) not in (4, 6):
        raise errors.InvalidParameter("code must be a string of 4 (call) or 6 (SMS, e-mail) digits")
    session.fix_code(request.match_info["to"], code)
    return web.json_response({"to": request.match_info["to"], "code": code})


async def unfix_code(request: web.Request) -> web.Response:
    """Codes sent to {to} are random (seeded) again."""
    _session(request).unfix_codes(request.match_info["to"])
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
    session = _session(request)
    body = await _json(request)
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
    return web.json_response(session.clock.to_json())


# -- faults and settings --------------------------------------------------------------------------


async def list_faults(request: web.Request) -> web.Response:
    """The faults switched on, and the ones there are."""
    session = _session(request)
    return web.json_response({"active": to_json(list(session.faults.values())), "available": FAULTS})


async def set_fault(request: web.Request) -> web.Response:
    """Switch a fault on; http_error takes {platform, path, status?}, the others no parameters."""
    session = _session(request)
    body = await _json(request)
    name = request.match_info["name"]
    try:
        fault = session.set_fault(name, body)
    except UnknownFault:
        raise errors.UnknownFault(name, FAULTS) from None
    except InvalidFaultParams as error:
        raise errors.InvalidParameter(f"{name}: {error}") from None
    return web.json_response(to_json(fault))


async def clear_fault(request: web.Request) -> web.Response:
    """Switch a fault off."""
    session = _session(request)
    session.clear_fault(request.match_info["name"])
    return web.json_response({"active": to_json(list(session.faults.values()))})


async def get_settings(request: web.Request) -> web.Response:
    """The session's settings."""
    return web.json_response(_session(request).settings)


async def update_settings(request: web.Request) -> web.Response:
    """Change settings, e.g. {phone_code_channel: sms}."""
    session = _session(request)
    body = await _json(request)
    try:
        settings = session.change_settings(body)
    except UnknownSetting as error:
        allowed = "; ".join(f"{k}: {', '.join(v)}" for k, v in SETTINGS.items())
        raise errors.InvalidSetting(f"{error} ({allowed})") from None
    return web.json_response(settings)


async def register_client(request: web.Request) -> web.Response:
    """Register a relying party: {client_id, redirect_uris, service_name}."""
    session = _session(request)
    body = await _json(request)
    try:
        apply_seed(session, {"clients": [body]})
    except SeedError as error:
        raise errors.InvalidClient(str(error).replace("clients[0].", "")) from None
    # Registered under the id as the seed normalises it (trimmed), which need not be the id as sent.
    client: OAuthClient = session.oauth.clients[validation.required(body["client_id"], "client_id")]
    return web.json_response(to_json(client), status=201)
