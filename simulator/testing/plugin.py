"""pytest plugin (entry point `sferum_sim`): simulator → session → personas → browser context.

Each fixture can be overridden on its own in a conftest.py. The browser fixtures build on
pytest-playwright's, so its options (--headed, --slowmo, --tracing, --video, …) all apply.
"""

from __future__ import annotations

import os
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from . import base_url, browser_fixtures, markers, quick_exit, scenario_names, shard, startup, step_lookup, warm_start
from .browser import KINDS
from .client import SimSession, Simulator
from .evidence import POLICIES, EvidencePlugin
from .personas import Personas
from .progress import FeatureProgress
from .reporting.allure_bridge import AllureBridge
from .reporting.layout import ALLURE_DIR

# What only some runs use is imported where they use it: the report writers (--sim-report-dir) and respx
# (a test routing httpx to VK ID); a run that needs neither starts without them.
if TYPE_CHECKING:
    import respx

    from .routing import AsyncSimTransport, SimTransport

DEFAULT_SEED = 20241016


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("sferum-sim", "sferum-sim simulator")
    group.addoption(
        "--sim-url",
        default=os.environ.get("SFERUM_SIM_URL"),
        help="control a running simulator at this URL instead of starting one [$SFERUM_SIM_URL]",
    )
    group.addoption(
        "--sim-seed",
        type=int,
        default=int(os.environ.get("SFERUM_SIM_SEED", DEFAULT_SEED)),
        help=f"base seed of personas and codes; each test derives its own [$SFERUM_SIM_SEED, {DEFAULT_SEED}]",
    )
    group.addoption(
        "--sim-tls",
        choices=("auto", "on", "off"),
        default=os.environ.get("SFERUM_SIM_TLS", "auto"),
        help="answer https://id.vk.com etc. in the browser through an HTTPS listener with a certificate "
        "made at start; auto = when the `tls` extra (cryptography) is installed [$SFERUM_SIM_TLS, auto]",
    )
    group.addoption(
        "--sim-report-dir",
        default=os.environ.get("SFERUM_SIM_REPORT_DIR"),
        metavar="DIR",
        help="write JUnit XML, Cucumber JSON, Allure results and an HTML report here [$SFERUM_SIM_REPORT_DIR]",
    )
    group.addoption(
        "--sim-browser",
        choices=KINDS,
        default=os.environ.get("SFERUM_SIM_BROWSER", "auto"),
        help="the system's Chromium to launch: shell (the headless shell), full, or auto = the headless shell "
        "for a headless run when installed; $SFERUM_SIM_CHROMIUM names a binary instead [$SFERUM_SIM_BROWSER, auto]",
    )
    group.addoption(
        "--step-screenshots",
        default="only-on-failure",
        choices=POLICIES,
        help="a screenshot after each Gherkin step: off, only-on-failure (default) or on",
    )
    group.addoption(
        "--feature-progress",
        action="store_true",
        help="one line a feature file as its last scenario ends, instead of a dot a scenario (with -n too)",
    )
    group.addoption(
        "--shard",
        default=os.environ.get("SFERUM_SIM_SHARD"),
        metavar="I/N",
        help="run only the i-th of n deterministic parts of the suite, e.g. 1/2 [$SFERUM_SIM_SHARD]",
    )


def report_dir(config: pytest.Config) -> Path | None:
    value = config.getoption("--sim-report-dir")
    return Path(config.invocation_params.dir, value) if value else None


@pytest.hookimpl(tryfirst=True)  # before allure's own pytest_configure reads --alluredir
def pytest_configure(config: pytest.Config) -> None:
    quick_exit.skip_last_collection_at_exit()
    if startup.enabled() and not config.pluginmanager.has_plugin("sferum_sim.startup"):
        config.pluginmanager.register(startup.StartupMarks(), "sferum_sim.startup")
    if not config.pluginmanager.has_plugin(warm_start.PLUGIN_NAME):
        config.pluginmanager.register(warm_start.WarmStart(config), warm_start.PLUGIN_NAME)
    # Registered now, after pytest-playwright, so these fixtures extend rather than lose to its own.
    if config.pluginmanager.has_plugin("playwright") and not config.pluginmanager.has_plugin("sferum_sim.browser"):
        config.pluginmanager.register(browser_fixtures, "sferum_sim.browser")
    if hasattr(config, "workerinput") and getattr(config.option, "output", None):
        # pytest-playwright empties --output when a session starts: with one folder per xdist worker, a
        # worker starting late cannot delete a trace another worker has just kept.
        config.option.output = str(Path(config.option.output, config.workerinput["workerid"]))
    if config.getoption("--shard"):
        shard.parse(config.getoption("--shard"))  # a typo fails now, not after collection
        config.pluginmanager.register(shard, "sferum_sim.shard")
    step_lookup.install()
    # Scenario tags and test names, before collection applies the one and makes the other.
    markers.register_platforms(config)
    if not config.pluginmanager.has_plugin("sferum_sim.markers"):
        config.pluginmanager.register(markers.FlowIdTags(config), "sferum_sim.markers")
    scenario_names.install()
    fallback = config.pluginmanager.get_plugin(base_url.FALLBACK)
    if fallback is not None:  # pytest-playwright's deprecated stand-in, replaced before any fixture is read
        config.pluginmanager.unregister(fallback)
        config.pluginmanager.register(base_url, "sferum_sim.base_url")
    if config.getoption("--feature-progress") and not config.pluginmanager.has_plugin("sferum_sim.progress"):
        config.pluginmanager.register(FeatureProgress(config), "sferum_sim.progress")
    directory = report_dir(config)
    if not config.pluginmanager.has_plugin("sferum_sim.evidence"):
        config.pluginmanager.register(EvidencePlugin(config, directory), "sferum_sim.evidence")
    if not config.pluginmanager.has_plugin("sferum_sim.allure"):
        # Now, before allure's own pytest_configure registers its listener: see AllureBridge's report wrapper.
        config.pluginmanager.register(AllureBridge(config), "sferum_sim.allure")
    if directory is None or config.option.collectonly:
        return
    if hasattr(config.option, "allure_report_dir") and not config.option.allure_report_dir:
        config.option.allure_report_dir = str(directory / ALLURE_DIR)
    if not hasattr(config, "workerinput"):  # xdist workers hand their reports to the controller, which writes
        from .reporting.collector import ReportCollector, clear

        clear(directory)
        config.pluginmanager.register(ReportCollector(config, directory), "sferum_sim.reports")


@pytest.fixture(scope="session")
def sim(pytestconfig: pytest.Config) -> Iterator[Simulator]:
    """The simulator's control plane: one started in a background thread, or --sim-url."""
    url = pytestconfig.getoption("--sim-url")
    with_tls = warm_start.tls_wanted(pytestconfig)
    server = None
    if not url:
        started = warm_start.warm_start(pytestconfig)
        server = started.take_simulator() if started is not None else None
        if server is None:  # no test was known to need it at collection's end: started now
            from ..server import SimulatorServer  # the web application, imported only by a run that starts it

            server = SimulatorServer(tls=with_tls).start()
        url = server.url
    client = Simulator(url)
    yield client
    client.close()
    if server is not None:
        server.stop()


@pytest.fixture
def sim_seed(request: pytest.FixtureRequest, pytestconfig: pytest.Config) -> int:
    """This test's seed: fixed by the base seed and the test's id, so a rerun sees the same data."""
    seed = zlib.crc32(f"{pytestconfig.getoption('--sim-seed')}:{request.node.nodeid}".encode())
    request.node.user_properties.append(("sim_seed", seed))
    return seed


@pytest.fixture
def sim_session(sim: Simulator, sim_seed: int, request: pytest.FixtureRequest) -> Iterator[SimSession]:
    """A fresh, isolated session for this test, deleted afterwards; its clock frozen, whatever the server's default."""
    session = sim.new_session(seed=sim_seed, running_clock=False)
    request.node.user_properties.append(("sim_session", session.key))
    yield session
    session.delete()


@pytest.fixture
def personas(sim_seed: int) -> Personas:
    return Personas(sim_seed)


@pytest.fixture
def sim_transport(sim: Simulator, sim_session: SimSession) -> Iterator[SimTransport]:
    """An httpx transport for sync clients: https://id.vk.com (and id.vk.ru) answered by this session."""
    from .routing import SimTransport

    transport = SimTransport(sim.url, session=sim_session.key)
    yield transport
    transport.close()


@pytest.fixture
def sim_async_transport(sim: Simulator, sim_session: SimSession) -> AsyncSimTransport:
    """The same for `httpx.AsyncClient`; the client closes it (`async with httpx.AsyncClient(transport=…)`)."""
    from .routing import AsyncSimTransport

    return AsyncSimTransport(sim.url, session=sim_session.key)


@pytest.fixture
def vkid_router(sim: Simulator, sim_session: SimSession) -> Iterator[respx.MockRouter]:
    """Every httpx client, sync or async, made anywhere during the test reaches VK ID's real names here.

    For code that builds its own clients; other hosts pass through. `.routes["simulator"].calls`
    records the requests it sent to VK ID.
    """
    from .routing import sim_router

    with sim_router(sim.url, session=sim_session.key) as router:
        yield router


startup.mark("plugin_imported")
