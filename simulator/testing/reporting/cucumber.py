"""Cucumber JSON (Jenkins cucumber-reports, Xray): features → scenarios → steps, screenshots embedded."""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path
from typing import Any

from .results import Results

# A step without a definition is Cucumber's «undefined»; Jenkins and Xray count it as a failure.
STATUS = {"passed": "passed", "failed": "failed", "undefined": "undefined", "skipped": "skipped"}


def event_line(event: dict[str, Any]) -> str:
    """One simulator event as a line of text: what a person reads under a step."""
    details = {k: v for k, v in event.items() if k not in ("id", "at", "kind")}
    if event["kind"] == "request":
        return f"{details['method']} {details['host']}{details['path']} → {details['status']}"
    return event["kind"] + " " + " ".join(f"{k}={v}" for k, v in details.items())


def _id(text: str) -> str:
    return re.sub(r"[^\w]+", "-", text.lower()).strip("-")


def _tags(tags: list[str], line: int) -> list[dict[str, Any]]:
    return [{"name": f"@{tag}", "line": max(line - 1, 1)} for tag in tags]


def _step(step: dict[str, Any], directory: Path) -> dict[str, Any]:
    result: dict[str, Any] = {"status": STATUS[step["status"]], "duration": int(step["duration"] * 1e9)}
    if step["error"]:
        result["error_message"] = step["error"]
    out: dict[str, Any] = {
        "keyword": step["keyword"] + " ",
        "name": step["name"],
        "line": step["line"],
        "match": {"location": step["location"] or ""},
        "result": result,
    }
    if step["screenshot"] and (directory / step["screenshot"]).is_file():
        data = base64.b64encode((directory / step["screenshot"]).read_bytes()).decode()
        out["embeddings"] = [{"mime_type": "image/png", "data": data, "name": Path(step["screenshot"]).name}]
    if step["events"]:
        out["output"] = [event_line(event) for event in step["events"]]
    return out


def features(results: Results, directory: Path) -> list[dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for test in results.tests:
        feature, scenario = test["feature"], test["scenario"]
        if not feature:
            continue  # a plain pytest test has no Gherkin to show
        entry = found.setdefault(
            feature["file"],
            {
                "keyword": feature["keyword"],
                "uri": feature["file"],
                "name": feature["name"],
                "id": _id(feature["name"]),
                "line": feature["line"],
                "description": feature["description"],
                "tags": _tags(feature["tags"], feature["line"]),
                "elements": [],
            },
        )
        entry["elements"].append(
            {
                "keyword": scenario["keyword"],
                "id": f"{entry['id']};{_id(test['nodeid'].split('::')[-1])}",
                "name": scenario["name"],
                "line": scenario["line"],
                "description": scenario["description"],
                "type": "scenario",
                "tags": _tags(scenario["tags"], scenario["line"]),
                "steps": [_step(step, directory) for step in test["steps"]],
            }
        )
    return list(found.values())


def write(path: Path, results: Results, directory: Path) -> None:
    path.write_text(json.dumps(features(results, directory), ensure_ascii=False, indent=1), encoding="utf-8")
