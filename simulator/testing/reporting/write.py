"""Every report format of a run, written from its records: results.json, JUnit XML, Cucumber JSON, HTML, Allure's environment."""

from __future__ import annotations

from pathlib import Path

from . import allure_environment, cucumber, html, junit
from .layout import ALLURE_DIR, CUCUMBER, HTML, JUNIT
from .records import Results


def write_all(directory: Path, results: Results) -> list[Path]:
    """results.json and every report format, the tests in a stable order; the paths written."""
    directory.mkdir(parents=True, exist_ok=True)
    results.tests = results.ordered()
    written = [results.save(directory), directory / JUNIT, directory / CUCUMBER, directory / HTML]
    junit.write(written[1], results)
    cucumber.write(written[2], results, directory)
    html.write(written[3], results, directory)
    if (directory / ALLURE_DIR).is_dir():  # allure-pytest-bdd wrote the results; the environment is the run's
        allure_environment.write(directory / ALLURE_DIR, results)
    return written
