"""Running the real scenarios for the trainer: a pytest subprocess with the trainer plugin.

A subprocess, not pytest.main(): the scenarios drive Playwright's sync API, which must own its
thread's event loop, and a second pytest in the same process would share imported step modules and
plugin state with the first. The project's own conftest.py (step modules, markers) is loaded as in
any run, because pytest is started on the feature folders of the project.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

PLUGIN = "simulator.trainer.plugin"


class TrainerError(RuntimeError):
    """Something the trainer must be told, in Russian, before anything runs."""


@dataclass
class Selection:
    """Which scenarios: .feature files or folders of one project, and a scenario name or tag."""

    features: list[Path]
    scenario: str | None = None

    @property
    def root(self) -> Path:
        """The project the features belong to: the nearest folder with pyproject.toml and conftest.py."""
        first = self.features[0]
        for folder in [first, *first.parents]:
            if (folder / "pyproject.toml").is_file() and (folder / "conftest.py").is_file():
                return folder
        raise TrainerError(f"{first} не лежит в проекте sferum-sim (нет pyproject.toml и conftest.py выше по пути)")

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
        args = [*folders, "-p", PLUGIN, *(f"--trainer-feature={p}" for p in self.features)]
        if self.scenario:
            args.append(f"--trainer-scenario={self.scenario}")
        return args


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
