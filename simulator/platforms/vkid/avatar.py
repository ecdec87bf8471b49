"""The avatar VK ID names in user_info and public_info: a picture of the profile's initial."""

from __future__ import annotations

from html import escape

from aiohttp import web

from ... import web as sim
from ...world import SferumProfile

COLORS = ("#0077ff", "#2d81e0", "#4bb34b", "#ffa000", "#e64646", "#792ec0")


def avatar_url(request: web.Request, profile: SferumProfile) -> str:
    """An absolute URL on the host the request came to, so the relying party's browser can load it."""
    return f"{request.scheme}://{request.host}/avatar/{profile.id}.svg"


def _profile(request: web.Request, user_id: int) -> SferumProfile | None:
    """The profile in the session the request names; else in whichever session holds the id.

    A relying party's server downloads the avatar with no session header, as it would from VK ID; ids are
    unique across the world's sessions, so the id alone names one profile.
    """
    if sim.SESSION_HEADER in request.headers:
        return sim.session(request).profiles.get(user_id)
    found = (session.profiles.get(user_id) for session in sim.world(request).sessions.values())
    return next((profile for profile in found if profile is not None), None)


async def avatar(request: web.Request) -> web.Response:
    """GET /avatar/{user_id}.svg: a round picture with the first letter of the first name."""
    user_id = request.match_info["user_id"]
    profile = _profile(request, int(user_id)) if user_id.isdigit() and len(user_id) <= 12 else None
    if profile is None:
        raise web.HTTPNotFound()
    color = COLORS[profile.id % len(COLORS)]
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="200" viewBox="0 0 200 200">'
        f'<circle cx="100" cy="100" r="100" fill="{color}"/>'
        '<text x="100" y="128" font-size="84" text-anchor="middle" fill="#fff" font-family="sans-serif">'
        f"{escape(profile.first_name[:1])}</text></svg>"
    )
    return web.Response(text=svg, content_type="image/svg+xml", headers={"Cache-Control": "max-age=3600"})
