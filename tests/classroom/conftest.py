"""The classroom's tests share a Chromium with none of the harness's arguments, as a trainee's own browser."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Playwright

from simulator.testing.browser import system_chromium


@pytest.fixture(scope="module")
def plain_browser(playwright: Playwright) -> Iterator[Browser]:
    """A Chromium with none of the harness's arguments: no host rules, resolving as any trainee's browser does."""
    chromium = playwright.chromium
    found = None if Path(chromium.executable_path).exists() else system_chromium(headless=True)
    launched = chromium.launch(executable_path=found) if found else chromium.launch()
    yield launched
    launched.close()
