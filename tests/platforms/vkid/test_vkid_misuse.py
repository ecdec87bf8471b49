"""OAuth misuse that RFC 6749, RFC 7636 and RFC 9700 forbid, one row each, refused in VK ID's error shape."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest

from simulator.testing import SimSession
from tests.platforms.vkid.vendor_journal import (
    CLIENT_ID,
    REDIRECT_URI,
    SERVICE,
    authorize,
    exchange,
    query_of,
    user_info,
)
from tests.support.sim_browser import Grant, new_pkce

SCRIPT_STATE = "<script>alert(1)</script>" + "x" * 32


@dataclass(frozen=True)
class Misuse:
    """What the relying party (or an attacker) sends, and VK ID's refusal."""

    send: Callable[[httpx.Client, Grant, SimSession], httpx.Response]
    status: int
    error: str
    words: str
    echoed_state: bool = True  # the refusal carries the request's state (only a well-formed one)


def _refresh(vkid: httpx.Client, grant: Grant, refresh_token: str, **changes: str) -> httpx.Response:
    form = {"grant_type": "refresh_token", "client_id": CLIENT_ID, "device_id": grant.device_id}
    return exchange(vkid, {**form, "refresh_token": refresh_token, "state": grant.pkce.state, **changes})


def _raw_post(vkid: httpx.Client, path: str, pairs: list[tuple[str, str]]) -> httpx.Response:
    return vkid.post(path, content=urlencode(pairs), headers={"Content-Type": "application/x-www-form-urlencoded"})


def _replayed_code(vkid: httpx.Client, grant: Grant, sim_session: SimSession) -> httpx.Response:
    exchange(vkid, grant.params())
    return exchange(vkid, grant.params())


def _replayed_refresh(vkid: httpx.Client, grant: Grant, sim_session: SimSession) -> httpx.Response:
    first = exchange(vkid, grant.params()).json()
    _refresh(vkid, grant, first["refresh_token"])
    return _refresh(vkid, grant, first["refresh_token"])


def _foreign_client(vkid: httpx.Client, grant: Grant, sim_session: SimSession) -> httpx.Response:
    sim_session.register_client("other_journal", [REDIRECT_URI], SERVICE)
    return exchange(vkid, grant.params(client_id="other_journal"))


def _expired_code(vkid: httpx.Client, grant: Grant, sim_session: SimSession) -> httpx.Response:
    sim_session.advance(601)
    return exchange(vkid, grant.params())


def _repeated(name: str) -> Callable[[httpx.Client, Grant, SimSession], httpx.Response]:
    def send(vkid: httpx.Client, grant: Grant, sim_session: SimSession) -> httpx.Response:
        params = grant.params()
        return _raw_post(vkid, "/oauth2/auth", [*params.items(), (name, params[name])])

    return send


MISUSES: dict[str, Misuse] = {
    # RFC 6749 §4.1.2 / RFC 9700 §4.5: a code works once; its replay is refused.
    "code replayed": Misuse(_replayed_code, 400, "invalid_grant", "already been used"),
    "code expired": Misuse(_expired_code, 400, "invalid_grant", "has expired"),
    "code of another client": Misuse(_foreign_client, 400, "invalid_grant", "authorization code is invalid"),
    "redirect_uri changed": Misuse(
        lambda v, g, s: exchange(v, g.params(redirect_uri=REDIRECT_URI + "/x")), 400, "invalid_grant", "redirect_uri"
    ),
    "device_id changed": Misuse(
        lambda v, g, s: exchange(v, g.params(device_id="other")), 400, "invalid_grant", "device_id"
    ),
    # RFC 7636 §4.5–4.6: the verifier is required, well-formed, and matches the challenge.
    "no code_verifier": Misuse(
        lambda v, g, s: exchange(v, g.params(code_verifier=None)), 400, "invalid_request", "missing"
    ),
    "short code_verifier": Misuse(
        lambda v, g, s: exchange(v, g.params(code_verifier="a" * 42)), 400, "invalid_request", "43-128"
    ),
    "wrong code_verifier": Misuse(
        lambda v, g, s: exchange(v, g.params(code_verifier="b" * 64)), 400, "invalid_grant", "does not match"
    ),
    # RFC 6749 §3.1: no parameter twice.
    "code twice": Misuse(_repeated("code"), 400, "invalid_request", "code is repeated", echoed_state=False),
    "state twice": Misuse(_repeated("state"), 400, "invalid_request", "state is repeated", echoed_state=False),
    # VK ID's state alphabet: markup is never echoed back.
    "state with markup": Misuse(
        lambda v, g, s: exchange(v, g.params(state=SCRIPT_STATE)),
        400,
        "invalid_request",
        "state may hold only",
        echoed_state=False,
    ),
    # RFC 9700 §2.4: no resource owner password grant; only code and refresh_token.
    "password grant": Misuse(
        lambda v, g, s: exchange(v, g.params(grant_type="password")), 400, "unsupported_grant_type", "grant_type"
    ),
    # RFC 9700 §4.14.2: refresh tokens rotate; a spent one is refused.
    "refresh token replayed": Misuse(_replayed_refresh, 400, "invalid_grant", "has been revoked"),
    "refresh from another device": Misuse(
        lambda v, g, s: _refresh(v, g, exchange(v, g.params()).json()["refresh_token"], device_id="other"),
        400,
        "invalid_grant",
        "device_id",
    ),
    # RFC 6750 §3.1: a made-up bearer token is invalid_token, with the WWW-Authenticate challenge.
    "made-up access token": Misuse(
        lambda v, g, s: user_info(v, "made-up"), 401, "invalid_token", "access token is invalid", echoed_state=False
    ),
}


@pytest.mark.parametrize("misuse", MISUSES.values(), ids=MISUSES.keys())
def test_misuse_is_refused_in_vkids_shape(
    misuse: Misuse,
    vkid: httpx.Client,
    grant: Grant,
    sim_session: SimSession,
) -> None:
    response = misuse.send(vkid, grant, sim_session)
    assert response.status_code == misuse.status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert body["error"] == misuse.error and misuse.words in body["error_description"], body
    assert body.get("state") == (grant.pkce.state if misuse.echoed_state else None)
    if misuse.status == 401:
        assert response.headers["WWW-Authenticate"].startswith(f'Bearer error="{misuse.error}"')


def test_a_replayed_code_revokes_the_tokens_refreshed_from_it(vkid: httpx.Client, grant: Grant) -> None:
    first = exchange(vkid, grant.params()).json()
    renewed = _refresh(vkid, grant, first["refresh_token"]).json()
    assert exchange(vkid, grant.params()).status_code == 400
    assert user_info(vkid, renewed["access_token"]).json()["error"] == "invalid_token"
    assert _refresh(vkid, grant, renewed["refresh_token"]).json()["error"] == "invalid_grant"


def test_a_replayed_refresh_token_revokes_the_newer_pair(vkid: httpx.Client, grant: Grant) -> None:
    first = exchange(vkid, grant.params()).json()
    renewed = _refresh(vkid, grant, first["refresh_token"]).json()
    assert _refresh(vkid, grant, first["refresh_token"]).status_code == 400
    assert user_info(vkid, renewed["access_token"]).status_code == 401


@pytest.mark.parametrize(
    "changes, words",
    [
        ({"state": SCRIPT_STATE}, "state may hold only"),
        ({"response_type": "token"}, "response_type must be code"),
        ({"code_challenge_method": "plain"}, "code_challenge_method must be s256"),
    ],
    ids=["state with markup", "implicit grant (RFC 9700 §2.1.2)", "plain PKCE (RFC 9700 §2.1.1)"],
)
def test_authorize_misuse_goes_back_without_echoing_bad_input(
    client: dict[str, Any],
    vkid: httpx.Client,
    changes: dict[str, str],
    words: str,
) -> None:
    response = vkid.get("/authorize", params=authorize(new_pkce(), **changes))
    assert response.status_code == 302 and response.headers["location"].startswith(REDIRECT_URI + "?")
    query = query_of(response.headers["location"])
    assert words in query["error_description"] and "<script>" not in response.headers["location"]
    assert ("state" in query) is ("state" not in changes)


def test_authorize_with_a_repeated_parameter_sends_no_one_anywhere(client: dict[str, Any], vkid: httpx.Client) -> None:
    query = urlencode([*authorize(new_pkce()).items(), ("state", "y" * 40)])
    response = vkid.get(f"/authorize?{query}")
    assert response.status_code == 400 and "location" not in response.headers
    assert "state is repeated" in response.text
