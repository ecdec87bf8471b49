"""How a journal links its accounts to Sferum profiles in МАХ: off to МАХ with a state, back with a ticket.

The journal sends the browser to МАХ's /link with its service id and a random `state`; МАХ confirms
the phone and answers at the journal's own callback with that state and a one-time ticket naming
the profile. The journal redeems the ticket (`Session.link_tickets`) and makes the link itself: links belong to journals.
"""

from __future__ import annotations

from dataclasses import dataclass

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


def start_url(hosts: Hosts, service_id: str, state: str) -> str:
    return hosts.url("max", "/link", {"service": service_id, "state": state})


def issue(session: Session, hosts: Hosts, service: Service, state: str, profile: SferumProfile) -> str:
    """The journal callback URL carrying a fresh one-time ticket for `profile`."""
    ticket = session.link_tickets.issue(service.id, state, profile.id, session.clock.now())
    return hosts.url(service.platform, service.callback, {"state": state, "ticket": ticket})
