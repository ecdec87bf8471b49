"""«Мой паспорт»: the person's data and, on «Безопасность», the МЭШ account's link to Sferum with its unlinking."""

from __future__ import annotations

from aiohttp import web

from ... import web as sim
from ...world import links
from .screens import _account, _respond, _state, page

WHERE = {"max": "Сферум в МАХ", "vkid": "Сферум в VK Мессенджере"}


async def passport(request: web.Request) -> web.StreamResponse:
    """Tab «Личные данные»."""
    return page(request, "mes/passport.html", _account(request), tab="personal", dialog=None, where=WHERE)


async def security(request: web.Request) -> web.StreamResponse:
    """Tab «Безопасность»: the link status and the profile id; ?unlink=1 opens «Удаление профиля "Сферум"»."""
    account = _account(request)
    state = _state(request)
    linked = account.id in sim.session(request).links
    dialog = "unlink" if linked and request.query.get("unlink") == "1" else None
    response = page(request, "mes/passport.html", account, tab="security", dialog=dialog, where=WHERE)
    return _respond(request, response, state)


async def unlink(request: web.Request) -> web.StreamResponse:
    """«Отвязать» in the dialog («Отменить» is a plain way back and changes nothing)."""
    account = _account(request)
    state = _state(request)
    if links.unlink(sim.session(request), account) is not None:
        state["notice"] = "Аккаунт «Сферум» отвязан от вашей учетной записи."
    return _respond(request, sim.redirect("/passport/security"), state)
