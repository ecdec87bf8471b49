"""VK ID's OAuth 2.1 + PKCE over HTTP: /authorize, the sign-in walk, /oauth2/auth and /oauth2/user_info."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from simulator import SESSION_HEADER
from simulator.testing import SimSession
from tests.support.sim_browser import (
    CLIENT_ID,
    REDIRECT_URI,
    Browser,
    Grant,
    authorize_url,
    location,
    new_pkce,
    query_of,
    sign_in,
)
from tests.support.sim_seeds import PHONE, person, world


@pytest.fixture
def relying_party(sim_session: SimSession, control: httpx.Client) -> dict[str, Any]:
    """A teacher with a VK ID and a profile, and the test's client registered over the control plane."""
    sim_session.seed(world(person()))
    body = {"client_id": CLIENT_ID, "redirect_uris": [REDIRECT_URI], "service_name": "Тестовый журнал"}
    response = control.post(f"/sessions/{sim_session.key}/clients", json=body)
    assert response.status_code == 201, response.text
    return response.json()


@pytest.fixture
def grant(relying_party: dict[str, Any], http_browser: Browser) -> Grant:
    """A full sign-in through the VK ID screens, ending in the redirect back with a code."""
    pkce = new_pkce()
    back = sign_in(http_browser, authorize_url(pkce), PHONE)
    assert back.startswith(REDIRECT_URI + "?")
    query = query_of(back)
    assert query["state"] == pkce.state and query["type"] == "code_v2"
    return Grant(pkce, query["code"], query["device_id"])


def exchange(vkid_api: httpx.Client, params: dict[str, str]) -> httpx.Response:
    """POST /oauth2/auth with a form body, as a relying party's server does."""
    return vkid_api.post("/oauth2/auth", data=params)


def test_registering_a_client_echoes_it(relying_party: dict[str, Any]) -> None:
    """POST /clients answers 201 with the client as stored."""
    assert relying_party["client_id"] == CLIENT_ID
    assert relying_party["redirect_uris"] == [REDIRECT_URI]
    assert relying_party["service_name"] == "Тестовый журнал"


def test_the_redirect_back_carries_code_state_device_id_and_type(grant: Grant) -> None:
    """The code and device id are non-empty opaque strings."""
    assert len(grant.code) >= 20 and len(grant.device_id) >= 16


def test_code_exchange_gives_tokens_and_user_info_gives_the_profile(
    grant: Grant, vkid_api: httpx.Client, sim_session: SimSession
) -> None:
    """No session header needed: the code names its session; the token reads the signed-in profile."""
    response = exchange(vkid_api, grant.params())
    assert response.status_code == 200, response.text
    tokens = response.json()
    profile = sim_session.snapshot()["profiles"][0]
    assert tokens["user_id"] == profile["id"]
    assert tokens["token_type"] == "Bearer" and tokens["expires_in"] == 3600
    assert tokens["state"] == grant.pkce.state
    assert tokens["access_token"] and tokens["refresh_token"] and tokens["access_token"] != tokens["refresh_token"]
    info = vkid_api.post("/oauth2/user_info", data={"client_id": CLIENT_ID, "access_token": tokens["access_token"]})
    assert info.status_code == 200, info.text
    assert info.json()["user"] == {
        "user_id": str(profile["id"]),
        "avatar": f"http://id.localhost/avatar/{profile['id']}.svg",
        "first_name": "Иван",
        "last_name": "Иванов",
        "patronymic": "Петрович",
        "sex": 2,
        "birthday": "17.05.1980",
        "verified": False,
        "phone": PHONE.lstrip("+"),
    }


@pytest.mark.parametrize("where", ["query", "form"])
def test_parameters_are_read_from_the_query_string_and_the_form_body(
    grant: Grant, vkid_api: httpx.Client, where: str
) -> None:
    """The SDKs differ: both places work."""
    if where == "query":
        response = vkid_api.post("/oauth2/auth", params=grant.params())
    else:
        response = vkid_api.post("/oauth2/auth", data=grant.params())
    assert response.status_code == 200, response.text
    assert response.json()["access_token"]


def assert_vkid_error(response: httpx.Response, status: int, error: str, state: str | None, words: str = "") -> None:
    """VK ID's error shape: {error, error_description, state}."""
    assert response.status_code == status, response.text
    body = response.json()
    assert body["error"] == error
    assert words in body["error_description"]
    assert body.get("state") == state


ERRORS = {
    "wrong redirect_uri": ({"redirect_uri": "https://rp.example/other"}, 400, "invalid_grant", "redirect_uri"),
    "wrong verifier": ({"code_verifier": "x" * 64}, 400, "invalid_grant", "code_challenge"),
    "missing verifier": ({"code_verifier": None}, 400, "invalid_request", "code_verifier is missing"),
    "short verifier": ({"code_verifier": "abc"}, 400, "invalid_request", "43-128"),
    "wrong device_id": ({"device_id": "other-device"}, 400, "invalid_grant", "device_id"),
    "unknown client": ({"client_id": "nobody"}, 401, "invalid_client", "unknown client_id nobody"),
    "another client's code": ({"client_id": "mes_vks"}, 400, "invalid_grant", "authorization code is invalid"),
}


@pytest.mark.parametrize("changes, status, error, words", ERRORS.values(), ids=ERRORS.keys())
def test_a_bad_code_exchange_is_refused_in_vkid_shape(
    grant: Grant, vkid_api: httpx.Client, changes: dict[str, Any], status: int, error: str, words: str
) -> None:
    """Each protocol mistake gets its VK ID error code, a description and the state back."""
    assert_vkid_error(exchange(vkid_api, grant.params(**changes)), status, error, grant.pkce.state, words)


def test_an_unknown_code_is_invalid_grant(grant: Grant, vkid_api: httpx.Client, sim_session: SimSession) -> None:
    """A made-up code names no session, so the caller says which one; the client is known there."""
    response = vkid_api.post(
        "/oauth2/auth", data=grant.params(code="made-up"), headers={SESSION_HEADER: sim_session.key}
    )
    assert_vkid_error(response, 400, "invalid_grant", grant.pkce.state, "authorization code is invalid")


def test_a_code_works_only_once(grant: Grant, vkid_api: httpx.Client) -> None:
    """The second exchange of one code is invalid_grant «already been used»."""
    assert exchange(vkid_api, grant.params()).status_code == 200
    assert_vkid_error(exchange(vkid_api, grant.params()), 400, "invalid_grant", grant.pkce.state, "already been used")


def test_a_code_expires_after_ten_minutes(grant: Grant, vkid_api: httpx.Client, sim_session: SimSession) -> None:
    """Eleven minutes of session time later the code is invalid_grant «expired»."""
    sim_session.advance(11 * 60)
    assert_vkid_error(exchange(vkid_api, grant.params()), 400, "invalid_grant", grant.pkce.state, "expired")


def test_an_unsupported_grant_type_is_refused(vkid_api: httpx.Client) -> None:
    """grant_type=password and friends: unsupported_grant_type."""
    response = exchange(vkid_api, {"grant_type": "password", "client_id": CLIENT_ID})
    assert response.status_code == 400
    assert response.json()["error"] == "unsupported_grant_type"


def test_an_unsupported_grant_type_echoes_the_state(grant: Grant, vkid_api: httpx.Client) -> None:
    """Like every other error of /oauth2/auth, the state comes back."""
    response = exchange(vkid_api, grant.params(grant_type="password"))
    assert_vkid_error(response, 400, "unsupported_grant_type", grant.pkce.state)


def test_refresh_rotates_the_refresh_token(grant: Grant, vkid_api: httpx.Client) -> None:
    """A refresh gives new tokens; the old one is refused afterwards, and its replay ends the newer pair (RFC 9700 §4.14)."""
    tokens = exchange(vkid_api, grant.params()).json()
    refresh = {"grant_type": "refresh_token", "client_id": CLIENT_ID, "device_id": grant.device_id}
    renewed = exchange(vkid_api, {**refresh, "refresh_token": tokens["refresh_token"]})
    assert renewed.status_code == 200, renewed.text
    new = renewed.json()
    assert new["refresh_token"] != tokens["refresh_token"] and new["access_token"] != tokens["access_token"]
    assert new["user_id"] == tokens["user_id"]
    again = exchange(vkid_api, {**refresh, "refresh_token": tokens["refresh_token"], "state": "s"})
    assert_vkid_error(again, 400, "invalid_grant", "s", "revoked")
    assert_vkid_error(
        exchange(vkid_api, {**refresh, "refresh_token": new["refresh_token"]}), 400, "invalid_grant", None, "revoked"
    )


def test_refresh_with_another_device_id_is_refused(grant: Grant, vkid_api: httpx.Client) -> None:
    """The refresh token is bound to the device it was issued for."""
    tokens = exchange(vkid_api, grant.params()).json()
    params = {
        "grant_type": "refresh_token",
        "client_id": CLIENT_ID,
        "device_id": "another-device",
        "refresh_token": tokens["refresh_token"],
    }
    assert_vkid_error(exchange(vkid_api, params), 400, "invalid_grant", None, "device_id")


def test_user_info_refuses_an_unknown_token(
    relying_party: dict[str, Any], vkid_api: httpx.Client, sim_session: SimSession
) -> None:
    """A made-up access token (in the test's session, named by the header) is invalid_token 401."""
    response = vkid_api.post(
        "/oauth2/user_info",
        data={"client_id": CLIENT_ID, "access_token": "made-up"},
        headers={SESSION_HEADER: sim_session.key},
    )
    assert_vkid_error(response, 401, "invalid_token", None)


def test_an_access_token_expires_after_an_hour(grant: Grant, vkid_api: httpx.Client, sim_session: SimSession) -> None:
    """user_info works with a fresh token and answers invalid_token 401 an hour and a second later."""
    token = exchange(vkid_api, grant.params()).json()["access_token"]
    params = {"client_id": CLIENT_ID, "access_token": token}
    assert vkid_api.post("/oauth2/user_info", data=params).status_code == 200
    sim_session.advance(3601)
    assert_vkid_error(vkid_api.post("/oauth2/user_info", data=params), 401, "invalid_token", None, "expired")


# -- /authorize refusals ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "changes, status, words",
    [
        ({"client_id": "nobody"}, 401, "unknown client_id nobody"),
        ({"redirect_uri": "https://evil.example/steal"}, 400, "redirect_uri is not registered"),
    ],
    ids=["unknown client", "unregistered redirect_uri"],
)
def test_authorize_without_a_trusted_redirect_shows_an_error_page(
    relying_party: dict[str, Any], http_browser: Browser, changes: dict[str, str], status: int, words: str
) -> None:
    """The user is never sent to an unverified address: an HTML page, no Location."""
    pkce = new_pkce()
    response = http_browser.get(authorize_url(pkce, **changes))
    assert response.status_code == status
    assert "location" not in response.headers
    assert response.headers["content-type"].startswith("text/html")
    assert "Не удалось начать вход" in response.text and words in response.text


@pytest.mark.parametrize(
    "changes, words",
    [
        ({"state": "too-short"}, "state must be at least 32 characters"),
        ({"code_challenge": None}, "code_challenge"),
        ({"code_challenge_method": "plain"}, "code_challenge_method must be s256"),
    ],
    ids=["short state", "no code_challenge", "plain PKCE"],
)
def test_authorize_errors_with_a_trusted_redirect_go_back_to_the_client(
    relying_party: dict[str, Any], http_browser: Browser, changes: dict[str, Any], words: str
) -> None:
    """Known client and registered redirect_uri: 302 back with error=invalid_request and the state."""
    pkce = new_pkce()
    back = location(http_browser.get(authorize_url(pkce, **changes)), 302)
    assert back.startswith(REDIRECT_URI + "?")
    query = query_of(back)
    assert query["error"] == "invalid_request"
    assert words in query["error_description"]
    assert query["state"] == changes.get("state", pkce.state)


def test_a_redirect_uri_with_its_own_query_keeps_it(sim_session: SimSession, http_browser: Browser) -> None:
    """error and state are added to a redirect_uri's existing query, which is kept as it was."""
    redirect = "https://rp.example/cb?tenant=7"
    sim_session.register_client("rp_query", [redirect], "Журнал с параметром")
    pkce = new_pkce()
    url = authorize_url(pkce, client_id="rp_query", redirect_uri=redirect, state="short")
    back = location(http_browser.get(url), 302)
    query = query_of(back)
    assert query["tenant"] == "7"
    assert query["error"] == "invalid_request" and query["state"] == "short"
