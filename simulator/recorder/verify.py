"""Running the written feature once, as any project runs it: pytest with the step library, headless.

The run is a subprocess in a folder of its own, with a conftest that enables the library and a test
module that binds the one feature: it works wherever the feature was written, inside the repository
or not, and never picks up other features. A small plugin there notes the first step that failed
(or had no definition, as a placeholder has none), so the recorder can say where.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

CONFTEST = """
import json
import os

pytest_plugins = ["sferum_sim_steps"]
FAILED = os.path.join(os.path.dirname(__file__), "failed.json")


def _note(step, exception):
    if not os.path.exists(FAILED):
        with open(FAILED, "w", encoding="utf-8") as out:
            message = str(exception).strip().splitlines()[0] if str(exception).strip() else type(exception).__name__
            json.dump({"line": step.line_number, "step": f"{step.keyword} {step.name}", "error": message[:400]}, out)


def pytest_bdd_step_error(step, exception):
    _note(step, exception)


def pytest_bdd_step_func_lookup_error(step, exception):
    _note(step, exception)
"""

TEST = """from pytest_bdd import scenarios

scenarios({feature!r})
"""


@dataclass(frozen=True)
class Verdict:
    passed: bool
    line: int | None = None  # the feature's line of the step that failed
    step: str | None = None
    error: str | None = None
    output: str = ""

    def describe(self, feature: Path) -> str:
        if self.passed:
            return f"Сценарий {feature} выполнен: всё зелёное."
        if self.step is None:
            tail = "\n".join(self.output.strip().splitlines()[-15:])
            return f"Сценарий {feature} не выполнен:\n{tail}"
        return f"Сценарий {feature} не выполнен на строке {self.line}: «{self.step}»\n  {self.error}"


def run(feature: Path, *, sim_url: str | None = None, timeout: float = 600) -> Verdict:
    with tempfile.TemporaryDirectory(prefix="sferum-record-") as folder:
        root = Path(folder)
        (root / "conftest.py").write_text(CONFTEST, encoding="utf-8")
        (root / "test_recorded.py").write_text(TEST.format(feature=str(feature.resolve())), encoding="utf-8")
        (root / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
        command = [
            sys.executable,
            "-m",
            "pytest",
            str(root),
            "-q",
            "--no-header",
            "-p",
            "no:cacheprovider",
            "-W",
            "ignore::pytest.PytestUnknownMarkWarning",
            f"--rootdir={root}",
            *([f"--sim-url={sim_url}"] if sim_url else []),
        ]
        done = subprocess.run(command, cwd=root, capture_output=True, text=True, timeout=timeout)
        failed = root / "failed.json"
        note = json.loads(failed.read_text(encoding="utf-8")) if failed.exists() else {}
    output = done.stdout + done.stderr
    if done.returncode == 0:
        return Verdict(True, output=output)
    return Verdict(False, note.get("line"), note.get("step"), note.get("error"), output)
