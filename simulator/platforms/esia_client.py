"""A service's side of the sign-in through Госуслуги (ЕСИА): send the browser off, redeem the code it brings back.

A simplified OAuth: the service sends the browser to /authorize with its client_id, redirect_uri
and a random state; after «Войти» Госуслуги sends the browser back with a one-time code and the
same state; the service checks the state and redeems the code server-side for the account. A service
declares its client in its own package (`ESIA_CLIENTS`); Госуслуги serves the declared ones
(simulator/platforms/gosuslugi/esia.py).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from aiohttp import web

from .. import web as sim
from ..world import Session
from ..world.models import GosuslugiAccount


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


def redeem(session: Session, client: EsiaClient, code: str, redirect_uri: str) -> GosuslugiAccount:
    """The account behind a one-time code; a code works once, for its client, within world.esia.CODE_TTL."""
    account_id = session.esia_codes.redeem(code, client.client_id, redirect_uri, session.clock.now())
    if account_id is None:
        raise EsiaError("Не удалось войти через Госуслуги. Попробуйте ещё раз.")
    return session.gosuslugi_accounts[account_id]
