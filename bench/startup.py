"""Where a run's start goes, and one and ten scenarios paired with the raw script: `python -m bench startup`.

The breakdown: `pytest features -m F06 -k …` (the one scenario «по SMS») and the whole suite, each up to
its first browser context (the whole suite is stopped there), with $SFERUM_SIM_STARTUP_LOG set so the plugin
writes its marks (simulator/testing/startup.py); the raw Playwright script writes the same marks for its
launch. Every stage is shown from and to (seconds since the command), with the run's CPU seconds in it:
under load the wall clock stretches, the CPU far less.

The targets: the F06 job of bench/runners with 1 and with 10 scenarios, the harness and the raw script
interleaved against one `serve` (and the harness starting its own simulator, as `pytest features` does),
`rounds` times: the one scenario's wall over the raw's, the ten's ratio to the raw's, each round's too.
"""

from __future__ import annotations

import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.machine import Quietness
from bench.runners import SCHOOLS, Job, bench_runners, serve
from simulator.testing import Personas
from simulator.testing.browser import chromium_args, system_chromium

ROOT = Path(__file__).parent.parent
LOG_ENV = "SFERUM_SIM_STARTUP_LOG"
# The one scenario of the request: seed 001's F06 «по SMS» among the feature's examples.
ONE_SCENARIO = ["features", "-m", "F06", "-k", "привязка_при_наличии and SMS"]
WHOLE_SUITE = ["features"]
# (stage, mark it starts at, mark it ends at); None starts at the command.
STAGES: list[tuple[str, str | None, str]] = [
    ("interpreter and pytest", None, "plugin_import"),
    ("plugin import", "plugin_import", "plugin_imported"),
    ("other plugins, step library", "plugin_imported", "configured"),
    ("feature parsing and collection", "configured", "collected"),
    ("simulator start", "simulator_ready_start", "simulator_ready"),
    ("first session (first request)", "first_session_start", "first_session"),
    ("Playwright driver start", "driver_ready_start", "driver_ready"),
    ("browser launch", "browser_launched_start", "browser_launched"),
    ("first context", "first_context_start", "first_context"),
    ("command to first context", None, "first_context"),
]
RAW_STAGES: list[tuple[str, str | None, str]] = [
    ("interpreter and imports", None, "imported"),
    ("Playwright driver start", "driver_ready_start", "driver_ready"),
    ("browser launch", "browser_launched_start", "browser_launched"),
    ("first session (first request)", "first_session_start", "first_session"),
    ("first context", "first_context_start", "first_context"),
    ("command to first context", None, "first_context"),
]
# The targets: one scenario's whole run at most this much over the raw script's, ten at most this ratio.
ONE_SCENARIO_TARGET_S = 0.5
TEN_SCENARIOS_TARGET = 1.15
# A run that never reaches its first context is stuck: stop waiting after this long.
PATIENCE_S = 300


def _marks(log: Path) -> dict[str, tuple[float, float]]:
    """Each mark's (wall, cpu) from a marks file."""
    found: dict[str, tuple[float, float]] = {}
    if log.exists():
        for line in log.read_text(encoding="utf-8").splitlines():
            entry = json.loads(line)
            found.setdefault(entry["mark"], (entry["wall"], entry["cpu"]))
    return found


def _stages(
    marks: dict[str, tuple[float, float]], started: float, stages: list[tuple[str, str | None, str]]
) -> dict[str, dict[str, float]]:
    """Each stage's offsets from the command (s) and the CPU the run spent in it (s)."""
    out: dict[str, dict[str, float]] = {}
    for name, first, last in stages:
        if last not in marks or (first is not None and first not in marks):
            continue
        begin = marks[first] if first is not None else (started, 0.0)
        end = marks[last]
        out[name] = {"from": begin[0] - started, "to": end[0] - started, "cpu": end[1] - begin[1]}
    return out


def _pytest_start(arguments: list[str], root: Path, stop_at_first_context: bool) -> dict[str, Any]:
    """One harness run with marks; the whole wall too when it runs to its end."""
    with tempfile.TemporaryDirectory(prefix="sferum-startup-") as tmp:
        log = Path(tmp, "marks.jsonl")
        command = [sys.executable, "-m", "pytest", *arguments, "-q", "-p", "no:cacheprovider", "-p", "no:randomly"]
        env = {**os.environ, LOG_ENV: str(log), "PYTHONPATH": str(root)}
        env.pop("SFERUM_SIM_URL", None)
        started = time.time()
        process = subprocess.Popen(command, cwd=root, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        if stop_at_first_context:
            deadline = time.monotonic() + PATIENCE_S
            while "first_context" not in _marks(log) and process.poll() is None and time.monotonic() < deadline:
                time.sleep(0.05)  # the run is another process: its marks file is the only thing to watch
            process.send_signal(signal.SIGINT)  # pytest stops as on Ctrl+C: fixtures torn down, browser closed
        output, _ = process.communicate()
        ended = time.time()
        marks = _marks(log)
    if "first_context" not in marks:
        raise RuntimeError(f"pytest {' '.join(arguments)} never opened a browser context:\n{output.decode()[-3000:]}")
    if not stop_at_first_context and process.returncode != 0:
        raise RuntimeError(f"pytest {' '.join(arguments)} failed:\n{output.decode()[-3000:]}")
    result: dict[str, Any] = {"stages": _stages(marks, started, STAGES)}
    if not stop_at_first_context:
        result["whole_s"] = ended - started
        if "tests_done" in marks:
            result["after_tests_s"] = ended - marks["tests_done"][0]
    return result


def _raw_start(url: str, executable: str, tmp: Path, round_: int) -> dict[str, Any]:
    """The raw script's launch, one scenario, with the same marks."""
    personas = Personas(7 + round_)
    schools = json.loads(SCHOOLS.read_text(encoding="utf-8"))["organisations"]
    school = schools[0]
    teacher = personas.make("teacher")
    person = dict(teacher.entry(org=school["id"], school_class=school["classes"][0], vkid=True, profile=True))
    work = tmp / f"raw-start-{round_}"
    work.mkdir()
    job = Job(url, executable, chromium_args(), [person], schools, work)
    log = work / "marks.jsonl"
    env = {**os.environ, LOG_ENV: str(log), "PYTHONPATH": str(ROOT)}
    started = time.time()
    done = subprocess.run(
        [sys.executable, "-m", "bench.runners.raw", str(job.write())], env=env, capture_output=True, check=False
    )
    ended = time.time()
    if done.returncode != 0:
        raise RuntimeError(f"the raw script failed:\n{done.stderr.decode()[-3000:]}")
    return {"stages": _stages(_marks(log), started, RAW_STAGES), "whole_s": ended - started}


def _median_stages(runs: list[dict[str, Any]]) -> dict[str, dict[str, float]]:
    names = [name for name in runs[0]["stages"] if all(name in run["stages"] for run in runs)]
    return {
        name: {
            key: round(statistics.median(run["stages"][name][key] for run in runs), 3) for key in ("from", "to", "cpu")
        }
        for name in names
    }


def breakdown(rounds: int, root: Path = ROOT) -> dict[str, Any]:
    """The start of one scenario, of the whole suite and of the raw script, interleaved over `rounds`."""
    executable = system_chromium(headless=True)
    if executable is None:
        raise RuntimeError("no system Chromium: apt-get install chromium-headless-shell (make setup does)")
    one: list[dict[str, Any]] = []
    whole: list[dict[str, Any]] = []
    raw: list[dict[str, Any]] = []
    with Quietness() as machine, serve() as (url, _), tempfile.TemporaryDirectory(prefix="sferum-raw-") as tmp:
        for round_ in range(rounds):
            one.append(_pytest_start(ONE_SCENARIO, root, stop_at_first_context=False))
            raw.append(_raw_start(url, executable, Path(tmp), round_))
            whole.append(_pytest_start(WHOLE_SUITE, root, stop_at_first_context=True))
    return {
        "one_scenario": {
            "command": "pytest " + " ".join(ONE_SCENARIO),
            "stages": _median_stages(one),
            "whole_s": round(statistics.median(run["whole_s"] for run in one), 2),
            "whole_spread_s": [round(min(r["whole_s"] for r in one), 2), round(max(r["whole_s"] for r in one), 2)],
            "after_tests_s": round(statistics.median(run.get("after_tests_s", 0.0) for run in one), 2),
        },
        "whole_suite": {"command": "pytest features", "stages": _median_stages(whole)},
        "raw": {"stages": _median_stages(raw), "whole_s": round(statistics.median(r["whole_s"] for r in raw), 2)},
        "rounds": rounds,
        "machine": machine.as_dict(),
    }


def paired(rounds: int) -> dict[str, Any]:
    """One and ten scenarios, harness and raw interleaved: the targets' figures, with each round's."""
    result: dict[str, Any] = {}
    runners = ("ours", "ours-own-simulator", "raw")
    for scenarios, key in ((1, "one"), (10, "ten")):
        with Quietness() as machine:
            runs = bench_runners(scenarios=scenarios, rounds=rounds, only=runners)
        raw_walls = runs["raw"]["walls_s"]
        entry: dict[str, Any] = {"raw_wall_s": runs["raw"]["wall_s"], "machine": machine.as_dict()}
        for name in runners[:2]:
            walls = runs[name]["walls_s"]
            entry[f"{name}_wall_s"] = runs[name]["wall_s"]
            if scenarios == 1:  # target: the harness's whole run at most 0.5 s over the raw script's
                over = [ours - raw for ours, raw in zip(walls, raw_walls, strict=True)]
                entry[f"{name}_over_raw_s"] = round(statistics.median(over), 2)
                entry[f"{name}_over_raw_spread_s"] = [round(min(over), 2), round(max(over), 2)]
                entry[f"{name}_target_met"] = statistics.median(over) <= ONE_SCENARIO_TARGET_S
            else:  # target: the ten scenarios' wall at most 1.15 times the raw script's
                ratios = [ours / raw for ours, raw in zip(walls, raw_walls, strict=True)]
                entry[f"{name}_to_raw"] = round(statistics.median(ratios), 3)
                entry[f"{name}_to_raw_spread"] = [round(min(ratios), 3), round(max(ratios), 3)]
                entry[f"{name}_target_met"] = statistics.median(ratios) <= TEN_SCENARIOS_TARGET
        result[key] = entry
    result["rounds"] = rounds
    return result


def bench_startup(rounds: int = 3, root: Path = ROOT, targets: bool = True) -> dict[str, Any]:
    result = {"breakdown": breakdown(rounds, root)}
    if targets:
        result["targets"] = paired(rounds)
    return result


def render(result: dict[str, Any]) -> str:
    """The breakdown as a table a person reads, the targets' figures under it."""
    lines: list[str] = []
    parts = result["breakdown"]
    machine = parts["machine"]
    flag = "  BUSY: not a quiet machine's figure" if machine["busy"] else ""
    cache = (
        "on"
        if machine.get("bytecode_cache", True)
        else "not written ($PYTHONDONTWRITEBYTECODE: runs read what make setup compiled; steps are rewritten anew)"
    )
    lines.append(
        f"machine: {machine['cpus']} CPUs, load at the bench's start {machine.get('load_at_start')}, "
        f"{machine['load_before']} → {machine['load_after']} around the breakdown, others' CPU share "
        f"{machine.get('others_cpu_share')}{flag}"
    )
    lines.append(f"bytecode cache: {cache}")
    for title, key in (("pytest " + " ".join(ONE_SCENARIO), "one_scenario"), ("pytest features", "whole_suite")):
        lines.append(f"\n{title}  (median of {parts['rounds']} rounds; seconds since the command)")
        lines.extend(_table(parts[key]["stages"], parts["raw"]["stages"] if key == "one_scenario" else None))
    one = parts["one_scenario"]
    lines.append(
        f"\none scenario, whole run {one['whole_s']} s (spread {one['whole_spread_s']}), of it after the tests "
        f"{one['after_tests_s']} s; raw script's whole run {parts['raw']['whole_s']} s"
    )
    for key, entry in result.get("targets", {}).items():
        if key == "rounds":
            continue
        busy = "  BUSY" if entry["machine"]["busy"] else ""
        figures = "  ".join(f"{k}={v}" for k, v in entry.items() if k != "machine")
        lines.append(f"{key} scenario(s): {figures}  load {entry['machine']['load_before']}{busy}")
    return "\n".join(lines)


def _table(stages: dict[str, dict[str, float]], raw: dict[str, dict[str, float]] | None) -> list[str]:
    header = f"  {'stage':<32} {'from':>6} {'to':>6} {'wall':>6} {'cpu':>6}"
    rows = [header + ("   raw script: wall  cpu" if raw else "")]
    for name, stage in stages.items():
        row = f"  {name:<32} {stage['from']:6.2f} {stage['to']:6.2f} {stage['to'] - stage['from']:6.2f} {stage['cpu']:6.2f}"
        if raw and name in raw:
            other = raw[name]
            row += f"   {other['to'] - other['from']:6.2f} {other['cpu']:5.2f}"
        rows.append(row)
    if raw and "interpreter and imports" in raw:
        other = raw["interpreter and imports"]
        rows.append(
            f"  {'(raw: interpreter and imports)':<32} {'':6} {'':6} {'':6} {'':6}   {other['to']:6.2f} {other['cpu']:5.2f}"
        )
    return rows
