"""The vendor journal's fixtures VK ID's protocol tests share: its registration, a teacher, its HTTP client, a grant."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from simulator.testing import Persona, Personas, SimSession, SimTransport
from tests.platforms.vkid.vendor_journal import CLIENT_ID, REDIRECT_URI, SERVICE, grant_of, sign_in
from tests.support.sim_browser import Grant, new_pkce


@pytest.fixture
def client(sim_session: SimSession) -> dict[str, Any]:
    """The vendor's registration, as the control plane echoes it (with the id_token secret)."""
    return sim_session.register_client(CLIENT_ID, [REDIRECT_URI], SERVICE)


@pytest.fixture
def teacher(sim_session: SimSession, personas: Personas) -> Persona:
    person = personas.make("teacher")
    sim_session.seed({"people": [person.entry(journal=None, vkid=True, profile=True)]})
    sim_session.settings(phone_code_channel="sms")
    return person


@pytest.fixture
def vkid(sim_transport: SimTransport) -> Iterator[httpx.Client]:
    """A vendor's HTTP client for VK ID, with a cookie jar so it can also walk the screens."""
    with httpx.Client(transport=sim_transport, base_url="https://id.vk.com") as http:
        yield http


@pytest.fixture
def grant(client: dict, teacher: Persona, vkid: httpx.Client, sim_session: SimSession) -> Grant:
    pkce = new_pkce()
    back = sign_in(vkid, sim_session, teacher, pkce)
    return grant_of(pkce, back)
