"""The tags of a scenario as pytest markers, registered by the plugin so `--strict-markers` accepts them.

A platform's tag (`@mes`, `@vkid`, …) is known from the platform table. Flow and error IDs (`@F06`, `@E02`)
are a team's own as much as ours: any tag of that shape is registered when pytest-bdd applies it, unless the
project has described it already (this repository's conftest.py does, from docs/flows.md).
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from ..hosts import PLATFORMS

FLOW_ID = re.compile(r"[FE]\d{2}")


def registered(config: pytest.Config) -> set[str]:
    """The names of the markers the run knows: `name: description` lines of the `markers` ini value."""
    return {line.split(":", 1)[0].split("(", 1)[0].strip() for line in config.getini("markers")}


def register_platforms(config: pytest.Config) -> None:
    known = registered(config)
    for platform in PLATFORMS.values():
        if platform.name not in known:
            config.addinivalue_line("markers", f"{platform.name}: walks {platform.title}")


class FlowIdTags:
    """pytest-bdd's `pytest_bdd_apply_tag`: a flow or error ID becomes a registered marker before it is applied."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config

    @pytest.hookimpl(tryfirst=True)
    def pytest_bdd_apply_tag(self, tag: str, function: Callable[..., object]) -> None:
        # Returning None leaves the marking itself to pytest-bdd's own implementation.
        if FLOW_ID.fullmatch(tag) and tag not in registered(self.config):
            self.config.addinivalue_line("markers", f"{tag}: covers the flow or error case {tag} (a feature's tag)")
