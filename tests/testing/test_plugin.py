"""The sferum_sim pytest plugin, run in a separate pytest as a user's project would run it."""

from __future__ import annotations

import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.support.tiny_projects import run_pytest

SUITE = """
from simulator.testing import Personas

def test_a(sim_session, personas):
    teacher = personas.make("teacher")
    sim_session.seed({"people": [teacher.entry(journal=None, vkid=True)]})
    assert len(sim_session.snapshot()["vkid_accounts"]) == 1

def test_b(sim_session):
    assert sim_session.snapshot()["vkid_accounts"] == []  # nothing of test_a leaks here

def test_same_seed_same_people(sim_seed, personas):
    assert Personas(sim_seed).make("teacher") == personas.make("teacher")
"""


def run_suite(project: Path, *args: str) -> tuple[subprocess.CompletedProcess[str], ET.Element]:
    """The suite in its own pytest, as a user's project runs it: its output and its JUnit report."""
    junit = project / f"junit-{len(list(project.glob('junit-*.xml')))}.xml"
    done = run_pytest(project, "-p", "no:cacheprovider", "-p", "no:randomly", f"--junitxml={junit}", *args)
    return done, ET.parse(junit).getroot()


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[subprocess.CompletedProcess[str], ET.Element]]:
    """The runs the tests below compare, each made once: twice with the default seed, once with another."""
    project = tmp_path_factory.mktemp("plugin")
    (project / "test_suite.py").write_text(SUITE, encoding="utf-8")
    return {"first": run_suite(project), "again": run_suite(project), "seed 7": run_suite(project, "--sim-seed", "7")}


def seeds(junit: ET.Element) -> dict[str, str]:
    return {
        str(case.get("name")): str(next(p.get("value") for p in case.iter("property") if p.get("name") == "sim_seed"))
        for case in junit.iter("testcase")
    }


def test_each_test_gets_its_own_session(runs) -> None:
    result, junit = runs["first"]
    assert result.returncode == 0 and "3 passed" in result.stdout, result.stdout[-2000:]
    keys = [p.get("value") for p in junit.iter("property") if p.get("name") == "sim_session"]
    assert len(keys) == len(set(keys)) == 2  # test_a and test_b; the third needs no session


def test_seeds_are_recorded_and_reproducible(runs) -> None:
    first, again = seeds(runs["first"][1]), seeds(runs["again"][1])
    assert first == again
    assert len(set(first.values())) == 3


def test_base_seed_changes_every_test_seed(runs) -> None:
    default, other = seeds(runs["first"][1]), seeds(runs["seed 7"][1])
    assert set(default) == set(other) and all(default[name] != other[name] for name in default)
