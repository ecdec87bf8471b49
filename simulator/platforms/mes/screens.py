"""МЭШ screens: sign-in, the cabinet with its navigation panel, and connecting Sferum through VK ID."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from ... import web as sim
from ...world import Journal, JournalAccount, Role
from ..relying_party import RelyingParty, SignInFailed

COOKIE = "mes_session"
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


def _state(request: web.Request) -> dict[str, Any]:
    return sim.browser_state(request, COOKIE)


def _respond(request: web.Request, response: web.StreamResponse, state: dict[str, Any]) -> web.StreamResponse:
    sim.save_browser_state(request, response, COOKIE, state)
    return response


def _account(request: web.Request) -> JournalAccount:
    """The signed-in journal account; anyone else is sent to the sign-in page."""
    account_id = _state(request).get("account_id")
    account = sim.session(request).journal_accounts.get(account_id) if account_id else None
    if account is None:
        raise web.HTTPSeeOther("/")
    return account


def _cabinet(request: web.Request, account: JournalAccount, status: int = 200, **context: Any) -> web.Response:
    session = sim.session(request)
    state = _state(request)
    link = session.links.get(account.id)
    return sim.render(
        request,
        "mes/cabinet.html",
        status,
        account=account,
        person=session.people[account.person_id],
        cabinet=CABINETS[account.role],
        link=link,
        profile=session.profiles.get(link.profile_id) if link else None,
        notice=state.pop("notice", None),
        **context,
    )


# -- sign-in ------------------------------------------------------------------------------------


async def sign_in(request: web.Request) -> web.StreamResponse:
    if request.method == "GET":
        if _state(request).get("account_id"):
            raise web.HTTPSeeOther("/cabinet")
        return sim.render(request, "mes/login.html", values={}, error=None)
    data = await sim.form(request)
    account = sim.session(request).journal_login(Journal.MES, data.get("login", "").strip(), data.get("password", ""))
    if account is None:
        return sim.render(request, "mes/login.html", 422, values=data, error="Неверный логин или пароль")
    return _respond(request, sim.redirect("/cabinet"), {"account_id": account.id})


async def sign_out(request: web.Request) -> web.StreamResponse:
    return _respond(request, sim.redirect("/"), {})


async def cabinet(request: web.Request) -> web.StreamResponse:
    account = _account(request)
    state = _state(request)
    response = _cabinet(request, account)
    return _respond(request, response, state)


# -- the navigation-panel button and the «…не подключен» dialog ---------------------------------


async def sferum(request: web.Request) -> web.StreamResponse:
    """The messenger button: straight into Sferum when linked, otherwise the connect dialog."""
    account = _account(request)
    if account.id in sim.session(request).links:
        raise web.HTTPSeeOther(sim.hosts(request).url("messenger", "/"))
    return _cabinet(request, account, dialog="connect")


async def connect(request: web.Request) -> web.StreamResponse:
    """«Перейти к подключению»: off to VK ID with a fresh PKCE pair."""
    _account(request)
    url, pending = VK_ID.begin(request)
    state = _state(request)
    state["oauth"] = pending
    return _respond(request, sim.redirect(url), state)


async def callback(request: web.Request) -> web.StreamResponse:
    account = _account(request)
    state = _state(request)
    try:
        user = await VK_ID.finish(request, state.pop("oauth", None))
    except SignInFailed as error:
        request.app.logger.info("VK ID sign-in failed: %s", error.detail)
        return _respond(request, _cabinet(request, account, 502, alert=str(error)), state)
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
    session.link(account, profile, via="vkid")
    state.pop("candidate")
    state["notice"] = "Учебный профиль Сферум привязан к вашей учетной записи МЭШ."
    return _respond(request, sim.redirect("/cabinet"), state)
