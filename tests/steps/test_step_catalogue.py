"""`sferum-sim steps`: every step of the library, with an example from the features, and docs/steps.md in sync."""

from __future__ import annotations

from pathlib import Path

import pytest

from simulator.cli import main
from simulator.testing import step_catalogue

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs" / "steps.md"


@pytest.fixture
def in_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)  # example locations are shown relative to the working directory


@pytest.mark.usefixtures("in_root")
def test_docs_steps_md_is_the_generated_catalogue() -> None:
    expected = step_catalogue.render("markdown")
    assert DOCS.read_text(encoding="utf-8") == expected, (
        "docs/steps.md is stale: .venv/bin/sferum-sim steps --format markdown > docs/steps.md"
    )


@pytest.mark.usefixtures("in_root")
def test_every_library_step_is_listed_with_an_example_the_features_use() -> None:
    catalogue = step_catalogue.build()
    assert len(catalogue.steps) > 100
    assert {step.keyword for step in catalogue.steps} == {"Дано", "Когда", "Тогда"}
    assert {step.module for step in catalogue.steps} <= set(catalogue.modules)
    unused = [f"{step.module}.{step.function}" for step in catalogue.steps if step.example is None]
    assert unused == [], "steps no feature uses"
    school = next(step for step in catalogue.steps if step.function == "school")
    assert (school.keyword, school.module) == ("Дано", "sferum_sim_steps.common")
    assert school.example is not None and school.example.sentence.startswith("школа «")
    assert school.example.location.startswith("features/") and school.example.location.split(":")[1].isdigit()
    shows = next(step for step in catalogue.steps if step.function == "shows_as_text")
    assert shows.doc.startswith("What the user typed comes back as text")


@pytest.mark.usefixtures("in_root")
@pytest.mark.parametrize(
    ("output_format", "marks"),
    [
        ("text", ["Дано   школа «(?P<name>.+)»", "например: Дано школа «МБОУ", "steps in sferum_sim_steps"]),
        ("markdown", ["## `sferum_sim_steps.vkid`", "- **Тогда** `"]),
        ("html", ["<!doctype html>", "<td>Когда</td>", "школа «(?P&lt;name&gt;.+)»"]),
    ],
)
def test_the_command_prints_each_format(
    output_format: str, marks: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["steps", "--format", output_format]) == 0
    printed = capsys.readouterr().out
    for mark in marks:
        assert mark in printed


def test_without_features_the_steps_are_listed_without_examples(tmp_path: Path) -> None:
    catalogue = step_catalogue.build(tmp_path / "none")
    assert catalogue.steps and all(step.example is None for step in catalogue.steps)
