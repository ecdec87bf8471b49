"""Shared fixtures of the simulator's own tests: one real server per run, a fresh session per test.

Tests that start another process — a pytest sub-run, Chromium, Node, a venv's pip — are marked `slow`, so
`make check` (`-m "not slow"`) leaves them out while one works. They are marked by what they use: a fixture of
`SLOW_FIXTURES`, or `pytestmark = pytest.mark.slow` in a module that starts processes in its tests' bodies.
A test not marked `slow` that starts a process anyway fails, naming the process: the fast set stays fast
without anyone timing it. The fuzz tests, hundreds of generated cases in-process, are marked by hand.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import zlib
from collections.abc import Callable, Generator, Iterator
from typing import Any

import httpx
import pytest

from simulator import SimulatorServer
from simulator.testing import SimSession, Simulator
from tests.support.sim_browser import VKID_HOST, Browser


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


# Fixtures that start processes: Playwright's (its driver is a Node process, the browser another) and pytester's.
SLOW_FIXTURES = frozenset(
    {"playwright", "browser_type", "browser", "context", "page", "new_context", "launch_browser", "pytester", "testdir"}
)
# This folder's own: the sub-runs, servers, venvs and Node services its modules share, as `module.fixture`
# (a fixture of one module may share its name with a fast one of another).
SUB_RUN_FIXTURES = frozenset(
    {
        "test_conformance.good_run",
        "test_conformance.broken_run",
        "test_guide.produced",
        "test_guide.two_people",
        "test_image.server_only",
        "test_npm_reporters.rendered",
        "test_plugin.runs",
        "test_plugin_tags_and_names.strict_run",
        "test_pytest_conventions.first_runs",
        "test_reporting.browser_server",
        "test_reporting.project",
        "test_reporting.runs",
        "test_scaffold.project",
        "test_shared_simulator.serve",
        "test_snapshot_memory.serve",
        "test_startup.plain_run",
        "test_startup.scenario_run",
        "test_step_errors.failures",
        "test_step_screenshots.run",
        "test_vscode_steps.service",
        "test_wheel.team",
    }
)


def _starts_processes(item: pytest.Item) -> bool:
    """Whether a fixture the test uses, itself or through another, starts a process."""
    definitions = getattr(getattr(item, "_fixtureinfo", None), "name2fixturedefs", {})
    for name in getattr(item, "fixturenames", ()):
        if name in SLOW_FIXTURES:
            return True
        for definition in definitions.get(name, ()):
            module = getattr(definition.func, "__module__", "").rpartition(".")[2]
            if f"{module}.{name}" in SUB_RUN_FIXTURES:
                return True
    return False


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark `slow` every test that uses a fixture starting a process."""
    for item in items:
        if _starts_processes(item):
            item.add_marker(pytest.mark.slow)


class StartsAProcess(AssertionError):
    """A test not marked `slow` started a process."""


@contextlib.contextmanager
def _no_processes(item: pytest.Item) -> Iterator[None]:
    """Any process started meanwhile fails the test: it belongs in the slow set."""

    def refuse(what: str) -> None:
        raise StartsAProcess(
            f"{item.nodeid} starts a process ({what}) but is not marked slow: use a fixture of "
            f"tests/conftest.py SLOW_FIXTURES, or mark the module `pytestmark = pytest.mark.slow`"
        )

    def execute_child(self: subprocess.Popen[Any], args: Any, *rest: Any, **kwargs: Any) -> None:
        refuse(repr(args)[:200])

    def system(command: str) -> int:
        refuse(command[:200])
        return 1

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(subprocess.Popen, "_execute_child", execute_child)
        patch.setattr(os, "system", system)
        yield


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item: pytest.Item) -> Generator[None, None, None]:
    with contextlib.nullcontext() if item.get_closest_marker("slow") else _no_processes(item):
        return (yield)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Generator[None, None, None]:
    with contextlib.nullcontext() if item.get_closest_marker("slow") else _no_processes(item):
        return (yield)
