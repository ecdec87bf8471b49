"""Failures a colleague can read: the step, what it expected and what it found, in Russian.

A step that looks something up (a school by name, a person's profile, a lesson by subject) does it with
these helpers instead of `next(...)`, `dict[key]` or `[one] = [...]`, whose bare StopIteration, KeyError or
ValueError says neither which sentence of the feature failed nor why. The sentence is the step pytest-bdd
is running, remembered by the hooks below (this module is a plugin of the library, loaded first).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, NoReturn, TypeVar

PREFIX = "Шаг «"  # how every message of `fail` begins once a step runs

T = TypeVar("T")
K = TypeVar("K")

_running: list[str] = []  # the sentence of the step running now, «Тогда …», while one runs


def pytest_bdd_before_step(step: Any) -> None:
    _running[:] = [f"{step.keyword.strip()} {step.name}"]


def pytest_bdd_after_step() -> None:
    _running.clear()


def pytest_bdd_step_error(step: Any, exception: Exception) -> None:
    """Any other error of a step (a failed check, Playwright's `expect`) gets a note naming the step.

    The note comes after the error's own text in the report, which keeps what it compared; `str()` of the
    error, which the reports print, is not changed.
    """
    _running.clear()  # the step has ended: pytest-bdd calls no after-step hook for a failed one
    if not str(exception).startswith(PREFIX):
        exception.add_note(f"{PREFIX}{step.keyword.strip()} {step.name}» не выполнен: ошибка выше.")


def fail(expected: str, found: str) -> NoReturn:
    """Stops the step: «Шаг «…»: ожидалось …; найдено: …»."""
    where = f"{PREFIX}{_running[0]}»: " if _running else ""
    raise AssertionError(f"{where}ожидалось {expected}; найдено: {found}")


def listed(values: Iterable[object]) -> str:
    """Values for a message: «А», «Б», or «ничего»."""
    shown = [f"«{value}»" for value in values]
    return ", ".join(shown) if shown else "ничего"


def known(mapping: Mapping[K, T], key: K, what: str) -> T:
    """`mapping[key]`, or a failure naming the words the step understands."""
    if key in mapping:
        return mapping[key]
    fail(f"{what} одно из: {listed(mapping)}", f"«{key}»")


def the_only(items: Iterable[T], expected: str, found: str) -> T:
    """The one item: none or several is a failure that says how many there were."""
    found_items = list(items)
    if len(found_items) != 1:
        fail(expected, f"{found} — {len(found_items)} шт.")
    return found_items[0]


def first(items: Iterable[T], expected: str, found: str) -> T:
    """The first item, or a failure when there is none."""
    for item in items:
        return item
    fail(expected, found)


def created(ids: Mapping[str, Any], key: str | tuple[str, ...], whose: str, what: str) -> Any:
    """What the simulator made for a person (`persona.ids`), or a failure saying which «Дано» step makes it.

    Several keys: the first the person has (a profile in МАХ, else the one of VK ID).
    """
    for each in (key,) if isinstance(key, str) else key:
        if ids.get(each) is not None:
            return ids[each]
    fail(f"у {whose} есть {what}", f"у {whose} его нет — его создаёт шаг «Дано …», где он есть")


def number(text: str, what: str) -> int:
    """A count a feature's table gives, or a failure quoting the cell."""
    if text.strip().isdigit():
        return int(text)
    fail(f"{what} — целое число", f"«{text}»")
