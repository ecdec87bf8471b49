"""Every OAuth code and token names the one session that issued it, with or without the session header.

Two sessions are made as alike as they can be (one seed, one client with one client secret, one teacher),
so only the binding of codes and tokens to their session can tell them apart.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from simulator.testing import Persona, Personas, SimSession, Simulator
from tests.platforms.vkid.vendor_journal import (
    CLIENT_ID,
    REDIRECT_URI,
    SERVICE,
    authorize,
    grant_of,
    query_of,
)
from tests.support.sim_browser import Grant, new_pkce

HEADER = "X-Sim-Session"
SECRET = "the-same-client-secret-in-both-sessions-0123"
CODE = "515151"


@dataclass
class Issued:
    """What a vendor holds after one sign-in in a session: the grant and the tokens it was exchanged for."""

    session: SimSession
    grant: Grant
    tokens: dict[str, Any]


@pytest.fixture
def twins(sim: Simulator, vkid_api: httpx.Client) -> Iterator[tuple[SimSession, SimSession, Persona]]:
    """Two sessions alike in everything: the same seed, client, client secret and teacher."""
    teacher = Personas(77).make("teacher")
    made = [sim.new_session(seed=77, running_clock=False) for _ in range(2)]
    for session in made:
        session.register_client(CLIENT_ID, [REDIRECT_URI], SERVICE, client_secret=SECRET)
        session.seed({"people": [teacher.entry(journal=None, vkid=True, profile=True)]})
        session.settings(phone_code_channel="sms")
        session.fix_code(teacher.phone, CODE)
    yield made[0], made[1], teacher
    for session in made:
        session.delete()


def _grant(vkid_api: httpx.Client, session: SimSession, teacher: Persona) -> Grant:
    """A sign-in through VK ID's screens in `session` (a browser sends the header); the grant it ends with."""
    browser = {HEADER: session.key}
    vkid_api.cookies.clear()  # a new browser each time: VK ID's sign-in cookie is one session's
    pkce = new_pkce()
    location = vkid_api.get("/authorize", params=authorize(pkce), headers=browser).headers["location"]
    forms = {"/auth": {"login": teacher.phone}, "/auth/code": {"code": CODE}, "/auth/profile": {"action": "continue"}}
    while location in forms:
        location = vkid_api.post(location, data=forms[location], headers=browser).headers["location"]
    assert location == "/auth/confirm", location
    back = vkid_api.post("/auth/confirm", headers=browser).headers["location"]
    return grant_of(pkce, query_of(back))


def _issue(vkid_api: httpx.Client, session: SimSession, teacher: Persona) -> Issued:
    grant = _grant(vkid_api, session, teacher)
    answer = vkid_api.post("/oauth2/auth", data=grant.params())  # the vendor's server: no header
    assert answer.status_code == 200, answer.text
    return Issued(session, grant, answer.json())


def _call(vkid_api: httpx.Client, path: str, data: dict[str, str], session: str | None = None) -> httpx.Response:
    return vkid_api.post(path, data=data, headers={HEADER: session} if session else {})


def _user_info(vkid_api: httpx.Client, access_token: str, session: str | None = None) -> httpx.Response:
    return _call(vkid_api, "/oauth2/user_info", {"client_id": CLIENT_ID, "access_token": access_token}, session)


def _public_info(vkid_api: httpx.Client, id_token: str, session: str | None = None) -> httpx.Response:
    return _call(vkid_api, "/oauth2/public_info", {"client_id": CLIENT_ID, "id_token": id_token}, session)


def _refused(response: httpx.Response, status: int, error: str, words: str) -> bool:
    body = response.json()
    return response.status_code == status and body["error"] == error and words in body["error_description"]


def test_a_sessions_tokens_are_refused_in_its_twin(
    twins: tuple[SimSession, SimSession, Persona], vkid_api: httpx.Client
) -> None:
    a, b, teacher = twins
    issued = _issue(vkid_api, a, teacher)
    tokens = issued.tokens
    # Without the header each token finds its own session; naming the twin, each is refused there.
    assert _public_info(vkid_api, tokens["id_token"]).status_code == 200
    assert _refused(
        _public_info(vkid_api, tokens["id_token"], b.key), 401, "invalid_token", "not issued in this session"
    )
    assert _user_info(vkid_api, tokens["access_token"]).status_code == 200
    assert _refused(_user_info(vkid_api, tokens["access_token"], b.key), 401, "invalid_token", "invalid")
    refresh = {
        "grant_type": "refresh_token",
        "refresh_token": tokens["refresh_token"],
        "client_id": CLIENT_ID,
        "device_id": issued.grant.device_id,
    }
    assert _refused(_call(vkid_api, "/oauth2/auth", refresh, b.key), 400, "invalid_grant", "invalid")
    unused = _grant(vkid_api, a, teacher)
    assert _refused(_call(vkid_api, "/oauth2/auth", unused.params(), b.key), 400, "invalid_grant", "invalid")
    # Refused in the twin and left alone in its own session: nothing the twin was asked spent them.
    assert _call(vkid_api, "/oauth2/auth", refresh).status_code == 200
    assert _call(vkid_api, "/oauth2/auth", unused.params()).status_code == 200


def test_a_snapshot_copy_has_tokens_of_its_own(
    twins: tuple[SimSession, SimSession, Persona], vkid_api: httpx.Client, control: httpx.Client
) -> None:
    """A snapshot put under another key gets new token values; the original's stay the original's."""
    a, _, teacher = twins
    tokens = _issue(vkid_api, a, teacher).tokens
    taken = control.get(f"/sessions/{a.key}/snapshot").json()
    copy_key = a.key + "-copy"
    assert control.put(f"/sessions/{copy_key}/snapshot", json=taken).status_code == 201
    try:
        copied = control.get(f"/sessions/{copy_key}/snapshot").json()["oauth"]
        (copied_token,) = copied["tokens"]
        (copied_id_token,) = copied["id_tokens"]
        assert copied_token["access_token"] != tokens["access_token"]
        assert copied_id_token["id_token"] != tokens["id_token"]
        # Header-less, each token finds the session that holds it; named elsewhere, it is refused.
        assert _user_info(vkid_api, copied_token["access_token"]).status_code == 200
        assert _public_info(vkid_api, copied_id_token["id_token"]).status_code == 200
        assert _refused(_user_info(vkid_api, tokens["access_token"], copy_key), 401, "invalid_token", "invalid")
        # The copy's logout ends the copy's token alone.
        logout = {"client_id": CLIENT_ID, "access_token": copied_token["access_token"]}
        assert _call(vkid_api, "/oauth2/logout", logout).status_code == 200
        assert _user_info(vkid_api, tokens["access_token"]).status_code == 200
    finally:
        control.delete(f"/sessions/{copy_key}")
    # Deleting the copy takes nothing from the original.
    assert _user_info(vkid_api, tokens["access_token"]).status_code == 200
    assert _public_info(vkid_api, tokens["id_token"]).status_code == 200


def test_an_id_token_expired_in_the_original_is_expired_in_a_copy(
    twins: tuple[SimSession, SimSession, Persona], vkid_api: httpx.Client, control: httpx.Client
) -> None:
    a, _, teacher = twins
    tokens = _issue(vkid_api, a, teacher).tokens
    a.advance(3600)  # an id_token lives an hour on the session's clock
    assert _refused(_public_info(vkid_api, tokens["id_token"]), 401, "invalid_token", "expired")
    taken = control.get(f"/sessions/{a.key}/snapshot").json()
    copy_key = a.key + "-expired"
    assert control.put(f"/sessions/{copy_key}/snapshot", json=taken).status_code == 201
    try:
        (copied,) = control.get(f"/sessions/{copy_key}/snapshot").json()["oauth"]["id_tokens"]
        assert _refused(_public_info(vkid_api, copied["id_token"]), 401, "invalid_token", "expired")
        assert _refused(_public_info(vkid_api, copied["id_token"], copy_key), 401, "invalid_token", "expired")
    finally:
        control.delete(f"/sessions/{copy_key}")
