"""The control-plane client's typed records have exactly the keys the simulator answers with."""

from __future__ import annotations

import dataclasses
from typing import get_type_hints

from simulator.testing import SimSession
from simulator.testing.client import Link, Message
from simulator.world.models import Link as WorldLink
from simulator.world.models import OutboxMessage
from tests.support.sim_browser import Browser, enter_login, mes_authorize_url, start
from tests.support.sim_seeds import PHONE, person, world


def test_a_message_record_names_every_field_of_the_outbox_message() -> None:
    assert set(get_type_hints(Message)) == {f.name for f in dataclasses.fields(OutboxMessage)}


def test_a_link_record_is_the_world_link_and_its_owner() -> None:
    assert set(get_type_hints(Link)) == {f.name for f in dataclasses.fields(WorldLink)} | {"journal", "person_id"}


def test_a_message_from_the_outbox_has_the_record_keys(sim_session: SimSession, http_browser: Browser) -> None:
    sim_session.seed(world(person()))
    start(http_browser, mes_authorize_url(sim_session))
    enter_login(http_browser, PHONE)
    [message] = sim_session.messages(to=PHONE)
    assert set(message) == set(get_type_hints(Message))
    assert sim_session.wait_message(to=PHONE) == message
