"""Cucumber JSON (Jenkins cucumber-reports, Xray): features → scenarios → steps, screenshots embedded."""

from __future__ import annotations

import base64
import json
import mimetypes
import re
from pathlib import Path

from .records import FeatureRecord, Json, Results, StepRecord, StepStatus, TestRecord

# A step without a definition is Cucumber's «undefined»; Jenkins and Xray count it as a failure.
STATUS: dict[StepStatus, str] = {"passed": "passed", "failed": "failed", "undefined": "undefined", "skipped": "skipped"}


def _id(text: str) -> str:
    return re.sub(r"[^\w]+", "-", text.lower()).strip("-")


def _tags(tags: list[str], line: int) -> list[Json]:
    return [{"name": f"@{tag}", "line": max(line - 1, 1)} for tag in tags]


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
    if step.screenshot and (directory / step.screenshot).is_file():
        data = base64.b64encode((directory / step.screenshot).read_bytes()).decode()
        kind = mimetypes.guess_type(step.screenshot)[0] or "application/octet-stream"
        out["embeddings"] = [{"mime_type": kind, "data": data, "name": Path(step.screenshot).name}]
    if step.events:
        out["output"] = [event.line() for event in step.events]
    # The Gherkin argument as the Cucumber JSON schema has it: rows of cells, or a doc string under the step.
    if step.rows is not None:
        out["rows"] = [{"cells": row, "line": step.line + 1 + number} for number, row in enumerate(step.rows)]
    if step.doc_string is not None:
        out["doc_string"] = {"value": step.doc_string, "content_type": "", "line": step.line + 1}
    return out


def _hook(test: TestRecord) -> Json:
    """A failed fixture as Cucumber's failed before (setup) or after (teardown) hook."""
    return {
        "match": {"location": test.nodeid},
        "result": {"status": "failed", "duration": 0, "error_message": test.longrepr or test.message},
    }


def _hooks(test: TestRecord) -> Json:
    # Jenkins and Xray count a failed hook as a failed scenario, so a fixture's error is never all green.
    if test.outcome != "error" or test.phase not in ("setup", "teardown"):
        return {}
    return {"before" if test.phase == "setup" else "after": [_hook(test)]}


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
                **_hooks(test),
                "steps": [_step(step, directory) for step in test.steps],
            }
        )
    return list(found.values())


def write(path: Path, results: Results, directory: Path) -> None:
    path.write_text(json.dumps(features(results, directory), ensure_ascii=False, indent=1), encoding="utf-8")
