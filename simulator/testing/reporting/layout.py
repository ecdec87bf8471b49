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
EVIDENCE_DIRS = ("evidence", "screenshots", "traces", "videos")
ALLURE_DIR = "allure-results"  # written by allure-pytest-bdd itself; we only point it here


def slug(nodeid: str, title: str | None = None) -> str:
    """A file name for a test: its title (a scenario's name as the feature file writes it, Cyrillic and all,
    where pytest-playwright's own folders are transliterated) or its test id, unique by the id's checksum,
    short enough for any file system and free of spaces, so a command line takes it unquoted."""
    name = re.sub(r"[^\w.-]+", "-", title or nodeid.split("::", 1)[-1]).strip("-")[:80]
    return f"{name}-{zlib.crc32(nodeid.encode()):08x}"
