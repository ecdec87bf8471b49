"""`sferum-sim steps`: every Russian step of the library, with an example sentence from the features."""

from __future__ import annotations

import html
import importlib
import importlib.util
import inspect
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pytest_bdd import parsers

from . import vscode_glue
from .acts import declared, describe
from .bdd import features_in, step_definitions

LIBRARY = "sferum_sim_steps"
KEYWORDS = {"given": "Дано", "when": "Когда", "then": "Тогда"}
FORMATS = ("text", "markdown", "html", "vscode")
VSCODE_COMMAND = "sferum-sim steps --format vscode > .vscode/cucumber_glue.py"


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
    regex: str = ""  # a Python regex whose fullmatch is the step's own matching
    flags: int = 0

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


def _project_modules(project: Path) -> dict[str, str]:
    """A project's own step modules: its conftest.py and the plugins it names that are modules of its own.

    Loaded as pytest would load them, so their steps join pytest-bdd's registry beside the library's.
    """
    conftest = project / "conftest.py"
    if not conftest.is_file():
        return {}
    sys.path.insert(0, str(project))  # the conftest's own imports, as pytest's rootdir insertion allows
    spec = importlib.util.spec_from_file_location("sferum_sim_project_conftest", conftest)
    if spec is None or spec.loader is None:
        return {}
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    found = {module.__name__: inspect.getdoc(module) or ""}
    plugins = getattr(module, "pytest_plugins", [])
    for name in [plugins] if isinstance(plugins, str) else plugins:
        if name.startswith(LIBRARY) or not _importable(name):
            continue  # the library itself, or one of pytest's own plugins («pytester»)
        found[name] = inspect.getdoc(importlib.import_module(name)) or ""
    return found


def _importable(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except ImportError:
        return False


def _regex(parser: Any) -> tuple[str, int]:
    """The step's matching as a Python regex and its flags: what pytest-bdd fullmatches a sentence with."""
    if isinstance(parser, parsers.re):
        return parser.regex.pattern, parser.regex.flags
    if isinstance(parser, parsers.parse):  # cfparse too: the regex parse matches with, less its «\A» and «\Z»
        compiled = parser.parser._match_re
        return compiled.pattern.removeprefix("\\A").removesuffix("\\Z"), compiled.flags
    return re.escape(parser.name), 0


def _feature_sentences(features: Path | None) -> list[tuple[str, str, str]]:
    """(step type, sentence, location) of every step in the features, outlines filled from their first row."""
    if features is None or not features.exists():
        return []
    found = []
    for feature in sorted(features_in([str(features)]), key=lambda f: f.rel_filename):
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


def build(features: Path | None = Path("features"), project: Path | None = None) -> Catalogue:
    """Import the library (and a project's own step modules), read its step definitions and match each against
    the features' sentences."""
    modules = _modules() | (_project_modules(project) if project else {})
    sentences = _feature_sentences(features)
    steps = []
    # The registry holds every step pytest-bdd has seen; the library's are those defined in its modules.
    for context in step_definitions():
        module = context.step_func.__module__
        if module not in modules:
            continue
        regex, flags = _regex(context.parser)
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
                regex=regex,
                flags=flags,
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
        "`sferum-sim steps --format markdown > docs/steps.md`; `tests/steps/test_step_catalogue.py` keeps it in sync.",
        "Enable the library in a project with one line in its `conftest.py`: "
        f'`pytest_plugins = ["{LIBRARY}"]`. Patterns are regular expressions matched against the whole sentence '
        "after the keyword (`И`/`Но` take the keyword of the step before). "
        "A step that declares what it stands for (`simulator/testing/acts.py`) has a `sferum-sim record` line: "
        "what the recorder writes it from (запись) or proposes it on (проверка). "
        "VS Code's Cucumber extension reads the same steps from `.vscode/cucumber_glue.py`, written by "
        "`sferum-sim steps --format vscode` (CONTRIBUTING.md, «Editor»).",
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


def as_vscode(catalogue: Catalogue) -> str:
    """The glue file VS Code's Cucumber extension reads (`.vscode/settings.json`, «cucumber.glue»)."""
    glue = [
        vscode_glue.GlueStep(
            kind=step.kind if step.kind in KEYWORDS else "step",
            regex=step.regex,
            flags=step.flags,
            module=step.module,
            function=step.function,
            summary=step.doc.splitlines()[0] if step.doc else "",
        )
        for step in catalogue.steps
    ]
    return vscode_glue.render(glue, VSCODE_COMMAND)


RENDERERS = {"text": as_text, "markdown": as_markdown, "html": as_html, "vscode": as_vscode}


def render(output_format: str, features: Path | None = Path("features")) -> str:
    # The glue file covers the steps of the project in the working directory too; the catalogue, the library's.
    project = Path.cwd() if output_format == "vscode" else None
    features = None if output_format == "vscode" else features  # the glue needs no examples
    return RENDERERS[output_format](build(features, project))


def main(output_format: str, features: str | None) -> int:
    """Print the catalogue; the features' folder gives the examples (none when it does not exist)."""
    sys.stdout.write(render(output_format, Path(features) if features else None))
    return 0
