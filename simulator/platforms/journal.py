"""What the journals with their own login form (МЭШ, ЭШ) share: signing in with a login and password."""

from __future__ import annotations

from aiohttp import web

from .. import web as sim
from ..world import Journal, JournalAccount


async def password_sign_in(
    request: web.Request, sign_in: sim.SignIn[JournalAccount], journal: Journal, template: str, home: str
) -> web.StreamResponse:
    """The login form; a signed-in user goes straight `home`. A wrong pair stores nothing."""
    if request.method == "GET":
        if sign_in.state(request).get(sign_in.key):
            raise web.HTTPSeeOther(home)
        return sim.render(request, template, values={}, error=None)
    data = await sim.form(request)
    account = sim.session(request).journal_login(journal, data.get("login", "").strip(), data.get("password", ""))
    if account is None:
        return sim.render(request, template, 422, values=data, error="Неверный логин или пароль")
    return sign_in.respond(request, sim.redirect(home), {sign_in.key: account.id})
