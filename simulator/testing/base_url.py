"""pytest-playwright's `base_url` fixture without pytest-base-url, as a plain function.

When pytest-base-url is not installed, pytest-playwright registers a stand-in whose fixture is a method of
an instance, which pytest 9 deprecates (PytestRemovedIn10Warning at every run that opens a browser). The
plugin puts this one in its place: the same option, ini value and answer.
"""

from __future__ import annotations

import pytest

FALLBACK = "playwright-base-url"  # the name pytest-playwright registers its stand-in under


@pytest.fixture(scope="session")
def base_url(pytestconfig: pytest.Config) -> str | None:
    """--base-url, else the `base_url` ini value, else None (pages are opened by full URL)."""
    return pytestconfig.getoption("--base-url") or pytestconfig.getini("base_url") or None
