"""A journal's side of linking its accounts to Sferum profiles in МАХ: the service it is to МАХ, the way there.

A journal declares its service in its own package (`MAX_SERVICES`); МАХ accepts linking requests from the
declared ones only and answers at their fixed callbacks (simulator/platforms/max/link.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..hosts import Hosts


@dataclass(frozen=True)
class Service:
    """A journal МАХ accepts linking requests from; its callback is fixed here, never taken from a URL."""

    id: str
    title: str  # how МАХ's screens name it: «МЭШ»
    platform: str
    callback: str


def start_url(hosts: Hosts, service_id: str, state: str) -> str:
    """МАХ's /link for the journal's request, with the `state` the journal keeps until the callback."""
    return hosts.url("max", "/link", {"service": service_id, "state": state})
