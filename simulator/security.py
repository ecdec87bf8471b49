"""What guards the control plane and the console of a simulator others can reach (`serve --host 0.0.0.0`).

A page on another site must not drive them through a tester's browser (reset every session, switch
faults), and with an admin token set nobody without it may use them at all. Platforms stay open:
they are what browsers under test sign in to.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import re
from collections.abc import Awaitable, Callable

from aiohttp import web

from . import web as sim
from .control.handlers import TLS
from .hosts import ALL_HOST_NAMES, LOCAL_SUFFIX, REAL_NAMES

ADMIN_TOKEN = web.AppKey("admin_token", str)
CONTROL = "/_sim/v1"
CONSOLE = "/_sim"
OPEN_PATHS = frozenset({CONTROL + "/health"})  # liveness probes and the harness's first call carry no token
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
FOREIGN_FETCH_SITES = frozenset({"cross-site", "same-site"})
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
Origin = tuple[str, str, int]  # scheme, host, port: two origins are the same only if all three are
DEFAULT_PORTS = {"http": 80, "https": 443}
# An Origin header as browsers write it (RFC 6454): scheme, host, an optional port, nothing else.
ORIGIN = re.compile(r"(https?)://([a-z0-9.\-]+|\[[0-9a-f:.]+\])(?::([0-9]{1,5}))?", re.IGNORECASE)
LOOPBACK = ("localhost", "127.0.0.1", "[::1]")
LOCAL_NAMES = tuple(name for name in ALL_HOST_NAMES if name.endswith(LOCAL_SUFFIX))


def _guarded(path: str) -> bool:
    return (path == CONSOLE or path.startswith(CONSOLE + "/")) and path not in OPEN_PATHS


def parse_origin(value: str) -> Origin | None:
    """An Origin header's (scheme, host, port), the port filled in; None for "null" and anything malformed."""
    match = ORIGIN.fullmatch(value)
    if match is None:
        return None
    scheme, host, port = match[1].lower(), match[2].lower(), match[3]
    number = int(port) if port else DEFAULT_PORTS[scheme]
    return (scheme, host, number) if 0 < number < 65536 else None


def _http_port(request: web.Request) -> int:
    """The plain-HTTP listener's port: the one the simulator's links name, else the one this request came to."""
    port = sim.hosts(request).port
    if port:
        return port
    sockname = request.transport.get_extra_info("sockname") if request.transport is not None else None
    if isinstance(sockname, tuple) and not request.secure:
        return int(sockname[1])
    return DEFAULT_PORTS["http"]


def own_origins(request: web.Request) -> set[Origin]:
    """The origins of this simulator's own listeners, and only theirs.

    Plain HTTP on its port, under the platforms' *.localhost names, the loopback and the name this request
    reached it by (same-origin). HTTPS only while the TLS listener runs, under the platforms' real names:
    on its port, and on 443, the port a browser that maps id.vk.com to that listener puts in the origin.
    A port-less http://mes.localhost is another server on port 80, and https://id.vk.com without the TLS
    listener is the real VK ID: neither is the simulator.
    """
    reached = request.host.lower().rpartition(":")[0] if re.search(r":[0-9]*$", request.host) else request.host
    http = {("http", name.lower(), _http_port(request)) for name in (*LOCAL_NAMES, *LOOPBACK, reached)}
    tls = request.config_dict.get(TLS)
    if not tls:
        return http
    names = {*REAL_NAMES, *([reached] if request.secure else [])}
    return http | {("https", name, port) for name in names for port in (tls["port"], DEFAULT_PORTS["https"])}


def _from_another_site(request: web.Request) -> bool:
    """Sent by a page of another site: a browser names it in Origin, or at least in Sec-Fetch-Site."""
    origin = request.headers.get("Origin")
    own = origin is not None and parse_origin(origin) in own_origins(request)
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
