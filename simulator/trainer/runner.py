"""Running the real scenarios for the trainer: a pytest subprocess with the trainer plugin.

A subprocess, not pytest.main(): the scenarios drive Playwright's sync API, which must own its
thread's event loop, and a second pytest in the same process would share imported step modules and
plugin state with the first. The project's own conftest.py files (step modules, markers) are loaded as
in any run, because pytest is started on the feature folders of the project.

The project is where pytest itself would put its root: the nearest folder above the features with a
pytest configuration (pytest.ini, pyproject.toml with [tool.pytest.ini_options], tox.ini, setup.cfg).
A QA team's repository may have none — a conftest.py and test modules are all pytest needs — and a
feature may lie anywhere: then the run gets a root of its own, the outermost folder with a conftest.py
inside the repository (or the features' folder), and an empty temporary ini, so no configuration of an
unrelated folder further up applies. A feature no test module binds is bound by the trainer plugin.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

PLUGIN = "simulator.trainer.plugin"
# The step library, for features outside any project that enables it (a project's own enabling is kept).
LIBRARY = "sferum_sim_steps"


class TrainerError(RuntimeError):
    """Something the trainer must be told, in Russian, before anything runs."""


# The files pytest reads its configuration from, and the section each must hold to count (None: any file).
PYTEST_CONFIGS = (
    ("pytest.ini", None),
    (".pytest.ini", None),
    ("pyproject.toml", "[tool.pytest"),
    ("tox.ini", "[pytest]"),
    ("setup.cfg", "[tool:pytest]"),
)


def pytest_config(folder: Path) -> Path | None:
    """The pytest configuration file of `folder`, if it has one pytest would use."""
    for name, section in PYTEST_CONFIGS:
        path = folder / name
        if path.is_file():
            if section is None:
                return path
            try:
                if section in path.read_text(encoding="utf-8", errors="replace"):
                    return path
            except OSError:
                continue
    return None


@dataclass(frozen=True)
class Project:
    """Where pytest runs the features: its root, and whether the run brings its own (temporary) ini."""

    root: Path
    configured: bool  # the root has a pytest configuration of its own

    @classmethod
    def around(cls, feature: Path) -> Project:
        start = feature if feature.is_dir() else feature.parent
        folders = [start, *start.parents]
        for folder in folders:
            if pytest_config(folder) is not None:
                return cls(folder, configured=True)
        # No configuration: the outermost conftest.py's folder, not past the repository's top (.git),
        # so the team's shared steps and fixtures load as in their own runs.
        root = start
        for folder in folders:
            if (folder / "conftest.py").is_file():
                root = folder
            if (folder / ".git").exists():
                break
        return cls(root, configured=False)


@dataclass
class Selection:
    """Which scenarios: .feature files or folders of one project, and a scenario name or tag."""

    features: list[Path]
    scenario: str | None = None

    @property
    def project(self) -> Project:
        return Project.around(self.features[0])

    @property
    def root(self) -> Path:
        """The folder pytest runs in (see Project)."""
        return self.project.root

    @classmethod
    def of(cls, paths: list[str], scenario: str | None = None) -> Selection:
        features = [Path(p).resolve() for p in paths]
        for path in features:
            if not path.exists():
                raise TrainerError(f"нет такого файла или папки: {path}")
            if path.is_file() and path.suffix != ".feature":
                raise TrainerError(f"{path} — не файл .feature")
        return cls(features, scenario)

    def pytest_args(self) -> list[str]:
        folders = sorted({str(p if p.is_dir() else p.parent) for p in self.features})
        args = [*folders, "-p", LIBRARY, "-p", PLUGIN, *(f"--trainer-feature={p}" for p in self.features)]
        if self.scenario:
            args.append(f"--trainer-scenario={self.scenario}")
        return args


@contextmanager
def own_root(selection: Selection) -> Iterator[list[str]]:
    """pytest's root options for the selection: none in a configured project, else a root and an empty ini."""
    project = selection.project
    if project.configured:
        yield []
        return
    with tempfile.TemporaryDirectory(prefix="sferum-trainer-") as folder:
        ini = Path(folder) / "pytest.ini"
        ini.write_text("[pytest]\n", encoding="utf-8")
        yield [f"--rootdir={project.root}", "-c", str(ini), f"--confcutdir={project.root}"]


def pytest_command(selection: Selection, *args: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "pytest",
        *selection.pytest_args(),
        "-q",
        "--no-header",
        "-p",
        "no:cacheprovider",
        *args,
    ]


@contextmanager
def display() -> Iterator[dict[str, str]]:
    """The environment of a headed browser: this screen, or a virtual one (Xvfb) where there is none."""
    if os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"):
        yield dict(os.environ)
        return
    xvfb = shutil.which("Xvfb")
    if xvfb is None:
        raise TrainerError(
            "Нет экрана: переменная DISPLAY не задана, и Xvfb не установлен.\n"
            "  Запустите на машине с графическим сеансом, установите Xvfb (apt-get install xvfb)\n"
            "  или подготовьте инструкцию без окна браузера: sferum-sim guide FEATURE -o reports/guides/"
        )
    read, write = os.pipe()
    # -displayfd: Xvfb picks a free display itself and writes its number, so parallel runs never clash.
    server = subprocess.Popen(
        [xvfb, "-displayfd", str(write), "-screen", "0", "1366x900x24", "-nolisten", "tcp"],
        pass_fds=(write,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write)
    try:
        with os.fdopen(read) as answer:
            number = answer.readline().strip()
        if not number:
            raise TrainerError("Xvfb не запустился")
        print(
            f"sferum-sim: экрана нет, браузер открыт на виртуальном экране Xvfb :{number} (его не видно)",
            file=sys.stderr,
        )
        yield {**os.environ, "DISPLAY": f":{number}"}
    finally:
        server.terminate()
        server.wait(timeout=10)
