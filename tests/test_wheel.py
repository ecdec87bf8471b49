"""The wheel as a QA team uses it: installed in a fresh environment, steps enabled by one conftest line."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

FEATURE = """\
# language: ru
Функция: Команда QA проверяет подключение Сферума в МЭШ
  Сценарий: Учитель без подключённого мессенджера видит окно подключения
    Дано школа «МБОУ "Школа №51" Вахитовского района г. Казани»
    И учитель МЭШ, у которого есть учебный профиль Сферум
    Когда учитель входит в «Кабинет учителя»
    И нажимает на кнопку перехода в Сферум в навигационной панели
    Тогда открывается окно «Мессенджер не подключен»
"""
TEST_MODULE = """\
from pytest_bdd import scenarios

scenarios("connect.feature")
"""
WHERE_STEPS_ARE = "import sferum_sim_steps.common as c; print(c.__file__); print(c.SCHOOLS)"


def run(*command: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    # Nothing of this checkout may leak in: no PYTHONPATH, and the outer virtual environment is not active.
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    result = subprocess.run(
        [str(part) for part in command], cwd=cwd, env=env, capture_output=True, text=True, timeout=480
    )
    assert result.returncode == 0, f"{command}\n{result.stdout}\n{result.stderr}"
    return result


def test_a_team_project_runs_library_steps_from_the_installed_wheel(tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    run(sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir", wheels, ROOT, cwd=tmp_path)
    (wheel,) = wheels.glob("sferum_sim-*.whl")
    venv = tmp_path / "venv"
    run(sys.executable, "-m", "venv", venv, cwd=tmp_path)
    python = venv / "bin" / "python"
    run(python, "-m", "pip", "install", "--quiet", "--no-compile", wheel, cwd=tmp_path)

    project = tmp_path / "qa-team"
    project.mkdir()
    (project / "conftest.py").write_text('pytest_plugins = ["sferum_sim_steps"]\n', encoding="utf-8")
    (project / "connect.feature").write_text(FEATURE, encoding="utf-8")
    (project / "test_connect.py").write_text(TEST_MODULE, encoding="utf-8")

    code, schools = run(python, "-c", WHERE_STEPS_ARE, cwd=project).stdout.split()
    assert Path(code).is_relative_to(venv) and Path(schools).is_relative_to(venv)  # the wheel's copy, data included
    tests = run(python, "-m", "pytest", "-q", "-p", "no:cacheprovider", cwd=project)
    assert "1 passed" in tests.stdout, tests.stdout
