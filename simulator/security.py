"""What guards the control plane and the console of a simulator others can reach (`serve --host 0.0.0.0`).

A page on another site must not drive them through a tester's browser (reset every session, switch
faults), and with an admin token set nobody without it may use them at all. Platforms stay open:
they are what browsers under test sign in to.
"""

from __future__ import annotations

import base64
import binascii
import hmac
from collections.abc import Awaitable, Callable

from aiohttp import web

from . import web as sim
from .hosts import ALL_HOST_NAMES

ADMIN_TOKEN = web.AppKey("admin_token", str)
CONTROL = "/_sim/v1"
CONSOLE = "/_sim"
OPEN_PATHS = frozenset({CONTROL + "/health"})  # liveness probes and the harness's first call carry no token
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
FOREIGN_FETCH_SITES = frozenset({"cross-site", "same-site"})
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def _guarded(path: str) -> bool:
    return (path == CONSOLE or path.startswith(CONSOLE + "/")) and path not in OPEN_PATHS


def _own_origins(request: web.Request) -> set[str]:
    """The origins of this simulator: the host the request came to and every platform name, with or without the port."""
    port = sim.hosts(request).port
    hosts = {request.host, *ALL_HOST_NAMES, *(f"{name}:{port}" for name in ALL_HOST_NAMES if port)}
    return {f"{scheme}://{host}" for host in hosts for scheme in ("http", "https")}


def _from_another_site(request: web.Request) -> bool:
    """Sent by a page of another site: a browser names it in Origin, or at least in Sec-Fetch-Site."""
    origin = request.headers.get("Origin")
    own = origin is not None and origin in _own_origins(request)
    if origin is not None and not own:  # "null" too: sandboxed frames and redirected posts hide their origin
        return True
    return request.headers.get("Sec-Fetch-Site") in FOREIGN_FETCH_SITES and not own


def _navigation(request: web.Request) -> bool:
    """A person following a link to the console page: a read, harmless from any site."""
    return request.method == "GET" and request.headers.get("Sec-Fetch-Mode") == "navigate"


def _presented_token(request: web.Request) -> str | None:
    """`Authorization: Bearer T` from clients; Basic with T as the password from a browser's sign-in prompt."""
    scheme, _, credentials = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() == "bearer":
        return credentials.strip()
    if scheme.lower() == "basic":
        try:
            return base64.b64decode(credentials.strip(), validate=True).decode().partition(":")[2]
        except (binascii.Error, UnicodeDecodeError):
            return None
    return None


def _refusal(request: web.Request, status: int, error: str, message: str) -> web.Response:
    if request.path.startswith(CONTROL):
        return web.json_response({"error": error, "message": message}, status=status)
    return web.Response(text=message, status=status, content_type="text/plain")


@web.middleware
async def guard(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Cross-site requests, control-plane bodies that are not JSON and, with a token set, requests without it are refused."""
    if not _guarded(request.path):
        return await handler(request)
    if _from_another_site(request) and not (request.path in (CONSOLE, CONSOLE + "/") and _navigation(request)):
        return _refusal(request, 403, "cross_site", "Запросы с других сайтов к панели симулятора запрещены.")
    token = request.config_dict.get(ADMIN_TOKEN)
    presented = _presented_token(request)
    if token and not (presented is not None and hmac.compare_digest(presented.encode(), token.encode())):
        response = _refusal(request, 401, "unauthorized", "Нужен токен администратора симулятора.")
        is_control = request.path.startswith(CONTROL)
        response.headers["WWW-Authenticate"] = "Bearer" if is_control else 'Basic realm="sferum-sim", charset="UTF-8"'
        return response
    if request.path.startswith(CONTROL) and request.body_exists and request.content_type != "application/json":
        # A page may post text/plain anywhere without asking first; only a script allowed by CORS may send JSON.
        return _refusal(
            request, 415, "unsupported_media_type", "The body must be JSON (Content-Type: application/json)."
        )
    return await handler(request)
