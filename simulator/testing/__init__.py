"""The pytest side of sferum-sim: a control-plane client, personas, real-hostname routing, the plugin's fixtures."""

from . import startup  # noqa: F401  first: its mark is where the plugin starts loading
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
