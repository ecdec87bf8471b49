"""sferum-sim: the МЭШ, VK ID and Sferum platforms as one local server, for end-to-end tests."""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .app import create_app
    from .hosts import PLATFORMS, Hosts, Platform
    from .server import SimulatorServer
    from .wire import SESSION_HEADER
    from .world import World

__all__ = ["PLATFORMS", "SESSION_HEADER", "Hosts", "Platform", "SimulatorServer", "World", "create_app"]

# Where each name lives. They are imported on first use: `import simulator.testing` (pytest loads it with
# every run, as a plugin) must not pay for the web application and every platform's screens.
_HOMES = {
    "create_app": ".app",
    "PLATFORMS": ".hosts",
    "Hosts": ".hosts",
    "Platform": ".hosts",
    "SimulatorServer": ".server",
    "SESSION_HEADER": ".wire",
    "World": ".world",
}


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(_HOMES[name], __name__), name)
    globals()[name] = value
    return value
