"""Sferum in VK Messenger (web): signed in through VK ID as VK's own app, it shows the educational profile."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from ... import web as sim
from ...world import SferumProfile
from ..relying_party import RelyingParty, SignInFailed

COOKIE = "messenger_session"
VK_ID = RelyingParty(
    platform="messenger",
    client_id="vk_messenger",
    service_name="VK Мессенджер",
    callback="/auth/callback",
    first_party=True,
)


def _profile(request: web.Request) -> SferumProfile | None:
    profile_id = sim.browser_state(request, COOKIE).get("profile_id")
    return sim.session(request).profiles.get(profile_id) if profile_id else None


async def _signed_in(request: web.Request) -> SferumProfile:
    profile = _profile(request)
    if profile is None:
        url, pending = VK_ID.begin(request)
        response = web.HTTPSeeOther(url)
        sim.save_browser_state(request, response, COOKIE, {"oauth": pending, "back": request.path_qs})
        raise response
    return profile


def _page(request: web.Request, template: str, profile: SferumProfile, **context: Any) -> web.Response:
    session = sim.session(request)
    organisations = [session.organisations[i] for i in profile.org_ids if i in session.organisations]
    return sim.render(request, template, profile=profile, organisations=organisations, **context)


async def home(request: web.Request) -> web.StreamResponse:
    return _page(request, "messenger/home.html", await _signed_in(request))


async def account_settings(request: web.Request) -> web.StreamResponse:
    return _page(request, "messenger/settings.html", await _signed_in(request))


async def callback(request: web.Request) -> web.StreamResponse:
    state = sim.browser_state(request, COOKIE)
    try:
        user = await VK_ID.finish(request, state.get("oauth"))
    except SignInFailed as error:
        return sim.render(request, "messenger/error.html", 502, message=str(error))
    response = sim.redirect(state.get("back") or "/")
    sim.save_browser_state(request, response, COOKIE, {"profile_id": int(user["user_id"])})
    return response
