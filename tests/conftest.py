"""Shared fixtures of the simulator's own tests: one real server per run, a fresh session per test."""

from __future__ import annotations

import contextlib
import zlib
from collections.abc import Callable, Iterator

import httpx
import pytest

from simulator import SimulatorServer
from simulator.testing import SimSession, Simulator
from tests.sim_browser import VKID_HOST, Browser


@pytest.fixture(scope="session")
def server() -> Iterator[SimulatorServer]:
    """The simulator in its own thread, shared by every test of the run."""
    with SimulatorServer() as running:
        yield running


@pytest.fixture(scope="session")
def sim(server: SimulatorServer) -> Iterator[Simulator]:
    """The control-plane client of that server (overrides the plugin's own `sim`)."""
    client = Simulator(server.url, timeout=15)
    yield client
    client.close()


@pytest.fixture
def sim_session(sim: Simulator, request: pytest.FixtureRequest) -> Iterator[SimSession]:
    """A fresh control-plane session for this test, with a seed fixed by the test's id; deleted afterwards."""
    session = sim.new_session(seed=zlib.crc32(request.node.nodeid.encode()))
    yield session
    with contextlib.suppress(Exception):  # a test may have deleted it itself
        session.delete()


@pytest.fixture
def control(server: SimulatorServer) -> Iterator[httpx.Client]:
    """Raw HTTP to the control plane, for asserting its error responses exactly."""
    with httpx.Client(base_url=server.url + "/_sim/v1", timeout=15) as client:
        yield client


@pytest.fixture
def new_http_browser(server: SimulatorServer, sim_session: SimSession) -> Iterator[Callable[[], Browser]]:
    """Makes browsers (own cookie jars) whose requests belong to this test's session."""
    browsers: list[Browser] = []

    def make() -> Browser:
        browsers.append(Browser(server.url, sim_session))
        return browsers[-1]

    yield make
    for browser in browsers:
        browser.close()


@pytest.fixture
def http_browser(new_http_browser: Callable[[], Browser]) -> Browser:
    """This test's browser."""
    return new_http_browser()


@pytest.fixture
def vkid_api(server: SimulatorServer) -> Iterator[httpx.Client]:
    """A relying party's server calling VK ID: no session header, no cookies."""
    with httpx.Client(base_url=server.url, headers={"Host": VKID_HOST}, timeout=15) as client:
        yield client
