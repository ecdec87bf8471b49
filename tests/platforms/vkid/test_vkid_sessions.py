"""What a vendor sets up a session with and meets across sessions: the seed's `people` as the OpenAPI document
describes them, user_ids never shared, avatars a relying party's server can download."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import jsonschema_rs
import pytest

from simulator.testing import Personas, SimSession, Simulator, SimulatorError

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


@pytest.fixture
def person_schema(control: httpx.Client) -> jsonschema_rs.Validator:
    """The seed's `people` item as the control plane's OpenAPI document gives it."""
    document = control.get("/openapi.json").json()
    people = document["paths"]["/_sim/v1/sessions/{key}/seed"]["post"]["requestBody"]["content"]["application/json"]
    assert people["schema"]["properties"]["people"]["items"] == {"$ref": "#/components/schemas/SeedPerson"}
    return jsonschema_rs.validator_for(document["components"]["schemas"]["SeedPerson"])


@pytest.mark.parametrize("role", ["teacher", "student", "parent", "admin"])
def test_the_people_schema_takes_what_the_simulator_takes(
    person_schema: jsonschema_rs.Validator, sim_session: SimSession, role: str
) -> None:
    entry = dict(Personas(5).make(role).entry(vkid=True, profile=True))
    assert person_schema.is_valid(entry), list(person_schema.iter_errors(entry))
    sim_session.seed({"people": [entry]})  # and the simulator takes it too


@pytest.mark.parametrize(
    "change",
    [{"sex": "other"}, {"first_name": None}, {"vkid": {"code_channel": "pigeon"}}, {"journal": {"journal": "dnevnik"}}],
    ids=["sex", "no first name", "code channel", "journal"],
)
def test_the_people_schema_refuses_what_the_simulator_refuses(
    person_schema: jsonschema_rs.Validator, sim_session: SimSession, change: dict[str, Any]
) -> None:
    entry: dict[str, Any] = dict(Personas(5).make("teacher").entry(vkid=True, profile=True))
    for name, value in change.items():
        entry[name] = {**entry[name], **value} if isinstance(value, dict) else value
    assert not person_schema.is_valid(entry)
    with pytest.raises(SimulatorError) as refused:
        sim_session.seed({"people": [entry]})
    assert refused.value.error == "invalid_seed"
