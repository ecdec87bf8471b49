"""МАХ screens: sign-in by phone and SMS code, registration, the journal linking request, «Сферум в МАХ».

«Сферум в МАХ» lists the profile's chats; they open in the shared chat screens
(simulator/platforms/chat_screens.py) framed by its layout: messages, files and pictures, calls.
"""

from __future__ import annotations

import re
from typing import Any

from aiohttp import web

from ... import validation
from ... import web as sim
from ...validation import ValidationError
from ...world import Channel, Session, SferumProfile, outbox
from ...world.codes import resend_refusal
from ...world.models import MaxAccount
from .. import chat_screens
from .. import confirmation as confirmations
from ..chat_list import chat_rows, chats_pending
from . import accounts, link
from .downloads import BY_SLUG, DOWNLOADS
from .flow import COOKIE, Flow, Purpose, Step, load, save, state

SENDER = "МАХ"
VPN_REFUSAL = (
    "Привязка учебного профиля Сферум в МАХ к учетной записи электронного журнала не работает при включенном VPN. "
    "Отключите VPN и повторите попытку."
)
_STATE = re.compile(r"[A-Za-z0-9_\-]{16,128}")
PLACE = chat_screens.Place("max", "max/sferum_layout.html", home="/sferum", prefix="/sferum/chats")


def _screen(request: web.Request, name: str, flow: Flow | None, status: int = 200, **context: Any) -> web.Response:
    context.setdefault("errors", {})
    context.setdefault("values", {})
    context.setdefault("alert", None)
    return sim.render(
        request, f"max/{name}.html", status, flow=flow, service=flow.service_info() if flow else None, **context
    )


def _go(request: web.Request, flow: Flow | None, path: str, **changes: Any) -> web.StreamResponse:
    return save(request, sim.redirect(path), flow, **changes)


def _current(request: web.Request, *steps: str) -> Flow:
    """The flow if the user may be on this screen now; otherwise back to where they are."""
    flow = load(request)
    if flow is None:
        raise web.HTTPSeeOther("/login")
    if flow.step not in steps:
        raise web.HTTPSeeOther(f"/{flow.step}" if flow.step != Step.PHONE else "/login")
    return flow


def _signed_in(request: web.Request) -> MaxAccount | None:
    account_id = state(request).get("account_id")
    return sim.session(request).max_accounts.get(account_id) if account_id else None


def _vpn(session: Session, flow: Flow) -> bool:
    """Linking is refused from a VPN connection; МАХ's own sign-in is not."""
    return flow.linking and session.fault("vpn") is not None


# -- entry points -------------------------------------------------------------------------------


async def home(request: web.Request) -> web.StreamResponse:
    raise web.HTTPSeeOther("/sferum" if _signed_in(request) else "/login")


async def start_link(request: web.Request) -> web.StreamResponse:
    """A journal sends the user here to link its account to the Sferum profile in МАХ."""
    service, state_ = request.query.get("service", ""), request.query.get("state", "")
    if service not in link.SERVICES or not _STATE.fullmatch(state_):
        message = "Запрос на привязку учебного профиля недействителен. Начните привязку заново в электронном журнале."
        return _screen(request, "error", None, 400, message=message)
    return _go(request, Flow(Purpose.LINK, service=service, state=state_), "/login")


# -- «Вход в МАХ»: the phone number → «Продолжить» ----------------------------------------------


async def phone(request: web.Request) -> web.StreamResponse:
    flow = load(request)
    if flow is None:  # МАХ opened on its own
        flow = Flow(Purpose.SIGN_IN)
    elif flow.step != Step.PHONE and request.method == "GET":
        flow.step = Step.PHONE  # «Изменить номер»
    if request.method == "GET":
        return save(request, _screen(request, "login", flow, values={"phone": flow.phone or ""}), flow)
    session = sim.session(request)
    data = await sim.form(request)
    try:
        number = validation.phone(data.get("phone", ""))
    except ValidationError as error:
        return _screen(request, "login", flow, 422, errors={"phone": error.message}, values=data)
    flow.phone, flow.names = number, None
    if session.max_by_phone(number) is None:
        flow.step = Step.INSTALL
        return _go(request, flow, "/install")
    return _send_code(request, session, flow)


def _send_code(request: web.Request, session: Session, flow: Flow) -> web.StreamResponse:
    assert flow.phone is not None
    flow.confirmation_id = outbox.send_code(session, Channel.SMS, flow.phone, sender=SENDER).id
    flow.step = Step.CODE
    return _go(request, flow, "/code")


# -- the number has no МАХ account: install and authorise МАХ first ------------------------------


async def install(request: web.Request) -> web.StreamResponse:
    return _screen(request, "install", _current(request, Step.INSTALL))


async def download(request: web.Request) -> web.StreamResponse:
    """«Скачать МАХ» («О том, как скачать МАХ, читайте здесь»): the stores and the computer versions."""
    return _screen(request, "download", load(request), downloads=DOWNLOADS)


async def download_from(request: web.Request) -> web.StreamResponse:
    """One store's or one computer's download page; an unknown one is explained, not a crash."""
    where = BY_SLUG.get(request.match_info["where"])
    if where is None:
        message = "Такой версии МАХ нет. Выберите магазин приложений или компьютер на странице «Скачать МАХ»."
        return _screen(request, "error", None, 404, message=message, back="/download")
    return _screen(request, "download_from", load(request), where=where)


# -- «Регистрация в МАХ»: the real full name ----------------------------------------------------


async def register(request: web.Request) -> web.StreamResponse:
    flow = _current(request, Step.INSTALL, Step.REGISTER)
    if request.method == "GET":
        flow.step = Step.REGISTER
        return save(request, _screen(request, "register", flow, values=flow.names or {}), flow)
    data = await sim.form(request)
    names, errors = accounts.read_names(data)
    if errors:
        return _screen(request, "register", flow, 422, errors=errors, values=data)
    flow.names = names
    return _send_code(request, sim.session(request), flow)


# -- the SMS code → «Перейти в МАХ» (linking) / «Войти» ------------------------------------------


async def code(request: web.Request) -> web.StreamResponse:
    flow = _current(request, Step.CODE)
    session = sim.session(request)
    confirmation = flow.confirmation(session)

    def show(status: int = 200, **context: Any) -> web.Response:
        return _screen(request, "code", flow, status, **confirmations.screen(session, confirmation), **context)

    if request.method == "GET":
        return show()
    data = await sim.form(request)
    if _vpn(session, flow):  # refused before the code is used: the same code works once VPN is off
        return show(403, alert=VPN_REFUSAL, values={"code": data.get("code", "")})
    if error := confirmations.check(session, confirmation, data.get("code")):
        return show(422, errors={"code": error})
    account = (
        accounts.register(session, confirmation.target, flow.names)
        if flow.names is not None
        else session.max_by_phone(confirmation.target)
    )
    if account is None:  # the account was removed since the code was sent: start again
        return _go(request, None, "/login")
    if not flow.linking:
        return _go(request, None, flow.back, account_id=account.id)
    profile = accounts.sferum_profile(session, account)
    if profile is None:
        flow.step = Step.PROFILE
        return _go(request, flow, "/profile", account_id=account.id)
    return _finish(request, session, flow, profile, account_id=account.id)


async def resend(request: web.Request) -> web.StreamResponse:
    flow = _current(request, Step.CODE)
    session = sim.session(request)
    confirmation = flow.confirmation(session)
    if resend_refusal(confirmation, session.clock.now()) is None:
        flow.confirmation_id = outbox.send_code(session, confirmation.channel, confirmation.target, sender=SENDER).id
    return _go(request, flow, "/code")  # too early: the screen still shows the countdown


# -- a new educational profile in МАХ -----------------------------------------------------------


async def profile(request: web.Request) -> web.StreamResponse:
    flow = _current(request, Step.PROFILE)
    session = sim.session(request)
    account = _signed_in(request)
    if account is None:
        return _go(request, None, "/login")
    if request.method == "GET":
        return _screen(request, "profile", flow, account=account)
    data = await sim.form(request)
    if _vpn(session, flow):
        return _screen(request, "profile", flow, 403, account=account, alert=VPN_REFUSAL, values=data)
    values, errors = accounts.read_profile(data, session.clock.now().date())
    if errors:
        return _screen(request, "profile", flow, 422, account=account, errors=errors, values=data)
    if account.profile_id is None:
        new = accounts.create_profile(session, account, values["birth_date"], values["sex"])
    else:  # made meanwhile, e.g. in another tab: one profile per account
        new = session.profiles[account.profile_id]
    return _finish(request, session, flow, new)


def _finish(
    request: web.Request, session: Session, flow: Flow, profile: SferumProfile, **changes: Any
) -> web.StreamResponse:
    """Back to the journal with a one-time ticket naming the profile; the journal makes the link."""
    service = flow.service_info()
    assert service is not None and flow.state is not None
    url = link.issue(session, sim.hosts(request), service, flow.state, profile)
    return _go(request, None, url, **changes)


# -- «Сферум в МАХ» -----------------------------------------------------------------------------


async def sferum(request: web.Request) -> web.StreamResponse:
    """The educational profile inside МАХ: its name, organisations and chats."""
    account = _signed_in(request)
    if account is None:
        return _go(request, Flow(Purpose.SIGN_IN, back="/sferum"), "/login")
    session = sim.session(request)
    profile = session.profiles.get(account.profile_id) if account.profile_id else None
    organisations = [session.organisations[i] for i in profile.org_ids if i in session.organisations] if profile else []
    chats = chat_rows(session, profile.id) if profile else []
    pending = chats_pending(session, profile.id) if profile else 0
    return _screen(
        request,
        "sferum",
        None,
        account=account,
        profile=profile,
        organisations=organisations,
        chats=chats,
        pending=pending,
        notice=None,
        chats_at=PLACE.prefix + "/",
    )


async def chat_visit(request: web.Request) -> chat_screens.Visit:
    """The educational profile of the МАХ account signed in; anyone else signs in to МАХ first."""
    account = _signed_in(request)
    if account is None:
        back = request.path if request.method == "GET" else PLACE.home
        response = web.HTTPSeeOther("/login")
        save(request, response, Flow(Purpose.SIGN_IN, back=back))
        raise response
    session = sim.session(request)
    profile = session.profiles.get(account.profile_id) if account.profile_id else None
    if profile is None:
        raise web.HTTPSeeOther(PLACE.home)  # «Сферум в МАХ» says there is no profile yet
    current = state(request)

    def keep(request: web.Request, response: web.StreamResponse) -> web.StreamResponse:
        sim.save_browser_state(request, response, COOKIE, current)
        return response

    return chat_screens.Visit(profile, current, keep, {"account": account})
