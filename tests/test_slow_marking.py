"""The `slow` marking of tests/conftest.py: a test not marked that starts a process fails; the lists name real fixtures."""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import cast

import pytest

from tests.conftest import SLOW_FIXTURES, SUB_RUN_FIXTURES, StartsAProcess, _no_processes, _starts_processes


def test_starting_a_process_unmarked_fails_naming_the_process(tmp_path) -> None:
    """The process is refused before it starts: the file it would write never appears."""
    witness = tmp_path / "ran"
    item = cast(pytest.Item, SimpleNamespace(nodeid="tests/test_x.py::test_y"))
    with _no_processes(item), pytest.raises(StartsAProcess, match=r"tests/test_x\.py::test_y starts a process .*ran"):
        subprocess.run([sys.executable, "-c", f"open({str(witness)!r}, 'w')"], check=False)
    with _no_processes(item), pytest.raises(StartsAProcess, match="touch"):
        os.system(f"touch {witness}")
    assert not witness.exists()


def _item(*names: str, defined_in: str = "tests.conftest") -> pytest.Item:
    """A collected test as the marking reads it: its fixtures' names and where each is defined."""
    definition = SimpleNamespace(func=SimpleNamespace(__module__=defined_in))
    info = SimpleNamespace(name2fixturedefs={name: [definition] for name in names})
    return cast(pytest.Item, SimpleNamespace(fixturenames=list(names), _fixtureinfo=info))


def test_a_test_using_a_fixture_that_starts_processes_is_slow() -> None:
    assert _starts_processes(_item("tmp_path", "page"))
    assert _starts_processes(_item("pytester"))
    assert _starts_processes(_item("server", "runs", defined_in="tests.test_reporting"))
    assert not _starts_processes(_item("tmp_path", "server", "sim_session"))
    # a fixture is a sub-run by its module: another module's `runs` may be fast
    assert not _starts_processes(_item("runs", defined_in="tests.test_somewhere_else"))


@pytest.mark.parametrize("qualified", sorted(SUB_RUN_FIXTURES))
def test_every_listed_sub_run_fixture_is_a_fixture_of_its_module(qualified: str) -> None:
    """A renamed or moved fixture would silently leave its tests in the fast set: the list must name real ones."""
    module_name, _, fixture = qualified.partition(".")
    # the list names a module by its file name, which is unique under tests/ (pytest imports it by that name)
    found = sorted(Path(__file__).parent.rglob(f"{module_name}.py"))
    assert len(found) == 1, f"{module_name}.py: {len(found)} modules of that name under tests/"
    relative = found[0].relative_to(Path(__file__).parent.parent).with_suffix("")
    module = importlib.import_module(".".join(relative.parts))
    assert hasattr(module, fixture), f"{relative}.py has no fixture {fixture!r}"
    assert "FixtureFunctionDefinition" in type(getattr(module, fixture)).__name__, qualified


def test_playwright_and_pytester_fixtures_are_listed() -> None:
    assert {"page", "browser", "context", "pytester"} <= SLOW_FIXTURES
