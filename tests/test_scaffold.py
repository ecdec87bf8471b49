"""`sferum-sim new-platform` in a copy of the project: a new folder, its test, one table line — and the test passes."""

from __future__ import annotations

import difflib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from simulator.scaffold import ScaffoldError, check

ROOT = Path(__file__).parent.parent
NAME = "dnevnik"
TITLE = 'Дневник «Школа "Ру"»'  # quotes of both kinds: escaped in HTML, kept whole in Python
# What the generated platform and its test need of the project, and nothing more.
NEEDED = ["pyproject.toml", "simulator", "tests/conftest.py", "tests/sim_browser.py"]
Project = tuple[Path, dict[str, bytes], dict[str, bytes]]  # the copy, its files before and after the scaffold


def _files(root: Path) -> dict[str, bytes]:
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in root.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    }


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
            shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, target)
    before = _files(copy)
    result = _run(copy, "-m", "simulator.cli", "new-platform", NAME, "--title", TITLE)
    assert result.returncode == 0, result.stderr
    return copy, before, _files(copy)


def test_only_the_folder_the_test_and_one_table_line_are_new(project: Project) -> None:
    _, before, after = project
    package = f"simulator/platforms/{NAME}/"
    assert sorted(set(after) - set(before)) == [
        f"{package}__init__.py",
        f"{package}routes.py",
        f"{package}screens.py",
        f"{package}templates/home.html",
        f"{package}templates/layout.html",
        f"tests/test_platform_{NAME}.py",
    ]
    assert set(before) <= set(after)
    changed = [path for path in before if before[path] != after[path]]
    assert changed == ["simulator/hosts.py"]
    lines = [
        line
        for line in difflib.unified_diff(
            before[changed[0]].decode().splitlines(), after[changed[0]].decode().splitlines(), lineterm="", n=0
        )
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]
    assert lines == [f'+    Platform("{NAME}", \'{TITLE}\', ("{NAME}.localhost",)),']


def test_the_generated_test_passes(project: Project) -> None:
    copy, _, _ = project
    result = _run(copy, "-m", "pytest", f"tests/test_platform_{NAME}.py", "-q", "-p", "no:randomly")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "1 passed" in result.stdout


def test_the_generated_code_is_lint_and_type_clean(project: Project) -> None:
    """ruff as the project runs it, and mypy strict (the project's setting for simulator/) on the new package."""
    copy, _, _ = project
    new = [f"simulator/platforms/{NAME}", f"tests/test_platform_{NAME}.py", "simulator/hosts.py"]
    for command in (["ruff", "check", *new], ["ruff", "format", "--check", *new]):
        result = _run(copy, "-m", *command)
        assert result.returncode == 0, result.stdout + result.stderr
    result = _run(copy, "-m", "mypy", "--follow-imports=silent", f"simulator/platforms/{NAME}", "simulator/hosts.py")
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
