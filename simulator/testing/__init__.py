"""The pytest side of sferum-sim: a control-plane client, personas, real-hostname routing, the plugin's fixtures."""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from . import startup  # noqa: F401  first: its mark is where the plugin starts loading
from .rewriting import rewrite_only_checks

rewrite_only_checks()  # before anything else of the simulator is imported

if TYPE_CHECKING:
    from .client import SimSession, Simulator, SimulatorError
    from .personas import Persona, Personas
    from .routing import VKID_HOSTS, AsyncSimTransport, SimTransport, sim_router

__all__ = [
    "VKID_HOSTS",
    "AsyncSimTransport",
    "Persona",
    "Personas",
    "SimSession",
    "SimTransport",
    "Simulator",
    "SimulatorError",
    "sim_router",
]

# Where each name lives, imported on first use: pytest imports this package with every run, which need not pay
# for respx (the routing) when no test routes httpx to VK ID.
_HOMES = {
    "SimSession": ".client",
    "Simulator": ".client",
    "SimulatorError": ".client",
    "Persona": ".personas",
    "Personas": ".personas",
    "VKID_HOSTS": ".routing",
    "AsyncSimTransport": ".routing",
    "SimTransport": ".routing",
    "sim_router": ".routing",
}


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(_HOMES[name], __name__), name)
    globals()[name] = value
    return value
