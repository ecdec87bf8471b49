"""A vendor's journal as VK ID's protocol tests play it: its registration, /authorize's query, a sign-in over HTTP.

Plain values and functions the tests call with their arguments; the fixtures built on them (the registered
client, a teacher, the vendor's HTTP client, a grant) are in this folder's conftest.py."""

from __future__ import annotations

import base64
from urllib.parse import parse_qs, urlsplit

import httpx

from simulator.testing import Persona, SimSession
from tests.support.sim_browser import Grant, Pkce, authorize_query

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


def exchange(vkid: httpx.Client, params: dict[str, str]) -> httpx.Response:
    return vkid.post("/oauth2/auth", data=params)


def user_info(vkid: httpx.Client, access_token: str) -> httpx.Response:
    return vkid.post("/oauth2/user_info", data={"client_id": CLIENT_ID, "access_token": access_token})
