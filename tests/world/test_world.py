"""World and Session as plain objects: isolation of sessions, the virtual clock, seeding."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest

from simulator.clock import DEFAULT_START, MSK, Clock
from simulator.world import (
    DEFAULT,
    Channel,
    SeedError,
    Session,
    UnknownSession,
    World,
    apply_seed,
    links,
    outbox,
)
from simulator.world.oauth import AuthRequest
from tests.support.aio import run
from tests.support.sim_seeds import PHONE, SCHOOL, person
from tests.support.sim_seeds import world as seed_doc


def seeded_world() -> tuple[World, Session, Session]:
    """A world with sessions a and b, the same teacher (same phone) seeded in both."""
    world = World()
    a, b = world.create("a", seed=1), world.create("b", seed=2)
    for session in (a, b):
        apply_seed(session, seed_doc(person()))
    return world, a, b


def issue_code(session: Session) -> str:
    """An OAuth authorization code issued by `session` for its first profile."""
    request = AuthRequest("client", "https://rp.example/cb", "s" * 32, "c" * 43, "")
    profile_id = next(iter(session.profiles))
    return session.oauth.issue_code(request, profile_id, session.clock.now()).code


# -- sessions -------------------------------------------------------------------------------------


def test_a_new_world_has_only_the_default_session() -> None:
    """The «default» session exists from the start and nothing else."""
    assert list(World().sessions) == [DEFAULT]


def test_same_phone_in_two_sessions_gives_two_separate_people() -> None:
    """Seeding one phone in two sessions creates separate accounts in each."""
    _, a, b = seeded_world()
    assert a.vkid_by_login("phone", PHONE) is not None
    assert b.vkid_by_login("phone", PHONE) is not None
    assert a.vkid_by_login("phone", PHONE) is not b.vkid_by_login("phone", PHONE)


def test_codes_and_outbox_of_one_session_are_invisible_to_the_other() -> None:
    """A code sent in a is in a's outbox and confirmations only."""
    _, a, b = seeded_world()
    confirmation = outbox.send_code(a, Channel.SMS, PHONE)
    assert [m.code for m in a.messages(to=PHONE)] == [confirmation.code]
    assert b.messages(to=PHONE) == []
    assert b.outbox == [] and b.confirmations == {}


def test_links_of_one_session_are_invisible_to_the_other() -> None:
    """A link made in a does not exist in b."""
    _, a, b = seeded_world()
    account = a.journal_accounts["mes-t1"]
    links.link(a, account, next(iter(a.profiles.values())), via="vkid")
    assert list(a.links) == ["mes-t1"]
    assert b.links == {}


def test_by_token_finds_the_session_that_issued_the_code() -> None:
    """Server-to-server calls carry no key: the code alone names its session."""
    world, a, b = seeded_world()
    code_a, code_b = issue_code(a), issue_code(b)
    assert world.by_token(code_a) is a
    assert world.by_token(code_b) is b
    assert world.by_token("no-such-token") is None


def test_deleting_a_session_forgets_its_tokens() -> None:
    """After delete the session's codes find nothing, and get() refuses the key."""
    world, a, _ = seeded_world()
    code = issue_code(a)
    world.delete("a")
    assert world.by_token(code) is None
    with pytest.raises(UnknownSession):
        world.get("a")


def test_resetting_one_session_empties_it_and_keeps_the_others() -> None:
    """reset(key) gives an empty session with the same key and seed; b keeps its data."""
    world, a, b = seeded_world()
    outbox.send_code(a, Channel.SMS, PHONE)
    fresh = world.reset("a")
    assert fresh is world.get("a") and fresh is not a
    assert (fresh.key, fresh.seed) == ("a", 1)
    assert fresh.people == {} and fresh.outbox == [] and fresh.vkid_accounts == {}
    assert world.get("b") is b and len(b.people) == 1


def test_resetting_the_world_keeps_only_an_empty_default() -> None:
    """reset() drops every session; a fresh «default» is the only one left."""
    world, a, _ = seeded_world()
    old_default = world.get(DEFAULT)
    code = issue_code(a)
    world.reset()
    assert list(world.sessions) == [DEFAULT]
    assert world.get(DEFAULT) is not old_default
    assert world.by_token(code) is None


def test_deleting_default_recreates_it_empty() -> None:
    """«default» cannot disappear: deleting it gives a new, empty one."""
    world = World()
    apply_seed(world.get(DEFAULT), seed_doc(person()))
    world.delete(DEFAULT)
    assert world.get(DEFAULT).people == {}
    assert world.get(None) is world.get(DEFAULT)


@pytest.mark.parametrize("key", ["", "a b", "x" * 65, "ключ", "a/b", "s?x=1"])
def test_invalid_session_keys_are_refused(key: str) -> None:
    """Keys are 1-64 of letters, digits, '.', '_', '-'."""
    world = World()
    with pytest.raises(ValueError, match="session key"):
        world.create(key)
    assert list(world.sessions) == [DEFAULT]


def test_an_existing_key_cannot_be_created_twice() -> None:
    """Creating a key again is refused rather than replacing its session."""
    world = World()
    first = world.create("same")
    with pytest.raises(ValueError, match="already exists"):
        world.create("same")
    assert world.get("same") is first


def test_new_session_hooks_run_for_every_session() -> None:
    """on_new_session hooks see each session created (the app registers its OAuth clients this way)."""
    world = World()
    seen: list[str] = []
    world.on_new_session.append(lambda session: seen.append(session.key))
    world.create("x")
    world.reset("x")
    assert seen == ["x", "x"]


class Recipient(str):
    """A `to` filter that calls `on_compare` the first time the outbox is searched for it."""

    on_compare: Callable[[], object] | None = None

    def __eq__(self, other: object) -> bool:
        if self.on_compare is not None:
            hook, self.on_compare = self.on_compare, None
            hook()
        return str.__eq__(self, other)

    __hash__ = str.__hash__


def test_waiting_for_a_message_wakes_when_it_is_sent() -> None:
    """A message sent while wait_message is blocked wakes it: it returns that message, not None."""
    session = Session("w")
    outbox.send_code(session, Channel.SMS, "+79990000000")  # someone else's, so the first search compares
    to = Recipient(PHONE)

    async def scenario() -> Any:
        loop = asyncio.get_running_loop()
        # The first search finds nothing; the code is sent once the waiter has gone to sleep.
        to.on_compare = lambda: loop.call_soon(outbox.send_code, session, Channel.SMS, PHONE)
        return await outbox.wait_message(session, 5, to=to)

    message = run(scenario())
    assert message is not None and message.to == PHONE and message.id == 2


def test_waiting_for_a_message_times_out_with_none() -> None:
    """Nothing sent: wait_message gives None after its timeout."""
    assert run(outbox.wait_message(Session("w"), 0.01, to=PHONE)) is None


# -- the clock ------------------------------------------------------------------------------------


def test_a_frozen_clock_stands_still() -> None:
    """Frozen (the default): now() is the start instant however often it is read."""
    clock = Clock()
    assert not clock.running
    assert clock.now() == clock.now() == DEFAULT_START


def test_advancing_moves_the_clock_by_exactly_that_much() -> None:
    """advance(s) moves now() forward by s seconds and returns the new time."""
    clock = Clock()
    assert clock.advance(301) == DEFAULT_START + timedelta(seconds=301)
    assert clock.now() == DEFAULT_START + timedelta(seconds=301)


def test_the_clock_cannot_go_backwards() -> None:
    """A negative advance is refused and leaves the time alone."""
    clock = Clock()
    clock.advance(10)
    with pytest.raises(ValueError, match="only moves forward"):
        clock.advance(-1)
    assert clock.now() == DEFAULT_START + timedelta(seconds=10)


def test_setting_the_clock_reads_naive_times_as_moscow_time() -> None:
    """set() with a naive datetime means MSK; the offset from earlier advances is dropped."""
    clock = Clock()
    clock.advance(100)
    clock.set(datetime(2025, 1, 2, 3, 4))
    assert clock.now() == datetime(2025, 1, 2, 3, 4, tzinfo=MSK)
    assert clock.to_json() == {"now": "2025-01-02T03:04:00+03:00", "running": False}


def test_a_running_clock_never_reads_earlier_than_its_start() -> None:
    """A running clock follows wall time from its start: it is flagged running and never behind."""
    clock = Clock(running=True)
    first = clock.now()
    assert clock.running and DEFAULT_START <= first <= clock.now()


# -- seeding --------------------------------------------------------------------------------------


def counts(session: Session) -> dict[str, int]:
    """How many of each thing the session holds."""
    return {
        "organisations": len(session.organisations),
        "classes": len(session.classes),
        "people": len(session.people),
        "journal_accounts": len(session.journal_accounts),
        "vkid_accounts": len(session.vkid_accounts),
        "profiles": len(session.profiles),
        "clients": len(session.oauth.clients),
    }


def test_a_valid_seed_creates_people_accounts_and_profiles() -> None:
    """Each person gets a journal account, a VK ID and a profile, and the created ids are returned."""
    session = Session("s", seed=7)
    created = apply_seed(session, seed_doc(person("t1"), person("t2", phone="+79990000002", login="t2", profile=False)))
    ids = created["people"]
    assert ids["t1"]["journal_account"] == "mes-t1"
    assert session.vkid_accounts[ids["t1"]["vkid_id"]].phone == PHONE
    profile = session.profiles[ids["t1"]["profile_id"]]
    assert (profile.last_name, profile.first_name, profile.vkid_id) == ("Иванов", "Иван", ids["t1"]["vkid_id"])
    assert "profile_id" not in ids["t2"]
    assert counts(session) == {
        "organisations": 1,
        "classes": 1,
        "people": 2,
        "journal_accounts": 2,
        "vkid_accounts": 2,
        "profiles": 1,
        "clients": 0,
    }


def test_seeded_ids_follow_the_session_seed() -> None:
    """The same seed gives the same nine-digit ids; another seed, others."""
    ids = [apply_seed(Session("s", seed=seed), seed_doc(person()))["people"]["t1"] for seed in (3, 3, 4)]
    assert ids[0] == ids[1] != ids[2]
    assert 100_000_000 <= ids[0]["vkid_id"] <= 999_999_999


def with_person(**changes: Any) -> dict[str, Any]:
    """A valid person followed by one with these changes."""
    entry = person("bad", phone="+79990000009", login="bad")
    entry.update(changes)
    return seed_doc(person("ok", phone="+79990000001", login="ok"), entry)


def teaching(**journal: Any) -> dict[str, Any]:
    """A МЭШ teacher's journal entry with these changes."""
    return {"journal": "mes", "role": "teacher", "login": "x", "password": "y", **journal}


INVALID_SEEDS = {
    "markup in a name": (with_person(first_name="<b>Иван</b>"), "people[1].first_name"),
    "bad phone": (with_person(phone="12345"), "people[1].phone"),
    "bad e-mail": (with_person(email="nobody"), "people[1].email"),
    "birth date in the future": (with_person(birth_date="2030-01-01"), "people[1].birth_date"),
    "unknown organisation": (with_person(journal=teaching(org=999)), "people[1].journal.org"),
    "unknown class": (with_person(journal=teaching(org=1, **{"class": "9Б"})), "people[1].journal.class"),
    "unknown journal role": (with_person(journal=teaching(role="director")), "people[1].journal.role"),
    "duplicate id": (seed_doc(person("t1"), person("t1", phone="+79990000002", login="t2")), "people[1].id"),
    "profile without birth date": (
        with_person(birth_date=None, vkid={"profile": True}),
        "people[1].vkid.profile",
    ),
    "markup in a school name": ({"organisations": [{"id": 2, "name": "<i>Школа</i>"}]}, "organisations[0].name"),
    "client without redirect URIs": (
        {"clients": [{"client_id": "c", "redirect_uris": [], "service_name": "S"}]},
        "clients[0].redirect_uris",
    ),
    "unknown top-level key": ({"people": [], "teachers": []}, "$"),
}


@pytest.mark.parametrize("doc, path", INVALID_SEEDS.values(), ids=INVALID_SEEDS.keys())
def test_an_invalid_seed_is_refused_and_stores_nothing(doc: dict[str, Any], path: str) -> None:
    """SeedError names the offending value, and not even the valid part of the document is stored."""
    session = Session("s")
    apply_seed(session, {"organisations": [SCHOOL]})
    before = counts(session)
    with pytest.raises(SeedError) as refused:
        apply_seed(session, doc)
    assert refused.value.path == path
    assert counts(session) == before


def test_a_person_id_already_in_the_session_is_a_duplicate() -> None:
    """A second seed cannot reuse an id from the first."""
    session = Session("s")
    apply_seed(session, seed_doc(person("t1")))
    before = counts(session)
    with pytest.raises(SeedError, match="duplicate person id t1"):
        apply_seed(session, {"people": [person("t1", phone="+79990000002", login="t2")]})
    assert counts(session) == before


def test_a_later_seed_may_refer_to_an_earlier_organisation() -> None:
    """Organisations seeded before are known to later documents."""
    session = Session("s")
    apply_seed(session, {"organisations": [SCHOOL]})
    apply_seed(session, {"people": [person("t1")]})
    assert session.journal_accounts["mes-t1"].org_id == SCHOOL["id"]


def test_two_vkid_accounts_cannot_share_a_phone() -> None:
    """A phone is one VK ID login: a second VK ID account with it is a seed error."""
    session = Session("s")
    apply_seed(session, seed_doc(person("t1")))
    with pytest.raises(SeedError):
        apply_seed(session, {"people": [person("t2", login="t2")]})
    assert len(session.vkid_accounts) == 1
