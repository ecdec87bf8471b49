"""pytest-bdd's search for a step's definition, done once per step text rather than at every step.

For every step of every scenario, pytest-bdd asks pytest which definitions of each of the run's fixture
names the test can see (≈ 270 names with the step library) and tries each step parser on the text: tens
of milliseconds a scenario, the harness's largest cost after the browser. What a step resolves to depends
only on the module the test is in (pytest's fixture visibility follows the module's path) and the step's
kind and text, and step definitions are fixed once collection is over; so the answer is kept per
(module, kind, text) for the run's fixture manager (an in-process pytester run has its own). pytest-bdd without `find_fixturedefs_for_step` is left as it is.
"""

from __future__ import annotations

import importlib
import weakref
from collections.abc import Callable, Iterable, Iterator
from typing import Any

Lookup = Callable[..., Iterable[Any]]
_CACHED = "_sferum_sim_cached"
LOOKUP = "find_fixturedefs_for_step"  # pytest-bdd's function, looked up by name at every step


def install() -> None:
    """Replace pytest-bdd's lookup with one that remembers its answers (once per process)."""
    # The module, not the `scenario` function pytest_bdd's package exports under the same name.
    bdd_scenario = importlib.import_module("pytest_bdd.scenario")
    original: Lookup | None = getattr(bdd_scenario, LOOKUP, None)
    if original is None or getattr(original, _CACHED, False):
        return
    runs: weakref.WeakKeyDictionary[Any, dict[tuple[str, object, str], tuple[Any, ...]]] = weakref.WeakKeyDictionary()

    def find_fixturedefs_for_step(step: Any, fixturemanager: Any, node: Any) -> Iterator[Any]:
        found = runs.setdefault(fixturemanager, {})
        key = (str(node.path), step.type, step.name)
        if key not in found:
            found[key] = tuple(original(step=step, fixturemanager=fixturemanager, node=node))
        return iter(found[key])

    setattr(find_fixturedefs_for_step, _CACHED, True)
    setattr(bdd_scenario, LOOKUP, find_fixturedefs_for_step)
