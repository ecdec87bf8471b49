"""The simulator and Playwright's driver started together, as soon as collection shows a run will need them.

Started one after the other at the first step, the simulator (mostly Python: the web application's
import, a certificate) and the driver (a Node process the main thread only waits for) add up. Started
at the end of collection, the simulator in a thread while the main thread waits for the driver, they
overlap; the `sim` and `playwright` fixtures then take what was started instead of starting their own.
A run that never uses them (or stops before) has them stopped at its end.

Only the simulator's start moves to a thread: Playwright's sync API belongs to the thread that starts it,
and the tests run on the main thread.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

import pytest

from .. import tls
from . import startup

if TYPE_CHECKING:
    from playwright.sync_api import Playwright

    from ..server import SimulatorServer

# Fixtures through which a test reaches the simulator or a browser.
SIM_FIXTURES = frozenset({"sim", "sim_session", "personas", "sim_transport", "sim_async_transport", "vkid_router"})
BROWSER_FIXTURES = frozenset({"playwright", "browser", "context", "page", "new_context"})
# pytest-bdd's parameter of every scenario's test. A scenario's steps ask for their fixtures as they run, so
# its test lists none of them: with this plugin installed, a scenario is taken to need both.
SCENARIO_PARAMETER = "_pytest_bdd_example"


def tls_wanted(config: pytest.Config) -> bool:
    """Whether the simulator answers HTTPS too, by --sim-tls (auto: when the `tls` extra is installed)."""
    mode = config.getoption("--sim-tls")
    if mode == "on" and not tls.available():
        raise pytest.UsageError("--sim-tls=on needs the `tls` extra: pip install 'sferum-sim[tls]'")
    return bool(mode == "on" or (mode == "auto" and tls.available()))


class SimulatorStart:
    """The simulator started in a thread; `result()` waits for it (and raises what its start raised)."""

    def __init__(self, with_tls: bool) -> None:
        self._server: SimulatorServer | None = None
        self._error: BaseException | None = None
        self._taken = False
        self._ready = threading.Event()  # set once the server answers (or failed to start), before Faker's import
        self._thread = threading.Thread(target=self._start, args=(with_tls,), name="sferum-sim-start", daemon=True)
        self._thread.start()

    def _start(self, with_tls: bool) -> None:
        try:
            from ..server import SimulatorServer  # the web application, imported only by a run that starts it

            self._server = SimulatorServer(tls=with_tls).start()
        except BaseException as error:  # handed to the fixture that waits for it
            self._error = error
            return
        finally:
            self._ready.set()
        # The personas' Faker is the next thing the first scenario imports, while the main thread still waits
        # for Node or sets up the test; a main thread needing it first waits on the import's own lock.
        import faker  # noqa: F401

    def result(self) -> SimulatorServer:
        self._ready.wait()
        if self._error is not None:
            raise self._error
        assert self._server is not None
        self._taken = True
        return self._server

    def stop_unused(self) -> None:
        self._thread.join()
        if self._server is not None and not self._taken:
            self._server.stop()


class WarmStart:
    """Registered by the plugin: starts both at the end of collection, hands them to the fixtures."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        self.simulator: SimulatorStart | None = None
        self.driver: Playwright | None = None

    def _needs(self, items: list[pytest.Item]) -> tuple[bool, bool]:
        """(simulator, browser): whether the selected tests will use each."""
        simulator = browser = False
        for item in items:
            names = set(getattr(item, "fixturenames", ()))
            scenario = SCENARIO_PARAMETER in names
            simulator = simulator or scenario or bool(names & SIM_FIXTURES)
            browser = browser or scenario or bool(names & BROWSER_FIXTURES)
            if simulator and browser:
                break
        return simulator, browser

    @pytest.hookimpl(trylast=True)
    def pytest_collection_finish(self, session: pytest.Session) -> None:
        config = self.config
        if config.option.collectonly or not session.items:
            return
        simulator, browser = self._needs(session.items)
        if simulator and not config.getoption("--sim-url"):
            self.simulator = SimulatorStart(tls_wanted(config))
            startup.mark("simulator_ready_start")
        # pytest-playwright's fixtures are the ones taking the driver: without them it would wait unused.
        if browser and config.pluginmanager.has_plugin("sferum_sim.browser"):
            from playwright.sync_api import sync_playwright

            startup.mark("driver_ready_start")
            self.driver = sync_playwright().start()  # the main thread waits for Node: the simulator's thread runs
            startup.mark("driver_ready")

    def take_simulator(self) -> SimulatorServer | None:
        start, self.simulator = self.simulator, None
        if start is None:
            return None
        server = start.result()
        startup.mark("simulator_ready")
        return server

    def take_driver(self) -> Playwright | None:
        driver, self.driver = self.driver, None
        return driver

    def pytest_sessionfinish(self) -> None:
        """Whatever no fixture took (the run stopped first, or never needed it) is stopped here."""
        if self.simulator is not None:
            self.simulator.stop_unused()
            self.simulator = None
        if self.driver is not None:
            self.driver.stop()
            self.driver = None


PLUGIN_NAME = "sferum_sim.warm_start"


def warm_start(config: pytest.Config) -> WarmStart | None:
    plugin: Any = config.pluginmanager.get_plugin(PLUGIN_NAME)
    return plugin if isinstance(plugin, WarmStart) else None
