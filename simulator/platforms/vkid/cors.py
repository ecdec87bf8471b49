"""Cross-origin access to VK ID's endpoints for the browser code of a registered relying party.

The official web SDK calls /oauth2/* and its config and statistics endpoints with fetch() from the
relying party's page. VK ID lets an origin in when it is the origin of one of the client's registered
redirect URIs; the client is named by `client_id` (or the SDK's `app_id`) in the query string.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, MutableMapping

from aiohttp import web
from yarl import URL

from ... import web as sim
from ...world import Session
from ...world.oauth import OAuthClient

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
# The harness's session header rides on every request of a test browser, so a preflight must allow it.
ALLOWED_HEADERS = frozenset({"content-type", sim.SESSION_HEADER.lower()})
ALLOWED_METHODS = "POST, GET, OPTIONS"
PREFLIGHT_MAX_AGE = "600"


def origin_of(url: str) -> str:
    """scheme://host[:port] of a URL, the port only when it is not the scheme's default."""
    return str(URL(url).origin())


def registered_origins(client: OAuthClient) -> set[str]:
    return {origin_of(uri) for uri in client.redirect_uris}


def _candidate_sessions(request: web.Request) -> Iterable[Session]:
    """The session the request names; a preflight may come without the header, so then any session."""
    if sim.SESSION_HEADER in request.headers:
        return [sim.session(request)]
    return list(sim.world(request).sessions.values())


def allowed_origin(request: web.Request) -> str | None:
    """The request's Origin if the client it names registered a redirect URI there."""
    origin = request.headers.get("Origin")
    client_id = request.query.get("client_id") or request.query.get("app_id")
    if not origin or not client_id:
        return None
    for session in _candidate_sessions(request):
        client = session.oauth.clients.get(client_id)
        if client is not None and origin in registered_origins(client):
            return origin
    return None


def _grant(headers: MutableMapping[str, str], origin: str) -> None:
    headers["Access-Control-Allow-Origin"] = origin
    headers["Access-Control-Allow-Credentials"] = "true"  # the SDK's statistics calls send cookies
    headers["Vary"] = "Origin"


def allow(handler: Handler) -> Handler:
    """The handler's answers, readable by the registered origin that asked."""

    async def with_cors(request: web.Request) -> web.StreamResponse:
        origin = allowed_origin(request)
        try:
            response = await handler(request)
        except web.HTTPException as error:
            if origin:
                _grant(error.headers, origin)
            raise
        if origin:
            _grant(response.headers, origin)
        return response

    return with_cors


async def preflight(request: web.Request) -> web.Response:
    """OPTIONS: a registered origin may POST with the form's and the harness's headers."""
    origin = allowed_origin(request)
    asked = {
        h.strip().lower() for h in request.headers.get("Access-Control-Request-Headers", "").split(",") if h.strip()
    }
    if origin is None or not asked <= ALLOWED_HEADERS:
        refusal = {
            "error": "invalid_request",
            "error_description": "this origin is not a registered redirect_uri origin of the client",
        }
        return web.json_response(refusal, status=403)
    headers: dict[str, str] = {
        "Access-Control-Allow-Methods": ALLOWED_METHODS,
        "Access-Control-Allow-Headers": ", ".join(sorted(asked)) or "content-type",
        "Access-Control-Max-Age": PREFLIGHT_MAX_AGE,
    }
    _grant(headers, origin)
    return web.Response(status=204, headers=headers)
