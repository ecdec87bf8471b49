"""The BDD suite: Russian features in features/, their steps in steps/, grouped by platform."""

from pathlib import Path

import pytest

# Every module of steps/ (one a platform) is a plugin: step definitions are found only that way.
# The ones other step modules import come first, so pytest registers them before they are imported.
SHARED_STEPS = ["steps.common", "steps.vkid"]
pytest_plugins = [
    "pytester",
    *SHARED_STEPS,
    *sorted(
        module
        for module in (f"steps.{path.stem}" for path in (Path(__file__).parent / "steps").glob("*.py"))
        if module not in SHARED_STEPS and module != "steps.__init__"
    ),
]

FLOW_IDS = [f"F{i:02d}" for i in range(1, 20)] + [f"E{i:02d}" for i in range(1, 10)]
PLATFORM_TAGS = ["mes", "vkid", "messenger", "max", "eljur", "es", "gosuslugi", "sferum"]


def pytest_configure(config: pytest.Config) -> None:
    for tag in FLOW_IDS:
        config.addinivalue_line("markers", f"{tag}: covers {tag} of FLOWS.md")
    for tag in PLATFORM_TAGS:
        config.addinivalue_line("markers", f"{tag}: walks the {tag} platform")
