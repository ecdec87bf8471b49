"""Cucumber JSON (Jenkins cucumber-reports, Xray, cucumber-html-reporter, multiple-cucumber-html-reporter).

Features → scenarios → steps, screenshots embedded. Where the readers disagree on a field, the one every
reader takes is written once (a reader that finds two draws the thing twice):

- screenshots as image/png: the only picture type both npm viewers show inline (any other is a download);
- a data table as Cucumber JS's `arguments` rows: multiple-cucumber-html-reporter reads nothing else,
  cucumber-html-reporter draws `rows` too (a second copy), Jenkins takes `arguments` before `rows`;
- a doc string as `doc_string`: Jenkins, Xray and cucumber-html-reporter read it, the other viewer
  shows it under its own button;
- a fixture's error as a failed `before` (setup) or `after` (teardown) hook, with an `embeddings` list
  even when empty: cucumber-html-reporter passes over a hook without one. pytest-playwright's
  `--screenshot` pictures are taken as the browser context closes, after the last step: they are the
  `after` hook's embeddings.
"""

from __future__ import annotations

import base64
import json
import mimetypes
import re
from pathlib import Path

from .records import FeatureRecord, Json, Phase, Results, StepRecord, StepStatus, TestRecord

# A step without a definition is Cucumber's «undefined»; Jenkins and Xray count it as a failure.
STATUS: dict[StepStatus, str] = {"passed": "passed", "failed": "failed", "undefined": "undefined", "skipped": "skipped"}
# A scenario's hooks by the pytest phase they stand for.
HOOKS: dict[str, Phase] = {"before": "setup", "after": "teardown"}


def _id(text: str) -> str:
    return re.sub(r"[^\w]+", "-", text.lower()).strip("-")


def _tags(tags: list[str], line: int) -> list[Json]:
    return [{"name": f"@{tag}", "line": max(line - 1, 1)} for tag in tags]


def _embedding(directory: Path, relative: str) -> Json | None:
    """A picture of the report directory as Cucumber embeds it, or None when the file is gone."""
    file = directory / relative
    if not file.is_file():
        return None
    kind = mimetypes.guess_type(relative)[0] or "application/octet-stream"
    return {"mime_type": kind, "data": base64.b64encode(file.read_bytes()).decode(), "name": file.name}


def _step(step: StepRecord, directory: Path) -> Json:
    result: Json = {"status": STATUS[step.status], "duration": int(step.duration * 1e9)}
    if step.error:
        result["error_message"] = step.error
    out: Json = {
        "keyword": step.keyword + " ",
        "name": step.name,
        "line": step.line,
        "match": {"location": step.location or ""},
        "result": result,
    }
    if step.screenshot and (picture := _embedding(directory, step.screenshot)):
        out["embeddings"] = [picture]
    if step.events:
        out["output"] = [event.line() for event in step.events]
    if step.rows is not None:
        out["arguments"] = [
            {"rows": [{"cells": row, "line": step.line + 1 + number} for number, row in enumerate(step.rows)]}
        ]
    if step.doc_string is not None:
        out["doc_string"] = {"value": step.doc_string, "content_type": "", "line": step.line + 1}
    return out


def _hook(test: TestRecord, phase: Phase, directory: Path) -> Json | None:
    """A failed fixture as Cucumber's failed before (setup) or after (teardown) hook; pytest-playwright's pictures after."""
    failed = test.outcome == "error" and test.phase == phase
    pictures = test.artifacts.get("screenshots", []) if phase == "teardown" else []
    embeddings = [picture for relative in pictures if (picture := _embedding(directory, relative))]
    if not failed and not embeddings:
        return None
    result: Json = {"status": "failed" if failed else "passed", "duration": 0}
    if failed:
        result["error_message"] = test.longrepr or test.message
    # `embeddings` even when empty: cucumber-html-reporter drops a hook without the key.
    return {"match": {"location": test.nodeid}, "result": result, "embeddings": embeddings}


def _hooks(test: TestRecord, directory: Path) -> Json:
    # Jenkins, Xray and both npm viewers count a failed hook as a failed scenario: a fixture's error is never green.
    found = {key: hook for key, phase in HOOKS.items() if (hook := _hook(test, phase, directory))}
    return {key: [hook] for key, hook in found.items()}


def _feature(feature: FeatureRecord) -> Json:
    return {
        "keyword": feature.keyword,
        "uri": feature.file,
        "name": feature.name,
        "id": _id(feature.name),
        "line": feature.line,
        "description": feature.description,
        "tags": _tags(feature.tags, feature.line),
        "elements": [],
    }


def features(results: Results, directory: Path) -> list[Json]:
    found: dict[str, Json] = {}
    for test in results.tests:
        feature, scenario = test.feature, test.scenario
        if feature is None or scenario is None:
            continue  # a plain pytest test has no Gherkin to show
        entry = found.setdefault(feature.file, _feature(feature))
        entry["elements"].append(
            {
                "keyword": scenario.keyword,
                "id": f"{entry['id']};{_id(test.nodeid.split('::')[-1])}",
                "name": scenario.name,
                "line": scenario.line,
                "description": scenario.description,
                "type": "scenario",
                "tags": _tags(scenario.tags, scenario.line),
                **_hooks(test, directory),
                "steps": [_step(step, directory) for step in test.steps],
            }
        )
    return list(found.values())


def write(path: Path, results: Results, directory: Path) -> None:
    path.write_text(json.dumps(features(results, directory), ensure_ascii=False, indent=1), encoding="utf-8")
