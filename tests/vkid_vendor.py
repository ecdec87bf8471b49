"""A vendor's journal as VK ID's protocol tests play it: its client, a teacher, a sign-in over HTTP."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from simulator.testing import Persona, Personas, SimSession, SimTransport
from tests.sim_browser import Grant, Pkce, authorize_query, new_pkce

CLIENT_ID = "vendor_journal"
REDIRECT_URI = "https://journal.example/vkid/callback"
SERVICE = "Электронный журнал «Пример»"
SCOPE = "vkid.personal_info phone email"


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def authorize(pkce: Pkce, **changes: str | None) -> dict[str, str]:
    """/authorize's query for this module's client; a change of None drops the parameter."""
    return authorize_query(pkce, **{"client_id": CLIENT_ID, "redirect_uri": REDIRECT_URI, "scope": SCOPE, **changes})


def grant_of(pkce: Pkce, back: dict[str, str]) -> Grant:
    return Grant(pkce, back["code"], back["device_id"], CLIENT_ID, REDIRECT_URI)


def query_of(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


def assert_vkid_error(response: httpx.Response, status: int, error: str, words: str, state: str | None = None) -> None:
    """VK ID's error shape: {error, error_description, state}."""
    assert response.status_code == status, response.text
    body = response.json()
    assert body["error"] == error
    assert words in body["error_description"]
    assert body.get("state") == state


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


def sign_in(vkid: httpx.Client, sim_session: SimSession, person: Persona, pkce: Pkce) -> dict[str, str]:
    """The user's way through VK ID, form by form; returns the query VK ID redirects back with."""
    if vkid.get("/authorize", params=authorize(pkce)).headers["location"] == "/auth":  # not signed in yet
        assert vkid.post("/auth", data={"login": person.phone}).headers["location"] == "/auth/code"
        code = sim_session.wait_message(to=person.phone)["code"]
        assert vkid.post("/auth/code", data={"code": code}).headers["location"] == "/auth/profile"
    assert vkid.post("/auth/profile", data={"action": "continue"}).headers["location"] == "/auth/confirm"
    back = vkid.post("/auth/confirm")
    assert back.status_code == 302 and back.headers["location"].startswith(REDIRECT_URI + "?")
    return query_of(back.headers["location"])


@pytest.fixture
def grant(client: dict, teacher: Persona, vkid: httpx.Client, sim_session: SimSession) -> Grant:
    pkce = new_pkce()
    back = sign_in(vkid, sim_session, teacher, pkce)
    return grant_of(pkce, back)


def exchange(vkid: httpx.Client, params: dict[str, str]) -> httpx.Response:
    return vkid.post("/oauth2/auth", data=params)


def user_info(vkid: httpx.Client, access_token: str) -> httpx.Response:
    return vkid.post("/oauth2/user_info", data={"client_id": CLIENT_ID, "access_token": access_token})
