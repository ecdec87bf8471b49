"""The same flow in three runners, side by side: `python -m bench runners` (`make bench` runs it too).

- ours:           the scenario of f06.feature.in through the harness (pytest-bdd, the plugin, the step library),
                  in a team's repository as the README sets one up (conftest.py, test module, pyproject.toml)
- raw:            a plain Playwright script making the same clicks and checks (raw.py): the floor
- playwright-bdd: the same feature with the same steps written for playwright-bdd, on Playwright's runner
                  (when Node is present; `npm ci` in playwright_bdd/ is run on first use)

All three drive one `sferum-sim serve` process with the same Chromium binary and flags, one worker,
a fresh browser context per scenario. Runs are interleaved (the runners' order rotates every round) so
a machine's drift falls on all of them; each run's scenarios give per-scenario times, and the CPU of the
run's process tree is split into the browser's, the simulator's and the rest (the runner: harness,
test framework, driver). Ratios are of medians; the spread is the lowest and highest run median.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from bench.load import free_port
from bench.machine import TreeCpu, cpu_of
from simulator.testing import Personas
from simulator.testing.browser import chromium_args, system_chromium
from simulator.testing.client import Simulator

HERE = Path(__file__).parent
BDD_PROJECT = HERE / "playwright_bdd"
SCHOOLS = HERE.parent.parent / "fixtures" / "schools.json"
OURS_CONFTEST = 'pytest_plugins = ["sferum_sim_steps"]\n'
OURS_TEST = 'from pytest_bdd import scenarios\n\nscenarios("features")\n'
# The options the README gives a team's repository (its pyproject.toml): the pytest plugins of sferum-sim's
# dependencies, which the step library does not use, kept from loading — Faker's alone is ~0.4 s of every
# start where bytecode is not cached, whenever it loads before sferum-sim's (the order installs list them in).
TEAM_ADDOPTS = "-p no:faker -p no:respx -p no:anyio -p no:platformdirs"
OURS_PYPROJECT = f'[tool.pytest.ini_options]\naddopts = "{TEAM_ADDOPTS}"\n'


@dataclass
class Run:
    """One runner's run of `n` scenarios: per-scenario milliseconds, wall seconds, CPU seconds by owner."""

    runner: str
    scenarios_ms: list[float]
    wall_s: float
    cpu_s: dict[str, float] = field(default_factory=dict)


@dataclass
class Job:
    """What every runner is given: the simulator, the browser, the people and the feature to walk."""

    url: str
    executable: str
    args: list[str]
    people: list[dict[str, Any]]
    schools: list[dict[str, Any]]
    work_dir: Path

    @property
    def feature_dir(self) -> Path:
        return self.work_dir / "features"

    def write(self) -> Path:
        self.feature_dir.mkdir(parents=True, exist_ok=True)
        rows = "\n".join(f"      | {i + 1} |" for i in range(len(self.people)))
        feature = (HERE / "f06.feature.in").read_text(encoding="utf-8").replace("{rows}", rows)
        (self.feature_dir / "f06.feature").write_text(feature, encoding="utf-8")
        school = self.schools[0]
        path = self.work_dir / "job.json"
        job = {
            "url": self.url,
            "executable": self.executable,
            "args": self.args,
            "people": self.people,
            "school": school,
            "schools": self.schools,
            "feature_dir": str(self.feature_dir),
            "work_dir": str(self.work_dir),
        }
        path.write_text(json.dumps(job, ensure_ascii=False), encoding="utf-8")
        return path


# -- CPU accounting ------------------------------------------------------------------------------------


# -- the runners ---------------------------------------------------------------------------------------


def _timed(
    runner: str, command: list[str], job: Job, server_pid: int, env: dict[str, str], read: Callable[[str], list[float]]
) -> Run:
    server_before = cpu_of(server_pid)
    started = time.perf_counter()
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env={**os.environ, **env}, cwd=job.work_dir
    )
    with TreeCpu(process.pid) as tree:
        stdout, stderr = process.communicate()
    wall = time.perf_counter() - started
    if process.returncode != 0:
        raise RuntimeError(f"{runner} failed ({process.returncode}):\n{stdout[-3000:]}\n{stderr[-3000:]}")
    cpu = {
        "browser": tree.seconds("browser"),
        "simulator": cpu_of(server_pid) - server_before,
        "runner": tree.seconds("runner"),
    }
    return Run(runner, read(stdout), wall, cpu)


# The repository's dev tools (schemathesis, hypothesis) bring pytest plugins a team's environment does not have.
NOT_A_TEAMS_PLUGINS = ["-p", "no:schemathesis", "-p", "no:hypothesispytest"]


def run_ours(job: Job, job_file: Path, server_pid: int, *, own_simulator: bool = False) -> Run:
    """The harness on the job's scenarios; `own_simulator`: the plugin starts its own, as `pytest features` does."""
    project = job.work_dir / "ours"
    project.mkdir(exist_ok=True)
    (project / "conftest.py").write_text(OURS_CONFTEST, encoding="utf-8")
    (project / "test_f06.py").write_text(OURS_TEST, encoding="utf-8")
    (project / "pyproject.toml").write_text(OURS_PYPROJECT, encoding="utf-8")
    shutil.copytree(job.feature_dir, project / "features", dirs_exist_ok=True)
    junit = project / "junit.xml"
    command = [sys.executable, "-m", "pytest", str(project), "-q", "-p", "no:cacheprovider", "-p", "no:randomly"]
    command += [*NOT_A_TEAMS_PLUGINS, "--rootdir", str(project), *([] if own_simulator else ["--sim-url", job.url])]
    command += [f"--junitxml={junit}", "-W", "ignore::pytest.PytestUnknownMarkWarning"]
    env = {"SFERUM_SIM_CHROMIUM": job.executable}
    if own_simulator:  # its people and school are seeded by the scenario's own steps, whichever simulator it is
        env["SFERUM_SIM_URL"] = ""

    def read(_: str) -> list[float]:
        return [float(case.get("time", 0)) * 1000 for case in ET.parse(junit).iter("testcase")]

    return _timed("ours-own-simulator" if own_simulator else "ours", command, job, server_pid, env, read)


def run_ours_own_simulator(job: Job, job_file: Path, server_pid: int) -> Run:
    return run_ours(job, job_file, server_pid, own_simulator=True)


def run_raw(job: Job, job_file: Path, server_pid: int) -> Run:
    command = [sys.executable, "-m", "bench.runners.raw", str(job_file)]
    env = {"PYTHONPATH": str(HERE.parent.parent)}
    return _timed("raw", command, job, server_pid, env, json.loads)


def run_playwright_bdd(job: Job, job_file: Path, server_pid: int) -> Run:
    results = job.work_dir / "results.json"
    binaries = BDD_PROJECT / "node_modules" / ".bin"
    command = ["sh", "-c", f'cd "{BDD_PROJECT}" && "{binaries}/bddgen" && "{binaries}/playwright" test']

    def read(_: str) -> list[float]:
        report = json.loads(results.read_text(encoding="utf-8"))
        times: list[float] = []

        def walk(suite: dict[str, Any]) -> None:
            for spec in suite.get("specs", []):
                for test in spec["tests"]:
                    times.extend(float(result["duration"]) for result in test["results"])
            for child in suite.get("suites", []):
                walk(child)

        for suite in report["suites"]:
            walk(suite)
        return times

    return _timed("playwright-bdd", command, job, server_pid, {"BENCH_JOB": str(job_file)}, read)


RUNNERS: dict[str, Callable[[Job, Path, int], Run]] = {
    "ours": run_ours,
    "raw": run_raw,
    "playwright-bdd": run_playwright_bdd,
}
# Runners `bench startup` pairs besides: the harness as `pytest features` runs it, starting its own simulator.
EXTRA_RUNNERS: dict[str, Callable[[Job, Path, int], Run]] = {"ours-own-simulator": run_ours_own_simulator}


def node_ready() -> bool:
    """Node is present and playwright-bdd is installed (installed now from the lock file if it can be)."""
    if not shutil.which("node") or not shutil.which("npm"):
        return False
    if not (BDD_PROJECT / "node_modules" / ".bin" / "bddgen").exists():
        subprocess.run(["npm", "ci", "--silent", "--no-audit", "--no-fund"], cwd=BDD_PROJECT, check=False)
    return (BDD_PROJECT / "node_modules" / ".bin" / "bddgen").exists()


@contextmanager
def serve() -> Iterator[tuple[str, int]]:
    """A `sferum-sim serve` process on a free port: its URL and pid."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "simulator", "serve", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(400):
            try:
                if httpx.get(f"{url}/_sim/v1/health").status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.05)  # the process is starting; nothing else to wait on
        yield url, process.pid
    finally:
        process.terminate()
        process.wait()


def _summary(runs: list[Run]) -> dict[str, Any]:
    per_run = [statistics.median(run.scenarios_ms) for run in runs]
    every = [ms for run in runs for ms in run.scenarios_ms]
    n = sum(len(run.scenarios_ms) for run in runs)
    cpu = {owner: round(sum(run.cpu_s[owner] for run in runs) / n * 1000) for owner in runs[0].cpu_s}
    return {
        "scenario_ms": round(statistics.median(every)),
        "spread_ms": [round(min(per_run)), round(max(per_run))],
        "wall_s": round(statistics.median(run.wall_s for run in runs), 2),
        "walls_s": [round(run.wall_s, 2) for run in runs],  # in round order: pairs with the other runners' runs
        "cpu_ms_per_scenario": cpu,
    }


def bench_runners(scenarios: int = 20, rounds: int = 3, only: tuple[str, ...] | None = None) -> dict[str, Any]:
    """Each runner (`only` these) `rounds` times, interleaved, `scenarios` scenarios a run: medians, spreads, ratios."""
    executable = system_chromium(headless=True)
    if executable is None:
        raise RuntimeError("no system Chromium: apt-get install chromium-headless-shell (make setup does)")
    every = {**RUNNERS, **EXTRA_RUNNERS}
    names = [name for name in (only or RUNNERS) if name != "playwright-bdd" or node_ready()]
    personas = Personas(2024)
    schools = json.loads(SCHOOLS.read_text(encoding="utf-8"))["organisations"]
    runs: dict[str, list[Run]] = {name: [] for name in names}
    with serve() as (url, pid), tempfile.TemporaryDirectory(prefix="sferum-bench-") as tmp:
        sim = Simulator(url)
        real: dict[str, Any] = {}
        if sim.tls:
            real = {"target": f"127.0.0.1:{sim.tls['port']}", "spki": sim.tls["spki"]}
        args = chromium_args(**real)
        sim.close()
        for round_ in range(rounds):
            order = names[round_ % len(names) :] + names[: round_ % len(names)]
            for name in order:
                people = []
                for _ in range(scenarios):
                    teacher = personas.make("teacher")
                    school = schools[0]
                    people.append(
                        dict(
                            teacher.entry(org=school["id"], school_class=school["classes"][0], vkid=True, profile=True)
                        )
                    )
                work = Path(tmp) / f"{name}-{round_}"
                work.mkdir()
                job = Job(url, executable, args, people, schools, work)
                runs[name].append(every[name](job, job.write(), pid))
    result: dict[str, Any] = {"browser": executable, "scenarios": scenarios, "rounds": rounds}
    result.update({name: _summary(name_runs) for name, name_runs in runs.items()})
    if "ours" not in result or "raw" not in result:
        return result
    ours = result["ours"]["scenario_ms"]
    result["ratio_ours_to_raw"] = round(ours / result["raw"]["scenario_ms"], 3)
    if "playwright-bdd" in result:
        result["ratio_ours_to_playwright_bdd"] = round(ours / result["playwright-bdd"]["scenario_ms"], 3)
    return result
