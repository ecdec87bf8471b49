"""sferum-sim: the МЭШ, VK ID and Sferum platforms as one local server, for end-to-end tests."""

from .app import create_app
from .hosts import PLATFORMS, Hosts, Platform
from .server import SimulatorServer
from .web import SESSION_HEADER
from .world import World

__all__ = ["PLATFORMS", "SESSION_HEADER", "Hosts", "Platform", "SimulatorServer", "World", "create_app"]
