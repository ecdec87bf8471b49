"""VK ID's sign-in screens, one handler per screen, named after what the user sees on it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict
from datetime import date
from typing import Any

from aiohttp import web
from yarl import URL

from ... import validation
from ... import web as sim
from ...ages import under_fourteen
from ...validation import ValidationError
from ...world import Channel, Session, accounts, outbox
from ...world.codes import resend_refusal
from ...world.oauth import CODE_TTL, OAuthError, safe_state
from ...world.passwords import PasswordError
from .. import confirmation as confirmations
from . import flow as flows
from . import one_tap, popup, protocol, providers
from .errors import EMAIL_PROFILE_REFUSED, EMAIL_PROFILE_UNDER_FOURTEEN, IDENTITY_HELP, IDENTITY_UNAVAILABLE_MESSAGE
from .flow import Flow, Step
from .shared_data import shared_data

LAYOUT = "vkid/{}.html"
# The session setting that holds VK ID's redirect back to the relying party («follow» or «hold»).
HOLD_SETTING = "vkid_redirect"


def authorize_facts(params: dict[str, str]) -> dict[str, object]:
    """What a relying party sent to /authorize, for the session's log: never the state itself, only its shape."""
    state = params.get("state", "")
    return {
        "client_id": params.get("client_id", "")[:200],
        "redirect_uri": params.get("redirect_uri", "")[:2048],
        "scope": params.get("scope", "")[:500],
        "state_length": len(state),
        "state_alphabet": safe_state(state) is not None if state else False,
        "code_challenge_method": params.get("code_challenge_method", "")[:20],
        "code_challenge_length": len(params.get("code_challenge", "")),
    }


def _screen(request: web.Request, flow: Flow, name: str, status: int = 200, **context: Any) -> web.Response:
    session = sim.session(request)
    context.setdefault("errors", {})
    context.setdefault("values", {})
    return sim.render(
        request,
        LAYOUT.format(name),
        status,
        flow=flow,
        client=flow.client(session),
        account=flow.account(session),
        profile=flow.profile(session),
        **context,
    )


def _go(request: web.Request, flow: Flow | None, path: str) -> web.StreamResponse:
    return flows.save(request, sim.redirect(path), flow)


def _current(request: web.Request, *steps: str) -> Flow:
    """The flow if the user may be on this screen now; otherwise an explanation page."""
    flow = flows.load(request)
    if flow is None:
        raise _lost()
    if flow.step not in steps:
        raise web.HTTPSeeOther(f"/auth/{flow.step}" if flow.step != Step.LOGIN else "/auth")
    return flow


def _lost() -> web.HTTPBadRequest:
    """«Сессия входа не найдена»: no sign-in under way in this browser."""
    return web.HTTPBadRequest(text=sim.templates.get_template("vkid/lost.html").render(), content_type="text/html")


def _back(redirect_uri: str, params: dict[str, str]) -> web.Response:
    """302 to the client's redirect_uri, its own query kept and extended (RFC 6749 §3.1.2)."""
    return sim.redirect(str(URL(redirect_uri).extend_query(params)), 302)


# -- /authorize: the entry point relying parties send users to --------------------------------


async def authorize(request: web.Request) -> web.StreamResponse:
    session = sim.session(request)
    params = dict(request.query)
    opener = popup.opener_origin(session.oauth.clients.get(params.get("client_id", "")), params.get("origin"))
    try:
        if name := protocol.repeated(request.query):  # RFC 6749 §3.1: no parameter twice
            raise OAuthError("invalid_request", f"{name} is repeated", redirectable=False)
        auth = session.oauth.authorize(params)
    except OAuthError as error:
        session.record("vkid_authorize", **authorize_facts(params), error=error.error, description=error.description)
        if not error.redirectable:
            return sim.render(request, "vkid/oauth_error.html", error.status, error=error)
        if opener:
            return popup.answer_opener(request, opener, error.state, error.to_json())
        return _back(params["redirect_uri"], error.to_json())
    session.record("vkid_authorize", **authorize_facts(params), error=None, description=None)
    if elsewhere := providers.other_provider(request, params):  # OK, Mail: the simulator plays VK ID alone
        return elsewhere
    flow = Flow(request=asdict(auth))
    if opener:
        flow.extra[popup.OPENER] = opener
    sso = sim.browser_state(request, flows.SSO_COOKIE).get("account_id")
    account = session.vkid_accounts.get(sso) if sso else None
    if account is not None:
        flow.kind, flow.login = ("phone", account.phone) if account.phone else ("email", account.email)
        flow.account_id = account.id
        if flow.client(session).first_party and account.profile_id:
            return _complete(request, session, flow)
        flow.step = Step.PROFILE
        return _go(request, flow, "/auth/profile")
    return _go(request, flow, "/auth")


def _complete(request: web.Request, session: Session, flow: Flow) -> web.StreamResponse:
    """Sign-in finished: back to the relying party with a one-time code, as VK ID does."""
    profile = flow.profile(session)
    assert profile is not None
    code = session.oauth.issue_code(flow.auth_request, profile.id, session.clock.now())
    query = {
        "code": code.code,
        "state": flow.request["state"],
        "device_id": code.device_id,
        "expires_in": str(int(CODE_TTL.total_seconds())),
        "type": "code_v2",
    }
    response = _return(request, session, flow, query)
    sim.save_browser_state(request, response, flows.SSO_COOKIE, {"account_id": flow.account_id})
    one_tap.share_sign_in(request, response)
    return flows.save(request, response, None)


def _return(request: web.Request, session: Session, flow: Flow, query: dict[str, str]) -> web.Response:
    """The answer to the relying party: a message to the SDK's opener, the redirect, or the redirect held.

    With the session's setting `vkid_redirect: hold` the redirect is shown as a link instead of followed,
    so a test can act between VK ID's last screen and the relying party's callback (expire the code,
    alter the state) without touching the relying party.
    """
    opener = flow.extra.get(popup.OPENER)
    if opener:
        return popup.answer_opener(request, opener, flow.request["state"], query)
    target = str(URL(flow.request["redirect_uri"]).extend_query(query))
    if session.settings.get(HOLD_SETTING) == "hold":
        session.record("vkid_redirect_held", url=target)
        return sim.render(request, "vkid/held.html", target=target)
    return sim.redirect(target, 302)


def _refuse(request: web.Request, session: Session, flow: Flow) -> web.StreamResponse:
    """«Отмена» on the consent screen: VK ID tells the relying party the user refused, as RFC 6749 §4.1.2.1 says."""
    refusal = OAuthError("access_denied", "user denied access", flow.request["state"]).to_json()
    session.record("vkid_access_denied", client_id=flow.request["client_id"])
    return flows.save(request, _return(request, session, flow, refusal), None)


# -- «Вход в VK ID»: «Телефон или почта» → «Продолжить» -----------------------------------------


async def login(request: web.Request) -> web.StreamResponse:
    flow = _current(request, Step.LOGIN)
    if request.method == "GET":
        return _screen(request, flow, "login", values={"login": flow.login or ""})
    session = sim.session(request)
    data = await sim.form(request)
    try:
        kind, value = validation.login(data.get("login"), "login")
    except ValidationError as error:
        return _screen(request, flow, "login", 422, errors={"login": error.message}, values=data)
    if session.fault("identity_unavailable"):
        return _screen(request, flow, "login", 503, alert=IDENTITY_UNAVAILABLE_MESSAGE, more=IDENTITY_HELP, values=data)
    account = session.vkid_by_login(kind, value)
    flow.kind, flow.login, flow.account_id = kind, value, account.id if account else None
    if account is not None and (account.password or kind == "email"):
        flow.step = Step.PASSWORD
        return _go(request, flow, "/auth/password")
    return _send_code(request, session, flow)


def _send_code(request: web.Request, session: Session, flow: Flow) -> web.StreamResponse:
    if flow.kind == "email":
        channel = Channel.EMAIL
    else:
        channel = accounts.phone_code_channel(
            session, flow.account(session), after_password=bool(flow.extra.get("after_password"))
        )
    flow.confirmation_id = outbox.send_code(session, channel, flow.known_login()).id
    flow.step = Step.CODE
    return _go(request, flow, "/auth/code")


# -- «Введите пароль» ---------------------------------------------------------------------------


async def password(request: web.Request) -> web.StreamResponse:
    flow = _current(request, Step.PASSWORD)
    session = sim.session(request)
    account = flow.account(session)

    def show(status: int = 200, notice: str | None = None, **context: Any) -> web.Response:
        # A new e-mail account sets its password here («Придумайте пароль»); others type theirs.
        return _screen(request, flow, "password", status, creating=account is None, notice=notice, **context)

    if request.method == "GET":
        return show(notice=flow.extra.pop("notice", None))
    data = await sim.form(request)
    if account is None:
        try:
            flow.extra["password"] = validation.password(data.get("password"))
        except ValidationError as error:
            return show(422, errors={"password": error.message})
        flow.step, flow.about_for = Step.ABOUT, "email"
        return _go(request, flow, "/auth/about")
    typed = data.get("password")
    if not typed:  # an empty field is not a wrong password: it uses up no attempt
        return show(422, errors={"password": "Заполните это поле"})
    try:
        accounts.check_password(session, account, typed)
    except PasswordError as error:
        return show(422, errors={"password": str(error)})
    if flow.kind == "email":
        flow.step = Step.PROFILE
        return _go(request, flow, "/auth/profile")
    flow.extra["after_password"] = True
    return _send_code(request, session, flow)


# -- «Забыли или не установили пароль?»: a code to the phone or e-mail, then a new password ----


async def restore(request: web.Request) -> web.StreamResponse:
    flow = _current(request, Step.PASSWORD, Step.RESTORE)
    session = sim.session(request)
    account = flow.known_account(session)
    if flow.step == Step.PASSWORD:
        flow.step = Step.RESTORE
        flow.extra.pop("restore_code", None)
        return _go(request, flow, "/auth/restore")
    sent = session.confirmations.get(flow.extra.get("restore_code", 0))

    def show(status: int = 200, **context: Any) -> web.Response:
        return _screen(request, flow, "restore", status, sent=sent, **context)

    if request.method == "GET":
        return show()
    data = await sim.form(request)
    action = data.get("action")
    if action == "back":
        flow.step = Step.PASSWORD
        return _go(request, flow, "/auth/password")
    if action == "send":
        if sent is not None and (refusal := resend_refusal(sent, session.clock.now())):
            return show(429, alert=str(refusal))
        channel = Channel.EMAIL if flow.kind == "email" else Channel.SMS
        flow.extra["restore_code"] = outbox.send_code(session, channel, flow.known_login()).id
        return _go(request, flow, "/auth/restore")
    if sent is None:
        return show(422, alert="Сначала получите код подтверждения.")
    # The passwords first: a refused one must not use up the code, which stays typed in for the next try.
    typed_code = {"code": data.get("code", "")}
    try:
        new_password = validation.password(data.get("password"))
    except ValidationError as error:
        return show(422, errors={"password": error.message}, values=typed_code)
    if data.get("password2") != new_password:
        return show(422, errors={"password2": "Пароли не совпадают"}, values=typed_code)
    if refused := confirmations.check(session, sent, data.get("code")):
        return show(422, errors={"code": refused})
    accounts.set_password(session, account, new_password)
    flow.step = Step.PASSWORD
    flow.extra["notice"] = "Пароль изменён. Войдите с новым паролем."
    return _go(request, flow, "/auth/password")


# -- «Подтвердите вход» (call) / «Подтвердите номер» (SMS) / e-mail code -----------------------


async def code(request: web.Request) -> web.StreamResponse:
    flow = _current(request, Step.CODE)
    session = sim.session(request)
    confirmation = flow.confirmation(session)

    # A new e-mail is a profile by e-mail in the making: seed 002 allows it only under 14, so say so now.
    email_rule = EMAIL_PROFILE_UNDER_FOURTEEN if flow.kind == "email" and flow.account_id is None else None

    def show(status: int = 200, **context: Any) -> web.Response:
        screen = confirmations.screen(session, confirmation)
        return _screen(request, flow, "code", status, email_rule=email_rule, **screen, **context)

    if request.method == "GET":
        return show()
    data = await sim.form(request)
    if error := confirmations.check(session, confirmation, data.get("code")):
        return show(422, errors={"code": error})
    account = flow.account(session)
    if account is not None:
        flow.step = Step.PROFILE
        return _go(request, flow, "/auth/profile")
    if flow.kind == "email":
        flow.step = Step.PASSWORD
        return _go(request, flow, "/auth/password")
    flow.step, flow.about_for = Step.ABOUT, "account"
    return _go(request, flow, "/auth/about")


async def sms_instead(request: web.Request) -> web.StreamResponse:
    """«Получить код по SMS» on the flash-call screen: the same number is confirmed by an SMS code instead."""
    flow = _current(request, Step.CODE)
    session = sim.session(request)
    confirmation = flow.confirmation(session)
    if confirmation.channel is Channel.CALL:
        flow.confirmation_id = outbox.send_code(session, Channel.SMS, confirmation.target).id
    return _go(request, flow, "/auth/code")


async def resend(request: web.Request) -> web.StreamResponse:
    flow = _current(request, Step.CODE)
    session = sim.session(request)
    confirmation = flow.confirmation(session)
    refusal = resend_refusal(confirmation, session.clock.now())
    if refusal is not None:
        return _go(request, flow, "/auth/code")  # the screen still shows the countdown
    flow.confirmation_id = outbox.send_code(session, confirmation.channel, confirmation.target).id
    return _go(request, flow, "/auth/code")


# -- «Информация о себе» -----------------------------------------------------------------------


async def about(request: web.Request) -> web.StreamResponse:
    flow = _current(request, Step.ABOUT)
    session = sim.session(request)
    account = flow.account(session)
    if request.method == "GET":
        values = {}
        if account is not None:
            values = {
                "first_name": account.first_name,
                "last_name": account.last_name,
                "birth_date": account.birth_date.strftime("%d.%m.%Y") if account.birth_date else "",
                "sex": account.sex or "",
            }
        return _screen(request, flow, "about", values=values)
    data = await sim.form(request)
    errors: dict[str, str] = {}
    about: dict[str, Any] = {}
    checks: dict[str, Callable[[], object]] = {
        "first_name": lambda: validation.name(data.get("first_name"), "first_name"),
        "last_name": lambda: validation.name(data.get("last_name"), "last_name"),
        "patronymic": lambda: validation.name(data.get("patronymic"), "patronymic", optional=True),
        "birth_date": lambda: validation.birth_date(data.get("birth_date"), session.clock.now().date()),
        "sex": lambda: validation.sex(data.get("sex")),
    }
    for field, check in checks.items():
        try:
            about[field] = check()
        except ValidationError as error:
            errors[field] = error.message
    if errors:
        return _screen(request, flow, "about", 422, errors=errors, values=data)
    if flow.about_for == "email" and not under_fourteen(about["birth_date"], session.clock.now().date()):
        # Nothing is stored: the account on this e-mail would exist only for its profile.
        return _screen(request, flow, "about", 422, alert=EMAIL_PROFILE_UNDER_FOURTEEN, by_phone=True, values=data)

    if flow.about_for == "account":  # a new VK ID; its profile is created on the next screen
        account = accounts.create_vkid_account(
            session,
            phone=flow.login,
            first_name=about["first_name"],
            last_name=about["last_name"],
            birth_date=about["birth_date"],
            sex=about["sex"],
        )
        flow.account_id = account.id
        flow.extra["about"] = {**about, "birth_date": about["birth_date"].isoformat()}
        flow.step = Step.PROFILE
        return _go(request, flow, "/auth/profile")
    if flow.about_for == "email":
        account = accounts.create_vkid_account(
            session,
            email=flow.login,
            password=flow.extra.pop("password"),
            first_name=about["first_name"],
            last_name=about["last_name"],
            birth_date=about["birth_date"],
            sex=about["sex"],
        )
        flow.account_id = account.id
    accounts.create_profile(session, flow.known_account(session), **about)
    return _complete(request, session, flow)


# The screen before «Информация о себе», by whom it is for: «←» goes there. A new VK ID's code is spent,
# so its «←» goes back to the number, as «Изменить номер» would.
BEFORE_ABOUT = {
    "profile": (Step.PROFILE, "/auth/profile"),
    "email": (Step.PASSWORD, "/auth/password"),
    "account": (Step.LOGIN, "/auth"),
}


async def back(request: web.Request) -> web.StreamResponse:
    """«←» on «Информация о себе»: the previous screen; nothing typed there is kept."""
    flow = _current(request, Step.ABOUT)
    flow.step, path = BEFORE_ABOUT[flow.about_for or "account"]
    flow.extra.pop("password", None)
    return _go(request, flow, path)


async def by_phone(request: web.Request) -> web.StreamResponse:
    """«Войти по номеру телефона» where a profile by e-mail is refused or about to be: «Вход в VK ID» again, nothing typed kept."""
    flow = _current(request, Step.ABOUT, Step.PROFILE, Step.CODE)
    flow.step, flow.kind, flow.login, flow.account_id, flow.about_for = Step.LOGIN, None, None, None, None
    flow.extra.pop("password", None)
    return _go(request, flow, "/auth")


# -- «Передаваемые данные >» and VK ID's help ---------------------------------------------------


async def shared(request: web.Request) -> web.StreamResponse:
    """«Передаваемые данные >»: what the service will receive, by the scope it asked for; back to where the user was."""
    flow = flows.load(request)
    if flow is None:
        raise _lost()
    back_to = f"/auth/{flow.step}" if flow.step != Step.LOGIN else "/auth"
    return _screen(request, flow, "shared", items=shared_data(flow.request["scope"]), back=back_to)


async def identity_help(request: web.Request) -> web.StreamResponse:
    """«Подробнее...» after «невозможно получить идентификационные данные»: what it means and what to do."""
    return sim.render(request, "vkid/identity_help.html", signing_in=flows.load(request) is not None)


# -- «Продолжить в учебном профиле» / «Создать учебный профиль» -------------------------------


async def profile(request: web.Request) -> web.StreamResponse:
    flow = _current(request, Step.PROFILE)
    session = sim.session(request)
    if request.method == "GET":
        return _screen(request, flow, "profile")
    data = await sim.form(request)
    account = flow.known_account(session)
    if data.get("action") == "continue" and account.profile_id:
        flow.step = Step.CONFIRM
        return _go(request, flow, "/auth/confirm")
    if data.get("action") != "create" or account.profile_id:
        return _go(request, flow, "/auth/profile")
    if flow.kind == "email":
        return _screen(request, flow, "profile", 422, alert=EMAIL_PROFILE_REFUSED, by_phone=True)
    if "about" in flow.extra:  # the user has just told VK ID about themselves
        about = flow.extra.pop("about")
        about["birth_date"] = date.fromisoformat(about["birth_date"])
        accounts.create_profile(session, account, **about)
        flow.step = Step.CONFIRM
        return _go(request, flow, "/auth/confirm")
    flow.step, flow.about_for = Step.ABOUT, "profile"
    return _go(request, flow, "/auth/about")


# -- the profile's data as the platform will show it, «Продолжить» -----------------------------


async def confirm(request: web.Request) -> web.StreamResponse:
    flow = _current(request, Step.CONFIRM)
    if request.method == "GET":
        return _screen(request, flow, "confirm")
    data = await sim.form(request)
    if data.get("action") == "cancel":
        return _refuse(request, sim.session(request), flow)
    return _complete(request, sim.session(request), flow)
