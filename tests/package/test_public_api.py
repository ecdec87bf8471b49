"""The names the package promises to its users; a change here is a change of the public API."""

from __future__ import annotations

import simulator
import simulator.testing


def test_simulator_exports() -> None:
    """`simulator` exports the server, the app factory and the world."""
    assert set(simulator.__all__) == {
        "PLATFORMS",
        "SESSION_HEADER",
        "Hosts",
        "Platform",
        "SimulatorServer",
        "World",
        "create_app",
    }


def test_testing_exports() -> None:
    """`simulator.testing` exports the control-plane client, the personas and the VK ID routing."""
    assert set(simulator.testing.__all__) == {
        "Persona",
        "Personas",
        "SimSession",
        "Simulator",
        "SimulatorError",
        "VKID_HOSTS",
        "SimTransport",
        "AsyncSimTransport",
        "sim_router",
    }


def test_every_exported_name_exists() -> None:
    """No name in __all__ is missing from its module."""
    for module in (simulator, simulator.testing):
        missing = [name for name in module.__all__ if not hasattr(module, name)]
        assert missing == [], f"{module.__name__} lacks {missing}"


def test_session_header_and_platforms() -> None:
    """The header the harness sends and the platforms the simulator serves."""
    assert simulator.SESSION_HEADER == "X-Sim-Session"
    assert {"mes", "vkid", "messenger"} <= set(simulator.PLATFORMS)
    assert isinstance(simulator.PLATFORMS["vkid"], simulator.Platform)
    assert simulator.PLATFORMS["vkid"].hosts[0] == "id.localhost"
