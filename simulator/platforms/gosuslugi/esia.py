"""The sign-in exchange between Госуслуги (ЕСИА) and a service that lets its users in with it.

A simplified OAuth: the service sends the browser to /authorize with its client_id, redirect_uri
and a random state; after «Войти» Госуслуги sends the browser back with a one-time code and the
same state; the service checks the state and redeems the code server-side for the account.
"""

from __future__ import annotations

import secrets
import weakref
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from aiohttp import web

from ... import web as sim
from ...world import Session
from ...world.models import GosuslugiAccount

CODE_TTL = timedelta(minutes=5)
STATE_MIN = 16


class EsiaError(Exception):
    """The exchange was refused; the message is for the user."""


@dataclass(frozen=True)
class EsiaClient:
    """A service signing its users in through Госуслуги."""

    platform: str  # the origin the callback lives on
    client_id: str
    service_name: str
    callback: str

    def redirect_uri(self, request: web.Request) -> str:
        return sim.hosts(request).url(self.platform, self.callback)

    def begin(self, request: web.Request) -> tuple[str, dict[str, str]]:
        """The Госуслуги /authorize URL, and the state to keep until the browser comes back."""
        state = secrets.token_urlsafe(24)
        query = {
            "client_id": self.client_id,
            "redirect_uri": self.redirect_uri(request),
            "response_type": "code",
            "scope": "openid fullname birthdate",
            "state": state,
        }
        return sim.hosts(request).url("gosuslugi", "/authorize", query), {"state": state}

    def finish(self, request: web.Request, pending: dict[str, str] | None) -> GosuslugiAccount:
        """Check the callback's state and redeem its code for the Госуслуги account."""
        query = request.query
        if not pending or not query.get("state") or query["state"] != pending.get("state"):
            raise EsiaError("Сессия входа устарела. Нажмите «Войти через Госуслуги» ещё раз.")
        return redeem(sim.session(request), self, query.get("code", ""), self.redirect_uri(request))


# Services allowed to use Госуслуги: registered by the services' own modules when imported.
CLIENTS: dict[str, EsiaClient] = {}


def register(client: EsiaClient) -> EsiaClient:
    CLIENTS[client.client_id] = client
    return client


@dataclass
class _Code:
    account_id: int
    client_id: str
    redirect_uri: str
    issued_at: datetime
    used: bool = False


# One-time codes are Госуслуги's own server memory; a reset session is a new object, so they go with it.
_codes: weakref.WeakKeyDictionary[Session, dict[str, _Code]] = weakref.WeakKeyDictionary()


def check_request(request: web.Request, params: dict[str, Any]) -> dict[str, str]:
    """A valid /authorize call, or EsiaError: nobody is sent to an unregistered address."""
    client = CLIENTS.get(params.get("client_id", ""))
    if client is None:
        raise EsiaError("Неизвестная информационная система. Вернитесь в сервис и попробуйте ещё раз.")
    if params.get("redirect_uri") != client.redirect_uri(request):
        raise EsiaError("Адрес возврата не зарегистрирован для этой информационной системы.")
    if len(params.get("state") or "") < STATE_MIN:
        raise EsiaError("Сервис не передал параметры входа. Вернитесь в сервис и попробуйте ещё раз.")
    if params.get("response_type", "code") != "code":
        raise EsiaError("Неподдерживаемый тип ответа.")
    return {"client_id": client.client_id, "redirect_uri": params["redirect_uri"], "state": params["state"]}


def issue_code(session: Session, auth: dict[str, str], account: GosuslugiAccount) -> str:
    code = secrets.token_urlsafe(24)
    _codes.setdefault(session, {})[code] = _Code(
        account.id, auth["client_id"], auth["redirect_uri"], session.clock.now()
    )
    return code


def redeem(session: Session, client: EsiaClient, code: str, redirect_uri: str) -> GosuslugiAccount:
    """The account behind a one-time code; a code works once, for its client, within CODE_TTL."""
    issued = _codes.get(session, {}).get(code)
    if (
        issued is None
        or issued.used
        or issued.client_id != client.client_id
        or issued.redirect_uri != redirect_uri
        or session.clock.now() - issued.issued_at > CODE_TTL
    ):
        raise EsiaError("Не удалось войти через Госуслуги. Попробуйте ещё раз.")
    issued.used = True
    return session.gosuslugi_accounts[issued.account_id]
