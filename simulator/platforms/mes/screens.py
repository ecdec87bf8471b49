"""МЭШ screens: sign-in, the cabinet with its navigation panel, and connecting Sferum through VK ID or МАХ.

Where Sferum lives is the session setting `mes_sferum_in`: "vk" (VK Messenger, through VK ID) or
"max" (Sferum in МАХ: МАХ confirms the number on its own origin and returns a one-time ticket).
On a phone МЭШ is the app «Моя школа Журнал»: a mobile user agent gets the app's layout, whose top
panel holds the messenger button.
"""

from __future__ import annotations

import secrets
from typing import Any

from aiohttp import web

from ... import web as sim
from ...world import Journal, JournalAccount, Role, links
from ..journal import password_sign_in
from ..max_client import Service, start_url
from ..relying_party import RelyingParty, SignInFailed

SIGN_IN = sim.SignIn("mes_session", "account_id", lambda session: session.journal_accounts)
CABINETS = {
    Role.TEACHER: "Кабинет учителя",
    Role.STUDENT: "Дневник ученика",
    Role.PARENT: "Кабинет родителя",
    Role.ADMIN: "Кабинет администратора",
}
VPN_REFUSED = (
    "Привязка учебного профиля Сферум к учетной записи электронного журнала не работает при включенном VPN. "
    "Отключите VPN и нажмите «Привязать» ещё раз."
)
# Sferum in МАХ: МАХ answers its linking requests at this callback.
MAX = Service("mes", "МЭШ", "mes", "/sferum/max/callback")
VK_ID = RelyingParty(
    platform="mes",
    client_id="mes_vks",
    service_name="МЭШ ВКС",
    callback="/sferum/callback",
    bullets=(
        "Вход в учебный профиль в VK Мессенджере по VK ID",
        "Общение в защищенном от посторонних лиц пространстве",
        "Регистрации ВКонтакте не нужна, а если аккаунт уже есть, его никто не увидит",
    ),
)


_state, _respond = SIGN_IN.state, SIGN_IN.respond


def _account(request: web.Request) -> JournalAccount:
    """The signed-in journal account; anyone else is sent to the sign-in page."""
    account: JournalAccount = SIGN_IN.user(request)
    return account


def in_app(request: web.Request) -> bool:
    """The app «Моя школа Журнал» shows МЭШ in a phone's web view: a mobile user agent."""
    return "Mobile" in request.headers.get("User-Agent", "")


def page(
    request: web.Request, template: str, account: JournalAccount, status: int = 200, **context: Any
) -> web.Response:
    """A signed-in page: the header (the app's top panel on a phone) and the person it belongs to."""
    session = sim.session(request)
    link = session.links.get(account.id)
    return sim.render(
        request,
        template,
        status,
        account=account,
        person=session.people[account.person_id],
        cabinet=CABINETS[account.role],
        app=in_app(request),
        link=link,
        profile=session.profiles.get(link.profile_id) if link else None,
        notice=_state(request).pop("notice", None),
        **context,
    )


def _cabinet(request: web.Request, account: JournalAccount, status: int = 200, **context: Any) -> web.Response:
    context.setdefault("via_max", sim.session(request).settings.get("mes_sferum_in") == "max")
    return page(request, "mes/cabinet.html", account, status, **context)


# -- sign-in ------------------------------------------------------------------------------------


async def sign_in(request: web.Request) -> web.StreamResponse:
    return await password_sign_in(request, SIGN_IN, Journal.MES, "mes/login.html", "/cabinet")


async def sign_out(request: web.Request) -> web.StreamResponse:
    return _respond(request, sim.redirect("/"), {})


async def cabinet(request: web.Request) -> web.StreamResponse:
    account = _account(request)
    state = _state(request)
    response = _cabinet(request, account, dialog=state.pop("dialog", None))
    return _respond(request, response, state)


# -- the navigation-panel button and the «…не подключен» dialog ---------------------------------


async def sferum(request: web.Request) -> web.StreamResponse:
    """The messenger button: straight into Sferum (where the profile lives) when linked, otherwise the connect dialog."""
    account = _account(request)
    link = sim.session(request).links.get(account.id)
    if link is not None:
        where = ("max", "/sferum") if link.via == "max" else ("messenger", "/")
        raise web.HTTPSeeOther(sim.hosts(request).url(*where))
    return _cabinet(request, account, dialog="connect")


async def connect(request: web.Request) -> web.StreamResponse:
    """«Перейти к подключению»: off to МАХ with a fresh state, or to VK ID with a fresh PKCE pair."""
    _account(request)
    state = _state(request)
    if sim.session(request).settings.get("mes_sferum_in") == "max":
        state["max_state"] = secrets.token_urlsafe(24)
        return _respond(request, sim.redirect(start_url(sim.hosts(request), MAX.id, state["max_state"])), state)
    url, pending = VK_ID.begin(request)
    state["oauth"] = pending
    return _respond(request, sim.redirect(url), state)


async def max_callback(request: web.Request) -> web.StreamResponse:
    """Back from МАХ: redeem the ticket and link; then «Перейти в Сферум»."""
    account = _account(request)
    state = _state(request)
    session = sim.session(request)
    expected = state.pop("max_state", None)  # one callback per «Перейти к подключению»
    profile = None
    if expected and request.query.get("state") == expected:
        ticket = request.query.get("ticket", "")
        profile_id = session.link_tickets.redeem(ticket, "mes", expected, session.clock.now())
        profile = session.profiles.get(profile_id) if profile_id is not None else None
    if profile is None:
        alert = "Сессия привязки устарела. Начните подключение заново."
        return _respond(request, _cabinet(request, account, 400, alert=alert), state)
    other = session.link_of_profile(profile.id, Journal.MES)
    if other is not None and other.journal_account_id != account.id:
        alert = "Этот учебный профиль уже привязан к другой учетной записи МЭШ."
        return _respond(request, _cabinet(request, account, 409, alert=alert), state)
    links.link(session, account, profile, via="max")
    state["dialog"] = "linked"
    return _respond(request, sim.redirect("/cabinet"), state)


async def callback(request: web.Request) -> web.StreamResponse:
    account = _account(request)
    state = _state(request)
    try:
        user = await VK_ID.finish(request, state.pop("oauth", None))
    except SignInFailed as error:
        request.app.logger.info("VK ID sign-in failed: %s", error.detail)
        return _respond(request, _cabinet(request, account, error.status, alert=str(error)), state)
    state["candidate"] = user
    return _respond(request, sim.redirect("/sferum/add"), state)


# -- «Добавление профиля Сферум» → «Привязать» -------------------------------------------------


async def add_profile(request: web.Request) -> web.StreamResponse:
    account = _account(request)
    state = _state(request)
    user = state.get("candidate")
    if user is None:
        raise web.HTTPSeeOther("/cabinet")
    if request.method == "GET":
        return sim.render(request, "mes/add_profile.html", user=user, account=account, alert=None)
    session = sim.session(request)
    data = await sim.form(request)
    if data.get("action") != "link":
        state.pop("candidate")
        return _respond(request, sim.redirect("/cabinet"), state)
    if session.fault("vpn"):
        return sim.render(request, "mes/add_profile.html", 403, user=user, account=account, alert=VPN_REFUSED)
    profile = session.profiles[int(user["user_id"])]
    other = session.link_of_profile(profile.id, Journal.MES)
    if other is not None and other.journal_account_id != account.id:
        alert = "Этот учебный профиль уже привязан к другой учетной записи МЭШ."
        return sim.render(request, "mes/add_profile.html", 409, user=user, account=account, alert=alert)
    links.link(session, account, profile, via="vkid")
    state.pop("candidate")
    state["notice"] = "Учебный профиль Сферум привязан к вашей учетной записи МЭШ."
    return _respond(request, sim.redirect("/cabinet"), state)
