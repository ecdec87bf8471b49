"""Госуслуги screens: the /authorize entry point and the «Вход» form."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlencode

from aiohttp import web

from ... import validation
from ... import web as sim
from ...validation import ValidationError
from . import esia

COOKIE = "esia_flow"
WRONG_CREDENTIALS = "Неверный логин или пароль"
_SNILS = re.compile(r"\d{3}-?\d{3}-?\d{3}[ -]?\d{2}")


def _login(value: str | None) -> str | None:
    """The «Телефон / Email / СНИЛС» value as accounts store it; None for a СНИЛС (no account has one)."""
    value = validation.required(value, "login")
    if validation.looks_like_email(value):
        return validation.email(value, "login")
    if _SNILS.fullmatch(value.strip()):
        return None
    try:
        return validation.phone(value, "login")
    except ValidationError:
        raise ValidationError("login", "Введите телефон, электронную почту или СНИЛС") from None


async def authorize(request: web.Request) -> web.StreamResponse:
    """A service sends the browser here; a bad request is explained, never redirected."""
    try:
        auth = esia.check_request(request, dict(request.query))
    except esia.EsiaError as error:
        return sim.render(request, "gosuslugi/error.html", 400, message=str(error))
    response = sim.redirect("/login")
    sim.save_browser_state(request, response, COOKIE, {"auth": auth})
    return response


def _form(request: web.Request, auth: dict[str, str], status: int = 200, **context: Any) -> web.Response:
    context.setdefault("errors", {})
    context.setdefault("values", {})
    context.setdefault("alert", None)
    return sim.render(request, "gosuslugi/login.html", status, service=esia.CLIENTS[auth["client_id"]], **context)


async def sign_in(request: web.Request) -> web.StreamResponse:
    """«Вход»: «Телефон / Email / СНИЛС» and «Пароль»; success sends a one-time code back to the service."""
    auth = sim.browser_state(request, COOKIE).get("auth")
    if auth is None:
        message = "Сессия входа не найдена. Вернитесь в сервис, из которого вы пришли, и начните вход заново."
        return sim.render(request, "gosuslugi/error.html", 400, message=message)
    if request.method == "GET":
        return _form(request, auth)
    data = await sim.form(request)
    errors: dict[str, str] = {}
    login = None
    try:
        login = _login(data.get("login"))
    except ValidationError as error:
        errors["login"] = error.message
    if not data.get("password"):
        errors["password"] = "Заполните это поле"
    if errors:
        return _form(request, auth, 422, errors=errors, values=data)
    session = sim.session(request)
    account = session.gosuslugi_login(login, data["password"]) if login else None
    if account is None:
        return _form(request, auth, 422, alert=WRONG_CREDENTIALS, values=data)
    code = esia.issue_code(session, auth, account)
    response = sim.redirect(f"{auth['redirect_uri']}?{urlencode({'code': code, 'state': auth['state']})}")
    sim.save_browser_state(request, response, COOKIE, {})
    return response
