"""The recorder's tests share one headless browser per module (each recording opens its own context)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Playwright

from simulator.testing.browser import chromium_args, system_chromium


@pytest.fixture(scope="module")
def browser(playwright: Playwright) -> Iterator[Browser]:
    """One headless browser for every recording of a module (each recording opens its own context)."""
    launch: dict[str, Any] = {"headless": True, "args": chromium_args()}
    if not Path(playwright.chromium.executable_path).exists():
        found = system_chromium(headless=True)
        assert found is not None, "no Chromium: scripts/ensure-browser.sh installs one"
        launch["executable_path"] = found
    started = playwright.chromium.launch(**launch)
    yield started
    started.close()
