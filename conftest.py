"""The BDD suite: Russian features in features/, their steps in steps/, grouped by platform."""

import re
from pathlib import Path

import pytest

from simulator.hosts import PLATFORMS

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

CATALOGUE = Path(__file__).parent / "docs" / "flows.md"
# The catalogue's flow and error IDs are its `### F06 — …` headings (tests/test_flows_catalogue.py checks them).
FLOW_IDS = re.findall(r"^### ([FE]\d{2}) — ", CATALOGUE.read_text(encoding="utf-8"), flags=re.MULTILINE)


def pytest_configure(config: pytest.Config) -> None:
    for tag in FLOW_IDS:
        config.addinivalue_line("markers", f"{tag}: covers {tag} of docs/flows.md")
    for platform in PLATFORMS.values():
        config.addinivalue_line("markers", f"{platform.name}: walks {platform.title}")
