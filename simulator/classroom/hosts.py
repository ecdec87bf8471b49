"""Where trainees reach the platforms: one port per platform on the trainer's machine.

Other machines of a room cannot resolve *.localhost, and a lab has no DNS of its own to lean on. A port
per platform keeps every platform its own origin (scheme, host *and* port), so redirects between
platforms, OAuth redirect URIs and the cross-site checks stay what they are between the real sites. One
thing differs: browsers scope cookies by host, not port, so every platform sees the others' cookies.
The platforms' cookies have names of their own (mes_session, eljur_session, …), and the classroom turns
this into its binding: the seat's cookie, set once by the seat's link, reaches every platform's port.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from ..hosts import PLATFORM_TABLE, Hosts

# A host name or an IPv4 address: what aiohttp can route by, and what a trainee can type.
ADDRESS = re.compile(r"(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*")
LOOPBACK_NAMES = ("127.0.0.1", "localhost")


class InvalidAddress(ValueError):
    """An address trainees could not reach the classroom by; the message says why, in Russian."""


def check_address(address: str) -> str:
    lowered = address.strip().lower()
    if not ADDRESS.fullmatch(lowered):
        raise InvalidAddress(
            f"адрес {address!r} не подходит: нужно имя компьютера или адрес IPv4, например 192.168.1.20"
        )
    return lowered


def platform_ports(first: int) -> dict[str, int]:
    """Consecutive ports from `first`, one a platform, in the platform table's order."""
    return {platform.name: first + index for index, platform in enumerate(PLATFORM_TABLE)}


@dataclass
class SeatHosts(Hosts):
    """The platforms as trainees reach them: http://ADDRESS:PORT, a port a platform.

    `port` stays the trainer's own port (the room view, the control plane): the origin guard counts it,
    and only it, as the simulator's own for /_sim.
    """

    address: str = "127.0.0.1"
    ports: Mapping[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.address = check_address(self.address)
        # aiohttp routes a platform by the Host header: the advertised address and the trainer's own loopback.
        self.names = {
            name: tuple(dict.fromkeys(f"{host}:{port}" for host in (self.address, *LOOPBACK_NAMES)))
            for name, port in self.ports.items()
        }

    def origin(self, platform: str) -> str:
        return f"{self.scheme}://{self.address}:{self.ports[platform]}"

    def platform_of(self, host: str) -> str | None:
        _, colon, port = host.rpartition(":")
        if not colon or not port.isdigit():
            return None
        return self.port_platform(int(port))

    def port_platform(self, port: int) -> str | None:
        return next((name for name, number in self.ports.items() if number == port), None)
