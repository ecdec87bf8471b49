"""The one module that reaches into pytest-bdd's and allure-pytest-bdd's internals.

Everything else in the simulator names pytest-bdd's objects by the Protocols below (only the attributes it
reads, read-only) and gets them through the functions below: an upgrade of either package that renames a
registry, a hook parameter or an attribute breaks here alone, and tests/testing/test_bdd_internals.py says which.

What is relied on, beyond pytest-bdd's documented API (`scenarios`, `parsers`, its hooks):

- `pytest_bdd.scenario.scenario_wrapper_template_registry`: a scenario's test function → its template;
- the `_pytest_bdd_example` parameter: an outline's example row, on the test's callspec;
- `pytest_bdd.feature.get_features`: feature files parsed as pytest-bdd parses them;
- `pytest_bdd.steps.step_function_context_registry`: every step definition pytest-bdd has seen;
- `pytest_bdd.scenario.find_fixturedefs_for_step` and `get_python_name_generator`, replaced by our own;
- allure-pytest-bdd's `PytestBDDListener` (its `lifecycle` and `nodeid_to_uuid`) and `steps.get_step_uuid`.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from contextlib import AbstractContextManager
from types import ModuleType
from typing import Literal, Protocol, TypeAlias

import pytest

# -- the objects pytest-bdd hands its hooks ---------------------------------------------------------

StepType: TypeAlias = Literal["given", "when", "then"]
StepFunction: TypeAlias = Callable[..., object]
# The step function's arguments by name: the step's own parsed values and the fixtures it asked for.
StepArguments: TypeAlias = Mapping[str, object]


class DataTable(Protocol):
    def raw(self) -> Sequence[Sequence[object]]: ...


class Step(Protocol):
    """One Gherkin step of a rendered scenario."""

    @property
    def type(self) -> str: ...  # "given", "when" or "then": an «И» step has its predecessor's
    @property
    def keyword(self) -> str: ...  # as written, with its trailing space: «Дано »
    @property
    def name(self) -> str: ...
    @property
    def line_number(self) -> int: ...
    @property
    def datatable(self) -> DataTable | None: ...
    @property
    def docstring(self) -> str | None: ...


class Examples(Protocol):
    def as_contexts(self) -> Iterable[dict[str, str]]: ...


class Feature(Protocol):
    """A parsed feature file."""

    @property
    def filename(self) -> str: ...  # absolute
    @property
    def rel_filename(self) -> str: ...  # relative to the features' base folder
    @property
    def keyword(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def line_number(self) -> int: ...
    @property
    def description(self) -> str: ...
    @property
    def tags(self) -> set[str]: ...
    @property
    def language(self) -> str: ...
    @property
    def scenarios(self) -> Mapping[str, ScenarioTemplate]: ...


class Scenario(Protocol):
    """A scenario as it runs: an outline's steps filled in from one example row."""

    @property
    def feature(self) -> Feature: ...
    @property
    def keyword(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def line_number(self) -> int: ...
    @property
    def description(self) -> str: ...
    @property
    def tags(self) -> set[str]: ...
    @property
    def steps(self) -> Sequence[Step]: ...


class ScenarioTemplate(Protocol):
    """A scenario as the feature file writes it, before an example row fills its outline."""

    @property
    def feature(self) -> Feature: ...
    @property
    def name(self) -> str: ...
    @property
    def tags(self) -> set[str]: ...
    @property
    def examples(self) -> Sequence[Examples]: ...
    def render(self, context: Mapping[str, object]) -> Scenario: ...


class StepParser(Protocol):
    """One of `pytest_bdd.parsers`' parsers: the pattern as written and whether a sentence matches it."""

    @property
    def name(self) -> str: ...
    def is_matching(self, name: str) -> bool: ...


class StepDefinition(Protocol):
    """A step definition as pytest-bdd registers it: the function, its kind and its parser."""

    @property
    def type(self) -> StepType | None: ...  # None: `@step`, for any kind
    @property
    def step_func(self) -> StepFunction: ...
    @property
    def parser(self) -> StepParser: ...


# The hooks the simulator implements, with the parameters it takes: pinned by tests/testing/test_bdd_internals.py.
HOOKS: dict[str, tuple[str, ...]] = {
    "pytest_bdd_before_scenario": ("request", "feature", "scenario"),
    "pytest_bdd_after_scenario": ("request", "feature", "scenario"),
    "pytest_bdd_before_step": ("request", "feature", "scenario", "step", "step_func"),
    "pytest_bdd_before_step_call": ("request", "feature", "scenario", "step", "step_func", "step_func_args"),
    "pytest_bdd_after_step": ("request", "feature", "scenario", "step", "step_func", "step_func_args"),
    "pytest_bdd_step_error": ("request", "feature", "scenario", "step", "step_func", "step_func_args", "exception"),
    "pytest_bdd_step_func_lookup_error": ("request", "feature", "scenario", "step", "exception"),
    "pytest_bdd_apply_tag": ("tag", "function"),
}

# -- a test and its scenario ------------------------------------------------------------------------

EXAMPLE_PARAMETER = "_pytest_bdd_example"


def template_of(item: pytest.Item) -> ScenarioTemplate | None:
    """The scenario (an outline before its Examples fill it) a test runs, or None for a plain test."""
    from pytest_bdd.scenario import scenario_wrapper_template_registry

    function = getattr(item, "obj", None)
    return scenario_wrapper_template_registry.get(function) if callable(function) else None


def example_of(item: pytest.Item) -> dict[str, str]:
    """The example row an outline's test runs with; empty for a plain scenario."""
    callspec = getattr(item, "callspec", None)
    return dict(callspec.params.get(EXAMPLE_PARAMETER, {})) if callspec else {}


def scenario_of(item: pytest.Item) -> Scenario | None:
    """The rendered scenario of a test, or None for a plain test: known before any fixture runs."""
    template = template_of(item)
    return template.render(example_of(item)) if template is not None else None


# -- feature files and step definitions -------------------------------------------------------------


def features_in(paths: Iterable[str]) -> list[Feature]:
    """The feature files at `paths` (files or folders), parsed as pytest-bdd parses them for a run."""
    from pytest_bdd.feature import get_features

    return list(get_features(paths))


def step_definitions() -> list[StepDefinition]:
    """Every step definition pytest-bdd has registered in this process, in no particular order."""
    from pytest_bdd.steps import step_function_context_registry

    return list(step_function_context_registry.values())


def bind_scenarios(module: ModuleType, feature: str, base_dir: str) -> None:
    """`scenarios(feature)` as if written in `module`: its tests become the module's functions."""
    from pytest_bdd import scenarios

    # pytest-bdd binds the tests into its caller's namespace, found by inspecting the calling frame.
    namespace = module.__dict__
    namespace.update(scenarios=scenarios, path=feature, folder=base_dir)
    exec(compile("scenarios(path, features_base_dir=folder)", feature, "exec"), namespace)


# -- pytest-bdd's functions replaced by ours --------------------------------------------------------

_REPLACED = "_sferum_sim_replaced"
# pytest-bdd's own functions, by name, once replaced: what tests/testing/test_bdd_internals.py pins.
REPLACED_ORIGINALS: dict[str, Callable[..., object]] = {}


def replace_scenario_function(name: str, make: Callable[[Callable[..., object]], Callable[..., object]]) -> bool:
    """pytest-bdd's `pytest_bdd.scenario.<name>` replaced by `make(original)`, once a process.

    False when this pytest-bdd has no such function: it is left as it is, and the run works as it would
    without the replacement. pytest-bdd looks these up in its module at every call, so replacing them there
    before collection is enough.
    """
    # The module, not the `scenario` function pytest_bdd's package exports under the same name.
    module = importlib.import_module("pytest_bdd.scenario")
    original: Callable[..., object] | None = getattr(module, name, None)
    if original is None or getattr(original, _REPLACED, False):
        return False
    replacement = make(original)
    REPLACED_ORIGINALS[name] = original
    setattr(replacement, _REPLACED, True)
    setattr(module, name, replacement)
    return True


# -- allure-pytest-bdd ------------------------------------------------------------------------------


class AllureLifecycle(Protocol):
    """allure-python-commons' lifecycle: the results being written, updated in place."""

    def update_test_case(self, uuid: str | None = None) -> AbstractContextManager[AllureResult]: ...
    def update_step(self, uuid: str | None = None) -> AbstractContextManager[AllureResult | None]: ...
    def attach_data(
        self, uuid: str, body: str | bytes, name: str | None, attachment_type: object, parent_uuid: str | None
    ) -> None: ...
    def attach_file(
        self, uuid: str, source: str, name: str | None, attachment_type: object, parent_uuid: str | None
    ) -> None: ...


class AllureResult(Protocol):
    """A test case's or a step's result; the lists are amended in place."""

    labels: list[object]
    links: list[object]
    parameters: list[object]


class AllureListener(Protocol):
    """allure-pytest-bdd's plugin object that writes a scenario's result."""

    @property
    def lifecycle(self) -> AllureLifecycle: ...
    @property
    def nodeid_to_uuid(self) -> Mapping[str, str]: ...  # a defaultdict: reading a missing id starts a result
    def pytest_bdd_before_scenario(
        self, request: pytest.FixtureRequest, feature: Feature, scenario: Scenario
    ) -> None: ...


def has_allure() -> bool:
    """Whether allure-pytest-bdd is installed (it is an optional dependency)."""
    try:
        importlib.import_module("allure_pytest_bdd.pytest_bdd_listener")
    except ImportError:
        return False
    return True


def allure_listener(config: pytest.Config) -> AllureListener | None:
    """allure-pytest-bdd's listener once its pytest_configure has registered it; None when Allure is off."""
    try:
        from allure_pytest_bdd.pytest_bdd_listener import PytestBDDListener
    except ImportError:
        return None
    listener: AllureListener | None = next(
        (plugin for plugin in config.pluginmanager.get_plugins() if isinstance(plugin, PytestBDDListener)), None
    )
    return listener


def allure_step_uuid(step: Step) -> str:
    """The id allure-pytest-bdd gave a step's result (it derives it from the step object)."""
    from allure_pytest_bdd.steps import get_step_uuid

    uuid: str = get_step_uuid(step)
    return uuid
