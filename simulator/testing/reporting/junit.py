"""JUnit XML for a CI's test tab: one testcase a scenario, its steps in system-out, how to rerun it in properties."""

from __future__ import annotations

import socket
import xml.etree.ElementTree as ET
from pathlib import Path

from .records import Results, StepStatus, TestRecord

MARK: dict[StepStatus, str] = {"passed": "✓", "failed": "✗", "undefined": "?", "skipped": "–"}


def steps_text(test: TestRecord) -> str:
    lines = []
    for step in test.steps:
        lines.append(f"{MARK.get(step.status, ' ')} {step.keyword} {step.name} ({step.duration:.2f} с)")
        if step.error:
            lines.append(f"    {step.error}")
    return "\n".join(lines)


def _case(test: TestRecord) -> ET.Element:
    feature = test.feature
    path, _, _name = test.nodeid.partition("::")
    case = ET.Element(
        "testcase",
        {
            # CI tabs group by classname: the feature for a scenario, the module for a plain test.
            "classname": feature.name if feature else path.removesuffix(".py").replace("/", "."),
            "name": test.name,
            "time": f"{test.duration:.3f}",
            "file": test.file,
        },
    )
    if test.scenario:
        case.set("line", str(test.scenario.line))
    properties = ET.SubElement(case, "properties")
    values: dict[str, object] = {
        "nodeid": test.nodeid,
        "sim_seed": test.seed,
        "sim_session": test.session,
        "browser": str(test.browser) if test.browser else "",
        "rerun": test.rerun,
        **{f"artifact_{kind}": path for kind, paths in test.artifacts.items() for path in paths},
    }
    for key, value in values.items():
        if value not in (None, ""):
            ET.SubElement(properties, "property", {"name": key, "value": str(value)})
    if test.outcome in ("failed", "error"):
        failed = next((s for s in test.steps if s.status in ("failed", "undefined")), None)
        message = f"{failed.keyword} {failed.name}: {test.message}" if failed else test.message
        tag = "failure" if test.outcome == "failed" else "error"
        ET.SubElement(case, tag, {"message": message}).text = test.longrepr
    elif test.outcome == "skipped":
        ET.SubElement(case, "skipped", {"message": test.message})
    if test.steps:
        ET.SubElement(case, "system-out").text = steps_text(test)
    return case


def write(path: Path, results: Results) -> None:
    totals = results.totals()
    attributes = {
        "name": "sferum-sim",
        "tests": str(totals.total),
        "failures": str(totals.failed),
        "errors": str(totals.error),
        "skipped": str(totals.skipped),
        "time": f"{totals.wall:.3f}",
    }
    root = ET.Element("testsuites", attributes)
    suite = ET.SubElement(
        root,
        "testsuite",
        {
            **attributes,
            "hostname": socket.gethostname(),
            "timestamp": results.runs[0].started if results.runs else "",
        },
    )
    for test in results.tests:
        suite.append(_case(test))
    ET.indent(root)
    ET.ElementTree(root).write(path, encoding="utf-8", xml_declaration=True)
