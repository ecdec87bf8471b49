"""What a report directory holds: the names every writer, the collector and the merge agree on."""

from __future__ import annotations

import re
import zlib

RESULTS = "results.json"
JUNIT = "junit.xml"
CUCUMBER = "cucumber.json"
HTML = "report.html"
# What a run writes in its report directory, cleared before the next run writes it anew.
OUTPUTS = (RESULTS, JUNIT, CUCUMBER, HTML)
EVIDENCE_DIRS = ("evidence", "traces", "videos")
ALLURE_DIR = "allure-results"  # written by allure-pytest-bdd itself; we only point it here


def slug(nodeid: str) -> str:
    """A file name for a test id: readable, unique (a checksum), short enough for any file system."""
    name = re.sub(r"[^\w.-]+", "-", nodeid.split("::", 1)[-1]).strip("-")[:80]
    return f"{name}-{zlib.crc32(nodeid.encode()):08x}"
