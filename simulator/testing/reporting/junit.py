"""JUnit XML for a CI's test tab: one testcase a scenario; its steps and how to rerun it in system-out.

Valid against the Jenkins xunit plugin's strict schema (junit-10.xsd): a testcase has no properties and
no file or line attributes there, so what is per test goes to its system-out and what is per run to the
testsuite's properties.
"""

from __future__ import annotations

import socket
import xml.etree.ElementTree as ET
from pathlib import Path

from .records import Results, StepStatus, TestRecord

MARK: dict[StepStatus, str] = {"passed": "✓", "failed": "✗", "undefined": "?", "skipped": "–"}


PHASE_RU = {"setup": "при подготовке (фикстура)", "teardown": "при завершении (фикстура)"}


def steps_text(test: TestRecord) -> str:
    lines = []
    if test.outcome == "error" and test.phase in PHASE_RU:
        lines.append(f"✗ Ошибка {PHASE_RU[test.phase]}: {test.message}")
    for step in test.steps:
        lines.append(f"{MARK.get(step.status, ' ')} {step.keyword} {step.name} ({step.duration:.2f} с)")
        lines += [f"      {line}" for line in step.argument_lines()]
        if step.error:
            lines.append(f"    {step.error}")
    return "\n".join(lines)


def details_text(test: TestRecord) -> str:
    """What reproduces the test, one `name: value` a line: the schema leaves a testcase no properties."""
    values: dict[str, object] = {
        "nodeid": test.nodeid,
        "file": f"{test.file}:{test.scenario.line}" if test.scenario else test.file,
        "sim_seed": test.seed,
        "sim_session": test.session,
        "browser": str(test.browser) if test.browser else "",
        "rerun": test.rerun,
        **{f"artifact_{kind}": path for kind, paths in test.artifacts.items() for path in paths},
    }
    return "\n".join(f"{key}: {value}" for key, value in values.items() if value not in (None, ""))


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
        },
    )
    if test.outcome in ("failed", "error"):
        failed = next((s for s in test.steps if s.status in ("failed", "undefined")), None)
        message = f"{failed.keyword} {failed.name}: {test.message}" if failed else test.message
        if test.outcome == "error" and test.phase in PHASE_RU:
            message = f"Ошибка {PHASE_RU[test.phase]}: {test.message}"
        tag = "failure" if test.outcome == "failed" else "error"
        ET.SubElement(case, tag, {"message": message}).text = test.longrepr
    elif test.outcome == "skipped":
        ET.SubElement(case, "skipped", {"message": test.message})
    ET.SubElement(case, "system-out").text = "\n\n".join(filter(None, [steps_text(test), details_text(test)]))
    return case


def _run_properties(results: Results) -> dict[str, str]:
    """What every test of the run shares: versions, base seeds, shards, commands."""
    found: dict[str, str] = {}
    for number, run in enumerate(results.runs, 1):
        prefix = f"run{number}_" if len(results.runs) > 1 else ""
        found |= {f"{prefix}command": run.command, f"{prefix}started": run.started}
        if run.shard:
            found[f"{prefix}shard"] = run.shard
        if run.seed is not None:
            found[f"{prefix}sim_seed"] = str(run.seed)
    for run in results.runs[:1]:
        found |= {f"version_{name}": version for name, version in run.versions.items()}
    return found


def write(path: Path, results: Results) -> None:
    totals = results.totals()
    attributes = {
        "name": "sferum-sim",
        "tests": str(totals.total),
        "failures": str(totals.failed),
        "errors": str(totals.error),
        "time": f"{totals.wall:.3f}",
    }
    root = ET.Element("testsuites", attributes)
    suite = ET.SubElement(
        root,
        "testsuite",
        {
            **attributes,
            "skipped": str(totals.skipped),  # the schema has it on a testsuite, not on testsuites
            "hostname": socket.gethostname(),
            "timestamp": results.runs[0].started if results.runs else "",
        },
    )
    properties = ET.SubElement(suite, "properties")
    for key, value in _run_properties(results).items():
        ET.SubElement(properties, "property", {"name": key, "value": value})
    for test in results.tests:
        suite.append(_case(test))
    ET.indent(root)
    ET.ElementTree(root).write(path, encoding="utf-8", xml_declaration=True)
