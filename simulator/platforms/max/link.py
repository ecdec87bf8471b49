"""How a journal links its accounts to Sferum profiles in МАХ: off to МАХ with a state, back with a ticket.

The journal sends the browser to МАХ's /link with its service id and a random `state`; МАХ confirms
the phone and answers at the journal's own callback with that state and a one-time ticket naming
the profile. The journal redeems the ticket and makes the link itself: links belong to journals.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from ...hosts import Hosts
from ...world import Session, SferumProfile


@dataclass(frozen=True)
class Service:
    """A journal МАХ accepts linking requests from; its callback is fixed here, never taken from a URL."""

    id: str
    title: str  # how МАХ's screens name it: «МЭШ»
    platform: str
    callback: str


SERVICES = {service.id: service for service in (Service("mes", "МЭШ", "mes", "/sferum/max/callback"),)}
TICKET_TTL = timedelta(minutes=5)
_TICKETS = "max_ticket:"  # key prefix in the session's server-side state


def start_url(hosts: Hosts, service_id: str, state: str) -> str:
    return hosts.url("max", "/link", {"service": service_id, "state": state})


def issue(session: Session, hosts: Hosts, service: Service, state: str, profile: SferumProfile) -> str:
    """The journal callback URL carrying a fresh one-time ticket for `profile`."""
    ticket = secrets.token_urlsafe(24)
    expires = session.clock.now() + TICKET_TTL
    session.web[_TICKETS + ticket] = {
        "service": service.id,
        "state": state,
        "profile_id": profile.id,
        "expires_at": expires.isoformat(),
    }
    return hosts.url(service.platform, service.callback, {"state": state, "ticket": ticket})


def redeem(session: Session, ticket: str, service_id: str, state: str) -> SferumProfile | None:
    """The profile a ticket names, once: a replayed, expired or foreign ticket gives None."""
    data = session.web.pop(_TICKETS + ticket, None) if ticket else None
    if data is None or data["service"] != service_id or not state or data["state"] != state:
        return None
    if session.clock.now() >= datetime.fromisoformat(data["expires_at"]):
        return None
    return session.profiles.get(data["profile_id"])
