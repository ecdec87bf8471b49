"""Control-plane URLs, all under /_sim/v1 on every host."""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable

from aiohttp import web

from ..errors import DomainError
from . import errors
from . import handlers as h

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def _refusals_answered(handler: Handler) -> Handler:
    """A refusal of the world leaves a handler as the control plane's JSON error, worded by error_table.TABLE."""

    @functools.wraps(handler)
    async def answered(request: web.Request) -> web.StreamResponse:
        try:
            return await handler(request)
        except DomainError as error:
            raise errors.from_domain(error) from None

    return answered


S = "/sessions/{key}"

_OPERATIONS: list[tuple[str, str, Handler]] = [
    ("GET", "/health", h.health),
    ("GET", "/openapi.json", h.openapi),
    ("POST", "/reset", h.reset_world),
    ("GET", "/sessions", h.list_sessions),
    ("POST", "/sessions", h.create_session),
    ("GET", S, h.get_session),
    ("DELETE", S, h.delete_session),
    ("POST", S + "/reset", h.reset_session),
    ("POST", S + "/seed", h.seed),
    ("GET", S + "/links", h.links),
    ("GET", S + "/outbox", h.outbox),
    ("GET", S + "/outbox/wait", h.outbox_wait),
    ("GET", S + "/events", h.events),
    ("PUT", S + "/codes/{to}", h.fix_code),
    ("DELETE", S + "/codes/{to}", h.unfix_code),
    ("GET", S + "/clock", h.get_clock),
    ("POST", S + "/clock", h.set_clock),
    ("GET", S + "/faults", h.list_faults),
    ("PUT", S + "/faults/{name}", h.set_fault),
    ("DELETE", S + "/faults/{name}", h.clear_fault),
    ("GET", S + "/settings", h.get_settings),
    ("PATCH", S + "/settings", h.update_settings),
    ("POST", S + "/clients", h.register_client),
    ("GET", S + "/snapshot", h.get_snapshot),
    ("PUT", S + "/snapshot", h.put_snapshot),
]
ROUTES = [(method, path, _refusals_answered(handler)) for method, path, handler in _OPERATIONS]
