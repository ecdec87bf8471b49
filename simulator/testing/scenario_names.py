"""Test names of `scenarios(...)` that keep a scenario's hyphens: «онлайн-урок» stays `онлайн-урок`.

pytest-bdd names a scenario's test after its title with every character that is not a letter, digit or
underscore dropped, so «Повторный вход на онлайн-урок» became `…онлайнурок` and `-k онлайн-урок` selected
nothing. A hyphen is a character pytest's `-k` takes inside a word, and a test's name need not be a Python
identifier (pytest collects it from the module's namespace by name); so hyphens are kept and the rest is
as pytest-bdd makes it. `scenarios()` looks the generator up by name at every call, so replacing it before
collection is enough; pytest-bdd without it is left as it is.
"""

from __future__ import annotations

import importlib
import itertools
import re
from collections.abc import Callable, Iterator

DROPPED = re.compile(r"[^\w-]")  # pytest-bdd drops \W; a hyphen is kept
LEADING_DIGITS = re.compile(r"^\d+_*")
GENERATOR = "get_python_name_generator"
_OURS = "_sferum_sim_names"


def test_name(title: str) -> str:
    """A scenario's title as a test's name, without the `test_` prefix: spaces as underscores, hyphens kept."""
    return LEADING_DIGITS.sub("", DROPPED.sub("", title.replace(" ", "_"))).lower()


def names_for(title: str) -> Iterator[str]:
    """`test_<name>`, then `test_<name>_1`, `_2`, … for scenarios of one module with the same title."""
    name = f"test_{test_name(title)}"
    yield name
    for index in itertools.count(1):
        yield f"{name}_{index}"


def install() -> None:
    bdd_scenario = importlib.import_module("pytest_bdd.scenario")  # the module, not its `scenario` function
    original: Callable[[str], Iterator[str]] | None = getattr(bdd_scenario, GENERATOR, None)
    if original is None or getattr(original, _OURS, False):
        return
    setattr(names_for, _OURS, True)
    setattr(bdd_scenario, GENERATOR, names_for)
