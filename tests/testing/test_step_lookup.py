"""A step's definition is found once per module and text, and still by pytest's visibility rules."""

from __future__ import annotations

import pytest

FEATURE = """\
# language: ru
Функция: Одинаковый шаг
  Сценарий: Первый
    Дано шаг «{n}»
  Сценарий: Второй
    Дано шаг «{n}»
"""

CONFTEST = """\
from pytest_bdd import given, parsers

@given(parsers.re(r"шаг «(?P<n>\\d)»"))
def step(n):
    with open("{out}", "a", encoding="utf-8") as seen:
        seen.write("{folder}:" + n + "\\n")
"""


def test_the_same_text_in_two_folders_runs_each_folders_own_definition(pytester: pytest.Pytester) -> None:
    out = pytester.path / "seen.txt"
    for folder in ("a", "b"):
        pytester.mkpydir(folder)
        (pytester.path / folder / "conftest.py").write_text(CONFTEST.format(out=out, folder=folder), encoding="utf-8")
        (pytester.path / folder / "same.feature").write_text(FEATURE.format(n=1), encoding="utf-8")
        (pytester.path / folder / f"test_{folder}.py").write_text(
            'from pytest_bdd import scenarios\n\nscenarios("same.feature")\n', encoding="utf-8"
        )
    result = pytester.runpytest_subprocess("-p", "no:randomly", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=4)
    assert out.read_text(encoding="utf-8").splitlines() == ["a:1", "a:1", "b:1", "b:1"]
