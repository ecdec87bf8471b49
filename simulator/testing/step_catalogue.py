"""`sferum-sim steps`: every Russian step of the library, with an example sentence from the features."""

from __future__ import annotations

import html
import importlib
import inspect
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from pytest_bdd.feature import get_features
from pytest_bdd.steps import step_function_context_registry

from .acts import declared, describe

LIBRARY = "sferum_sim_steps"
KEYWORDS = {"given": "Дано", "when": "Когда", "then": "Тогда"}
FORMATS = ("text", "markdown", "html")


@dataclass(frozen=True)
class Example:
    """A sentence of a feature file that a step matches, and where it is."""

    sentence: str
    location: str


@dataclass(frozen=True)
class StepEntry:
    """One step definition of the library."""

    kind: str  # given, when or then
    pattern: str
    module: str
    function: str
    doc: str
    example: Example | None
    records: str = ""  # what `sferum-sim record` writes it from or proposes it on (acts.py)

    @property
    def keyword(self) -> str:
        return KEYWORDS.get(self.kind, "*")


@dataclass(frozen=True)
class Catalogue:
    """The library's modules (name → docstring) and their steps, in the order they are defined."""

    modules: dict[str, str]
    steps: list[StepEntry]


def _modules() -> dict[str, str]:
    package = importlib.import_module(LIBRARY)
    names: list[str] = package.pytest_plugins
    return {name: inspect.getdoc(importlib.import_module(name)) or "" for name in names}


def _feature_sentences(features: Path | None) -> list[tuple[str, str, str]]:
    """(step type, sentence, location) of every step in the features, outlines filled from their first row."""
    if features is None or not features.exists():
        return []
    found = []
    for feature in sorted(get_features([str(features)]), key=lambda f: f.rel_filename):
        for template in feature.scenarios.values():
            contexts = [context for examples in template.examples for context in examples.as_contexts()]
            scenario = template.render(contexts[0] if contexts else {})
            for step in scenario.steps:
                found.append((step.type, step.name, f"{_shown(Path(feature.filename))}:{step.line_number}"))
    return found


def _shown(path: Path) -> str:
    """A feature's path as a reader finds it: relative to the working directory when inside it."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def build(features: Path | None = Path("features")) -> Catalogue:
    """Import the library, read its step definitions and match each against the features' sentences."""
    modules = _modules()
    sentences = _feature_sentences(features)
    steps = []
    # The registry holds every step pytest-bdd has seen; the library's are those defined in its modules.
    for context in list(step_function_context_registry.values()):
        module = context.step_func.__module__
        if module not in modules:
            continue
        example = next(
            (
                Example(sentence, location)
                for kind, sentence, location in sentences
                if (context.type in (None, kind)) and context.parser.is_matching(sentence)
            ),
            None,
        )
        steps.append(
            StepEntry(
                kind=context.type or "*",
                pattern=context.parser.name,
                module=module,
                function=context.step_func.__name__,
                doc=inspect.getdoc(context.step_func) or "",
                example=example,
                records=describe(declared(context.step_func)),
            )
        )
    order = list(modules)
    steps.sort(key=lambda step: order.index(step.module))  # stable: definition order within a module
    return Catalogue(modules, steps)


def _by_module(catalogue: Catalogue) -> Iterable[tuple[str, str, list[StepEntry]]]:
    for module, doc in catalogue.modules.items():
        steps = [step for step in catalogue.steps if step.module == module]
        if steps:
            yield module, doc, steps


def as_text(catalogue: Catalogue) -> str:
    lines = []
    for module, doc, steps in _by_module(catalogue):
        lines += [f"{module} — {doc.splitlines()[0] if doc else ''}".rstrip(" —"), ""]
        for step in steps:
            lines.append(f"  {step.keyword:<6} {step.pattern}")
            if step.example:
                lines.append(f"         например: {step.keyword} {step.example.sentence}  ({step.example.location})")
            lines.append(
                f"         {step.function}: {step.doc.splitlines()[0]}" if step.doc else f"         {step.function}"
            )
            if step.records:
                lines.append(f"         {step.records}")
        lines.append("")
    lines.append(f"{len(catalogue.steps)} steps in {LIBRARY}")
    return "\n".join(lines) + "\n"


def _code(text: str) -> str:
    """A Markdown code span that holds any text, backticks included."""
    fence = "``" if "`" in text else "`"
    return f"{fence}{text}{fence}" if fence == "`" else f"{fence} {text} {fence}"


def as_markdown(catalogue: Catalogue) -> str:
    lines = [
        "# Step library",
        "",
        f"Every Russian step of `{LIBRARY}` (the repository's `steps/`), generated by "
        "`sferum-sim steps --format markdown > docs/steps.md`; `tests/test_step_catalogue.py` keeps it in sync.",
        "Enable the library in a project with one line in its `conftest.py`: "
        f'`pytest_plugins = ["{LIBRARY}"]`. Patterns are regular expressions matched against the whole sentence '
        "after the keyword (`И`/`Но` take the keyword of the step before). "
        "A step that declares what it stands for (`simulator/testing/acts.py`) has a `sferum-sim record` line: "
        "what the recorder writes it from (запись) or proposes it on (проверка).",
        "",
        f"{len(catalogue.steps)} steps in {len(list(_by_module(catalogue)))} modules.",
        "",
    ]
    for module, doc, steps in _by_module(catalogue):
        lines += [f"## `{module}`", ""]
        if doc:
            lines += [doc, ""]
        for step in steps:
            lines.append(f"- **{step.keyword}** {_code(step.pattern)}")
            if step.example:
                lines.append(
                    f"  - Пример: {_code(f'{step.keyword} {step.example.sentence}')} — `{step.example.location}`"
                )
            lines.append(f"  - `{step.function}`" + (f": {' '.join(step.doc.split())}" if step.doc else ""))
            if step.records:
                lines.append(f"  - `sferum-sim record` — {step.records}")
        lines.append("")
    return "\n".join(lines)


def as_html(catalogue: Catalogue) -> str:
    esc = html.escape
    rows = []
    for module, doc, steps in _by_module(catalogue):
        rows.append(
            f'<tr><th colspan="4"><code>{esc(module)}</code> — {esc(doc.splitlines()[0] if doc else "")}</th></tr>'
        )
        for step in steps:
            example = (
                f"{esc(step.keyword)} {esc(step.example.sentence)}<br><small>{esc(step.example.location)}</small>"
                if step.example
                else ""
            )
            rows.append(
                f"<tr><td>{esc(step.keyword)}</td><td><code>{esc(step.pattern)}</code></td>"
                f"<td>{example}</td><td><code>{esc(step.function)}</code> {esc(' '.join(step.doc.split()))}"
                + (f"<br><small>sferum-sim record — {esc(step.records)}</small>" if step.records else "")
                + "</td></tr>"
            )
    return (
        '<!doctype html>\n<html lang="ru"><head><meta charset="utf-8"><title>Шаги sferum-sim</title>'
        "<style>body{font-family:sans-serif}td,th{border-bottom:1px solid #ddd;padding:4px;text-align:left;"
        "vertical-align:top}th{background:#f3f3f3}</style></head><body>"
        f"<h1>Шаги {esc(LIBRARY)}</h1><p>{len(catalogue.steps)} шагов.</p>"
        "<table><thead><tr><th>Ключевое слово</th><th>Шаблон</th><th>Пример</th><th>Что проверяет</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table></body></html>\n"
    )


RENDERERS = {"text": as_text, "markdown": as_markdown, "html": as_html}


def render(output_format: str, features: Path | None = Path("features")) -> str:
    return RENDERERS[output_format](build(features))


def main(output_format: str, features: str | None) -> int:
    """Print the catalogue; the features' folder gives the examples (none when it does not exist)."""
    sys.stdout.write(render(output_format, Path(features) if features else None))
    return 0
