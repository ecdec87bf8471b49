"""The recorded scenario as a `.feature` file: `# language: ru`, the platforms' tags, «Дано», then the steps.

Keywords follow Gherkin's habit: «Когда»/«Тогда» open a block, «И» continues it. The actor is named
where a block of actions starts, or where the sentence before had another subject («Когда VK ID
снова может …»), and left out on «И» lines that go on with what they do, as the features in the
repository read. A step's data table or doc string follows it, indented, as the page gave it. A
placeholder is preceded by a comment saying no step of the library covers it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ..hosts import PLATFORM_TABLE
from .library import given_parts
from .matching import Entry

INDENT = "    "
KEYWORDS = {"given": "Дано", "when": "Когда", "then": "Тогда"}
PLACEHOLDER = "НЕТ ШАГА:"
PLACEHOLDER_NOTE = "# В библиотеке нет шага для этого действия: напишите шаг (см. CONTRIBUTING.md) и замените строку"


@dataclass(frozen=True)
class Header:
    title: str
    description: str
    tags: tuple[str, ...]  # platform names, in the platform table's order


def platform_tags(walked: Iterable[str]) -> tuple[str, ...]:
    seen = set(walked)
    return tuple(p.name for p in PLATFORM_TABLE if p.name in seen)


def step_lines(givens: Sequence[str], entries: Sequence[Entry], who: str) -> list[str]:
    """The scenario's lines (without indentation): its «Дано» sentences (with their tables), then each entry."""
    lines = []
    for i, given in enumerate(givens):
        text, rows = given_parts(given)
        lines += [f"{'И' if i else 'Дано'} {text}", *(table_lines(rows) if rows else [])]
    previous_kind = "given" if givens else ""
    subject_continues = False  # the line before named or implied the actor as its subject
    previous_who = who
    for entry in entries:
        keyword = "И" if entry.kind == previous_kind else KEYWORDS[entry.kind]
        if entry.step is None:
            lines += [PLACEHOLDER_NOTE, f"{keyword} {PLACEHOLDER} {entry.locator}"]
            subject_continues = False
        else:
            # Another person's browser: the step says who, as «Когда администратор …» after the teacher's steps.
            person = entry.who or who
            naming = entry.step.names_actor(entry.values, person) if entry.kind == "when" else "never"
            starts = entry.kind != previous_kind or not subject_continues or person != previous_who
            text = entry.step.write(entry.values, person, name_actor=naming != "optional" or starts)
            lines += [f"{keyword} {text}", *under(entry)]
            subject_continues = entry.kind == "when" and naming != "never"
            previous_who = person
        previous_kind = entry.kind
    return lines


def _cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|")  # Gherkin's escapes inside a table's cell


def table_lines(rows: Sequence[tuple[str, ...]]) -> list[str]:
    """A step's data table, its columns aligned, indented under the step."""
    cells = [[_cell(value) for value in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(cells[0]))]
    return [
        "  | " + " | ".join(value.ljust(width) for value, width in zip(row, widths, strict=True)) + " |"
        for row in cells
    ]


def under(entry: Entry) -> list[str]:
    """What is written under the entry's step, indented: its form's table, a check's data table or doc string."""
    lines = table_lines([("поле", "значение"), *entry.table]) if entry.table else []
    if entry.datatable:
        lines += table_lines(entry.datatable)
    if entry.docstring is not None:
        lines += docstring_lines(entry.docstring)
    return lines


def docstring_lines(text: str) -> list[str]:
    """A step's doc string, indented under the step between its quotes."""
    quoted = [line.replace('"""', '\\"\\"\\"') for line in text.splitlines()]  # Gherkin's escape of the quotes
    return ['  """', *(f"  {line}" if line else "" for line in quoted), '  """']


def feature(header: Header, givens: Sequence[str], entries: Sequence[Entry], who: str) -> str:
    tags = " ".join(f"@{tag}" for tag in header.tags)
    head = ["# language: ru", *([tags] if tags else []), f"Функция: {header.title}"]
    if header.description:
        head.append(f"  {header.description}")
    body = [f"{INDENT}{line}" for line in step_lines(givens, entries, who)]
    return "\n".join([*head, "", f"  Сценарий: {header.title}", *body]) + "\n"
