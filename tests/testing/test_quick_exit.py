"""simulator/testing/quick_exit.py: the heap is frozen when a run's process exits, not when pytest.main returns."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

PROGRAM = """
import atexit, gc
# registered before pytest loads the plugin: runs after the plugin's handler, as logging's and coverage's do
atexit.register(lambda: print("frozen at exit:", gc.get_freeze_count() > 0))
import pytest
rc = pytest.main(["-q", "-p", "no:randomly", "-p", "no:cacheprovider", "test_one.py"])
print("frozen when pytest.main returned:", gc.get_freeze_count() > 0)
rc = pytest.main(["-q", "-p", "no:randomly", "-p", "no:cacheprovider", "test_one.py"])
print("after a second run:", gc.get_freeze_count() > 0, "exit status", int(rc))
"""


@pytest.mark.slow
def test_a_program_running_pytest_keeps_its_collector_until_it_exits(tmp_path: Path) -> None:
    (tmp_path / "test_one.py").write_text("def test_one():\n    assert True\n", encoding="utf-8")
    (tmp_path / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-c", PROGRAM], cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False
    )
    lines = [line for line in done.stdout.splitlines() if ":" in line and "passed" not in line]
    assert lines == [
        "frozen when pytest.main returned: False",
        "after a second run: False exit status 0",
        "frozen at exit: True",
    ], done.stdout + done.stderr
