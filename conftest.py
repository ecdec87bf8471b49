"""The BDD suite: Russian features in features/, their steps in steps/, grouped by platform."""

import re
from pathlib import Path

import pytest

# The step library (steps/, installed as `sferum_sim_steps`): enabled as any team's conftest enables it.
pytest_plugins = ["pytester", "sferum_sim_steps"]

CATALOGUE = Path(__file__).parent / "docs" / "flows.md"
# The catalogue's flow and error IDs are its `### F06 — …` headings (tests/test_flows_catalogue.py checks them).
FLOW_IDS = re.findall(r"^### ([FE]\d{2}) — ", CATALOGUE.read_text(encoding="utf-8"), flags=re.MULTILINE)


def pytest_configure(config: pytest.Config) -> None:
    for tag in FLOW_IDS:
        config.addinivalue_line("markers", f"{tag}: covers {tag} of docs/flows.md")
