"""`sferum-sim conformance` against the Node journal of examples/conformance and the same journal started with its three flaws (broken-journal.mjs).

The command runs as a vendor runs it, in its own process: against the good journal with a simulator it
starts itself (--sim-port), against the broken one with a simulator already running (--sim-url). The
broken copy has three known defects (ignores `state`, a 500 on access_denied, a crash when VK ID's token
endpoint fails or is silent): exactly the outcomes those defects meet must fail, their reports naming it.
"""

from __future__ import annotations

import asyncio
import json
import shutil
import socket
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import cast

import pytest

from simulator.conformance import ConfigError, check
from simulator.conformance.report import Result
from simulator.server import SimulatorServer

pytestmark = pytest.mark.slow  # the command, Node journals and Chromium run in other processes

EXAMPLES = Path(__file__).resolve().parent.parent.parent / "examples" / "conformance"
ALL_OUTCOMES = {f"O{n:02d}" for n in range(1, 17)}
# The broken copy's defects, and the outcomes each one meets (read from examples/conformance/broken-journal.mjs).
BROKEN_FAILS = {
    "O05": "500",  # access_denied shown as a 500
    "O10": "впустил",  # forged state: signed in anyway
    "O11": "впустил",  # missing state: signed in anyway
    "O12": "500",  # VK ID's token endpoint failed: the journal crashed
    "O13": "500",  # VK ID's token endpoint was silent: the journal crashed
}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def node() -> str:
    found = shutil.which("node")
    assert found, "tests/conformance/test_conformance.py needs Node.js (make sdk needs it too): apt-get install nodejs"
    return found


def start_journal(script: str, vkid_port: int) -> tuple[subprocess.Popen[str], str]:
    port = free_port()
    origin = f"http://journal.localhost:{port}"
    env = {
        "PORT": str(port),
        "VKID_URL": f"http://id.localhost:{vkid_port}",
        "CLIENT_ID": "journal_node",
        "REDIRECT_URI": f"{origin}/callback",
        "PATH": "/usr/bin:/bin",
    }
    journal = subprocess.Popen([node(), str(EXAMPLES / script)], env=env, stdout=subprocess.PIPE, text=True)
    assert journal.stdout is not None
    assert "journal on" in journal.stdout.readline(), f"{script} did not start"  # it prints once listening
    return journal, origin


def conformance(origin: str, report_dir: Path, *sim: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "simulator", "conformance", "--journal-url", f"{origin}/"]
    command += ["--client-id", "journal_node", "--redirect-uri", f"{origin}/callback", "--report-dir", str(report_dir)]
    return subprocess.run([*command, *sim], capture_output=True, text=True, timeout=600, check=False)


@pytest.fixture(scope="module")
def good_run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[subprocess.CompletedProcess[str], Path]]:
    sim_port = free_port()
    journal, origin = start_journal("journal.mjs", sim_port)
    report_dir = tmp_path_factory.mktemp("good")
    try:
        yield conformance(origin, report_dir, "--sim-port", str(sim_port)), report_dir
    finally:
        journal.terminate()
        journal.wait(10)


@pytest.fixture(scope="module")
def broken_run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[subprocess.CompletedProcess[str], Path]]:
    with SimulatorServer() as server:
        journal, origin = start_journal("broken-journal.mjs", server.port)
        report_dir = tmp_path_factory.mktemp("broken")
        try:
            yield conformance(origin, report_dir, "--sim-url", server.url), report_dir
        finally:
            journal.terminate()
            journal.wait(10)


def outcomes(report_dir: Path) -> dict[str, dict[str, object]]:
    document = json.loads((report_dir / "results.json").read_text(encoding="utf-8"))
    return {item["id"]: item for item in document["outcomes"]}


def test_the_node_journal_passes_every_outcome(good_run: tuple[subprocess.CompletedProcess[str], Path]) -> None:
    run, report_dir = good_run
    assert run.returncode == 0, run.stdout + run.stderr
    results = outcomes(report_dir)
    assert set(results) == ALL_OUTCOMES
    assert {key: item["status"] for key, item in results.items()} == dict.fromkeys(ALL_OUTCOMES, "passed")
    suite = ET.parse(report_dir / "junit.xml").getroot()
    assert (suite.get("tests"), suite.get("failures")) == ("16", "0")
    assert all((report_dir / f"{key}.png").read_bytes().startswith(b"\x89PNG") for key in ALL_OUTCOMES)


def test_the_broken_copy_fails_exactly_its_defects(broken_run: tuple[subprocess.CompletedProcess[str], Path]) -> None:
    run, report_dir = broken_run
    assert run.returncode == 1, run.stdout + run.stderr
    results = outcomes(report_dir)
    failed = {key for key, item in results.items() if item["status"] == "failed"}
    assert failed == set(BROKEN_FAILS)
    for key, word in BROKEN_FAILS.items():
        assert word in str(results[key]["observed"]), results[key]
    suite = ET.parse(report_dir / "junit.xml").getroot()
    assert {case.get("name", "")[:3] for case in suite if case.find("failure") is not None} == set(BROKEN_FAILS)
    page = (report_dir / "report.html").read_text(encoding="utf-8")
    assert page.count('data-status="failed"') == len(BROKEN_FAILS)
    # VK ID's side of a refusal: the consent's «Отмена» reached the journal as access_denied.
    assert any("access_denied" in line for line in cast(list[str], results["O05"]["vkid_saw"]))
    # VK ID's silence in O13 outlasts the journal's patience: the call is still in the report, logged on arrival.
    assert any("POST /oauth2/auth" in line for line in cast(list[str], results["O13"]["vkid_saw"]))


def test_an_unreachable_journal_exits_2_in_russian(tmp_path: Path) -> None:
    origin = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    run = conformance(origin, tmp_path, "--sim-port", "0")
    assert run.returncode == 2
    assert "не отвечает" in run.stderr and "--journal-url" in run.stderr
    assert not (tmp_path / "results.json").exists()


@pytest.mark.parametrize(
    ("arguments", "says"),
    [
        (["--only", "O01,O99"], "исхода O99 нет"),
        (["--signed-in", "{name}"], "{first_name}"),
        (["--config", "/nonexistent/conformance.toml"], "не прочитан"),
    ],
)
def test_a_wrong_configuration_exits_2_saying_what_to_fix(tmp_path: Path, arguments: list[str], says: str) -> None:
    origin = f"http://127.0.0.1:{free_port()}"
    run = conformance(origin, tmp_path, *arguments)
    assert run.returncode == 2
    assert says in run.stderr


def test_a_toml_file_configures_the_run(tmp_path: Path) -> None:
    config = tmp_path / "conformance.toml"
    config.write_text('journal_url = "http://127.0.0.1:1/"\nclient_id = "x"\n[outcomes.O13]\ndelay = 99\n')
    run = subprocess.run(
        [sys.executable, "-m", "simulator", "conformance", "--config", str(config), "--redirect-uri", "http://a/cb"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert run.returncode == 2
    assert "[outcomes.O13] delay = 99" in run.stderr


def test_check_from_python_walks_the_outcomes_asked_for(tmp_path: Path) -> None:
    """The pytest entry: `simulator.conformance.check` with the command's options, the same reports."""
    sim_port = free_port()
    journal, origin = start_journal("journal.mjs", sim_port)

    async def in_a_test_whose_thread_runs_a_loop() -> list[Result]:
        # As after pytest-playwright's `page` in the same session: Playwright's sync API refuses such a thread.
        return check(
            f"{origin}/", "journal_node", f"{origin}/callback", sim_port=sim_port, only="O01", report_dir=tmp_path
        )

    try:
        # A thread of the test's own, whatever loop the worker's main thread already runs.
        with ThreadPoolExecutor(1) as apart:
            results = apart.submit(asyncio.run, in_a_test_whose_thread_runs_a_loop()).result()
    finally:
        journal.terminate()
        journal.wait(10)
    assert {result.outcome.id: result.status for result in results} == {
        key: "passed" if key == "O01" else "skipped" for key in ALL_OUTCOMES
    }
    assert outcomes(tmp_path)["O01"]["status"] == "passed"


def test_check_refuses_a_wrong_option_in_russian(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="исхода O42 нет"):
        check("http://127.0.0.1:1/", "x", "http://127.0.0.1:1/cb", only="O42", report_dir=tmp_path)
