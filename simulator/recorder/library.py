"""The step library as the recorder reads it: each step's pattern, kind and what it declares it stands for.

The same registry `sferum-sim steps` reads (pytest-bdd's), so a step is recordable exactly when it is
in the catalogue and declares its actions or checks (simulator/testing/acts.py).
"""

from __future__ import annotations

import importlib
import inspect
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from pytest_bdd import parsers

from ..testing.acts import Acts, Checks, declared
from ..testing.bdd import step_definitions
from ..testing.client import SimulatorError
from ..testing.step_catalogue import LIBRARY
from .sentences import Unwritable, names_actor, sentence


class LibraryError(RuntimeError):
    """A sentence the library does not have, or a step the recorder cannot run; said in Russian."""


class GivenFailed(RuntimeError):
    """A «Дано» step failed against the session; the message names the sentence, in Russian."""


@dataclass(frozen=True)
class LibraryStep:
    """One step definition: «Дано» (given), «Когда» (when) or «Тогда» (then)."""

    kind: str
    pattern: str  # a regular expression matched against the whole sentence
    function: Callable[..., Any]
    declarations: tuple[Acts | Checks, ...]

    @property
    def name(self) -> str:
        return f"{self.function.__module__.rpartition('.')[2]}.{self.function.__name__}"

    def arguments(self, text: str) -> dict[str, str | None] | None:
        """The step's groups in this sentence (None where an optional group took no part), as pytest-bdd passes them."""
        match = re.fullmatch(self.pattern, text)
        return match.groupdict() if match else None

    def write(self, values: Mapping[str, str], actor: str | None, *, name_actor: bool = True) -> str:
        """This step's sentence with these values; Unwritable when it cannot say them."""
        return sentence(self.pattern, values, actor=actor, name_actor=name_actor)

    def names_actor(self, values: Mapping[str, str], actor: str) -> str:
        return names_actor(self.pattern, values, actor)


@dataclass(frozen=True)
class Library:
    steps: tuple[LibraryStep, ...]
    modules: tuple[Any, ...]

    def acting(self, kind: str = "when") -> list[tuple[LibraryStep, Acts]]:
        return [(s, d) for s in self.steps if s.kind == kind for d in s.declarations if isinstance(d, Acts)]

    def checking(self) -> list[tuple[LibraryStep, Checks]]:
        return [(s, d) for s in self.steps if s.kind == "then" for d in s.declarations if isinstance(d, Checks)]

    def given(self, text: str) -> tuple[LibraryStep, dict[str, str | None]]:
        """The «Дано» step of this sentence (a table on the lines after it is the step's, see `given_parts`)."""
        sentence, _ = given_parts(text)
        for step in self.steps:
            if step.kind == "given" and (arguments := step.arguments(sentence)) is not None:
                return step, arguments
        raise LibraryError(f"в библиотеке нет шага «Дано {sentence}» (список шагов: sferum-sim steps)")

    def run_givens(self, givens: Iterable[str], fixtures: dict[str, Any]) -> Any:
        """Run the «Дано» sentences as pytest-bdd would: each step gets its arguments and the fixtures it asks for,
        made once and shared in `fixtures`. Who the sentences brought in acts: the scene's actor, else the cast's
        last person; None when nobody."""
        for text in givens:
            step, arguments = self.given(text)
            sentence, rows = given_parts(text)
            parameters = inspect.signature(step.function).parameters
            if bool(rows) != ("datatable" in parameters):
                said = "не нужна таблица" if rows else "нужна таблица под ним"
                raise GivenFailed(f"шагу «Дано {sentence}» {said}")
            kwargs: dict[str, Any] = {}
            for name in parameters:
                if name in arguments:
                    kwargs[name] = arguments[name]
                elif name == "datatable":  # as pytest-bdd passes the table under the step
                    kwargs[name] = [list(row) for row in rows]
                else:
                    if name not in fixtures:
                        fixtures[name] = self.fixture(name)
                    kwargs[name] = fixtures[name]
            try:
                step.function(**kwargs)
            except (SimulatorError, AssertionError, KeyError) as error:
                raise GivenFailed(f"шаг «Дано {sentence}» не выполнен: {error}") from error
        scene, cast = fixtures.get("scene"), fixtures.get("cast")
        actor = getattr(scene, "actor", None)
        if actor is None and cast is not None and cast.people:
            actor = list(cast.people.values())[-1]
        return actor

    def fixture(self, name: str) -> Any:
        """A fresh value of the library's own parameterless fixture `name` (scene, cast, …)."""
        for module in self.modules:
            definition = getattr(module, name, None)
            wrapped = getattr(definition, "_get_wrapped_function", None)
            if wrapped is not None:
                function = wrapped()
                if not inspect.signature(function).parameters:
                    return function()
        raise LibraryError(f"шагу нужна фикстура «{name}», которой у записи нет")


def given_parts(text: str) -> tuple[str, tuple[tuple[str, ...], ...]]:
    """A «Дано» as the recorder is given it: its sentence, and the data table written on the lines after it as a
    feature writes one («| роль | класс | сколько |» first), its cells unescaped."""
    first, *rest = text.strip().splitlines() or [""]
    rows = []
    for line in (line.strip() for line in rest if line.strip()):
        if len(line) < 2 or not (line.startswith("|") and line.endswith("|")):
            raise LibraryError(f"строка таблицы шага «Дано {first.strip()}» начинается и кончается «|»: {line}")
        cells = re.split(r"(?<!\\)\|", line[1:-1])
        rows.append(tuple(cell.strip().replace("\\|", "|").replace("\\\\", "\\") for cell in cells))
    return first.strip(), tuple(rows)


def _pattern(parser: Any) -> str | None:
    if isinstance(parser, parsers.re):
        return str(parser.regex.pattern)
    if isinstance(parser, parsers.string):
        return re.escape(parser.name)
    return None  # parse/cfparse patterns are format strings: such steps cannot be written by the recorder


def load() -> Library:
    """Import the library and read its steps (importing twice is harmless: modules are cached)."""
    package = importlib.import_module(LIBRARY)
    modules = tuple(importlib.import_module(name) for name in package.pytest_plugins)
    names = {module.__name__ for module in modules}
    steps = []
    for context in step_definitions():
        function = context.step_func
        pattern = _pattern(context.parser)
        if function.__module__ not in names or pattern is None or context.type is None:
            continue
        steps.append(LibraryStep(context.type, pattern, function, declared(function)))
    return Library(tuple(steps), modules)


__all__ = ["Library", "LibraryError", "LibraryStep", "Unwritable", "given_parts", "load"]
