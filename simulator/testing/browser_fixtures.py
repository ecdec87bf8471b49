"""pytest-playwright's browser fixtures, extended: system Chromium fallback and the test session header."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import BrowserContext, BrowserType

from ..hosts import REAL_NAMES
from ..web import SESSION_HEADER
from .browser import chromium_args, system_chromium
from .client import SimSession, Simulator


@pytest.fixture(scope="session")
def browser_type_launch_args(
    browser_type_launch_args: dict[str, Any], browser_type: BrowserType, sim: Simulator
) -> dict[str, Any]:
    args = dict(browser_type_launch_args)
    if browser_type.name == "chromium":
        real: dict[str, Any] = {}
        if sim.tls:  # https://id.vk.com and the other real names reach the simulator's HTTPS port
            host = httpx.URL(sim.url).host
            real = {"extra_hosts": REAL_NAMES, "target": f"{host}:{sim.tls['port']}", "spki": sim.tls["spki"]}
        args["args"] = [*args.get("args", []), *chromium_args(**real)]
        # Playwright's own Chromium when it was downloaded; the system's otherwise.
        if "channel" not in args and "executable_path" not in args:
            if not Path(browser_type.executable_path).exists() and (found := system_chromium()):
                args["executable_path"] = found
    return args


@pytest.fixture
def context(new_context, sim_session: SimSession) -> BrowserContext:
    """A browser context whose every request belongs to this test's simulator session."""
    return new_context(
        extra_http_headers={SESSION_HEADER: sim_session.key},
        locale="ru-RU",
        timezone_id="Europe/Moscow",
    )
