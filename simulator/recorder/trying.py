"""A proposed «Тогда» check, run once before it is offered: a check the scenario would fail is never written.

The step function runs as pytest-bdd would run it in the finished scenario: with the sentence's groups, the
data table or doc string to be written under it, and the fixtures the «Дано» steps were run with (the same
scene, page and session), the scene told what the person typed so far, as the library's «Когда» steps tell
it (`entered`, `login`). A check that fails is kept off the proposals and shown on the panel with its
reason, in Russian: a step's own failure message (steps/failures.py) as it is, anything else as what it
is, never a bare Python error.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping, MutableMapping
from dataclasses import dataclass
from typing import Any

from playwright.sync_api import Error, expect

from ..testing.acts import Acts, Fill
from .capture import Typed
from .library import Library, LibraryError, Unwritable
from .matching import Entry

TRY_TIMEOUT = 1500  # ms a check's expectations wait: the page is settled already, only a failing one waits
# The fields the library's steps read back as `scene.login`: VK ID's, and the login Госуслуги's «Регистрация» takes.
LOGIN_FIELDS = ("Телефон или почта", "Мобильный телефон или электронная почта")


@dataclass(frozen=True)
class Tried:
    entry: Entry
    sentence: str
    failure: str | None = None  # why it does not hold, for the person; None when it held

    @property
    def passed(self) -> bool:
        return self.failure is None


def reason(error: BaseException) -> str:
    """What a failed check says to the person: the step's message, or what kind of failure it was."""
    message = str(error).strip()
    first = message.splitlines()[0] if message else ""
    if isinstance(error, AssertionError) and first:
        return first[:300]
    if isinstance(error, Error):
        return "страница не показала ожидаемое" + (f": {first[:200]}" if first else "")
    return "шаг не может проверить это в записанном сценарии (в мире нет того, что ему нужно)"


class Trier:
    def __init__(
        self, library: Library, fixtures: MutableMapping[str, Any], who: str, fixture: Callable[[str], Any]
    ) -> None:
        """`fixtures`: those the «Дано» steps ran with; `fixture` makes one they did not need."""
        self.library = library
        self.fixtures = fixtures
        self.who = who
        self.fixture = fixture
        self.told: list[Entry] = []  # «Когда» entries whose `tells` ran (kept, so an entry is told once)

    def typed(self, entries: list[Entry]) -> None:
        """Tell the scene what was typed in the written «Когда» steps, as those steps tell it when they run."""
        self._tell(entries)
        scene = self.fixtures.get("scene")
        if scene is None:
            return
        for entry in entries:
            if entry.kind != "when" or entry.step is None:
                continue
            for declaration in entry.step.declarations:  # fields the step leaves empty: it says so to the scene
                if isinstance(declaration, Acts):
                    for action in declaration.actions:
                        if isinstance(action, Fill) and action.value == "" and isinstance(action.label, str):
                            scene.entered[action.label] = ""
            for label, value in entry.table:  # a field the step's table leaves empty: nobody typed into it
                if value == "":
                    scene.entered[label] = ""
            for raw in entry.raws:
                if isinstance(raw, Typed) and not raw.secret:
                    scene.entered[raw.label] = raw.value
                    if raw.label in LOGIN_FIELDS:
                        scene.login = raw.value

    def _tell(self, entries: list[Entry]) -> None:
        """What the written «Когда» steps leave for the checks after them (acts.Acts.tells), told once each."""
        for entry in entries:
            if entry.kind != "when" or entry.step is None or any(entry is told for told in self.told):
                continue
            self.told.append(entry)
            tells = next((d.tells for d in entry.step.declarations if isinstance(d, Acts) and d.tells), None)
            if tells is None:
                continue
            try:
                arguments = entry.step.arguments(entry.step.write(entry.values, self.who)) or {}
                tells(**self._arguments(tells, arguments, entry))
            except Exception:  # what is not told makes the checks that need it fail, saying why
                continue

    def _arguments(
        self, function: Callable[..., Any], arguments: Mapping[str, str | None], entry: Entry
    ) -> dict[str, Any]:
        """The function's parameters as pytest-bdd passes a step's: the sentence's groups, the table, the fixtures."""
        kwargs: dict[str, Any] = {}
        for name in inspect.signature(function).parameters:
            if name in arguments:
                kwargs[name] = arguments[name]
            elif name == "datatable" and entry.datatable:  # as pytest-bdd passes the table under the step
                kwargs[name] = [list(row) for row in entry.datatable]
            elif name == "docstring" and entry.docstring is not None:
                kwargs[name] = entry.docstring
            else:
                if name not in self.fixtures:
                    self.fixtures[name] = self.fixture(name)
                kwargs[name] = self.fixtures[name]
        return kwargs

    def run(self, entry: Entry) -> Tried:
        step = entry.step
        assert step is not None, "a proposal is a library step"
        try:
            sentence = step.write(entry.values, self.who)
        except Unwritable:
            return Tried(entry, "", "шаг нельзя написать с этими значениями")
        arguments: Mapping[str, str | None] = step.arguments(sentence) or {}
        timeout = getattr(expect, "_timeout", None)
        try:
            kwargs = self._arguments(step.function, arguments, entry)
            expect.set_options(timeout=TRY_TIMEOUT)
            step.function(**kwargs)
        except LibraryError as error:
            return Tried(entry, sentence, str(error))
        except Exception as error:  # any failure of the step is the check not holding
            return Tried(entry, sentence, reason(error))
        finally:
            expect.set_options(timeout=timeout)
        return Tried(entry, sentence)


__all__ = ["TRY_TIMEOUT", "Tried", "Trier", "reason"]
