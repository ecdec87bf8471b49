"""The vendor's own fixtures: their journal, served on rp.localhost, talking to VK ID's real names.

Everything else comes from the sferum-sim pytest plugin: sim_session, personas, page, vkid_router.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import respx
from journal_app import CLIENT_ID, SERVICE_NAME, JournalServer

from simulator.testing import Persona, Personas, SimSession


@pytest.fixture
def journal_server(vkid_router: respx.MockRouter) -> Iterator[JournalServer]:
    """The journal, unregistered; while it runs, its httpx calls to https://id.vk.com reach the simulator."""
    with JournalServer() as server:
        yield server


@pytest.fixture
def journal(journal_server: JournalServer, sim_session: SimSession) -> JournalServer:
    """The journal, registered as a relying party of VK ID with its callback."""
    sim_session.register_client(CLIENT_ID, [journal_server.journal.vkid.redirect_uri], SERVICE_NAME)
    return journal_server


@pytest.fixture
def teacher(sim_session: SimSession, personas: Personas, journal_server: JournalServer) -> Persona:
    """A teacher with a journal account and a VK ID account that has an educational profile."""
    person = personas.make("teacher")
    sim_session.seed({"people": [person.entry(journal=None, vkid=True, profile=True)]})
    sim_session.settings(phone_code_channel="sms")  # a six-digit SMS code, read from the outbox
    journal_server.journal.add_account(person.login, person.password, person.full_name)
    return person
