"""The One Tap apps the web SDK embeds in an iframe: `button_one_tap_auth` and `floating_one_tap_auth`.

They speak the SDK's bridge: messages `{type: "vk-sak-sdk", handler, params}` between the iframe
(origin https://id.vk.ru) and the relying party's page (the `origin` query parameter, which must be
a registered redirect URI's origin). The app says it has loaded, shows VK ID's button — «Продолжить
как …» when this browser has signed in before — and on a click asks the SDK to open the full sign-in.
"""

from __future__ import annotations

from aiohttp import web

from ... import web as sim
from ...world import SferumProfile
from . import flow as flows
from .cors import registered_origins
from .providers import ALTERNATIVE_LABEL, OTHER, shown_providers

BRIDGE_TYPE = "vk-sak-sdk"
WIDGETS = {"button_one_tap_auth": "onetap", "floating_one_tap_auth": "floatingonetap"}  # app → handler prefix


def _signed_in_profile(request: web.Request) -> SferumProfile | None:
    """The educational profile of the account this browser last signed in with, if any."""
    session = sim.session(request)
    account_id = sim.browser_state(request, flows.SSO_COOKIE).get("account_id")
    account = session.vkid_accounts.get(account_id) if account_id else None
    return session.profiles.get(account.profile_id) if account and account.profile_id else None


def share_sign_in(request: web.Request, response: web.StreamResponse) -> None:
    """Let the sign-in cookie reach VK ID's iframes on relying parties' pages (a cross-site context)."""
    handle = response.cookies[flows.SSO_COOKIE].value if flows.SSO_COOKIE in response.cookies else None
    handle = handle or request.cookies.get(flows.SSO_COOKIE)
    if handle and request.secure:  # SameSite=None needs Secure; over plain HTTP the cookie stays Lax
        response.set_cookie(flows.SSO_COOKIE, handle, httponly=True, samesite="None", secure=True, path="/")


async def widget(request: web.Request) -> web.Response:
    """GET /button_one_tap_auth, /floating_one_tap_auth: the app inside the SDK's iframe."""
    app = request.path.strip("/")
    query = request.query
    client = sim.session(request).oauth.clients.get(query.get("app_id", ""))
    origin = query.get("origin", "")
    if (
        client is None
        or query.get("redirect_uri") not in client.redirect_uris
        or origin not in registered_origins(client)
    ):
        # Nothing is posted to an origin VK ID cannot trust; the SDK reports its load timeout.
        return sim.render(request, "vkid/one_tap_refused.html", 400)
    return sim.render(
        request,
        "vkid/one_tap.html",
        app=app,
        prefix=WIDGETS[app],
        origin=origin,
        bridge_type=BRIDGE_TYPE,
        client=client,
        profile=_signed_in_profile(request),
        height=int(query["style_height"]) if query.get("style_height", "").isdigit() else 44,
        providers=shown_providers(query.get("providers", "")),
        other=OTHER,
        alternative=ALTERNATIVE_LABEL if query.get("show_alternative_login") == "1" else None,
    )
