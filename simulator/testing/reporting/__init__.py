"""Reports of a BDD run for the tools QA already has: JUnit XML, Cucumber JSON, Allure results, one HTML page.

One run (or one shard) leaves `results.json` beside its evidence; every format is written from it, so
a serial run, an `-n N` run and merged shards produce the same reports.
"""

from .collector import ReportCollector
from .merge import merge
from .results import Results, load, write_all

__all__ = ["ReportCollector", "Results", "load", "merge", "write_all"]
