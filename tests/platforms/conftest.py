"""What the platforms' HTTP tests share: a cookie-keeping client in the session of the module's own `world`."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from simulator import SimulatorServer
from simulator.testing import SimSession
from tests.support.http_browser import HttpBrowser


@pytest.fixture
def client(server: SimulatorServer, world: SimSession) -> Iterator[HttpBrowser]:
    """A browser over HTTP in `world`'s session: each module seeds `world` as its platform needs."""
    client = HttpBrowser(server, world.key)
    yield client
    client.close()
