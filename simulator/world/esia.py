"""Госуслуги's one-time sign-in codes: issued after «Войти», redeemed once by the service's server."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

CODE_TTL = timedelta(minutes=5)


@dataclass
class EsiaCode:
    """What a code stands for: an account signing in to one client, back at one address."""

    account_id: int
    client_id: str
    redirect_uri: str
    issued_at: datetime
    used: bool = False


class EsiaCodes:
    """The codes Госуслуги has issued in one session; they go when the session is reset."""

    def __init__(self) -> None:
        self._codes: dict[str, EsiaCode] = {}

    def issue(self, account_id: int, client_id: str, redirect_uri: str, now: datetime) -> str:
        code = secrets.token_urlsafe(24)
        self._codes[code] = EsiaCode(account_id, client_id, redirect_uri, now)
        return code

    def redeem(self, code: str, client_id: str, redirect_uri: str, now: datetime) -> int | None:
        """The account id behind `code`, once, for its client and address, within CODE_TTL; else None."""
        issued = self._codes.get(code)
        if (
            issued is None
            or issued.used
            or issued.client_id != client_id
            or issued.redirect_uri != redirect_uri
            or now - issued.issued_at > CODE_TTL
        ):
            return None
        issued.used = True
        return issued.account_id
