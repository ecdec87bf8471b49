"""Sign-in in a new tab or window (the web SDK's default): the result goes to the opener by postMessage.

The SDK names its page's origin in `origin=` (scheme and host, no port) and waits for a message
`{action: "oauth2_authorize_response" + state, payload}` from a *.vk.com / *.vk.ru origin. VK ID posts
it only to a registered redirect URI's origin, so no other page can read the code.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web
from yarl import URL

from ... import web as sim
from ...world.oauth import OAuthClient

OPENER = "opener_origin"  # the flow's extra: where the result goes instead of a redirect
RESPONSE_ACTION = "oauth2_authorize_response"


def opener_origin(client: OAuthClient | None, requested: str | None) -> str | None:
    """The registered origin the SDK's page lives at, if `requested` names one; otherwise a plain redirect."""
    if client is None or not requested:
        return None
    for uri in client.redirect_uris:
        url = URL(uri)
        if requested.rstrip("/") in (f"{url.scheme}://{url.host}", str(url.origin())):
            return str(url.origin())
    return None


def answer_opener(request: web.Request, origin: str, state: str | None, payload: dict[str, Any]) -> web.Response:
    """A page that hands the result to the window that opened it."""
    message = {"action": RESPONSE_ACTION + (state or ""), "payload": payload}
    return sim.render(request, "vkid/opener.html", message=message, origin=origin)
