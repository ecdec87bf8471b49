"""The BDD suite: Russian features in features/, their steps in steps/, grouped by platform."""

import re
from collections import Counter
from pathlib import Path

import pytest
from pytest_bdd.scenario import scenario_wrapper_template_registry

from simulator.hosts import PLATFORMS

# The step library (steps/, installed as `sferum_sim_steps`): enabled as any team's conftest enables it.
pytest_plugins = ["pytester", "sferum_sim_steps"]

CATALOGUE = Path(__file__).parent / "docs" / "flows.md"
# The catalogue's flow and error IDs are its `### F06 — …` headings (tests/test_flows_catalogue.py checks them).
FLOW_IDS = re.findall(r"^### ([FE]\d{2}) — ", CATALOGUE.read_text(encoding="utf-8"), flags=re.MULTILINE)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--feature-progress",
        action="store_true",
        help="one line a feature file as its last scenario ends, instead of a dot a scenario (make run)",
    )


def pytest_configure(config: pytest.Config) -> None:
    for tag in FLOW_IDS:
        config.addinivalue_line("markers", f"{tag}: covers {tag} of docs/flows.md")
    for platform in PLATFORMS.values():
        config.addinivalue_line("markers", f"{platform.name}: walks {platform.title}")
    if config.getoption("--feature-progress"):
        config.pluginmanager.register(FeatureProgress(config), "feature-progress")


class FeatureProgress:
    """Counts each feature file's scenarios as they end and prints the file's line when the last one has."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        self.remaining: dict[str, int] = {}
        self.outcomes: dict[str, Counter[str]] = {}
        self.features: dict[str, str] = {}  # test id → its feature file

    def pytest_collection_finish(self, session: pytest.Session) -> None:
        for item in session.items:  # what runs: -m and -k have deselected the rest
            test = getattr(item, "obj", None)
            template = scenario_wrapper_template_registry.get(test) if callable(test) else None
            feature = template.feature.rel_filename if template is not None else item.nodeid.split("::")[0]
            self.features[item.nodeid] = feature
            self.remaining[feature] = self.remaining.get(feature, 0) + 1

    @pytest.hookimpl(tryfirst=True)
    def pytest_report_teststatus(self, report: pytest.TestReport) -> tuple[str, str, str] | None:
        # No dot a scenario: the feature's line says it all. Failures and errors are still listed at the end.
        if report.passed and report.when in ("setup", "teardown"):
            return "", "", ""
        if report.when == "call" or report.failed:
            return report.outcome, "", report.outcome.upper()
        return None

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        feature = self.features.get(report.nodeid)
        if feature is None:
            return
        outcomes = self.outcomes.setdefault(feature, Counter())
        if report.when == "call" or (report.when == "setup" and not report.passed) or report.failed:
            outcomes["failed" if report.failed else report.outcome] += 1
        if report.when == "teardown":
            self.remaining[feature] -= 1
            if self.remaining[feature] == 0:
                counts = ", ".join(f"{n} {outcome}" for outcome, n in sorted(outcomes.items()))
                mark = "✗" if outcomes["failed"] else "✓"
                self.config.get_terminal_writer().line(f"{mark} {feature}: {counts}")
