"""The README's shared simulator: one `sferum-sim serve` (whose clocks run, for people at the keyboard) and
the BDD suite on four workers against it with --sim-url. The plugin freezes the clock of every session it
makes, so the scenarios that read countdowns and expiry pass there as they do on an embedded simulator."""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.core.test_snapshot_memory import Serve

ROOT = Path(__file__).resolve().parent.parent.parent
CLOCK_TEST = """
def test_clock(sim_session):
    clock = sim_session.snapshot("clock")["clock"]
    assert clock["running"] is False, clock
"""


@pytest.fixture(scope="module")
def serve(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Serve]:
    server = Serve(tmp_path_factory.mktemp("serve"))
    yield server
    server.stop()


def _pytest(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *args]
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=3600)


def test_serve_starts_clocks_running_and_the_plugin_freezes_its_sessions(serve: Serve, tmp_path: Path) -> None:
    by_default = serve.control.new_session()
    assert by_default.snapshot("clock")["clock"]["running"] is True  # the server's default
    by_default.delete()
    (tmp_path / "test_clock.py").write_text(CLOCK_TEST, encoding="utf-8")
    result = _pytest("test_clock.py", f"--sim-url={serve.url}", "-q", cwd=tmp_path)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]


def test_the_bdd_suite_on_four_workers_against_one_serve_is_green(serve: Serve, tmp_path: Path) -> None:
    junit = tmp_path / "junit.xml"
    result = _pytest("features", "-n", "4", f"--sim-url={serve.url}", "-q", f"--junitxml={junit}", cwd=ROOT)
    suite = ET.parse(junit).getroot().find("testsuite")
    assert suite is not None
    counts = {name: int(suite.get(name, "0")) for name in ("tests", "failures", "errors", "skipped")}
    failed = [
        case.get("name")
        for case in suite.iter("testcase")
        if case.find("failure") is not None or case.find("error") is not None
    ]
    assert counts["tests"] > 0 and counts["failures"] == counts["errors"] == counts["skipped"] == 0, (counts, failed)
    assert result.returncode == 0, result.stdout[-3000:]
    # Every scenario's session was deleted at its end: a shared server is left as it was found.
    assert serve.control.http.get("/sessions").json()["sessions"] == ["default"]
