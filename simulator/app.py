"""The one aiohttp application: the control plane on every host, each platform on its own hosts."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp import web

from . import live
from . import web as sim
from .console import ROUTES as CONSOLE_ROUTES
from .control import errors as control_errors
from .control.handlers import OPENAPI, SNAPSHOTS, TLS
from .control.openapi import document as openapi_document
from .control.routes import ROUTES as CONTROL_ROUTES
from .hosts import PLATFORMS, Hosts
from .platforms import installed
from .platforms.relying_party import HTTP
from .security import ADMIN_TOKEN, guard
from .wire import PREFIX
from .world import Session, UnknownSession, World

OAUTH_PREFIX = "/oauth2/"  # VK ID's endpoints for relying parties' servers
MAX_BODY = 64 * 1024  # forms are small; anything bigger is refused before it is read
PLATFORM_PACKAGES = installed()
RELYING_PARTIES = [party for package in PLATFORM_PACKAGES.values() for party in getattr(package, "RELYING_PARTIES", [])]
log = logging.getLogger("sferum_sim")
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@dataclass(frozen=True)
class Timeouts:
    """How long a client may take, in seconds, so a slow or stalled one cannot hold a connection and its memory.

    `body`: from the start of a request's handling to the last byte of its body (a 256 MiB snapshot takes
    under a second over the loopback, half a minute at 10 MB/s); a late one is answered 408 and the
    connection closed. `keepalive`: an idle connection — also one whose request line and headers have not
    all arrived — is closed (aiohttp's keepalive_timeout; its default is an hour).
    """

    body: float = 60.0
    keepalive: float = 30.0


TIMEOUTS = web.AppKey("timeouts", Timeouts)


class BodyTimeout(Exception):
    """The client did not send its whole body within Timeouts.body."""


def runner_options(app: web.Application) -> dict[str, Any]:
    """What aiohttp's AppRunner (or web.run_app) needs to apply the app's timeouts."""
    return {"keepalive_timeout": app[TIMEOUTS].keepalive}


def _wants_json(request: web.Request) -> bool:
    return request.path.startswith(PREFIX) or "application/json" in request.headers.get("Accept", "")


def _error(request: web.Request, status: int, error: str, message: str) -> web.Response:
    if request.path.startswith(OAUTH_PREFIX):  # servers calling VK ID read its own error shape
        return web.json_response({"error": error, "error_description": message}, status=status)
    if _wants_json(request):
        return web.json_response({"error": error, "message": message}, status=status)
    platform = sim.hosts(request).platform_of(request.host)
    return sim.render(request, "error.html", status, message=message, platform=platform or "")


def _control_error(kind: type[control_errors.ControlError], message: str) -> web.Response:
    return web.json_response(kind(message).to_json(), status=kind.status_code)


# What a browser is told when the URL or the method is wrong; the control plane says it in JSON.
ROUTING_ERRORS: dict[int, tuple[type[control_errors.ControlError], str, str]] = {
    404: (control_errors.NotFound, "no such URL in the control plane", "Такой страницы нет. Проверьте адрес."),
    405: (
        control_errors.MethodNotAllowed,
        "the URL does not take this method",
        "Эта страница так не открывается. Вернитесь назад и попробуйте ещё раз.",
    ),
}
SERVER_ERROR = "Что-то сломалось на нашей стороне. Попробуйте ещё раз чуть позже."


def _routing_error(request: web.Request, error: web.HTTPException) -> web.Response:
    kind, english, russian = ROUTING_ERRORS[error.status]
    if request.path.startswith(PREFIX):
        response = _control_error(kind, f"{request.method} {request.path}: {english}")
    else:
        response = _error(request, error.status, kind.error, russian)
    if "Allow" in error.headers:  # a 405 says which methods the URL takes
        response.headers["Allow"] = error.headers["Allow"]
    return response


@web.middleware
async def errors(request: web.Request, handler: Handler) -> web.StreamResponse:
    try:
        return await handler(request)
    except UnknownSession as error:
        return _error(
            request,
            400,
            "unknown_session",
            f"Сессия симулятора {error.args[0]!r} не найдена: создайте её через POST {PREFIX}/sessions.",
        )
    except BodyTimeout:
        seconds = request.config_dict[TIMEOUTS].body
        response = _error(
            request, 408, "request_timeout", f"Запрос не пришёл целиком за {seconds:g} с. Отправьте его ещё раз."
        )
        response.force_close()  # the rest of the body is not waited for
        return response
    except web.HTTPRequestEntityTooLarge:
        return _error(request, 413, "body_too_large", f"Слишком большой запрос: не больше {MAX_BODY // 1024} КБ.")
    except sim.UnreadableForm:
        return _error(
            request,
            400,
            "unreadable_form",
            "Не удалось прочитать отправленную форму. Вернитесь и отправьте её ещё раз.",
        )
    except control_errors.ControlError:
        raise  # already the control plane's JSON
    except web.HTTPException as error:
        if error.status in ROUTING_ERRORS:
            return _routing_error(request, error)
        raise  # redirects and the errors handlers answer themselves
    except Exception:
        # A bug: logged with its traceback, answered as a 500 that tests count, never a bare English page.
        log.exception("%s %s%s failed", request.method, request.host, request.path_qs)
        if request.path.startswith(PREFIX):
            return _control_error(control_errors.InternalError, f"{request.method} {request.path} failed")
        return _error(request, 500, control_errors.InternalError.error, SERVER_ERROR)


@web.middleware
async def body_deadline(request: web.Request, handler: Handler) -> web.StreamResponse:
    """A body not all sent within Timeouts.body fails the read waiting for it, so its handler ends (408)."""
    if not request.body_exists:
        return await handler(request)
    content = request.content

    def expire() -> None:
        if not content.is_eof():
            content.set_exception(BodyTimeout())

    deadline = asyncio.get_running_loop().call_later(request.config_dict[TIMEOUTS].body, expire)
    try:
        return await handler(request)
    finally:
        deadline.cancel()


@web.middleware
async def journal(request: web.Request, handler: Handler) -> web.StreamResponse:
    """A test browser's every page and form lands in its session's event log, with the status answered."""
    key = request.headers.get(sim.SESSION_HEADER)
    session = sim.world(request).sessions.get(key) if key else None
    if session is None or request.path.startswith((PREFIX, "/_static", "/favicon", live.PATH)):
        return await handler(request)
    status = 500
    try:
        response = await handler(request)
        status = response.status
        return response
    except web.HTTPException as error:  # guards raise redirects and 404s
        status = error.status
        raise
    finally:
        platform = sim.hosts(request).platform_of(request.host)
        session.record(
            "request", method=request.method, host=request.host, platform=platform, path=request.path, status=status
        )


@web.middleware
async def faults(request: web.Request, handler: Handler) -> web.StreamResponse:
    """A platform answers with the HTTP error a test switched on for it."""
    platform = sim.hosts(request).platform_of(request.host)
    if platform and not request.path.startswith(PREFIX):
        fault = sim.session(request).fault("http_error")
        if fault and fault.params["platform"] == platform and request.path == fault.params["path"]:
            status = fault.params["status"]
            await asyncio.sleep(float(fault.params.get("delay", 0)))  # a slow platform, for callers' timeouts
            return _error(request, status, "http_error", f"Сервис временно недоступен (ошибка {status}).")
    return await handler(request)


def _route(app: web.Application, method: str, path: str, handler: Any) -> None:
    """A route; a GET one answers HEAD too (RFC 9110 §9.3.2), as aiohttp's add_get makes it."""
    if method == "GET":
        app.router.add_get(path, handler)
    else:
        app.router.add_route(method, path, handler)


def _add_shared_routes(app: web.Application) -> None:
    """The control plane, the console and the stylesheets, on every host."""
    for method, path, handler in CONTROL_ROUTES:
        _route(app, method, PREFIX + path, handler)
    for method, path, handler in CONSOLE_ROUTES:
        _route(app, method, path, handler)
    app.router.add_static("/_static", Path(__file__).with_name("static"))
    for method, path, handler in live.ROUTES:
        app.router.add_route(method, path, handler)


def create_app(
    world: World | None = None,
    hosts: Hosts | None = None,
    *,
    admin_token: str | None = None,
    timeouts: Timeouts | None = None,
) -> web.Application:
    """The simulator; with `admin_token`, the control plane and the console answer only requests bearing it.

    Run it with `runner_options(app)`, which carry the keepalive timeout to aiohttp's server.
    """
    hosts = hosts or Hosts()

    def register_clients(session: Session) -> None:
        for party in RELYING_PARTIES:
            session.oauth.register(party.client(hosts))

    world = world or World()
    world.on_new_session.append(register_clients)
    for session in world.sessions.values():
        register_clients(session)

    app = web.Application(middlewares=[guard, errors, body_deadline, journal, faults], client_max_size=MAX_BODY)
    app[TIMEOUTS] = timeouts or Timeouts()
    app[SNAPSHOTS] = asyncio.Semaphore(1)
    if admin_token:
        app[ADMIN_TOKEN] = admin_token
    app[sim.WORLD] = world
    app[sim.HOSTS] = hosts
    app[OPENAPI] = openapi_document(CONTROL_ROUTES, PREFIX)
    live.install(app)
    _add_shared_routes(app)
    for platform, package in PLATFORM_PACKAGES.items():
        for name in hosts.names[platform]:
            sub = web.Application(client_max_size=MAX_BODY)
            _add_shared_routes(sub)  # a host's sub-app answers every path of that host
            for method, path, handler in package.ROUTES:
                _route(sub, method, path, handler)
            app.add_domain(name, sub)

    async def http_client(app: web.Application) -> AsyncIterator[None]:
        async with aiohttp.ClientSession(json_serialize=json.dumps) as client:
            app[HTTP] = client
            yield

    app.cleanup_ctx.append(http_client)
    return app


__all__ = ["PLATFORMS", "PLATFORM_PACKAGES", "TLS", "create_app"]
