"""One HTML page in Russian that opens from disk: features → scenarios → steps, failures first.

Screenshots and traces are the files next to it, referenced by relative links: each screenshot is written
once, and the page stays small however many steps were photographed. Keep the folder together.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import jinja2

from .records import OUTCOME_ORDER, FeatureRecord, Outcome, Results, SimulatorEvent, TestRecord

TEMPLATES = jinja2.Environment(
    loader=jinja2.FileSystemLoader(Path(__file__).with_name("templates")),
    autoescape=True,  # step text and error messages are shown, never interpreted
    trim_blocks=True,
    lstrip_blocks=True,
)
STATUS_RU = {
    "passed": "успешно",
    "failed": "провален",
    "error": "ошибка",
    "skipped": "пропущен",
    "undefined": "шаг не определён",
}
STEP_STATUS_RU = {**STATUS_RU, "skipped": "не выполнен"}
PHASE_RU = {"setup": "при подготовке сценария (фикстура)", "teardown": "при завершении сценария (фикстура)"}


@dataclass
class Group:
    """A feature (or a test module) with its tests, as one section of the page."""

    key: str  # the feature file or the test module
    feature: FeatureRecord | None
    tests: list[TestRecord]
    counts: dict[Outcome, int]
    duration: float

    def worst(self) -> int:
        return min(OUTCOME_ORDER[test.outcome] for test in self.tests)


def _test_order(test: TestRecord) -> tuple[int, int]:
    return (OUTCOME_ORDER[test.outcome], test.scenario.line if test.scenario else 0)


def groups(results: Results) -> list[Group]:
    """Features (or test modules) with their tests; the ones with failures first, failures first in each."""
    found: dict[str, list[TestRecord]] = {}
    for test in results.tests:
        found.setdefault(test.file, []).append(test)
    made = [
        Group(
            key=key,
            feature=tests[0].feature,
            tests=sorted(tests, key=_test_order),
            counts={outcome: sum(t.outcome == outcome for t in tests) for outcome in OUTCOME_ORDER},
            duration=sum(t.duration for t in tests),
        )
        for key, tests in found.items()
    ]
    return sorted(made, key=lambda group: (group.worst(), group.key))


def write(path: Path, results: Results, directory: Path) -> None:
    def picture(relative: str | None) -> str | None:
        """The screenshot's address from the page, when the file is there."""
        if not relative or not (directory / relative).is_file():
            return None
        return Path(os.path.relpath(directory / relative, path.parent)).as_posix()

    html = TEMPLATES.get_template("report.html").render(
        groups=groups(results),
        totals=results.totals(),
        runs=results.runs,
        created=datetime.now().strftime("%d.%m.%Y %H:%M"),
        status_ru=STATUS_RU,
        step_status_ru=STEP_STATUS_RU,
        phase_ru=PHASE_RU,
        picture=picture,
        event_line=SimulatorEvent.line,
    )
    path.write_text(html, encoding="utf-8")
