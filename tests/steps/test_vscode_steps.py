"""VS Code's Cucumber extension finds every step: its own language service, run in Node, judges the glue file.

tests/vscode/ pins @cucumber/language-service at the version the official extension ships (installed by
`make sdk`); check_steps.cjs builds its step index from a glue file with the extension's tree-sitter WASM
parser and reports what the extension would: definitions indexed, «Undefined step» warnings, and which
definitions match a sentence. What they must be comes from elsewhere: the decorators counted in steps/ with
Python's own parser, and pytest-bdd's matching of each sentence of the features.
"""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest
from pytest_bdd import parsers
from pytest_bdd.feature import get_features
from pytest_bdd.steps import step_function_context_registry

from simulator.cli import main

ROOT = Path(__file__).resolve().parents[2]
GLUE = ROOT / ".vscode" / "cucumber_glue.py"
SETTINGS = ROOT / ".vscode" / "settings.json"
SERVICE = ROOT / "tests" / "vscode"
NOT_A_STEP = "ученик танцует на столе «Сферум»"  # no step says it: the service must not match it either


def language_service(glue: Path, features: list[Path], sentences: list[str]) -> dict[str, Any]:
    """What the extension's language service makes of this glue file, these features and sentences."""
    assert (SERVICE / "node_modules" / "@cucumber" / "language-service").is_dir(), "run `make sdk` first"
    request = {"glue": [str(glue)], "features": [str(f) for f in features], "sentences": sentences}
    done = subprocess.run(
        ["node", "check_steps.cjs"], cwd=SERVICE, input=json.dumps(request), capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def stubs_by_line(glue: Path) -> dict[int, str]:
    """The glue file's decorator lines (0-based, as the service counts) → the step the stub stands for."""
    lines = glue.read_text(encoding="utf-8").splitlines()
    return {
        number: lines[number - 1].removeprefix("# ").split(" — ")[0]
        for number, line in enumerate(lines)
        if line.startswith("@")
    }


def feature_sentences(features: Iterable[Path]) -> list[str]:
    """Every step sentence of the features, outlines filled from each of their rows, as pytest-bdd runs them."""
    found: set[str] = set()
    for feature in get_features([str(path) for path in features]):
        for template in feature.scenarios.values():
            contexts = [context for examples in template.examples for context in examples.as_contexts()] or [{}]
            found |= {step.name for context in contexts for step in template.render(context).steps}
    return sorted(found)


def library_decorators() -> int:
    """The step decorators written in steps/, counted by Python's parser, not by the code under test."""
    count = 0
    for module in (ROOT / "steps").glob("*.py"):
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef):
                count += sum(
                    isinstance(d, ast.Call) and isinstance(d.func, ast.Name) and d.func.id in {"given", "when", "then"}
                    for d in node.decorator_list
                )
    return count


@pytest.fixture(scope="module")
def sentences() -> list[str]:
    return feature_sentences(ROOT.glob("features/*.feature"))


@pytest.fixture(scope="module")
def service(sentences: list[str]) -> dict[str, Any]:
    """One run of the language service over the committed glue file, every feature and every sentence."""
    return language_service(GLUE, sorted(ROOT.glob("features/*.feature")), [*sentences, NOT_A_STEP])


def test_the_committed_glue_is_what_the_command_writes(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(ROOT)
    assert main(["steps", "--format", "vscode"]) == 0
    assert capsys.readouterr().out == GLUE.read_text(encoding="utf-8"), (
        ".vscode/cucumber_glue.py is stale: .venv/bin/sferum-sim steps --format vscode > .vscode/cucumber_glue.py"
    )


def test_the_settings_point_the_extension_at_the_glue_and_the_features() -> None:
    settings = json.loads(SETTINGS.read_text(encoding="utf-8"))
    assert settings["cucumber.glue"] == [".vscode/cucumber_glue.py"]
    assert settings["cucumber.features"] == ["features/**/*.feature"]


def test_every_step_definition_is_indexed(service: dict[str, Any]) -> None:
    assert service["errors"] == []
    assert len(service["indexed"]) == library_decorators() > 150
    assert len(set(stubs_by_line(GLUE).values())) == len(service["indexed"])


def test_no_step_of_the_features_is_undefined(service: dict[str, Any]) -> None:
    assert service["undefined"] == []


def test_each_sentence_matches_the_steps_pytest_bdd_runs_it_with(service: dict[str, Any], sentences: list[str]) -> None:
    stubs = stubs_by_line(GLUE)
    library = [
        context
        for context in step_function_context_registry.values()
        if context.step_func.__module__.startswith("sferum_sim_steps.")
    ]
    differ = {}
    for sentence, lines in zip([*sentences, NOT_A_STEP], service["matches"], strict=True):
        extension = {stubs[line] for line in lines}
        pytest_bdd = {
            f"{c.step_func.__module__}.{c.step_func.__name__}" for c in library if c.parser.is_matching(sentence)
        }
        if extension != pytest_bdd:
            differ[sentence] = (sorted(extension), sorted(pytest_bdd))
    assert differ == {}
    assert service["matches"][-1] == []  # a sentence no step says stays undefined


# A team's own steps, in its conftest.py: the patterns the library does not use, which the glue translates too.
TEAM_STEPS: list[tuple[str, parsers.StepParser]] = [
    ("given", parsers.parse("в журнале {count:d} оценок по предмету «{subject}»")),
    ("when", parsers.string("учитель открывает журнал (вкладка «Оценки»)")),
    ("then", parsers.re(r"оценка\b(?P<mark>\w+)? стоит у ученика(?: \"(?P<name>[^\"]+)\")?")),
    ("then", parsers.re(r"в строке ровно (?P<n>\d{1,2}) знак[а-я]{,2}: \[\.\]")),
    ("when", parsers.re(r"нажимает (?P<key>Ctrl|Alt)\+(?P=key)")),
    ("when", parsers.re(r"выбирает класс (?P<class>\d+[а-я])", re.IGNORECASE)),
    ("then", parsers.re(r"(?i)письмо отправлено")),  # inline flags: JavaScript without flags cannot say them
]
UNTRANSLATABLE = {"sferum_sim_project_conftest.team_step_6"}
TEAM_SENTENCES = [
    "в журнале 5 оценок по предмету «Физика»",
    "В ЖУРНАЛЕ 12 оценок по предмету «Химия»",  # parse ignores case
    "в журнале пять оценок по предмету «Физика»",
    "учитель открывает журнал (вкладка «Оценки»)",
    "учитель открывает журнал вкладка «Оценки»",
    "оценка стоит у ученика",
    'оценка стоит у ученика "Петров"',
    "оценкапять стоит у ученика",  # no word boundary after «оценка»: Python's \b knows Cyrillic letters
    "в строке ровно 12 знаков: [.]",
    "в строке ровно 123 знака: [.]",
    "в строке ровно 1 знак: [x]",
    "нажимает Ctrl+Ctrl",
    "нажимает ctrl+Ctrl",
    "нажимает Ctrl+Alt",
    "Выбирает класс 9Б",
    "выбирает класс 9",
]


def _source(parser: parsers.StepParser) -> str:
    """The parser as a team writes it in a decorator."""
    if isinstance(parser, parsers.re):
        return f"parsers.re({parser.name!r}, {int(parser.regex.flags & ~re.UNICODE)})"
    return f"parsers.{type(parser).__name__}({parser.name!r})"


@pytest.mark.slow  # the steps command in a team's project
def test_a_teams_own_steps_are_in_the_glue_and_match_as_pytest_bdd(tmp_path: Path) -> None:
    decorators = "\n".join(
        f"@{kind}({_source(parser)})\ndef team_step_{number}():\n    pass\n"
        for number, (kind, parser) in enumerate(TEAM_STEPS)
    )
    (tmp_path / "conftest.py").write_text(
        f'"""A team\'s steps."""\nfrom pytest_bdd import given, parsers, then, when\n\n{decorators}', encoding="utf-8"
    )
    command = [sys.executable, "-c", "import sys; from simulator.cli import main; sys.exit(main(sys.argv[1:]))"]
    done = subprocess.run(
        [*command, "steps", "--format", "vscode"], cwd=tmp_path, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    glue = tmp_path / "glue.py"
    glue.write_text(done.stdout, encoding="utf-8")
    ast.parse(done.stdout)  # the glue is Python too
    result = language_service(glue, [], TEAM_SENTENCES)
    assert result["errors"] == []
    assert len(result["indexed"]) == library_decorators() + len(TEAM_STEPS) - len(UNTRANSLATABLE)
    skipped = {line[2:].split(":")[0] for line in done.stdout.splitlines() if "не для VS Code" in line}
    assert skipped == UNTRANSLATABLE  # said in the file, not dropped silently
    stubs = stubs_by_line(glue)
    for sentence, lines in zip(TEAM_SENTENCES, result["matches"], strict=True):
        extension = sorted(stubs[line] for line in lines if stubs[line].startswith("sferum_sim_project_conftest."))
        expected = [
            f"sferum_sim_project_conftest.team_step_{n}"
            for n, (_, p) in enumerate(TEAM_STEPS)
            if p.is_matching(sentence)
        ]
        assert extension == sorted(set(expected) - UNTRANSLATABLE), sentence
