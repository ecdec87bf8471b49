"""The BDD suite: Russian features in features/, their steps in steps/, grouped by platform."""

from pathlib import Path

import pytest

# Every module of steps/ (one a platform) is a plugin: step definitions are found only that way.
pytest_plugins = ["pytester"] + sorted(
    f"steps.{path.stem}" for path in (Path(__file__).parent / "steps").glob("*.py") if path.stem != "__init__"
)

FLOW_IDS = [f"F{i:02d}" for i in range(1, 20)] + [f"E{i:02d}" for i in range(1, 10)]
PLATFORM_TAGS = ["mes", "vkid", "messenger", "max", "eljur", "es", "gosuslugi", "sferum"]


def pytest_configure(config: pytest.Config) -> None:
    for tag in FLOW_IDS:
        config.addinivalue_line("markers", f"{tag}: covers {tag} of FLOWS.md")
    for tag in PLATFORM_TAGS:
        config.addinivalue_line("markers", f"{tag}: walks the {tag} platform")
