"""What allure-pytest-bdd leaves out or gets wrong, filled in on its own results as the run goes.

- labels (epic, feature, story, suites, severity, flows) and flow links from the feature file;
- parameters only where Gherkin has them: Examples and the values a step's text carries, never fixtures;
- a step's data table and doc string attached even when its function does not take them;
- a fixture that fails before the first step reported, with the scenario's steps, rather than lost;
- pytest-playwright's trace and `--screenshot` pictures attached to the scenario.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any
from uuid import uuid4

import pytest

from .. import bdd
from ..bdd import allure_listener, allure_step_uuid, example_of, scenario_of, template_of
from ..evidence import EVIDENCE, evidence_for
from .allure_labels import flow_link, flows, labels

try:
    from allure_commons.model2 import Label, Link, Parameter
    from allure_commons.types import AttachmentType

    HAS_ALLURE = bdd.has_allure()
except ImportError:  # pragma: no cover
    HAS_ALLURE = False

PLAIN = (str, int, float, bool)
# pytest-playwright's user property naming a kept file → the attachment's title and type.
PLAYWRIGHT_ARTIFACTS: dict[str, tuple[str, object]] = (
    {
        "playwright_trace": ("Трасса Playwright", AttachmentType.ZIP),
        "playwright_screenshot": ("Снимок экрана в конце сценария", AttachmentType.PNG),
    }
    if HAS_ALLURE
    else {}
)


def readable(value: object) -> str | None:
    """A parameter's value as a person reads it, or None for an object whose repr would show a memory address."""
    return str(value) if isinstance(value, PLAIN) or value is None else None


def table_csv(rows: list[list[str]]) -> str:
    with io.StringIO() as buffer:
        csv.writer(buffer).writerows(rows)
        return buffer.getvalue()


class AllureBridge:
    """Hooks that run after allure-pytest-bdd's own and amend the result it is writing."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        self.root = config.rootpath
        self.features_dir = str(config.getini("bdd_features_base_dir") or "")
        patterns = dict(getattr(config.option, "allure_link_pattern", None) or [])
        self.flow_pattern: str | None = patterns.get("tms")
        self._listener: bdd.AllureListener | None = None

    @property
    def listener(self) -> bdd.AllureListener | None:
        """allure-pytest-bdd's listener, once its pytest_configure has registered it; None when allure is off."""
        if self._listener is None and HAS_ALLURE:
            self._listener = allure_listener(self.config)
        return self._listener

    def _uuid(self, item: pytest.Item) -> str | None:
        # nodeid_to_uuid is a defaultdict: reading a missing id would start a result of its own
        return None if self.listener is None else self.listener.nodeid_to_uuid.get(item.nodeid)

    # -- the scenario ------------------------------------------------------------------------------

    @pytest.hookimpl(trylast=True)
    def pytest_bdd_before_scenario(
        self, request: pytest.FixtureRequest, feature: bdd.Feature, scenario: bdd.Scenario
    ) -> None:
        self._describe(request.node, scenario)

    def _describe(self, item: pytest.Item, scenario: bdd.Scenario) -> None:
        uuid = self._uuid(item)
        if uuid is None or self.listener is None:
            return
        evidence = item.stash.get(EVIDENCE, None) or evidence_for(scenario, self.root)
        template = template_of(item)
        outline = template.name if template is not None else scenario.name
        examples = example_of(item)
        with self.listener.lifecycle.update_test_case(uuid=uuid) as result:
            result.labels.extend(
                Label(name=name, value=value)
                for name, value in labels(evidence.feature, evidence.scenario, outline, self.features_dir)
            )
            tags = [*evidence.feature.tags, *evidence.scenario.tags]
            result.links.extend(
                Link(type="tms", url=flow_link(flow, self.flow_pattern), name=flow) for flow in flows(tags)
            )
            # Only the Examples' columns: other pytest parameters are fixtures' business, not the scenario's.
            result.parameters = [Parameter(name=name, value=str(value)) for name, value in examples.items()]

    # -- each step ---------------------------------------------------------------------------------

    @pytest.hookimpl(trylast=True)
    def pytest_bdd_before_step_call(
        self,
        request: pytest.FixtureRequest,
        feature: bdd.Feature,
        scenario: bdd.Scenario,
        step: bdd.Step,
        step_func: bdd.StepFunction,
        step_func_args: bdd.StepArguments,
    ) -> None:
        if self.listener is None:
            return
        step_uuid = allure_step_uuid(step)
        fixtures = set(request.fixturenames)
        gherkin = {
            name: text
            for name, value in step_func_args.items()
            if name not in fixtures and name not in ("datatable", "docstring") and (text := readable(value)) is not None
        }
        with self.listener.lifecycle.update_step(uuid=step_uuid) as result:
            if result is None:
                return
            result.parameters = [Parameter(name=name, value=value) for name, value in gherkin.items()]
        # allure attaches a table or doc string only to a step function that takes it; the report wants it always.
        if step.datatable is not None and "datatable" not in step_func_args:
            rows = [[str(cell) for cell in row] for row in step.datatable.raw()]
            self._attach(table_csv(rows), "Data table", AttachmentType.CSV, step_uuid)
        if step.docstring is not None and "docstring" not in step_func_args:
            self._attach(step.docstring, "Doc string", AttachmentType.TEXT, step_uuid)

    def _attach(self, body: str, name: str, kind: object, parent: str) -> None:
        if self.listener is not None:
            self.listener.lifecycle.attach_data(str(uuid4()), body, name=name, attachment_type=kind, parent_uuid=parent)

    # -- setup errors and the trace ----------------------------------------------------------------

    # Registered before allure's listener, so inside its wrapper (which writes the result after us), and
    # outside pytest-playwright's trylast one (which names the kept trace on the teardown report before us).
    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_makereport(self, item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
        if call.when == "setup" and call.excinfo is not None and self._uuid(item) is None:
            self._start_unrun(item)  # before allure reads the report: it then records the error on this result
        report: pytest.TestReport = yield
        if report.when == "teardown":
            self._attach_playwright_artifacts(item, report)
        return report

    def _start_unrun(self, item: pytest.Item) -> None:
        """A result for a scenario whose fixtures failed: pytest-bdd never announced it, so allure has none."""
        scenario = scenario_of(item)
        if scenario is None or self.listener is None or not isinstance(item, pytest.Function):
            return
        self.listener.pytest_bdd_before_scenario(request=item._request, feature=scenario.feature, scenario=scenario)
        self._describe(item, scenario)

    def _attach_playwright_artifacts(self, item: pytest.Item, report: pytest.TestReport) -> None:
        """pytest-playwright's trace and --screenshot pictures, kept on the teardown report, attached to the scenario."""
        uuid, listener = self._uuid(item), self.listener
        if uuid is None or listener is None:
            return
        for name, value in report.user_properties:
            source = Path(self.config.invocation_params.dir, str(value))
            if name in PLAYWRIGHT_ARTIFACTS and source.is_file():
                title, kind = PLAYWRIGHT_ARTIFACTS[name]
                listener.lifecycle.attach_file(
                    str(uuid4()), str(source), name=title, attachment_type=kind, parent_uuid=uuid
                )
