"""pytest-bdd's search for a step's definition, done once per step text rather than at every step.

For every step of every scenario, pytest-bdd asks pytest which definitions of each of the run's fixture
names the test can see (≈ 270 names with the step library) and tries each step parser on the text: tens
of milliseconds a scenario, the harness's largest cost after the browser. What a step resolves to depends
only on the module the test is in (pytest's fixture visibility follows the module's path) and the step's
kind and text, and step definitions are fixed once collection is over; so the answer is kept per
(module, kind, text) for the run's fixture manager (an in-process pytester run has its own). pytest-bdd without `find_fixturedefs_for_step` is left as it is.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Protocol

from . import bdd

LOOKUP = "find_fixturedefs_for_step"  # pytest-bdd's function, looked up by name at every step
# pytest's fixture manager is not a public type; the lookup only keys on it.
FixtureManager = object


class StepNode(Protocol):
    """The test whose step is looked up: its module's path decides which definitions it sees."""

    @property
    def path(self) -> Path: ...


def remembering(original: Callable[..., object]) -> Callable[..., object]:
    """pytest-bdd's lookup, its answers kept per run (fixture manager), module, step kind and step text."""
    runs: weakref.WeakKeyDictionary[FixtureManager, dict[tuple[str, str, str], tuple[object, ...]]] = (
        weakref.WeakKeyDictionary()
    )

    def find_fixturedefs_for_step(step: bdd.Step, fixturemanager: FixtureManager, node: StepNode) -> Iterator[object]:
        found = runs.setdefault(fixturemanager, {})
        key = (str(node.path), step.type, step.name)
        if key not in found:
            definitions = original(step=step, fixturemanager=fixturemanager, node=node)
            found[key] = tuple(definitions) if isinstance(definitions, Iterable) else ()
        return iter(found[key])

    return find_fixturedefs_for_step


def install() -> None:
    """Replace pytest-bdd's lookup with one that remembers its answers (once per process)."""
    bdd.replace_scenario_function(LOOKUP, remembering)
