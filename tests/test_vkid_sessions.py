"""VK ID across the world's sessions: user_ids never shared, avatars a relying party's server can download."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from simulator.testing import Personas, SimSession, Simulator

TEACHER = Personas(0).make("teacher")  # the same person in every session


@pytest.fixture
def sessions(sim: Simulator) -> Iterator[list[SimSession]]:
    """Sessions made as most tests make them: no seed named, so every one starts from seed 0."""
    made: list[SimSession] = []
    yield made
    for session in made:
        session.delete()


def _seeded(sim: Simulator, made: list[SimSession], key: str | None = None) -> dict[str, Any]:
    """A new session holding one teacher with a VK ID profile; what the seed answered for that teacher."""
    session = sim.new_session(key)
    made.append(session)
    entry = TEACHER.entry(journal=None, vkid=True, profile=True)
    ids: dict[str, Any] = session.seed({"people": [entry]})["people"][entry["id"]]
    return ids


def test_sessions_with_one_seed_never_share_a_user_id(sim: Simulator, sessions: list[SimSession]) -> None:
    """A relying party keying accounts by user_id must meet a different person as a different id."""
    ids = [_seeded(sim, sessions) for _ in range(4)]
    profiles = [entry["profile_id"] for entry in ids]
    accounts = [entry["vkid_id"] for entry in ids]
    assert len(set(profiles)) == 4 and len(set(accounts)) == 4
    assert not set(profiles) & set(accounts)


def test_ids_repeat_for_the_same_seed_and_key(sim: Simulator, sessions: list[SimSession]) -> None:
    """Deterministic for a given (seed, key): the session made again under its key gives the same ids."""
    first = _seeded(sim, sessions, "ids-again")
    sessions.pop().delete()
    assert _seeded(sim, sessions, "ids-again") == first


def test_the_avatar_downloads_without_a_session(
    sim: Simulator, sessions: list[SimSession], vkid_api: httpx.Client
) -> None:
    """The URL user_info names is fetched by the journal's server, which names no session, as from VK ID."""
    ids = [_seeded(sim, sessions) for _ in range(2)]
    for entry in ids:
        picture = vkid_api.get(f"/avatar/{entry['profile_id']}.svg")
        assert picture.status_code == 200 and picture.headers["content-type"].startswith("image/svg+xml")
        assert picture.text.startswith("<svg") and f">{TEACHER.first_name[0]}</text>" in picture.text
    assert vkid_api.get("/avatar/123.svg").status_code == 404
    assert vkid_api.get("/avatar/1234567890123456789.svg").status_code == 404
