"""Playwright's element actions and `expect(locator)`, observed: the moment a step uses an element.

The trainer outlines the exact element Playwright is about to use, found by the step's own locator. Its own
Playwright calls (outlines, captions, pictures) are not the scenario's: inside `own_calls()` nothing is seen.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable, Iterator
from typing import Any

from playwright.sync_api import Expect, Locator

# Playwright's element actions: each is a moment the user would use an element.
ACTIONS = (
    "check",
    "clear",
    "click",
    "dblclick",
    "fill",
    "hover",
    "press",
    "press_sequentially",
    "select_option",
    "select_text",
    "set_checked",
    "set_input_files",
    "tap",
    "type",
    "uncheck",
)


class PlaywrightWatch:
    """Wraps Locator's actions and Expect's call while installed; `unpatch` restores Playwright's own."""

    def __init__(
        self, before_action: Callable[[Locator, dict[str, Any]], None], checked: Callable[[Locator], None]
    ) -> None:
        self.before_action = before_action
        self.checked = checked
        self.busy = False
        self._originals: dict[str, Callable[..., Any]] = {}

    @contextlib.contextmanager
    def own_calls(self) -> Iterator[None]:
        self.busy = True
        try:
            yield
        finally:
            self.busy = False

    def patch(self) -> None:
        watch = self

        def observe(original: Callable[..., Any]) -> Callable[..., Any]:
            @functools.wraps(original)
            def action(locator: Locator, *args: Any, **kwargs: Any) -> Any:
                if not watch.busy:
                    with watch.own_calls():
                        watch.before_action(locator, kwargs)
                return original(locator, *args, **kwargs)

            return action

        for name in ACTIONS:
            self._originals[name] = getattr(Locator, name)
            setattr(Locator, name, observe(self._originals[name]))
        original_expect = Expect.__call__

        @functools.wraps(original_expect)
        def expect(this: Expect, actual: Any, *args: Any, **kwargs: Any) -> Any:
            if isinstance(actual, Locator) and not watch.busy:
                watch.checked(actual)
            return original_expect(this, actual, *args, **kwargs)

        self._originals["__expect__"] = original_expect
        Expect.__call__ = expect  # type: ignore[method-assign, assignment]

    def unpatch(self) -> None:
        for name, original in self._originals.items():
            if name == "__expect__":
                Expect.__call__ = original  # type: ignore[method-assign]
            else:
                setattr(Locator, name, original)
        self._originals.clear()
