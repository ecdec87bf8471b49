"""The SDK's tests need the simulator's HTTPS listener: the SDK calls https://id.vk.ru, nothing else."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from simulator import SimulatorServer
from simulator import tls as sim_tls
from simulator.testing import Simulator


@pytest.fixture(scope="session")
def sim() -> Iterator[Simulator]:
    """A simulator of this folder's own, with the HTTPS listener the rest of tests/ goes without."""
    if not sim_tls.available():
        pytest.skip("the web SDK needs https://id.vk.ru: install the tls extra")
    with SimulatorServer(tls=True) as server:
        client = Simulator(server.url, timeout=15)
        yield client
        client.close()
