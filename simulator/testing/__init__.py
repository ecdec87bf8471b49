"""The pytest side of sferum-sim: a control-plane client, personas, and the plugin's fixtures."""

from .client import SimSession, Simulator, SimulatorError
from .personas import Persona, Personas

__all__ = ["Persona", "Personas", "SimSession", "Simulator", "SimulatorError"]
