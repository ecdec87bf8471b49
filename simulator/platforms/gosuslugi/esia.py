"""Госуслуги's side of the sign-in exchange with the services that let their users in with it.

The service's side — its client, the state it keeps, the code it redeems — is shared code
(simulator/platforms/esia_client.py); each service declares its client in its own package (`ESIA_CLIENTS`).
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from ...world import Session
from ...world.models import GosuslugiAccount
from ..declared import Declared
from ..esia_client import EsiaClient, EsiaError, redeem

__all__ = ["CLIENTS", "STATE_MIN", "EsiaClient", "EsiaError", "check_request", "issue_code", "redeem"]

STATE_MIN = 16

# Services allowed to use Госуслуги: the `ESIA_CLIENTS` their packages declare.
CLIENTS: Declared[EsiaClient] = Declared("ESIA_CLIENTS", lambda client: client.client_id)


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
    """A one-time code for the service's callback; the session keeps it (see world/esia.py)."""
    return session.esia_codes.issue(account.id, auth["client_id"], auth["redirect_uri"], session.clock.now())
