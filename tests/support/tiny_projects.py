"""What the tests that write a tiny user project share: running pytest in it, and steps several projects use."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any


def run_pytest(project: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """pytest in its own process, in the project (as pytester.runpytest_subprocess, but shareable by a module)."""
    command = [sys.executable, "-m", "pytest", *args]
    return subprocess.run(
        command, cwd=project, capture_output=True, text=True, timeout=300, env={**os.environ, **(env or {})}
    )


def run_with_step_screenshots(project: Path, name: str, feature: str, steps: str) -> dict[str, Any]:
    """A one-scenario project (`name`.feature, test_`name`.py) run with a screenshot after every step: the project
    and its scenario's steps as results.json records them."""
    (project / "pytest.ini").write_text("[pytest]\naddopts = -p no:cacheprovider -p no:randomly\n", encoding="utf-8")
    (project / f"{name}.feature").write_text(feature, encoding="utf-8")
    (project / f"test_{name}.py").write_text(steps, encoding="utf-8")
    result = run_pytest(project, "--sim-report-dir=report", "--step-screenshots=on")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    data = json.loads((project / "report" / "results.json").read_text(encoding="utf-8"))
    [test] = data["tests"]
    return {"project": project, "steps": test["steps"]}


SEEDED_TEACHER_OPENS_MES = """
@given("учитель из сида", target_fixture="teacher")
def teacher(personas, sim_session):
    person = personas.make("teacher")
    sim_session.seed({"people": [person.entry(journal=None, vkid=True)]})
    return person


@when("он открывает МЭШ")
def open_mes(page, sim_session):
    page.goto(sim_session.url("mes", "/"))
"""
