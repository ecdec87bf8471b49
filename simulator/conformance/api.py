"""`sferum-sim conformance` from Python: for a team whose tests already run under pytest and our plugin.

    from simulator.conformance import check

    def test_our_journal_handles_every_vk_id_outcome(tmp_path):
        results = check("http://journal.localhost:3000/", "our_client", "http://journal.localhost:3000/callback",
                        sim_port=8780, report_dir=tmp_path)
        assert [r.outcome.id for r in results if r.status == "failed"] == []

The options are the command's long names with `_` for `-` (sim_url, sim_port, login, signed_in, only, config,
report_dir, headed, …), checked exactly as on the command line: a wrong one raises ConfigError, whose message
says in Russian what to fix. The reports are written to `report_dir` as the command writes them.
"""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .report import Result

if TYPE_CHECKING:
    from .config import Config


def check(journal_url: str, client_id: str, redirect_uri: str, **options: Any) -> list[Result]:
    """Walk the journal through the outcomes in Chromium; every outcome's result, the reports written."""
    # Imported here: Playwright and the server load only when a check runs, not when the package is imported.
    from . import report, runner
    from .config import load

    if isinstance(options.get("report_dir"), Path):
        options["report_dir"] = str(options["report_dir"])
    config = load(
        argparse.Namespace(journal_url=journal_url, client_id=client_id, redirect_uri=redirect_uri, **options)
    )
    results = _apart_from_a_running_loop(runner.run, config)
    report.write(results, config.report_dir, config.journal_url)
    return results


def _apart_from_a_running_loop(run: Callable[[Config], list[Result]], config: Config) -> list[Result]:
    """Playwright's sync API refuses a thread whose event loop runs, as pytest-playwright's own fixtures leave one
    in a test that used `page` earlier in the session: the walk then takes a thread of its own."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return run(config)
    with ThreadPoolExecutor(1) as apart:
        return apart.submit(run, config).result()
