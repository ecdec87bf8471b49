"""The BDD suite: Russian features in features/, their steps in steps/, grouped by platform."""

import pytest

pytest_plugins = ["pytester", "steps.common", "steps.mes", "steps.vkid", "steps.messenger"]

FLOW_IDS = [f"F{i:02d}" for i in range(1, 20)] + [f"E{i:02d}" for i in range(1, 10)]
PLATFORM_TAGS = ["mes", "vkid", "messenger", "max", "eljur", "es", "gosuslugi", "sferum"]


def pytest_configure(config: pytest.Config) -> None:
    for tag in FLOW_IDS:
        config.addinivalue_line("markers", f"{tag}: covers {tag} of FLOWS.md")
    for tag in PLATFORM_TAGS:
        config.addinivalue_line("markers", f"{tag}: walks the {tag} platform")
