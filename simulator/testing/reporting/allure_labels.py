"""What an Allure result says about a scenario beyond its steps: epic, feature, story, suites, severity, flows."""

from __future__ import annotations

import re
from pathlib import PurePosixPath

from .records import FeatureRecord, ScenarioRecord

FLOW = re.compile(r"^[FE]\d+$")  # @F06 (a flow), @E02 (an error case) — docs/flows.md names them
SEVERITIES = ("blocker", "critical", "normal", "minor", "trivial")
FLOWS_DOC = "docs/flows.md"


def flows(tags: list[str]) -> list[str]:
    """The flow IDs among a scenario's (and its feature's) tags, in order."""
    return sorted({tag for tag in tags if FLOW.match(tag)})


def severity(tags: list[str]) -> str:
    """@blocker … @trivial, the gravest first; `normal` when no tag says."""
    return next((level for level in SEVERITIES if level in tags), "normal")


def labels(feature: FeatureRecord, scenario: ScenarioRecord, outline: str, features_dir: str) -> list[tuple[str, str]]:
    """Allure labels of a scenario: its place in the Behaviors and Suites tabs, severity and flows.

    `outline` is the scenario's name before Examples fill it: every example of an outline is one story.
    """
    folder = PurePosixPath(feature.file).parent
    inside = bool(features_dir) and folder.is_relative_to(features_dir)
    nested = folder.relative_to(features_dir).parts if inside else ()
    epic = nested[0] if nested else feature.name
    tags = sorted({*feature.tags, *scenario.tags})
    found = [
        ("epic", epic),
        ("feature", feature.name),
        ("story", outline),
        ("parentSuite", str(folder)),
        ("suite", feature.name),
        ("severity", severity(tags)),
    ]
    if outline != scenario.name:
        found.append(("subSuite", outline))
    found += [("flow", flow) for flow in flows(tags)]
    return found


def flow_link(flow: str, pattern: str | None) -> str:
    """Where a flow is described: the `tms` link pattern given to allure (--allure-link-pattern), or the catalogue."""
    return pattern.format(flow) if pattern else FLOWS_DOC
