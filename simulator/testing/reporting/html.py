"""One HTML page in Russian that opens from disk: features → scenarios → steps, failures first.

Screenshots are inlined (data: URIs) so the page needs no server and no folder beside it; traces stay
files next to it (the trace viewer opens a zip, not a page).
"""

from __future__ import annotations

import base64
from datetime import datetime
from pathlib import Path
from typing import Any

import jinja2

from .cucumber import event_line
from .results import STATUS_ORDER, Results

TEMPLATES = jinja2.Environment(
    loader=jinja2.FileSystemLoader(Path(__file__).with_name("templates")),
    autoescape=True,  # step text and error messages are shown, never interpreted
    trim_blocks=True,
    lstrip_blocks=True,
)
STATUS_RU = {
    "passed": "успешно",
    "failed": "провален",
    "error": "ошибка",
    "skipped": "пропущен",
    "undefined": "шаг не определён",
}
STEP_STATUS_RU = {**STATUS_RU, "skipped": "не выполнен"}


def _worst(tests: list[dict[str, Any]]) -> int:
    return min(STATUS_ORDER[t["outcome"]] for t in tests)


def groups(results: Results) -> list[dict[str, Any]]:
    """Features (or test modules) with their tests; the ones with failures first, failures first in each."""
    found: dict[str, dict[str, Any]] = {}
    for test in results.tests:
        feature = test["feature"]
        key = feature["file"] if feature else test["nodeid"].split("::")[0]
        found.setdefault(key, {"key": key, "feature": feature, "tests": []})["tests"].append(test)
    for group in found.values():
        group["tests"].sort(key=lambda t: (STATUS_ORDER[t["outcome"]], t["scenario"]["line"] if t["scenario"] else 0))
        group["counts"] = {s: sum(t["outcome"] == s for t in group["tests"]) for s in STATUS_ORDER}
        group["duration"] = sum(t["duration"] for t in group["tests"])
    return sorted(found.values(), key=lambda g: (_worst(g["tests"]), g["key"]))


def write(path: Path, results: Results, directory: Path) -> None:
    def inline(relative: str | None) -> str | None:
        file = directory / relative if relative else None
        if file is None or not file.is_file():
            return None
        return "data:image/png;base64," + base64.b64encode(file.read_bytes()).decode()

    html = TEMPLATES.get_template("report.html").render(
        groups=groups(results),
        totals=results.totals(),
        runs=results.runs,
        created=datetime.now().strftime("%d.%m.%Y %H:%M"),
        status_ru=STATUS_RU,
        step_status_ru=STEP_STATUS_RU,
        inline=inline,
        event_line=event_line,
    )
    path.write_text(html, encoding="utf-8")
