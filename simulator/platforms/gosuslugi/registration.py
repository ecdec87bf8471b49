"""Госуслуги's simplified registration: the name and birth date, a phone or e-mail, the code sent there, a password.

Seed 003: «Дети до 14 лет регистрируются по упрощенной схеме с привязкой к своему телефону или e-mail».
The account made is simplified (not confirmed); confirming it (МФЦ, a bank) is outside the simulator.
A registration started from a service's «Вход» keeps that sign-in waiting: «Войти» goes back to it.
State sits in the same server-side browser state as the sign-in (`COOKIE`), under "registration".
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from aiohttp import web

from ... import validation
from ... import web as sim
from ...validation import ValidationError
from ...world import Channel, Session, accounts, outbox
from ...world.codes import Confirmation, resend_refusal
from .. import confirmation as confirmations
from . import esia
from .screens import COOKIE

SENDER = "Госуслуги"
NAME_FIELDS = ("last_name", "first_name", "patronymic")
ALREADY = {
    "phone": "Этот номер телефона уже зарегистрирован на Госуслугах. Войдите с ним или восстановите пароль.",
    "email": "Эта электронная почта уже зарегистрирована на Госуслугах. Войдите с ней или восстановите пароль.",
}
NOT_A_LOGIN = "Введите номер мобильного телефона или электронную почту. Пример: +7 999 123-45-67 или name@example.ru"


class Step:
    FORM = "form"  # «Регистрация»: the name, birth date, phone or e-mail
    CODE = "code"  # the code sent to that phone or e-mail
    PASSWORD = "password"  # «Создайте пароль»
    DONE = "done"  # «Учетная запись создана»


PATHS = {
    Step.FORM: "/registration",
    Step.CODE: "/registration/code",
    Step.PASSWORD: "/registration/password",
    Step.DONE: "/registration/done",
}


@dataclass
class Registration:
    step: str = Step.FORM
    kind: str = "phone"  # phone | email
    login: str = ""
    names: dict[str, str | None] = field(default_factory=dict)
    birth_date: str = ""  # ISO
    confirmation_id: int | None = None
    account_id: int | None = None

    def confirmation(self, session: Session) -> Confirmation:
        """The code last sent; a registration that lost it starts again at the form."""
        sent = session.confirmations.get(self.confirmation_id) if self.confirmation_id else None
        if sent is None:
            raise web.HTTPSeeOther(PATHS[Step.FORM])
        return sent


def _load(request: web.Request) -> Registration | None:
    raw = sim.browser_state(request, COOKIE).get("registration")
    return Registration(**raw) if raw else None


def _save(request: web.Request, response: web.StreamResponse, registration: Registration) -> web.StreamResponse:
    state = dict(sim.browser_state(request, COOKIE))
    state["registration"] = asdict(registration)
    sim.save_browser_state(request, response, COOKIE, state)
    return response


def _go(request: web.Request, registration: Registration, step: str) -> web.StreamResponse:
    registration.step = step
    return _save(request, sim.redirect(PATHS[step]), registration)


def _current(request: web.Request, step: str) -> Registration:
    """The registration if the user may be on this screen now; otherwise to the screen they are on."""
    registration = _load(request)
    if registration is None:
        raise web.HTTPSeeOther(PATHS[Step.FORM])
    if registration.step != step:
        raise web.HTTPSeeOther(PATHS[registration.step])
    return registration


def _render(request: web.Request, name: str, status: int = 200, **context: Any) -> web.Response:
    context.setdefault("errors", {})
    context.setdefault("values", {})
    context.setdefault("alert", None)
    auth = sim.browser_state(request, COOKIE).get("auth")
    service = esia.CLIENTS.get(auth["client_id"]) if auth else None
    return sim.render(request, f"gosuslugi/{name}.html", status, service=service, **context)


def _read_form(data: dict[str, str], today: date) -> tuple[Registration, dict[str, str]]:
    """What was typed on «Регистрация», and each refused field's message."""
    registration = Registration()
    errors: dict[str, str] = {}
    for name in NAME_FIELDS:
        try:
            registration.names[name] = validation.name(data.get(name), name, optional=name == "patronymic")
        except ValidationError as error:
            errors[name] = error.message
    try:
        registration.birth_date = validation.birth_date(data.get("birth_date"), today).isoformat()
    except ValidationError as error:
        errors["birth_date"] = error.message
    try:
        registration.kind, registration.login = validation.login(data.get("login"), "login")
    except ValidationError as error:
        # Not an e-mail and not a phone either: say that both are welcome.
        errors["login"] = NOT_A_LOGIN if error.message.startswith("Неверный формат номера") else error.message
    return registration, errors


# -- «Регистрация» ------------------------------------------------------------------------------


async def form(request: web.Request) -> web.StreamResponse:
    registration = _load(request) or Registration()
    if request.method == "GET":
        values = {**registration.names, "login": registration.login}
        if registration.birth_date:
            values["birth_date"] = date.fromisoformat(registration.birth_date).strftime("%d.%m.%Y")
        return _render(request, "registration", values={k: v or "" for k, v in values.items()})
    session = sim.session(request)
    data = await sim.form(request)
    registration, errors = _read_form(data, session.clock.now().date())
    if "login" not in errors and session.gosuslugi_by_login(registration.login) is not None:
        errors["login"] = ALREADY[registration.kind]
    if errors:
        return _render(request, "registration", 422, errors=errors, values=data)
    return _send_code(request, session, registration)


def _send_code(request: web.Request, session: Session, registration: Registration) -> web.StreamResponse:
    channel = Channel.EMAIL if registration.kind == "email" else Channel.SMS
    registration.confirmation_id = outbox.send_code(session, channel, registration.login, sender=SENDER).id
    return _go(request, registration, Step.CODE)


# -- the code sent to the phone or e-mail -------------------------------------------------------


async def code(request: web.Request) -> web.StreamResponse:
    registration = _current(request, Step.CODE)
    session = sim.session(request)
    sent = registration.confirmation(session)

    def show(status: int = 200, **context: Any) -> web.Response:
        return _render(
            request,
            "registration_code",
            status,
            registration=registration,
            **confirmations.screen(session, sent),
            **context,
        )

    if request.method == "GET":
        return show()
    data = await sim.form(request)
    if error := confirmations.check(session, sent, data.get("code")):
        return show(422, errors={"code": error})
    return _go(request, registration, Step.PASSWORD)


async def resend(request: web.Request) -> web.StreamResponse:
    registration = _current(request, Step.CODE)
    session = sim.session(request)
    if resend_refusal(registration.confirmation(session), session.clock.now()) is None:
        return _send_code(request, session, registration)
    return _save(request, sim.redirect(PATHS[Step.CODE]), registration)  # too early: the countdown still shows


# -- «Создайте пароль» → the account --------------------------------------------------------------


async def password(request: web.Request) -> web.StreamResponse:
    registration = _current(request, Step.PASSWORD)
    if request.method == "GET":
        return _render(request, "registration_password", registration=registration)
    data = await sim.form(request)
    errors: dict[str, str] = {}
    try:
        chosen = validation.password(data.get("password"))
        if data.get("password2") != chosen:
            errors["password2"] = "Пароли не совпадают"
    except ValidationError as error:
        errors["password"] = error.message
    if errors:
        return _render(request, "registration_password", 422, registration=registration, errors=errors)
    session = sim.session(request)
    try:
        account = accounts.register_gosuslugi(
            session,
            login=registration.login,
            password=chosen,
            last_name=str(registration.names["last_name"]),
            first_name=str(registration.names["first_name"]),
            patronymic=registration.names["patronymic"],
            birth_date=date.fromisoformat(registration.birth_date),
        )
    except ValueError:  # registered meanwhile, say in another tab: the form says so
        registration.step = Step.FORM
        values = {**registration.names, "login": registration.login}
        page = _render(request, "registration", 409, errors={"login": ALREADY[registration.kind]}, values=values)
        return _save(request, page, registration)
    registration.account_id = account.id
    return _go(request, registration, Step.DONE)


async def done(request: web.Request) -> web.StreamResponse:
    registration = _current(request, Step.DONE)
    account = sim.session(request).gosuslugi_accounts.get(registration.account_id or 0)
    if account is None:  # the session was reset meanwhile
        raise web.HTTPSeeOther(PATHS[Step.FORM])
    return _render(request, "registration_done", registration=registration, account=account)
