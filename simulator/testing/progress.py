"""--feature-progress: one line a feature file as its last scenario ends, instead of a dot a scenario.

Serial or in xdist workers alike: whoever collects the tests (the run itself, or each worker) names each
test's feature file and how many of the run's tests it has on the test's reports; the process that prints
(the run, or xdist's controller) counts them down from those reports.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Generator
from typing import Any

import pytest

from .bdd import template_of


class FeatureProgress:
    """Counts each feature file's tests as they end and prints the file's line when the last one has."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        self.prints = not hasattr(config, "workerinput")  # a worker's output is not shown: its controller prints
        self.features: dict[str, tuple[str, int]] = {}  # test id → its feature file and that file's test count
        self.ended: Counter[str] = Counter()  # feature file → its tests torn down so far
        self.outcomes: dict[str, Counter[str]] = {}

    def pytest_collection_finish(self, session: pytest.Session) -> None:
        files: dict[str, str] = {}
        for item in session.items:  # what runs: -m, -k and --shard have deselected the rest
            template = template_of(item)
            files[item.nodeid] = template.feature.rel_filename if template is not None else item.nodeid.split("::")[0]
        totals = Counter(files.values())
        self.features = {nodeid: (feature, totals[feature]) for nodeid, feature in files.items()}

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_makereport(self, item: pytest.Item, call: pytest.CallInfo[None]) -> Generator[None, Any, Any]:
        report = yield
        if item.nodeid in self.features:  # a plain attribute: xdist hands it to the controller with the report
            report.feature_progress = self.features[item.nodeid]
        return report

    @pytest.hookimpl(tryfirst=True)
    def pytest_report_teststatus(self, report: pytest.TestReport) -> tuple[str, str, str] | None:
        # No dot a scenario: the feature's line says it all. Failures and errors are still listed at the end.
        if report.passed and report.when in ("setup", "teardown"):
            return "", "", ""
        if report.when == "call" or not report.passed:  # a skip in a fixture too: no letter for it
            return report.outcome, "", report.outcome.upper()
        return None

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        known = getattr(report, "feature_progress", None)
        if not self.prints or known is None:
            return
        feature, total = known
        outcomes = self.outcomes.setdefault(feature, Counter())
        if report.when == "call" or (report.when == "setup" and not report.passed) or report.failed:
            outcomes["failed" if report.failed else report.outcome] += 1
        if report.when != "teardown":
            return
        self.ended[feature] += 1
        if self.ended[feature] == total:
            counts = ", ".join(f"{n} {outcome}" for outcome, n in sorted(outcomes.items()))
            mark = "✗" if outcomes["failed"] else "✓"
            self.config.get_terminal_writer().line(f"{mark} {feature}: {counts}")
