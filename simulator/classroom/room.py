"""The trainer's room view under /_sim/classroom/: a tile a seat, live, and what the trainer can do to seats.

Everything here is under /_sim, so the origin guard and the admin token (simulator/security.py) stand in
front of it as in front of the console. Actions are JSON posts from the room's own page: a fault on or
off (VPN, «невозможно получить идентификационные данные»), a code that expires (the seat's clock moved
past a code's lifetime), the clock moved, the seat's world made again — for one seat or the whole room.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from typing import Any

from aiohttp import web

from ..world import faults as world_faults
from ..world.codes import VALID_FOR
from . import qr
from .progress import MISTAKE_NAMES
from .seats import Seat
from .state import CLASSROOM, Classroom, SeatingError
from .summary import summary
from .views import minutes, page, refusal

ROOM = "/_sim/classroom"
PUSH_EVERY = 1.0  # seconds: the tiles' «time on the step» moves even when nothing happens
FAULTS = {"vpn": "VPN", "identity_unavailable": "«невозможно получить идентификационные данные»"}
FAULT_NAMES = {"vpn": "VPN", "identity_unavailable": "нет идентификационных данных"}  # as the tile names them
CLOCK_LIMIT = 24 * 60  # minutes a move may take the clock, either way
ACTIONS = ("fault_on", "fault_off", "expire_code", "clock", "reset")


def classroom_of(request: web.Request) -> Classroom:
    return request.config_dict[CLASSROOM]


def tile(classroom: Classroom, seat: Seat) -> dict[str, Any]:
    progress = seat.progress
    session = classroom.world.sessions.get(seat.key)
    current = progress.current
    stuck = progress.stuck(classroom.stuck_after)
    if stuck:
        progress.mark_stuck()
    return {
        "seat": seat.number,
        "name": seat.persona.name,
        "scenario": seat.exercise.title,
        "done": progress.done,
        "steps": len(progress.steps),
        "step": current.sentence if current is not None else "Задание выполнено",
        "on_step": minutes(progress.on_step()),
        "mistakes": sum(progress.mistakes.values()),
        "mistake_kinds": {MISTAKE_NAMES[k]: n for k, n in sorted(progress.mistakes.items())},
        "state": "done" if progress.finished else "stuck" if stuck else "working",
        "faults": sorted(session.faults) if session is not None else [],
        "fault_titles": [FAULT_NAMES.get(f, f) for f in sorted(session.faults)] if session is not None else [],
        "link": classroom.link(seat),
    }


def room_state(classroom: Classroom) -> dict[str, Any]:
    elapsed = classroom.elapsed()
    return {
        "stuck_after": classroom.stuck_after,
        "elapsed": minutes(elapsed),
        "elapsed_seconds": int(elapsed),
        "seats": [tile(classroom, seat) for seat in classroom.seats],
    }


async def room(request: web.Request) -> web.Response:
    classroom = classroom_of(request)
    return page("room.html", state=room_state(classroom), faults=FAULTS, room=ROOM)


async def state(request: web.Request) -> web.Response:
    return web.json_response(room_state(classroom_of(request)))


async def events(request: web.Request) -> web.StreamResponse:
    """The room's tiles as JSON frames: at once, on every change, and every second (the clocks on the tiles)."""
    classroom = classroom_of(request)
    changed = classroom.changed
    assert changed is not None
    response = web.StreamResponse(headers={"Content-Type": "text/event-stream", "Cache-Control": "no-store"})
    try:
        await response.prepare(request)
        while not classroom.closing:
            frame = json.dumps(room_state(classroom), ensure_ascii=True)  # escaped: no line of user text
            await response.write(f"event: room\ndata: {frame}\n\n".encode("ascii"))
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(changed.wait(), PUSH_EVERY)
            await asyncio.sleep(0.05)  # coalesce a burst of changes (a page and its events) into one frame
            changed.clear()
    except ConnectionError:
        pass
    return response


class BadAction(ValueError):
    """An action the room does not take; the message, in Russian, is the answer."""


async def _body(request: web.Request) -> dict[str, Any]:
    if request.content_type != "application/json":
        raise BadAction("Тело запроса — JSON (Content-Type: application/json).")
    try:
        body = json.loads(await request.text())
    except (ValueError, UnicodeDecodeError):
        raise BadAction("Тело запроса — не JSON.") from None
    if not isinstance(body, dict):
        raise BadAction('Тело запроса — объект JSON, например {"action": "reset"}.')
    return body


def _checked(body: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    action = body.get("action")
    if action not in ACTIONS:
        raise BadAction(f"action — одно из: {', '.join(ACTIONS)}.")
    if action in ("fault_on", "fault_off") and body.get("fault") not in FAULTS:
        raise BadAction(f"fault — одна из: {', '.join(FAULTS)}.")
    if action == "clock":
        value = body.get("minutes")
        if isinstance(value, bool) or not isinstance(value, int | float) or not -CLOCK_LIMIT <= value <= CLOCK_LIMIT:
            raise BadAction(f"minutes — число минут от {-CLOCK_LIMIT} до {CLOCK_LIMIT}.")
    return str(action), body


async def _apply(classroom: Classroom, seat: Seat, action: str, body: dict[str, Any]) -> None:
    if action == "reset":
        await asyncio.to_thread(classroom.remake, seat)
        seat.restart()
        classroom.watch(seat)
        classroom.notify(seat)
        return
    session = classroom.world.get(seat.key)
    if action == "fault_on":
        world_faults.set_fault(session, body["fault"])
    elif action == "fault_off":
        world_faults.clear_fault(session, body["fault"])
    else:
        seconds = VALID_FOR.total_seconds() + 1 if action == "expire_code" else float(body["minutes"]) * 60
        session.clock.advance(seconds)
        session.record("clock_set", now=session.clock.now().isoformat())
    classroom.notify(seat)


def _seat(classroom: Classroom, request: web.Request) -> Seat | None:
    number = request.match_info["number"]
    return classroom.seats.by_number.get(int(number)) if number.isdigit() and len(number) < 6 else None


async def seat_action(request: web.Request) -> web.Response:
    classroom = classroom_of(request)
    seat = _seat(classroom, request)
    if seat is None:
        return refusal(request, 404, "unknown_seat", "Такого места в классе нет.")
    try:
        action, body = _checked(await _body(request))
    except BadAction as error:
        return refusal(request, 400, "invalid_action", str(error))
    try:
        await _apply(classroom, seat, action, body)
    except SeatingError as error:  # a «Дано» step failed on the new world: said, the other seats unharmed
        return refusal(request, 409, "reset_failed", str(error))
    return web.json_response(tile(classroom, seat))


async def room_action(request: web.Request) -> web.Response:
    classroom = classroom_of(request)
    try:
        action, body = _checked(await _body(request))
    except BadAction as error:
        return refusal(request, 400, "invalid_action", str(error))
    failed = []
    for seat in classroom.seats:
        try:
            await _apply(classroom, seat, action, body)
        except SeatingError as error:
            failed.append(str(error))
    if failed:
        return refusal(request, 409, "reset_failed", "; ".join(failed))
    return web.json_response(room_state(classroom))


async def screen(request: web.Request) -> web.Response:
    """The last page the seat was sent, as it was sent, shown without its scripts."""
    classroom = classroom_of(request)
    seat = _seat(classroom, request)
    if seat is None:
        return refusal(request, 404, "unknown_seat", "Такого места в классе нет.")
    if not seat.last_page:
        return page("screen_empty.html", seat=seat)
    base = classroom.hosts.origin(seat.last_platform) if seat.last_platform else ""
    html = seat.last_page.replace("<head>", f'<head><base href="{base}/">', 1) if base else seat.last_page
    return web.Response(
        text=html,
        content_type="text/html",
        # The trainee's page, not the trainer's: no script of it runs here, no form of it posts from here.
        headers={"Content-Security-Policy": "sandbox; script-src 'none'", "Cache-Control": "no-store"},
    )


async def seat_qr(request: web.Request) -> web.Response:
    """The QR code of the seat's link, as an SVG image: on its tile, and big on the room's QR page."""
    classroom = classroom_of(request)
    seat = _seat(classroom, request)
    if seat is None:
        return refusal(request, 404, "unknown_seat", "Такого места в классе нет.")
    return web.Response(
        body=qr.svg(classroom.link(seat)), content_type="image/svg+xml", headers={"Cache-Control": "no-store"}
    )


async def qr_page(request: web.Request) -> web.Response:
    """Every seat's name, link and QR code, big: to show on a projector or print and hand out."""
    classroom = classroom_of(request)
    seats = [{"seat": s.number, "name": s.persona.name, "link": classroom.link(s)} for s in classroom.seats]
    return page("qr.html", seats=seats, room=ROOM)


async def summary_page(request: web.Request) -> web.Response:
    return page("summary.html", **summary(classroom_of(request)))


async def finish(request: web.Request) -> web.Response:
    """The summary written to --out (HTML and PDF); its paths in the answer."""
    from .summary import write

    classroom = classroom_of(request)
    if classroom.out is None:
        return refusal(
            request, 409, "no_out", "Класс запущен без --out: итог открывается по адресу " + ROOM + "/summary."
        )
    written = await asyncio.to_thread(write, classroom)
    return web.json_response({"written": [str(p) for p in written]})


ROUTES = [
    ("GET", ROOM, room),
    ("GET", ROOM + "/", room),
    ("GET", ROOM + "/state", state),
    ("GET", ROOM + "/events", events),
    ("POST", ROOM + "/seats/{number}", seat_action),
    ("POST", ROOM + "/room", room_action),
    ("GET", ROOM + "/seats/{number}/screen", screen),
    ("GET", ROOM + "/seats/{number}/qr.svg", seat_qr),
    ("GET", ROOM + "/qr", qr_page),
    ("GET", ROOM + "/summary", summary_page),
    ("POST", ROOM + "/summary", finish),
]
