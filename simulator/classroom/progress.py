"""A seat's progress through its exercise, read from what the simulator sent it and what its world recorded.

Each «Тогда» step of the exercise declares its checks (a heading, a notice, a screen, an event the
world gained …); they are tried with the recorder's own matcher (recorder/proposing.py) against each
page the seat is served, with the events its world gained since the last step done. The values a check
reads (a heading's text) must be the step's own. A «Когда» step is done when a «Тогда» step after it
holds, or when the page shows what the step declares it leads to (`reads`: the cabinet it names); steps the library declares nothing for are done by the next page served. Clicks on the task card
count for nothing.

Mistakes are read from the alerts a page shows: a wrong code, an expired code, a wrong password, and any
other alert while a fault is switched on for the seat.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..recorder.proposing import Shown, _all
from .lesson import Exercise, Step

LOOKAHEAD = 3  # «Тогда» steps tried at once: a page a trainee skipped past (a dialog shown by JS) is no block
# The alert's beginning → the mistake, as VK ID and the journals word them (world/codes.py, passwords.py).
MISTAKES = (
    ("Неверный код", "wrong_code"),
    ("Срок действия кода истёк", "expired_code"),
    ("Неверный пароль", "wrong_password"),
    ("Неверный логин или пароль", "wrong_password"),  # the journals' and Госуслуги's sign-in (platforms/journal.py)
)
MISTAKE_NAMES = {
    "wrong_code": "неверный код",
    "expired_code": "код истёк",
    "wrong_password": "неверный пароль",
    "fault": "сбой",
}
FAULT_PHRASES = ("невозможно получить идентификационные данные", "VPN", "временно недоступен")
# World events that are no progress of their own: what every request leaves.
NOISE = frozenset({"request"})


def _same(expected: str, found: str) -> bool:
    return " ".join(expected.split()).casefold() == " ".join(found.split()).casefold()


def holds(
    step: Step, shown: Shown | None, gained: Sequence[Mapping[str, Any]], recorded: Sequence[Mapping[str, Any]]
) -> bool:
    """Whether the page and the world's gains show this «Тогда» step's checks, with the step's own values."""
    arguments = dict(step.arguments)
    for declaration in step.checks:
        found = _all(declaration, shown, gained, None, recorded)
        if found is None:
            continue
        values = found[0]
        if all(_same(arguments[name], value) for name, value in values.items() if name in arguments):
            return True
    return False


def read_back(step: Step, shown: Shown) -> bool:
    """Whether the page after a «Когда» step shows what the step declares it leads to (the cabinet it names)."""
    arguments = dict(step.arguments)
    return any(
        all(_same(arguments[group], shown.testids.get(testid, "")) for group, testid in reads.items())
        for reads in step.reads
    )


def mistake_of(alert: str, faults_on: bool) -> str | None:
    for start, kind in MISTAKES:
        if alert.startswith(start):
            return kind
    if faults_on or any(phrase in alert for phrase in FAULT_PHRASES):
        return "fault"
    return None


@dataclass
class Progress:
    exercise: Exercise
    wall_clock: Callable[[], float] = time.monotonic
    done: int = 0  # steps done, in order: the current step is steps[done]
    since: float = 0.0  # wall time the current step began
    durations: dict[int, float] = field(default_factory=dict)  # step number → seconds it took
    mistakes: Counter[str] = field(default_factory=Counter)
    mistakes_at: Counter[int] = field(default_factory=Counter)  # step number → mistakes made on it
    helped: set[int] = field(default_factory=set)  # steps the seat was stuck on, or made a mistake on
    gained: list[dict[str, Any]] = field(default_factory=list)  # world events since the last step done
    recorded: list[dict[str, Any]] = field(default_factory=list)  # every world event since the seat began
    last_alerts: tuple[str, ...] = ()
    started: float = 0.0
    finished_at: float | None = None

    def __post_init__(self) -> None:
        self.started = self.since = self.wall_clock()

    @property
    def steps(self) -> tuple[Step, ...]:
        return self.exercise.steps

    @property
    def finished(self) -> bool:
        return self.done >= len(self.steps)

    @property
    def current(self) -> Step | None:
        return None if self.finished else self.steps[self.done]

    def on_step(self) -> float:
        """Seconds on the current step (the whole time, once done)."""
        end = self.finished_at if self.finished_at is not None else self.wall_clock()
        return max(0.0, end - self.since)

    def stuck(self, after: float) -> bool:
        return not self.finished and self.on_step() >= after

    def event(self, event: Mapping[str, Any]) -> None:
        if event["kind"] in NOISE:
            return
        self.gained.append(dict(event))
        self.recorded.append(dict(event))

    def page(self, shown: Shown, faults_on: bool) -> bool:
        """A page the seat was served; whether it moved the seat on."""
        new_alerts = tuple(a for a in shown.alerts if a not in self.last_alerts)
        self.last_alerts = shown.alerts
        for alert in new_alerts:
            kind = mistake_of(alert, faults_on)
            if kind is not None and self.current is not None:
                self.mistakes[kind] += 1
                self.mistakes_at[self.current.number] += 1
                self.helped.add(self.current.number)
        return self._advance(shown)

    def mark_stuck(self) -> None:
        if self.current is not None:
            self.helped.add(self.current.number)

    def _advance(self, shown: Shown) -> bool:
        """Every step this page and the events before it show done; several «Тогда» steps may read one page."""
        gained = self.gained
        moved = False
        while self._step_once(shown, gained, fresh=not moved):
            moved = True
        if moved:
            self.gained = []
        return moved

    def _step_once(self, shown: Shown, gained: list[dict[str, Any]], *, fresh: bool) -> bool:
        current = self.current
        if current is None:
            return False
        if current.kind == "when" and current.reads and read_back(current, shown):
            self._done_through(self.done)
            return True
        thens = [i for i in range(self.done, len(self.steps)) if self.steps[i].kind == "then"][:LOOKAHEAD]
        for index in thens:
            step = self.steps[index]
            if not step.checks:  # nothing declared: a new page after the step before it is all there is to see
                if fresh and index <= self.done + 1:
                    self._done_through(index)
                    return True
                continue
            if holds(step, shown, gained, self.recorded):
                self._done_through(index)
                return True
        if not thens and fresh:  # the last «Когда» steps: the next page ends them
            self._done_through(len(self.steps) - 1)
            return True
        return False

    def _done_through(self, index: int) -> None:
        now = self.wall_clock()
        spent = now - self.since
        todo = range(self.done, index + 1)
        for number in todo:  # the time is the steps' together, put on the first one the trainee did
            self.durations[self.steps[number].number] = spent if number == self.done else 0.0
        self.done = index + 1
        self.since = now
        if self.finished:
            self.finished_at = now
