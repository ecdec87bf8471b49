"""docs/flows.md against features/*.feature: every ID covered, every tagged scenario listed under its ID."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from gherkin.parser import Parser

from simulator.hosts import PLATFORMS

ROOT = Path(__file__).parent.parent.parent
CATALOGUE = ROOT / "docs" / "flows.md"
FEATURES = ROOT / "features"
FLOW_ID = re.compile(r"[FE]\d{2}")
HEADING = re.compile(r"^### ([FE]\d{2}) — \S", re.MULTILINE)
COVERING_SCENARIO = re.compile(r"^- `([^`]+\.feature)` — «(.+)»$")
PLATFORM_ROW = re.compile(r"^\| (P\d+) \| `([^`]+)` \|.*\| ([^|]*) \|$")

Scenario = tuple[str, str]  # (feature file name, scenario name as written, outlines with their <placeholders>)


@cache
def catalogue() -> dict[str, set[Scenario]]:
    """Each flow and error ID of the document → the scenarios listed under its heading."""
    text = CATALOGUE.read_text(encoding="utf-8")
    headings = list(HEADING.finditer(text))
    listed: dict[str, set[Scenario]] = {}
    for heading, following in zip(headings, [*headings[1:], None], strict=True):
        section = text[heading.end() : following.start() if following else len(text)]
        flow_id = heading.group(1)
        assert flow_id not in listed, f"{flow_id} has two headings"
        listed[flow_id] = {
            (match.group(1), match.group(2))
            for match in map(COVERING_SCENARIO.match, section.splitlines())
            if match is not None
        }
    return listed


def _tags(node: Mapping[str, Any]) -> set[str]:
    return {tag["name"].removeprefix("@") for tag in node["tags"]}


@cache
def tagged() -> tuple[dict[str, set[Scenario]], dict[str, set[str]]]:
    """Flow ID → the scenarios tagged with it; platform tag → the feature files whose scenarios carry it."""
    scenarios: dict[str, set[Scenario]] = defaultdict(set)
    files: dict[str, set[str]] = defaultdict(set)
    for path in sorted(FEATURES.glob("*.feature")):
        feature: Mapping[str, Any] = Parser().parse(path.read_text(encoding="utf-8"))["feature"]
        children = [c for child in feature["children"] for c in child.get("rule", {}).get("children", [child])]
        for child in children:
            scenario = child.get("scenario")
            if scenario is None:  # a background
                continue
            tags = _tags(feature) | _tags(scenario) | {t for examples in scenario["examples"] for t in _tags(examples)}
            for tag in tags:
                if FLOW_ID.fullmatch(tag):
                    scenarios[tag].add((path.name, scenario["name"]))
                else:
                    files[tag].add(path.name)
    return scenarios, files


def test_the_catalogue_has_every_flow_and_error_id() -> None:
    """The IDs run F01… and E01… without gaps, so a lost heading is noticed."""
    ids = list(catalogue())
    assert ids, "no `### F01 — …` headings in docs/flows.md"
    for prefix in "FE":
        numbers = [int(i[1:]) for i in ids if i.startswith(prefix)]
        assert numbers == list(range(1, len(numbers) + 1)), f"{prefix} IDs out of order or missing: {numbers}"


def test_the_markers_are_the_catalogues_ids(pytestconfig: pytest.Config) -> None:
    """conftest.py registers `-m F06` and the rest from the same headings."""
    names = [line.partition(":")[0] for line in pytestconfig.getini("markers")]
    assert [name for name in names if FLOW_ID.fullmatch(name)] == list(catalogue())


def test_every_tagged_id_is_in_the_catalogue() -> None:
    scenarios, _ = tagged()
    unknown = {flow_id: sorted(listed) for flow_id, listed in scenarios.items() if flow_id not in catalogue()}
    assert unknown == {}, "scenarios tagged with IDs docs/flows.md lacks"


def test_every_catalogue_id_has_a_scenario() -> None:
    scenarios, _ = tagged()
    assert [flow_id for flow_id in catalogue() if not scenarios.get(flow_id)] == []


def test_each_ids_listed_scenarios_are_its_tagged_ones() -> None:
    """Under each heading exactly the scenarios tagged with that ID: none missing, none extra."""
    scenarios, _ = tagged()
    differences = {
        flow_id: {
            "not listed": sorted(scenarios.get(flow_id, set()) - listed),
            "not tagged": sorted(listed - scenarios.get(flow_id, set())),
        }
        for flow_id, listed in catalogue().items()
        if listed != scenarios.get(flow_id, set())
    }
    assert differences == {}


def test_each_platform_row_names_a_platform_and_its_features() -> None:
    """P1…: the tag is a platform of simulator/hosts.py, the files are those whose scenarios carry it."""
    _, files = tagged()
    rows = [m for m in map(PLATFORM_ROW.match, CATALOGUE.read_text(encoding="utf-8").splitlines()) if m is not None]
    assert [row.group(1) for row in rows] == [f"P{i}" for i in range(1, len(rows) + 1)] and rows
    for row in rows:
        tag = row.group(2)
        assert tag in PLATFORMS, f"{row.group(1)}: no platform {tag!r} in simulator/hosts.py"
        listed = set(re.findall(r"`([^`]+\.feature)`", row.group(3)))
        assert listed == files.get(tag, set()), f"{row.group(1)} (@{tag})"
    assert set(files) <= set(PLATFORMS), "feature tags that are neither flow IDs nor platforms"
