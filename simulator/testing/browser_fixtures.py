"""pytest-playwright's browser fixtures, extended: system Chromium fallback, a remote browser, the session header,
an ffmpeg for --video."""

from __future__ import annotations

import contextlib
import inspect
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import BrowserContext, BrowserType, Playwright, sync_playwright

from ..hosts import REAL_NAMES
from ..wire import SESSION_HEADER
from .browser import VideoError, chromium_args, ensure_video_ffmpeg, system_chromium
from .client import SimSession, Simulator
from .warm_start import warm_start

# A Playwright browser server to connect to instead of launching a browser (ws://host:port/…).
REMOTE_ENV = ("SFERUM_SIM_BROWSER_WS", "PW_TEST_CONNECT_WS_ENDPOINT")


def remote_endpoint() -> str | None:
    return next((os.environ[name] for name in REMOTE_ENV if os.environ.get(name)), None)


# Playwright renamed connect()'s first parameter (ws_endpoint → endpoint); pytest-playwright passes it by name.
ENDPOINT_ARG = "endpoint" if "endpoint" in inspect.signature(BrowserType.connect).parameters else "ws_endpoint"


@pytest.fixture(scope="session")
def playwright(request: pytest.FixtureRequest) -> Iterator[Playwright]:
    """pytest-playwright's, taking the driver the plugin started beside the simulator at collection's end."""
    started = warm_start(request.config)
    driver = (started.take_driver() if started is not None else None) or sync_playwright().start()
    try:  # pytest-playwright's API request contexts, traced with --tracing (its private fixture, where it has it)
        contexts = request.getfixturevalue("_pw_api_request_contexts")
    except pytest.FixtureLookupError:
        contexts = None
    if contexts:
        contexts.instrument(driver)
    yield driver
    driver.stop()


@pytest.fixture(scope="session")
def connect_options(connect_options: dict[str, Any] | None) -> dict[str, Any] | None:
    """pytest-playwright connects to a remote browser when this names one: $SFERUM_SIM_BROWSER_WS."""
    endpoint = remote_endpoint()
    if not endpoint:
        return connect_options
    # The browser resolves *.localhost to its own loopback: the server has to share the simulator's network
    # (e.g. a container on the host network). Playwright's expose_network cannot stand in: the client side
    # would have to resolve *.localhost, which glibc does not.
    return {**(connect_options or {}), ENDPOINT_ARG: endpoint}


# Channels (--browser-channel) that are Playwright's own downloads, and the system Chromium that stands in for
# each when there is no download: "chromium" is full Chromium, "chromium-headless-shell" the shell where installed.
DOWNLOADED_CHANNELS = {"chromium": "full", "chromium-headless-shell": "auto"}


def browser_choice(args: dict[str, Any], kind: str, *, own_browser: bool) -> dict[str, Any]:
    """Launch options naming the Chromium to run (none to add: Playwright's default), for --sim-browser `kind`.

    Playwright's own download, when there is one, already runs its headless shell for a headless run;
    "full" then asks for its full Chromium (channel "chromium"). Otherwise the system's: the headless shell
    for a headless run when installed (auto, shell), full Chromium for a window. A channel or an
    executable_path given already wins — except a channel of Playwright's download when there is none: the
    system's Chromium of that kind stands in (the channel is dropped: "channel": None).
    """
    headless = bool(args.get("headless", True)) and not os.environ.get("PWDEBUG")
    channel = args.get("channel")
    if channel in DOWNLOADED_CHANNELS and "executable_path" not in args and not own_browser:
        found = system_chromium(headless=headless, kind=DOWNLOADED_CHANNELS[channel])
        return {"channel": None, "executable_path": found} if found else {}
    if "channel" in args or "executable_path" in args:
        return {}
    if kind == "shell" and not headless:
        raise pytest.UsageError("--sim-browser=shell has no window: drop --headed, or use --sim-browser=full")
    if own_browser:
        return {"channel": "chromium"} if kind == "full" and headless else {}
    found = system_chromium(headless=headless, kind=kind)
    if found is None and kind == "shell":
        raise pytest.UsageError(
            "--sim-browser=shell: no Chromium headless shell (apt-get install chromium-headless-shell)"
        )
    return {"executable_path": found} if found else {}


@pytest.fixture(scope="session")
def browser_type_launch_args(
    browser_type_launch_args: dict[str, Any], browser_type: BrowserType, sim: Simulator, pytestconfig: pytest.Config
) -> dict[str, Any]:
    args = dict(browser_type_launch_args)
    if browser_type.name == "chromium":
        real: dict[str, Any] = {}
        if sim.tls:  # https://id.vk.com and the other real names reach the simulator's HTTPS port
            host = httpx.URL(sim.url).host
            real = {"extra_hosts": REAL_NAMES, "target": f"{host}:{sim.tls['port']}", "spki": sim.tls["spki"]}
        args["args"] = [*args.get("args", []), *chromium_args(**real)]
        # A remote browser server gets these options too, and has its own browser: no local path for it.
        if not remote_endpoint():
            own = Path(browser_type.executable_path).exists()
            channel = args.get("channel")
            args.update(browser_choice(args, pytestconfig.getoption("--sim-browser"), own_browser=own))
            if channel and "channel" in args and args["channel"] is None:
                say(
                    pytestconfig,
                    f"sferum-sim: Chromium канала «{channel}» не скачан Playwright: запущен системный {args['executable_path']}",
                )
    return args


def say(config: pytest.Config, line: str) -> None:
    """One line on the terminal, past pytest's capture (a session fixture's print would be captured)."""
    capture = config.pluginmanager.getplugin("capturemanager")
    reporter = config.pluginmanager.getplugin("terminalreporter")
    with capture.global_and_fixture_disabled() if capture is not None else contextlib.nullcontext():
        if reporter is not None:
            reporter.write_line(line)
        else:
            print(line, file=sys.stderr)


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any], pytestconfig: pytest.Config) -> dict[str, Any]:
    """pytest-playwright's, and with --video an ffmpeg where Playwright looks for one (a system or a package's)."""
    if pytestconfig.getoption("--video", "off") != "off" and not remote_endpoint():
        try:
            linked = ensure_video_ffmpeg()
        except VideoError as error:
            raise pytest.UsageError(f"sferum-sim: {error}") from error
        if linked:
            say(pytestconfig, linked)
    return browser_context_args


@pytest.fixture
def context(new_context: Callable[..., BrowserContext], sim_session: SimSession) -> BrowserContext:
    """A browser context whose every request belongs to this test's simulator session."""
    return new_context(
        extra_http_headers={SESSION_HEADER: sim_session.key},
        locale="ru-RU",
        timezone_id="Europe/Moscow",
    )
