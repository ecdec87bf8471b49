"""Joining by the seat's link only: the cookie that binds a browser to its seat, on the platforms' ports.

The link (`http://ADDRESS:PORT/_class/join/SECRET`) sets the cookie `sim_seat` on the trainer's address;
browsers send a host's cookies to each of its ports, so every platform the trainee opens afterwards
receives it. On those ports the cookie is the *only* way to a session: a request's own `X-Sim-Session`
is dropped and the seat's key put in its place, nothing under /_sim is served, and a request without a
seat's cookie reaches no platform. A seat's link grants that seat and nothing else.

VK ID's token endpoints (/oauth2/) are the exception: the journals' servers call them without any
browser, and the code or token they carry names its session.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web
from multidict import CIMultiDict

from ..wire import SESSION_HEADER
from . import page as page_reader
from .seats import Seat
from .state import CLASSROOM, Classroom
from .views import page, refusal

COOKIE = "sim_seat"
JOIN = "/_class/join/"
CARD = "/_class/card"
CARD_EVENTS = "/_class/events"
PICTURE = "/_class/picture/"
OPEN_WITHOUT_SEAT = ("/_static/", "/favicon.ico", "/oauth2/")
HEARTBEAT = 10.0
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

NO_SEAT = (
    "Эта страница открывается только по ссылке вашего места в классе. "
    "Откройте ссылку, которую дал тренер (или отсканируйте её QR-код), и продолжайте."
)
WRONG_LINK = "Ссылка не подходит ни к одному месту в классе. Проверьте её у тренера."
NOT_HERE = "Такой страницы здесь нет: это адрес учебного места, панель тренера открывается на его компьютере."


def _local_port(request: web.Request) -> int | None:
    sockname = request.transport.get_extra_info("sockname") if request.transport is not None else None
    return int(sockname[1]) if isinstance(sockname, tuple) and len(sockname) >= 2 else None


def _seat_of(classroom: Classroom, request: web.Request) -> Seat | None:
    return classroom.seats.by_token(request.cookies.get(COOKIE))


def _bound(request: web.Request, key: str | None) -> web.Request:
    """The request with the seat's session named, whatever the browser sent."""
    headers = CIMultiDict(request.headers)
    headers.popall(SESSION_HEADER, None)
    if key is not None:
        headers[SESSION_HEADER] = key
    return request.clone(headers=headers)


def _join(classroom: Classroom, request: web.Request) -> web.StreamResponse:
    seat = classroom.seats.by_token(request.path.removeprefix(JOIN))
    if seat is None:
        return refusal(request, 403, "unknown_seat", WRONG_LINK)
    response = web.Response(status=303, headers={"Location": CARD})
    # Lax: sent on the trainee's own navigations between the platforms' ports (same site), not to other sites.
    response.set_cookie(COOKIE, seat.token, httponly=True, samesite="Lax", path="/")
    return response


def card_context(classroom: Classroom, seat: Seat) -> dict[str, Any]:
    session = classroom.world.sessions.get(seat.key)
    contacts = {c for c in (seat.persona.phone, seat.persona.email) if c}
    messages = [m for m in session.outbox if m.to in contacts][-5:] if session is not None else []
    return {
        "seat": seat,
        "progress": seat.progress,
        "start": classroom.hosts.url(seat.exercise.start, "/"),
        "messages": list(reversed(messages)),
        "guide": classroom.guide_pictures(seat.exercise),
    }


async def _card_events(classroom: Classroom, seat: Seat, request: web.Request) -> web.StreamResponse:
    """The seat's progress as it changes: one frame of ids and counts, never text a trainee typed."""
    changed = asyncio.Event()

    def touched(which: Seat) -> None:
        if which is seat:
            changed.set()

    classroom.on_change.append(touched)
    response = web.StreamResponse(headers={"Content-Type": "text/event-stream", "Cache-Control": "no-store"})
    try:
        await response.prepare(request)
        while not classroom.closing:
            frame = {"done": seat.progress.done, "messages": len(card_context(classroom, seat)["messages"])}
            await response.write(f"event: seat\ndata: {json.dumps(frame)}\n\n".encode("ascii"))
            changed.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(changed.wait(), HEARTBEAT)
    except ConnectionError:
        pass
    finally:
        with contextlib.suppress(ValueError):
            classroom.on_change.remove(touched)
    return response


def _observe(classroom: Classroom, seat: Seat, platform: str | None, response: web.StreamResponse) -> None:
    """A page the seat was sent: kept for the trainer's «Экран», read for progress and mistakes."""
    if not isinstance(response, web.Response) or response.content_type != "text/html":
        return
    body = response.body
    if not isinstance(body, bytes):
        return
    html = body.decode(response.charset or "utf-8", errors="replace")
    seat.last_page, seat.last_platform = html, platform
    shown = page_reader.read(html, platform)
    seat.last_shown = shown
    session = classroom.world.sessions.get(seat.key)
    seat.progress.page(shown, faults_on=bool(session is not None and session.faults))
    classroom.notify(seat)


@web.middleware
async def seat_binding(request: web.Request, handler: Handler) -> web.StreamResponse:
    """On the platforms' ports: the seat's cookie names the session, and nothing else is served."""
    classroom: Classroom | None = request.config_dict.get(CLASSROOM)
    port = _local_port(request)
    if classroom is None or port is None or classroom.hosts.port_platform(port) is None:
        return await handler(request)
    path = request.path
    if path == "/_sim" or path.startswith("/_sim/"):
        return refusal(request, 404, "not_found", NOT_HERE)
    if path.startswith(JOIN):
        return _join(classroom, request)
    seat = _seat_of(classroom, request)
    if seat is None:
        if path.startswith(OPEN_WITHOUT_SEAT):
            return await handler(_bound(request, None))
        return refusal(request, 403, "no_seat", NO_SEAT)
    if path == CARD:
        return page("card.html", **card_context(classroom, seat))
    if path == CARD_EVENTS:
        return await _card_events(classroom, seat, request)
    if path.startswith(PICTURE):
        number = path.removeprefix(PICTURE)
        picture = (
            classroom.guide_steps(seat.exercise).get(int(number)) if number.isdigit() and len(number) < 4 else None
        )
        if picture is None:
            return refusal(request, 404, "not_found", "Такой картинки в инструкции нет.")
        return web.FileResponse(picture)
    platform = classroom.hosts.port_platform(port)
    response = await handler(_bound(request, seat.key))
    _observe(classroom, seat, platform, response)
    return response
