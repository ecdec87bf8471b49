"""When a run reached each stage of its start: the marks `python -m bench startup` reads.

Written only when $SFERUM_SIM_STARTUP_LOG names a file, one JSON line a mark: its name, the wall clock
(`time.time()`, comparable with the clock of the process that started the run) and this process's CPU
seconds so far (`time.process_time()`, which a busy machine disturbs far less than the wall clock).
Without the variable a mark is one dictionary look-up. Only a run's first occurrence of a mark counts.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Generator
from typing import Any, Final

import pytest

ENV: Final = "SFERUM_SIM_STARTUP_LOG"
_LOG = os.environ.get(ENV) or None
_SEEN: set[str] = set()


def enabled() -> bool:
    return _LOG is not None


def mark(name: str) -> None:
    """Note that the run reached `name` now (once: later calls with the same name are ignored)."""
    if _LOG is None or name in _SEEN:
        return
    _SEEN.add(name)
    line = json.dumps({"mark": name, "wall": time.time(), "cpu": time.process_time(), "pid": os.getpid()})
    with open(_LOG, "a", encoding="utf-8") as log:  # a line at a time: a run killed midway keeps its marks
        log.write(line + "\n")


# Imported first by simulator.testing, which pytest reaches when it loads the plugin: everything before is
# the interpreter and pytest's own start.
mark("plugin_import")


# The session fixtures whose set-up is a stage of the start, and the name of its mark.
STAGE_FIXTURES: Final = {
    "sim": "simulator_ready",
    "playwright": "driver_ready",
    "browser": "browser_launched",
    "context": "first_context",
    "sim_session": "first_session",  # the first test's first request: its session made on the simulator
}


class StartupMarks:
    """pytest hooks marking the stages after the plugin's import; registered only when marks are written."""

    def pytest_sessionstart(self) -> None:
        mark("configured")  # pytest, every plugin and the initial conftests (the step library) are loaded

    def pytest_collection_finish(self) -> None:
        mark("collected")

    @pytest.hookimpl(wrapper=True)
    def pytest_fixture_setup(self, fixturedef: pytest.FixtureDef[Any]) -> Generator[None, object, object]:
        stage = STAGE_FIXTURES.get(fixturedef.argname)
        if stage is not None:
            mark(f"{stage}_start")
        value = yield
        if stage is not None:
            mark(stage)
        return value

    def pytest_fixture_post_finalizer(self, fixturedef: pytest.FixtureDef[Any]) -> None:
        stage = STAGE_FIXTURES.get(fixturedef.argname)
        if stage is not None and fixturedef.scope == "session":
            mark(f"{stage}_closed")

    def pytest_bdd_before_step(self) -> None:
        mark("first_step")

    def pytest_bdd_after_step(self) -> None:
        mark("first_step_done")

    @pytest.hookimpl(tryfirst=True)
    def pytest_sessionfinish(self) -> None:
        mark("tests_done")  # the rest is the session's teardown: the browser, the driver, the simulator

    @pytest.hookimpl(trylast=True)
    def pytest_unconfigure(self) -> None:
        mark("unconfigured")
