"""What a lesson practises: scenarios of the features, chosen by name or by flow ID, bound to the step library.

A scenario becomes an exercise: its «Дано» steps prepare each seat's world (run as pytest would run
them), its «Когда»/«Тогда» steps are the task card's lines, and each «Тогда» step's declared checks
(simulator/testing/acts.py) are what the seat's progress is matched against.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..hosts import PLATFORMS
from ..recorder.library import Library, LibraryStep
from ..testing.acts import Acts, Checks, Open
from ..testing.bdd import Feature, ScenarioTemplate, features_in

FLOW_ID = re.compile(r"[FE]\d\d")
# Where a trainee starts when no step opens a platform by name: the journal the scenario is tagged with.
START_ORDER = ("mes", "eljur", "es", "sferum", "gosuslugi", "vkid", "max", "messenger")


class LessonError(ValueError):
    """A choice of scenarios that names nothing, or a step the library lacks; said in Russian."""


@dataclass(frozen=True)
class Step:
    """One line of the task card: a «Когда» or «Тогда» step, with what the library says it checks."""

    number: int
    kind: str  # when | then
    text: str
    library: LibraryStep | None = None
    arguments: tuple[tuple[str, str], ...] = ()

    @property
    def sentence(self) -> str:
        return self.text[:1].upper() + self.text[1:]

    @property
    def reads(self) -> tuple[dict[str, str], ...]:
        """A «Когда» step's groups the page after it shows, each by its data-testid (only the step's own groups)."""
        if self.library is None:
            return ()
        arguments = dict(self.arguments)
        return tuple(
            {group: testid for group, testid in d.reads.items() if group in arguments}
            for d in self.library.declarations
            if isinstance(d, Acts) and any(group in arguments for group in d.reads)
        )

    @property
    def checks(self) -> tuple[Checks, ...]:
        if self.library is None:
            return ()
        return tuple(d for d in self.library.declarations if isinstance(d, Checks))


@dataclass(frozen=True)
class Exercise:
    feature: str  # the .feature file, as given
    name: str
    flows: tuple[str, ...]
    tags: tuple[str, ...]
    givens: tuple[str, ...]
    steps: tuple[Step, ...]

    @property
    def start(self) -> str:
        """The platform a trainee opens first."""
        for step in self.steps:
            if step.library is None:
                continue
            for declaration in step.library.declarations:
                for action in getattr(declaration, "actions", ()):
                    if isinstance(action, Open) and action.platform in PLATFORMS:
                        return str(action.platform)
        return next((name for name in START_ORDER if name in self.tags), "mes")

    @property
    def title(self) -> str:
        flows = " ".join(self.flows)
        return f"{flows} · {self.name}" if flows else self.name


def _filled(name: str, context: dict[str, Any]) -> str:
    """An outline's name with its example's values: «код <канал>» → «код звонком»."""
    return re.sub(r"<([^<>]+)>", lambda m: str(context.get(m.group(1), m.group(0))), name)


def _bind(library: Library | None, kind: str, text: str) -> tuple[LibraryStep | None, tuple[tuple[str, str], ...]]:
    if library is None:
        return None, ()
    for step in library.steps:
        if step.kind == kind and (arguments := step.arguments(text)) is not None:
            return step, tuple((k, v) for k, v in arguments.items() if v is not None)
    return None, ()


def _exercise(feature: Feature, template: ScenarioTemplate, library: Library | None) -> Exercise:
    contexts = [context for examples in template.examples for context in examples.as_contexts()]
    context = contexts[0] if contexts else {}
    scenario = template.render(context)
    givens: list[str] = []
    steps: list[Step] = []
    for step in scenario.steps:
        if step.type == "given" and not steps:
            givens.append(step.name)
        elif step.type in ("when", "then"):
            bound, arguments = _bind(library, step.type, step.name)
            steps.append(Step(len(steps) + 1, step.type, step.name, bound, arguments))
    tags = tuple(sorted(template.tags))
    return Exercise(
        feature=str(feature.filename),
        name=_filled(template.name, context),
        flows=tuple(tag for tag in tags if FLOW_ID.fullmatch(tag)),
        tags=tags,
        givens=tuple(givens),
        steps=tuple(steps),
    )


def choose(
    chosen: list[str], names: list[str], *, features: Path = Path("features"), library: Library | None = None
) -> list[Exercise]:
    """The exercises of a lesson: `.feature` files (all their scenarios, or those whose name contains one of
    `names`) and flow IDs (the first scenario tagged with each, searched in `features`)."""
    files = [Path(item) for item in chosen if not FLOW_ID.fullmatch(item)]
    flows = [item for item in chosen if FLOW_ID.fullmatch(item)]
    for path in files:
        if not path.is_file() or path.suffix != ".feature":
            raise LessonError(f"{path}: нет такого файла .feature (или укажите ID сценария, например F06)")
    exercises: list[Exercise] = []
    if files:
        for feature in features_in([str(p) for p in files]):
            for template in feature.scenarios.values():
                if not names or any(name.casefold() in template.name.casefold() for name in names):
                    exercises.append(_exercise(feature, template, library))
        if names and not exercises:
            raise LessonError("в указанных файлах нет сценариев с такими названиями: " + "; ".join(names))
    if flows:
        if not features.is_dir():
            raise LessonError(f"ID сценариев ищутся в папке {features}, а её нет (укажите --features DIR)")
        found = features_in([str(features)])
        for flow in flows:
            match = next(
                (
                    (f, t)
                    for f in sorted(found, key=lambda f: f.rel_filename)
                    for t in f.scenarios.values()
                    if flow in t.tags
                ),
                None,
            )
            if match is None:
                raise LessonError(f"ни один сценарий в {features} не помечен @{flow}")
            exercises.append(_exercise(match[0], match[1], library))
    if not exercises:
        raise LessonError("не выбрано ни одного сценария: укажите файл .feature или ID, например F06 E02")
    return exercises
