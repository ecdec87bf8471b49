"""Test names of `scenarios(...)` that keep a scenario's hyphens: «онлайн-урок» stays `онлайн-урок`.

pytest-bdd names a scenario's test after its title with every character that is not a letter, digit or
underscore dropped, so «Повторный вход на онлайн-урок» became `…онлайнурок` and `-k онлайн-урок` selected
nothing. A hyphen is a character pytest's `-k` takes inside a word, and a test's name need not be a Python
identifier (pytest collects it from the module's namespace by name); so hyphens are kept and the rest is
as pytest-bdd makes it. `scenarios()` looks the generator up by name at every call, so replacing it before
collection is enough; pytest-bdd without it is left as it is.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterator

from . import bdd

DROPPED = re.compile(r"[^\w-]")  # pytest-bdd drops \W; a hyphen is kept
LEADING_DIGITS = re.compile(r"^\d+_*")
GENERATOR = "get_python_name_generator"


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
    """pytest-bdd's generator of test names replaced by `names_for` (once per process)."""

    def ours(original: Callable[..., object]) -> Callable[[str], Iterator[str]]:
        return names_for

    bdd.replace_scenario_function(GENERATOR, ours)
