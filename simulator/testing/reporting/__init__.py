"""Reports of a BDD run for the tools QA already has: JUnit XML, Cucumber JSON, Allure results, one HTML page.

One run (or one shard) leaves `results.json` beside its evidence; every format is written from it, so
a serial run, an `-n N` run and merged shards produce the same reports.

records.py defines what results.json holds; the writers (junit, cucumber, html) read those records,
write.py calls every writer, and nothing a writer imports imports a writer back.
"""

from .collector import ReportCollector
from .merge import merge
from .records import Results, load
from .write import write_all

__all__ = ["ReportCollector", "Results", "load", "merge", "write_all"]
