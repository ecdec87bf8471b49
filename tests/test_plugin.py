"""The sferum_sim pytest plugin, run in a separate pytest as a user's project would run it."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

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


@pytest.fixture
def run(pytester: pytest.Pytester):
    pytester.makepyfile(test_suite=SUITE)

    def run(*args: str) -> tuple[pytest.RunResult, ET.Element]:
        result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "--junitxml=junit.xml", *args)
        return result, ET.parse(pytester.path / "junit.xml").getroot()

    return run


def seeds(junit: ET.Element) -> dict[str, str]:
    return {
        str(case.get("name")): str(next(p.get("value") for p in case.iter("property") if p.get("name") == "sim_seed"))
        for case in junit.iter("testcase")
    }


def test_each_test_gets_its_own_session(run) -> None:
    result, junit = run()
    result.assert_outcomes(passed=3)
    keys = [p.get("value") for p in junit.iter("property") if p.get("name") == "sim_session"]
    assert len(keys) == len(set(keys)) == 2  # test_a and test_b; the third needs no session


def test_seeds_are_recorded_and_reproducible(run) -> None:
    _, first = run()
    _, second = run()
    assert seeds(first) == seeds(second)
    assert len(set(seeds(first).values())) == 3


def test_base_seed_changes_every_test_seed(run) -> None:
    _, default = run()
    _, other = run("--sim-seed", "7")
    assert all(seeds(default)[name] != seeds(other)[name] for name in seeds(default))
