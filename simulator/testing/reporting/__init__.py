"""Reports of a BDD run for the tools QA already has: JUnit XML, Cucumber JSON, Allure results, one HTML page.

One run (or one shard) leaves `results.json` beside its evidence; every format is written from it, so
a serial run, an `-n N` run and merged shards produce the same reports.

records.py defines what results.json holds; the writers (junit, cucumber, html) read those records,
write.py calls every writer, and nothing a writer imports imports a writer back.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .collector import ReportCollector
    from .merge import merge
    from .records import Results, load
    from .write import write_all

__all__ = ["ReportCollector", "Results", "load", "merge", "write_all"]

# Imported on first use: every run reads the layout and the records, only a run writing reports needs the writers.
_HOMES = {
    "ReportCollector": ".collector",
    "merge": ".merge",
    "Results": ".records",
    "load": ".records",
    "write_all": ".write",
}


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(_HOMES[name], __name__), name)
    globals()[name] = value
    return value
