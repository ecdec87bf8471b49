"""`sferum-sim report merge DIR… -o reports/`: the report directories of CI shards as one report."""

from __future__ import annotations

import shutil
from pathlib import Path

from .layout import ALLURE_DIR, EVIDENCE_DIRS, RESULTS
from .records import Results, load
from .write import write_all


class MergeError(ValueError):
    pass


def merge(sources: list[Path], target: Path) -> list[Path]:
    """Every shard's tests and evidence in `target`, and each format written anew from them."""
    merged = Results()
    seen: dict[str, Path] = {}
    for source in sources:
        if not (source / RESULTS).is_file():
            raise MergeError(f"{source} has no {RESULTS}: run the shard with --sim-report-dir={source}")
        results = load(source)
        for test in results.tests:
            if test.nodeid in seen:  # shards must split the suite, not repeat it
                raise MergeError(f"{test.nodeid} is in both {seen[test.nodeid]} and {source}")
            seen[test.nodeid] = source
        merged.tests += results.tests
        merged.runs += results.runs
        if source.resolve() != target.resolve():
            _copy_evidence(source, target)
    return write_all(target, merged)


def _copy_evidence(source: Path, target: Path) -> None:
    # File names are unique per test id, and a test id runs in one shard only: nothing is overwritten.
    for name in (*EVIDENCE_DIRS, ALLURE_DIR):
        if (source / name).is_dir():
            shutil.copytree(source / name, target / name, dirs_exist_ok=True)
