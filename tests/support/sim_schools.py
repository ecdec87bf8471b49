"""The schools of fixtures/schools.json (the ones the features use) and a session seeded with one."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from simulator import SimulatorServer
from simulator.testing import SimSession, Simulator

SCHOOLS = Path(__file__).parents[2] / "fixtures" / "schools.json"


def fixture_school(name: str) -> dict[str, Any]:
    """The organisation of this name in fixtures/schools.json."""
    organisations: list[dict[str, Any]] = json.loads(SCHOOLS.read_text(encoding="utf-8"))["organisations"]
    return next(org for org in organisations if org["name"] == name)


LYCEUM = fixture_school("МАОУ «Лицей №2»")  # ЭлЖур's school in seed 003's scenarios


@contextmanager
def school_session(server: SimulatorServer, seed: int, school: dict[str, Any] = LYCEUM) -> Iterator[SimSession]:
    """A session of its own with the school seeded, deleted afterwards."""
    simulator = Simulator(server.url)
    session = simulator.new_session(seed=seed)
    session.seed({"organisations": [school]})
    try:
        yield session
    finally:
        session.delete()
        simulator.close()
