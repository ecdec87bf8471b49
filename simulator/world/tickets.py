"""МАХ's one-time link tickets: МАХ names a confirmed profile, the journal redeems it to make the link."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

TICKET_TTL = timedelta(minutes=5)


@dataclass(frozen=True)
class LinkTicket:
    """A profile handed to one service, for the linking request that carried `state`."""

    service: str
    state: str
    profile_id: int
    expires_at: datetime


class LinkTickets:
    """The tickets МАХ has issued in one session; they go when the session is reset."""

    def __init__(self) -> None:
        self._tickets: dict[str, LinkTicket] = {}

    def issue(self, service: str, state: str, profile_id: int, now: datetime) -> str:
        ticket = secrets.token_urlsafe(24)
        self._tickets[ticket] = LinkTicket(service, state, profile_id, now + TICKET_TTL)
        return ticket

    def redeem(self, ticket: str, service: str, state: str, now: datetime) -> int | None:
        """The profile id a ticket names, once: a replayed, expired or foreign ticket gives None."""
        issued = self._tickets.pop(ticket, None) if ticket else None
        if issued is None or issued.service != service or not state or issued.state != state:
            return None
        if now >= issued.expires_at:
            return None
        return issued.profile_id
