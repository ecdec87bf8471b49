"""What simulator/testing/bdd.py relies on in pytest-bdd and allure-pytest-bdd, pinned.

An upgrade of either package that renames a hook's parameter, a registry, a replaced function or an
attribute the simulator reads fails here first, naming what went and in which version.
"""

from __future__ import annotations

import inspect
from collections.abc import Mapping
from importlib.metadata import version
from pathlib import Path

import pytest
from pytest_bdd import given, parsers

from simulator.testing import bdd

PYTEST_BDD = f"pytest-bdd {version('pytest-bdd')}"

FEATURE = """\
# language: ru
@F99
Функция: Закреплённое
  Описание функции.

  @E98
  Структура сценария: Вход под <кто>
    Дано таблица
      | имя  | роль    |
      | Анна | учитель |
    Когда вводится текст
      \"\"\"
      строка
      \"\"\"
    Тогда вошёл <кто>

    Примеры:
      | кто    |
      | ученик |
"""


def protocol_members(protocol: type) -> list[str]:
    """The attributes and methods a Protocol of bdd.py declares: what the simulator reads of the real object."""
    return sorted(name for name in vars(protocol) if not name.startswith("_"))


def assert_provides(obj: object, protocol: type) -> None:
    missing = [name for name in protocol_members(protocol) if not hasattr(obj, name)]
    assert not missing, (
        f"{PYTEST_BDD}: its {type(obj).__name__} has no {', '.join(missing)}, "
        f"which simulator/testing/bdd.py's {protocol.__name__} reads"
    )


@pytest.mark.parametrize("hook", sorted(bdd.HOOKS))
def test_every_hook_still_passes_the_parameters_the_simulator_takes(hook: str) -> None:
    from pytest_bdd import hooks

    spec = getattr(hooks, hook, None)
    assert spec is not None, f"{PYTEST_BDD} has no hook {hook}"
    passed = list(inspect.signature(spec).parameters)
    gone = [name for name in bdd.HOOKS[hook] if name not in passed]
    assert not gone, f"{PYTEST_BDD}: {hook} no longer passes {', '.join(gone)} (it passes {', '.join(passed)})"


@pytest.mark.parametrize(
    ("module", "name", "parameters"),
    [
        ("pytest_bdd.scenario", "find_fixturedefs_for_step", ("step", "fixturemanager", "node")),
        ("pytest_bdd.scenario", "get_python_name_generator", ("name",)),
    ],
)
def test_the_functions_the_simulator_replaces_are_there(module: str, name: str, parameters: tuple[str, ...]) -> None:
    # The plugin has replaced it in this process already: the original is kept aside.
    found = bdd.REPLACED_ORIGINALS.get(name) or getattr(__import__(module, fromlist=[name]), name, None)
    assert callable(found), f"{PYTEST_BDD}: {module}.{name} is gone; simulator/testing/bdd.py replaces it"
    assert tuple(inspect.signature(found).parameters) == parameters, (
        f"{PYTEST_BDD}: {module}.{name} now takes {inspect.signature(found)}, the replacement takes {parameters}"
    )


def test_the_registries_map_functions_to_their_scenario_and_step() -> None:
    from pytest_bdd.scenario import scenario_wrapper_template_registry
    from pytest_bdd.steps import step_function_context_registry

    for registry in (scenario_wrapper_template_registry, step_function_context_registry):
        assert isinstance(registry, Mapping), f"{PYTEST_BDD}: a registry is now a {type(registry).__name__}"


@given(parsers.re(r"закреплённый шаг «(?P<n>\d+)»"))
def pinned_step(n: str) -> None:
    """A step definition of this module: the registry must list it."""


def test_a_step_definition_is_read_as_the_protocol_says() -> None:
    [definition] = [d for d in bdd.step_definitions() if d.step_func is pinned_step]
    assert_provides(definition, bdd.StepDefinition)
    assert_provides(definition.parser, bdd.StepParser)
    assert definition.type == "given"
    assert definition.parser.name == r"закреплённый шаг «(?P<n>\d+)»"
    assert definition.parser.is_matching("закреплённый шаг «12»")
    assert not definition.parser.is_matching("закреплённый шаг «x»")


def test_a_feature_file_is_read_as_the_protocols_say(tmp_path: Path) -> None:
    path = tmp_path / "закреплённое.feature"
    path.write_text(FEATURE, encoding="utf-8")
    [feature] = bdd.features_in([str(tmp_path)])
    assert_provides(feature, bdd.Feature)
    assert (feature.keyword, feature.name, feature.language) == ("Функция", "Закреплённое", "ru")
    assert (feature.filename, feature.line_number, feature.tags) == (str(path), 3, {"F99"})
    assert feature.description.strip() == "Описание функции."
    [template] = feature.scenarios.values()
    assert_provides(template, bdd.ScenarioTemplate)
    assert template.feature is feature and template.name == "Вход под <кто>" and template.tags == {"E98"}
    [examples] = template.examples
    assert_provides(examples, bdd.Examples)
    assert list(examples.as_contexts()) == [{"кто": "ученик"}]

    scenario = template.render({"кто": "ученик"})
    assert_provides(scenario, bdd.Scenario)
    assert (scenario.keyword, scenario.name, scenario.line_number) == ("Структура сценария", "Вход под ученик", 7)
    table, text, check = scenario.steps
    for step in scenario.steps:
        assert_provides(step, bdd.Step)
    assert [(s.type, s.keyword.strip(), s.line_number) for s in scenario.steps] == [
        ("given", "Дано", 8),
        ("when", "Когда", 11),
        ("then", "Тогда", 15),
    ]
    assert table.datatable is not None and text.datatable is None
    assert_provides(table.datatable, bdd.DataTable)
    assert [list(map(str, row)) for row in table.datatable.raw()] == [["имя", "роль"], ["Анна", "учитель"]]
    assert (text.docstring, table.docstring) == ("строка", None)
    assert check.name == "вошёл ученик"


CONFTEST = """\
from pytest_bdd import given, then, when

@given("таблица")
@when("вводится текст")
@then("вошёл ученик")
def step():
    pass
"""


class Seen:
    """What bdd.py's functions and the hooks gave during an in-process run."""

    def __init__(self) -> None:
        self.templates: list[str] = []
        self.examples: list[dict[str, str]] = []
        self.scenarios: list[str] = []
        self.hooks: list[tuple[str, str, str, bool]] = []
        self.step_uuids: set[str] = set()

    def pytest_collection_modifyitems(self, items: list[pytest.Item]) -> None:
        for item in items:
            template, scenario = bdd.template_of(item), bdd.scenario_of(item)
            self.templates.append(template.name if template else "")
            self.scenarios.append(scenario.name if scenario else "")
            self.examples.append(bdd.example_of(item))

    def pytest_bdd_before_step_call(
        self,
        request: pytest.FixtureRequest,
        feature: bdd.Feature,
        scenario: bdd.Scenario,
        step: bdd.Step,
        step_func: bdd.StepFunction,
        step_func_args: bdd.StepArguments,
    ) -> None:
        self.hooks.append((feature.name, scenario.name, step.name, isinstance(step_func_args, Mapping)))
        self.step_uuids.add(bdd.allure_step_uuid(step))


def test_a_run_hands_the_simulator_what_it_reads(pytester: pytest.Pytester) -> None:
    pytester.makeconftest(CONFTEST)
    (pytester.path / "pinned.feature").write_text(FEATURE, encoding="utf-8")
    pytester.makepyfile(test_pinned="from pytest_bdd import scenarios\n\nscenarios('pinned.feature')\n")
    seen = Seen()
    result = pytester.runpytest_inprocess("-p", "no:cacheprovider", "-p", "no:playwright", plugins=[seen])
    result.assert_outcomes(passed=1)
    assert seen.templates == ["Вход под <кто>"], f"{PYTEST_BDD}: a scenario's test no longer maps to its template"
    assert seen.examples == [{"кто": "ученик"}], f"{PYTEST_BDD}: the example row is no longer `_pytest_bdd_example`"
    assert seen.scenarios == ["Вход под ученик"]
    assert [hook[2] for hook in seen.hooks] == ["таблица", "вводится текст", "вошёл ученик"]
    assert {hook[:2] for hook in seen.hooks} == {("Закреплённое", "Вход под ученик")}
    assert all(hook[3] for hook in seen.hooks), f"{PYTEST_BDD}: step_func_args is no longer a mapping"
    assert len(seen.step_uuids) == 3, "allure-pytest-bdd's get_step_uuid no longer gives each step its own id"


def test_allure_listener_keeps_what_the_bridge_reads() -> None:
    assert bdd.has_allure(), "allure-pytest-bdd is a dependency of the package: reinstall it"
    from allure_pytest_bdd.pytest_bdd_listener import PytestBDDListener

    listener = PytestBDDListener(lifecycle=object())
    assert_provides(listener, bdd.AllureListener)
    assert "request" in inspect.signature(listener.pytest_bdd_before_scenario).parameters
