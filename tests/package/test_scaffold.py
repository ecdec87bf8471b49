"""`sferum-sim new-platform` in a copy of the project: a new folder, its test, steps and feature, one table line —
and the project's own rules still hold: the new test and feature pass, and so do the tests that check the step
catalogue, the editor's glue, the flows catalogue, the platform table and the platforms' imports.
"""

from __future__ import annotations

import difflib
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from gherkin.parser import Parser

from simulator.scaffold import ScaffoldError, check

ROOT = Path(__file__).parent.parent.parent
NAME = "dnevnik"
TITLE = 'Дневник «Школа "Ру"»'  # quotes of both kinds: escaped in HTML, kept whole in Python
# What the generated platform, its test and feature, and the rule-checking tests need of the project.
NEEDED = ["pyproject.toml", "conftest.py", "simulator", "steps", "features", "fixtures", "docs", "tests", ".vscode"]
# The project's tests that check a rule a new platform must keep (CONTRIBUTING.md names each).
RULES = [
    "tests/steps/test_step_catalogue.py",  # docs/steps.md is the generated catalogue; every step is used by a feature
    "tests/steps/test_vscode_steps.py::test_the_committed_glue_is_what_the_command_writes",
    "tests/catalogue/test_flows_catalogue.py",
    "tests/platforms/test_platform_table.py",
    "tests/platforms/test_platform_imports.py",
]
Project = tuple[Path, dict[str, bytes], dict[str, bytes]]  # the copy, its files before and after the scaffold


def _files(root: Path) -> dict[str, bytes]:
    files = {}
    for folder, _, names in os.walk(root):  # not into the step library's alias below
        for name in names:
            path = Path(folder) / name
            if path.is_file() and "__pycache__" not in path.parts:
                files[path.relative_to(root).as_posix()] = path.read_bytes()
    return files


def _run(copy: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(copy), "PYTHONDONTWRITEBYTECODE": "1"}
    return subprocess.run([sys.executable, *args], cwd=copy, env=env, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Project:
    """A copy of the project with the platform scaffolded."""
    copy = tmp_path_factory.mktemp("project")
    for name in NEEDED:
        source, target = ROOT / name, copy / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__", "node_modules"))
        else:
            shutil.copy2(source, target)
    # The step library's import name, here the copy's steps/ (installed, it would be the checkout's).
    (copy / "sferum_sim_steps").symlink_to(copy / "steps", target_is_directory=True)
    before = _files(copy)
    result = _run(copy, "-m", "simulator.cli", "new-platform", NAME, "--title", TITLE)
    assert result.returncode == 0, result.stderr
    return copy, before, _files(copy)


def _added_lines(before: bytes, after: bytes) -> list[str]:
    diff = difflib.unified_diff(before.decode().splitlines(), after.decode().splitlines(), lineterm="", n=0)
    return [line for line in diff if line[:1] in "+-" and not line.startswith(("+++", "---"))]


def test_only_the_folder_the_test_the_steps_the_feature_and_one_table_line_are_new(project: Project) -> None:
    _, before, after = project
    package = f"simulator/platforms/{NAME}/"
    assert sorted(set(after) - set(before)) == [
        f"features/{NAME}.feature",
        f"{package}__init__.py",
        f"{package}routes.py",
        f"{package}screens.py",
        f"{package}templates/home.html",
        f"{package}templates/layout.html",
        f"steps/{NAME}.py",
        f"tests/platforms/{NAME}/test_platform_{NAME}.py",
    ]
    assert set(before) <= set(after)
    changed = sorted(path for path in before if before[path] != after[path])
    # the two generated files are written whole again: the checks below and RULES say they are what is generated
    assert set(changed) - {"docs/steps.md", ".vscode/cucumber_glue.py"} == {"simulator/hosts.py"}
    assert _added_lines(before["simulator/hosts.py"], after["simulator/hosts.py"]) == [
        f'+    Platform("{NAME}", \'{TITLE}\', ("{NAME}.localhost",)),'
    ]


def test_the_feature_walks_the_new_steps_and_the_catalogue_lists_them(project: Project) -> None:
    _, _, after = project
    feature = after[f"features/{NAME}.feature"].decode()
    scenario: Any = Parser().parse(feature)["feature"]
    assert [tag["name"] for tag in scenario["tags"]] == [f"@{NAME}"]
    sentences = [step["text"] for step in scenario["children"][0]["scenario"]["steps"]]
    assert sentences == [f"открывает главную страницу {TITLE}", f"открывается главная страница {TITLE}"]
    catalogue = after["docs/steps.md"].decode()
    assert f"## `sferum_sim_steps.{NAME}`" in catalogue
    assert all(sentence in catalogue for sentence in sentences)
    glue = after[".vscode/cucumber_glue.py"].decode()
    assert f"opens_{NAME}_home" in glue and f"{NAME}_home_shown" in glue


def test_the_generated_test_and_feature_pass_and_the_projects_rules_hold(project: Project) -> None:
    """One sub-run: the first screen's test, the feature in Chromium, and every rule-checking test of RULES."""
    copy, _, _ = project
    selected = [f"tests/platforms/{NAME}/test_platform_{NAME}.py", "features/test_features.py", *RULES]
    # of the BDD suite, the new platform's scenario only (its tag is a keyword of its test)
    result = _run(
        copy, "-m", "pytest", *selected, "-p", "no:cacheprovider", "-k", f"not test_features or {NAME}", "-rA"
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-3000:]
    passed = result.stdout
    assert f"PASSED tests/platforms/{NAME}/test_platform_{NAME}.py::" in passed
    assert "PASSED features/test_features.py::" in passed and passed.count("PASSED features/") == 1
    for rule in RULES:
        assert f"PASSED {rule.partition('::')[0]}::" in passed, rule


def test_the_generated_code_is_lint_and_type_clean(project: Project) -> None:
    """ruff as the project runs it, and mypy strict (the project's setting for simulator/) on the new package."""
    copy, _, _ = project
    new = [
        f"simulator/platforms/{NAME}",
        f"tests/platforms/{NAME}/test_platform_{NAME}.py",
        f"steps/{NAME}.py",
        "simulator/hosts.py",
    ]
    for command in (["ruff", "check", *new], ["ruff", "format", "--check", *new]):
        result = _run(copy, "-m", *command)
        assert result.returncode == 0, result.stdout + result.stderr
    checked = [f"simulator/platforms/{NAME}", f"steps/{NAME}.py", "simulator/hosts.py"]
    result = _run(copy, "-m", "mypy", "--follow-imports=silent", *checked)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("name", "title"),
    [
        ("Dnevnik", "Дневник"),  # upper case: not a host label
        ("dnev-nik", "Дневник"),
        ("mes", "Ещё один МЭШ"),  # taken
        ("dnevnik", ""),
        ("dnevnik", "{{ title }}"),  # would be read as a template
        ("dnevnik", "Д" * 61),
    ],
)
def test_names_and_titles_that_do_not_fit_are_refused(name: str, title: str, tmp_path: Path) -> None:
    with pytest.raises(ScaffoldError):
        check(name, title, tmp_path)
