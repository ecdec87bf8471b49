"""pytest plugin (entry point `sferum_sim_gherkin`): a failed scenario names its feature, scenario and failed step.

pytest shows the step function's traceback; the reader of a feature needs the sentence that failed.
"""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass
from pathlib import Path

import pytest

from . import bdd

SECTION = "Gherkin: failed step"


@dataclass(frozen=True)
class FailedStep:
    """Where in the features a scenario stopped."""

    feature: str
    scenario: str
    step: str
    line: int
    number: int
    of: int
    undefined: bool

    def describe(self) -> str:
        why = " — no step definition matches it" if self.undefined else ""
        return (
            f"Функция:  {self.feature}\n"
            f"Сценарий: {self.scenario}\n"
            f"Шаг {self.number} из {self.of} (line {self.line}): {self.step}{why}"
        )


FAILED = pytest.StashKey[FailedStep]()


def _failed(feature: bdd.Feature, scenario: bdd.Scenario, step: bdd.Step, *, undefined: bool) -> FailedStep:
    steps = list(scenario.steps)
    number = next((i for i, s in enumerate(steps, 1) if s.line_number == step.line_number), 0)
    location = feature.rel_filename or Path(feature.filename).name
    return FailedStep(
        feature=f"{feature.name} ({location})",
        scenario=scenario.name,
        step=f"{step.keyword.strip()} {step.name}",
        line=step.line_number,
        number=number,
        of=len(steps),
        undefined=undefined,
    )


@pytest.hookimpl
def pytest_bdd_step_error(
    request: pytest.FixtureRequest,
    feature: bdd.Feature,
    scenario: bdd.Scenario,
    step: bdd.Step,
    step_func: bdd.StepFunction,
    step_func_args: bdd.StepArguments,
    exception: Exception,
) -> None:
    request.node.stash[FAILED] = _failed(feature, scenario, step, undefined=False)


@pytest.hookimpl
def pytest_bdd_step_func_lookup_error(
    request: pytest.FixtureRequest, feature: bdd.Feature, scenario: bdd.Scenario, step: bdd.Step, exception: Exception
) -> None:
    request.node.stash[FAILED] = _failed(feature, scenario, step, undefined=True)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    failed = item.stash.get(FAILED, None)
    if failed is not None and report.when == "call" and report.failed:
        # A report section: the terminal shows it under the traceback; xdist hands it to the controller.
        report.sections.append((SECTION, failed.describe()))
    return report
