"""The endpoints the official web SDK (@vkid/sdk) calls besides OAuth: its configuration and statistics."""

from __future__ import annotations

from aiohttp import web

from ... import web as sim

TRACKER_OFF = 0  # the SDK loads a third-party tracker only when this is 1


async def get_config(request: web.Request) -> web.Response:
    """POST /vkid_sdk_get_config?app_id=…: the tracker stays off, so the page loads nothing from outside."""
    return web.json_response({"response": {"active": TRACKER_OFF}})


async def stat_events(request: web.Request) -> web.Response:
    """POST /stat_events_vkid_sdk?app_id=…: the SDK's usage events, accepted and kept in the session's log."""
    form = await sim.form(request)
    session = sim.session(request)
    session.record("vkid_sdk_stats", app_id=request.query.get("app_id", ""), events=form.get("events", "[]"))
    return web.json_response({"response": 1})
