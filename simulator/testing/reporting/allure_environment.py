"""Allure's `environment.properties`: the browser, versions and seeds a run used, on the report's front page."""

from __future__ import annotations

from pathlib import Path

from .records import Results

ENVIRONMENT = "environment.properties"


def _escape(text: str) -> str:
    # Java properties: a backslash escapes, and non-Latin-1 text is written as \uXXXX.
    escaped = text.replace("\\", "\\\\").replace("\n", "\\n")
    return "".join(char if ord(char) < 0x7F else f"\\u{ord(char):04x}" for char in escaped)


def environment(results: Results) -> dict[str, str]:
    """What every test of the run shares, as Allure's Environment widget shows it."""
    found: dict[str, str] = {}
    browsers = sorted({str(test.browser) for test in results.tests if test.browser})
    if browsers:
        found["browser"] = ", ".join(browsers)
    for run in results.runs[:1]:
        found |= run.versions
    seeds = sorted({run.seed for run in results.runs if run.seed is not None})
    if seeds:
        found["sim_seed"] = ", ".join(map(str, seeds))
    shards = sorted(run.shard for run in results.runs if run.shard)
    if shards:
        found["shards"] = ", ".join(shards)
    return found


def write(directory: Path, results: Results) -> Path:
    """environment.properties in an allure-results directory; its path."""
    path = directory / ENVIRONMENT
    lines = [f"{_escape(key)}={_escape(value)}" for key, value in environment(results).items()]
    path.write_text("\n".join(lines) + "\n", encoding="latin-1")
    return path
