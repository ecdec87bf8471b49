"""How a journal links its accounts to Sferum profiles in МАХ: off to МАХ with a state, back with a ticket.

The journal sends the browser to МАХ's /link with its service id and a random `state`; МАХ confirms
the phone and answers at the journal's own callback with that state and a one-time ticket naming
the profile. The journal redeems the ticket (`Session.link_tickets`) and makes the link itself: links belong to journals.
The journal's side — its `Service`, declared in its package as `MAX_SERVICES` — is in simulator/platforms/max_client.py.
"""

from __future__ import annotations

from ...hosts import Hosts
from ...world import Session, SferumProfile
from ..declared import Declared
from ..max_client import Service, start_url

__all__ = ["SERVICES", "Service", "issue", "start_url"]

# The journals МАХ accepts linking requests from: the `MAX_SERVICES` their packages declare.
SERVICES: Declared[Service] = Declared("MAX_SERVICES", lambda service: service.id)


def issue(session: Session, hosts: Hosts, service: Service, state: str, profile: SferumProfile) -> str:
    """The journal callback URL carrying a fresh one-time ticket for `profile`."""
    ticket = session.link_tickets.issue(service.id, state, profile.id, session.clock.now())
    return hosts.url(service.platform, service.callback, {"state": state, "ticket": ticket})
