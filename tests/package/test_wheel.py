"""The wheel as a QA team uses it: installed in a fresh environment, steps enabled by one conftest line.

One virtual environment for the module (building and installing the wheel is most of its time) and one team
repository in it: a conftest.py, a feature and the test module binding it — no pyproject.toml, no pytest.ini,
nothing of this checkout's set-up. Playwright's browsers folder is an empty one of the test's own, as on a
machine where nobody ran `playwright install` or scripts/ensure-browser.sh: the plugin finds the system's
Chromium, and the system's ffmpeg for videos, by itself.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

import pytest

from simulator.testing.browser import system_chromium

ROOT = Path(__file__).resolve().parents[2]

FEATURE = """\
# language: ru
Функция: Команда QA проверяет подключение Сферума в МЭШ
  @mes
  Сценарий: Учитель без подключённого мессенджера видит окно подключения
    Дано школа «МБОУ "Школа №51" Вахитовского района г. Казани»
    И учитель МЭШ, у которого есть учебный профиль Сферум
    Когда учитель входит в «Кабинет учителя»
    И нажимает на кнопку перехода в Сферум в навигационной панели
    Тогда открывается окно «Мессенджер не подключен»
"""
# The feature's «Когда»/«Тогда» sentences, as a guide numbers them (capitalised).
STEPS = [
    "Учитель входит в «Кабинет учителя»",
    "Нажимает на кнопку перехода в Сферум в навигационной панели",
    "Открывается окно «Мессенджер не подключен»",
]
TEST_MODULE = """\
from pytest_bdd import scenarios

scenarios("connect.feature")
"""
WHERE_STEPS_ARE = "import sferum_sim_steps.common as c; print(c.__file__); print(c.SCHOOLS)"
FALLBACK_NOTE = "не скачан Playwright: запущен системный"


@dataclass
class Team:
    venv: Path
    project: Path  # the team's repository
    elsewhere: Path  # a folder with nothing but a copy of the feature: no conftest, no test module
    env: dict[str, str]

    @property
    def python(self) -> Path:
        return self.venv / "bin" / "python"

    @property
    def sferum_sim(self) -> Path:
        return self.venv / "bin" / "sferum-sim"

    def run(self, *command: str | Path, check: bool = True, timeout: float = 480) -> subprocess.CompletedProcess[str]:
        result = subprocess.run(
            [str(part) for part in command],
            cwd=self.project,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if check:
            assert result.returncode == 0, f"{command}\n{result.stdout}\n{result.stderr}"
        return result

    def pytest(self, *args: str) -> subprocess.CompletedProcess[str]:
        return self.run(self.python, "-m", "pytest", "-q", "-p", "no:cacheprovider", *args, check=False)


def clean_env(**extra: str) -> dict[str, str]:
    # Nothing of this checkout may leak in: no PYTHONPATH, and the outer virtual environment is not active.
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "SFERUM_SIM_CHROMIUM")}
    return {**env, **extra}


@pytest.fixture(scope="module")
def team(tmp_path_factory: pytest.TempPathFactory) -> Team:
    assert system_chromium(), "no system Chromium: make setup installs Debian's chromium (scripts/ensure-browser.sh)"
    base = tmp_path_factory.mktemp("wheel")
    nothing_downloaded = base / "playwright-browsers"
    nothing_downloaded.mkdir()
    team = Team(
        base / "venv", base / "qa-team", base / "elsewhere", clean_env(PLAYWRIGHT_BROWSERS_PATH=str(nothing_downloaded))
    )
    for folder in (team.project, team.elsewhere):
        folder.mkdir()
    wheels = base / "wheels"
    team.run(sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir", wheels, ROOT)
    (wheel,) = wheels.glob("sferum_sim-*.whl")
    team.run(sys.executable, "-m", "venv", team.venv)
    team.run(team.python, "-m", "pip", "install", "--quiet", "--no-compile", wheel)

    (team.project / "conftest.py").write_text('pytest_plugins = ["sferum_sim_steps"]\n', encoding="utf-8")
    (team.project / "connect.feature").write_text(FEATURE, encoding="utf-8")
    (team.project / "test_connect.py").write_text(TEST_MODULE, encoding="utf-8")
    (team.elsewhere / "lone.feature").write_text(FEATURE, encoding="utf-8")
    return team


def test_the_steps_and_their_school_data_come_from_the_wheel(team: Team) -> None:
    code, schools = team.run(team.python, "-c", WHERE_STEPS_ARE).stdout.split()
    assert Path(code).is_relative_to(team.venv) and Path(schools).is_relative_to(team.venv)


def test_a_team_project_runs_library_steps_from_the_installed_wheel(team: Team) -> None:
    """Run as a team's CI may run it: unknown marks and deprecations are errors, every test filmed, the channel
    named — one run for all of it, as the plain run is the same minus the options."""
    videos = team.project / "videos"
    tests = team.pytest(
        "--strict-markers", "-W", "error::DeprecationWarning",
        "--video", "on", "--output", str(videos), "--browser-channel", "chromium",
    )  # fmt: skip
    assert tests.returncode == 0 and "1 passed" in tests.stdout, tests.stdout + tests.stderr
    # Playwright's "chromium" channel is its own download, absent here: the system's stands in, said in one line.
    [note] = [line for line in tests.stdout.splitlines() if FALLBACK_NOTE in line]
    assert "«chromium»" in note
    (video,) = videos.rglob("*.webm")
    ffprobe = shutil.which("ffprobe")
    assert ffprobe, "no ffprobe: make setup installs Debian's ffmpeg (scripts/ensure-browser.sh)"
    probe = subprocess.run(
        [
            ffprobe,
            "-v",
            "error",
            "-count_frames",
            "-show_entries",
            "stream=codec_name,nb_read_frames",
            "-of",
            "json",
            video,
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    [stream] = json.loads(probe.stdout)["streams"]
    assert stream["codec_name"] == "vp9" and int(stream["nb_read_frames"]) > 1


def test_a_guide_of_the_teams_feature_without_any_pytest_configuration(team: Team) -> None:
    out = team.project / "guides"
    run = team.run(team.sferum_sim, "guide", "connect.feature", "-o", out)
    (data,) = [json.loads(p.read_text(encoding="utf-8")) for p in out.glob("*.json")]
    assert [s["text"] for s in data["steps"]] == STEPS, run.stderr
    assert [p["role"] for p in data["people"]] == ["teacher"]
    name = data["guide"]
    assert (out / f"{name}.pdf").read_bytes().startswith(b"%PDF-")
    assert data["people"][0]["login"] in (out / f"{name}.html").read_text(encoding="utf-8")


def test_a_replay_of_a_feature_anywhere(team: Team) -> None:
    """A feature in a folder of its own: no conftest.py, no test module, no configuration above it."""
    shots = team.elsewhere / "shots"
    team.run(team.sferum_sim, "replay", team.elsewhere / "lone.feature", "--step-delay", "0", "--slowmo", "0",
             "--screenshots", shots)  # fmt: skip
    record = json.loads((shots / "001.json").read_text(encoding="utf-8"))
    assert record["passed"] and [s["text"] for s in record["steps"]] == STEPS
    assert [s["overlay"]["caption"] for s in record["steps"]] == [f"Шаг {n}. {s}" for n, s in enumerate(STEPS, 1)]


def test_record_help_and_a_headless_recording_ended_by_ctrl_c(team: Team) -> None:
    assert "--headless" in team.run(team.sferum_sim, "record", "--help").stdout
    output = team.project / "recorded.feature"
    recorder = subprocess.Popen(
        [str(team.sferum_sim), "record", "--headless", "--no-run", "-o", str(output)],
        cwd=team.project,
        env=team.env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    watchdog = threading.Timer(240, recorder.kill)  # a recorder that never starts must not hang the run
    watchdog.start()
    try:
        assert recorder.stderr is not None
        said = []
        for line in recorder.stderr:  # until it says the recording runs: the browser is open on the journal
            said.append(line)
            if line.startswith("Запись идёт"):
                break
        assert said and said[-1].startswith("Запись идёт"), "".join(said)
        recorder.send_signal(signal.SIGINT)  # Ctrl+C ends the recording, as «Готово» would
        stdout, stderr = recorder.communicate(timeout=120)
    finally:
        watchdog.cancel()
    assert recorder.returncode == 0, stdout + stderr
    written = output.read_text(encoding="utf-8")
    assert (
        written.startswith("# language: ru") and "Дано учитель МЭШ, у которого есть учебный профиль Сферум" in written
    )


@pytest.mark.slow  # a venv's pip, a Node journal, Chromium
def test_conformance_from_the_wheel_against_the_node_journal(team: Team) -> None:
    """A vendor with the wheel alone: the command's help, and one outcome walked against examples' Node journal."""
    from tests.conformance.test_conformance import free_port, start_journal

    assert "--journal-url" in team.run(team.sferum_sim, "conformance", "--help").stdout
    sim_port = free_port()
    journal, origin = start_journal("journal.mjs", sim_port)
    report_dir = team.project / "conformance-report"
    try:
        run = team.run(
            team.sferum_sim, "conformance", "--journal-url", f"{origin}/", "--client-id", "journal_node",
            "--redirect-uri", f"{origin}/callback", "--sim-port", str(sim_port), "--only", "O01",
            "--report-dir", report_dir,
        )  # fmt: skip
    finally:
        journal.terminate()
        journal.wait(10)
    assert "O01 пройден" in run.stdout, run.stdout
    results = json.loads((report_dir / "results.json").read_text(encoding="utf-8"))["outcomes"]
    assert [item["id"] for item in results if item["status"] == "passed"] == ["O01"]
