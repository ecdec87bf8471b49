"""The world's own state changes: typed refusals, faults and settings, Госуслуги codes and МАХ tickets."""

from __future__ import annotations

from datetime import timedelta

import pytest

from simulator.world import Session, World, faults, outbox
from simulator.world.esia import CODE_TTL
from simulator.world.faults import UnknownFault, UnknownSetting
from simulator.world.tickets import TICKET_TTL
from simulator.world.world import InvalidSessionKey, SessionExists


def test_creating_a_session_refuses_a_taken_or_malformed_key_with_its_own_exception() -> None:
    world = World()
    world.create("taken")
    with pytest.raises(SessionExists, match="already exists"):
        world.create("taken")
    with pytest.raises(InvalidSessionKey, match="session key"):
        world.create("no spaces")


def test_faults_switch_through_the_session_and_are_logged() -> None:
    session = Session("s")
    faults.set_fault(session, "vpn")
    assert faults.clear_fault(session, "vpn") is not None
    assert faults.clear_fault(session, "vpn") is None
    assert [(e["kind"], e["name"]) for e in session.events] == [("fault_on", "vpn"), ("fault_off", "vpn")]
    with pytest.raises(UnknownFault):
        faults.set_fault(session, "nonsense")


def test_settings_change_all_or_none() -> None:
    session = Session("s")
    with pytest.raises(UnknownSetting, match="pigeon"):
        faults.change_settings(session, {"mes_sferum_in": "max", "phone_code_channel": "pigeon"})
    assert session.settings == {"phone_code_channel": "call", "mes_sferum_in": "vk"}
    assert faults.change_settings(session, {"mes_sferum_in": "max"})["mes_sferum_in"] == "max"


def test_fixed_codes_are_set_and_unset_through_the_session() -> None:
    session = Session("s")
    outbox.fix_code(session, "+79990000000", "123456")
    outbox.fix_code(session, "+79990000000", "1234")
    assert session.codes.fixed == {("+79990000000", 6): "123456", ("+79990000000", 4): "1234"}
    outbox.unfix_codes(session, "+79990000000")
    assert session.codes.fixed == {}


def test_an_esia_code_works_once_for_its_client_and_address_within_its_lifetime() -> None:
    session = Session("s")
    now = session.clock.now()
    code = session.esia_codes.issue(7, "eljur", "http://eljur/cb", now)
    assert session.esia_codes.redeem(code, "other", "http://eljur/cb", now) is None
    assert session.esia_codes.redeem(code, "eljur", "http://other/cb", now) is None
    assert session.esia_codes.redeem(code, "eljur", "http://eljur/cb", now) == 7
    assert session.esia_codes.redeem(code, "eljur", "http://eljur/cb", now) is None
    late = session.esia_codes.issue(7, "eljur", "http://eljur/cb", now)
    assert session.esia_codes.redeem(late, "eljur", "http://eljur/cb", now + CODE_TTL + timedelta(seconds=1)) is None


def test_a_link_ticket_is_gone_once_tried_and_does_not_outlive_its_time() -> None:
    session = Session("s")
    now = session.clock.now()
    ticket = session.link_tickets.issue("mes", "state-1", 42, now)
    assert session.link_tickets.redeem(ticket, "mes", "another state", now) is None
    assert session.link_tickets.redeem(ticket, "mes", "state-1", now) is None  # a failed try spends it
    ticket = session.link_tickets.issue("mes", "state-1", 42, now)
    assert session.link_tickets.redeem(ticket, "mes", "state-1", now) == 42
    expired = session.link_tickets.issue("mes", "state-1", 42, now)
    assert session.link_tickets.redeem(expired, "mes", "state-1", now + TICKET_TTL) is None


def test_codes_and_tickets_go_with_a_reset_session() -> None:
    world = World()
    session = world.create("s")
    now = session.clock.now()
    code = session.esia_codes.issue(7, "eljur", "http://eljur/cb", now)
    ticket = session.link_tickets.issue("mes", "state-1", 42, now)
    fresh = world.reset("s")
    assert fresh.esia_codes.redeem(code, "eljur", "http://eljur/cb", now) is None
    assert fresh.link_tickets.redeem(ticket, "mes", "state-1", now) is None
