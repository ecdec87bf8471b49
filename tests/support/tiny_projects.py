"""What the tests that write a tiny user project share: running pytest in it, and steps several projects use."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def run_pytest(project: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """pytest in its own process, in the project (as pytester.runpytest_subprocess, but shareable by a module)."""
    command = [sys.executable, "-m", "pytest", *args]
    return subprocess.run(
        command, cwd=project, capture_output=True, text=True, timeout=300, env={**os.environ, **(env or {})}
    )


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
