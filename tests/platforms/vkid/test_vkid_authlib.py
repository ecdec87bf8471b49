"""VK ID through authlib, a standard OAuth 2 / OpenID client nobody here wrote, and the misuse RFCs forbid.

authlib builds the authorization URL and PKCE pair, exchanges and refreshes, validates the id_token
with its own JWT code and revokes with RFC 7009's names; the screens are walked over HTTP.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from authlib.common.errors import AuthlibBaseError as OAuthError
from authlib.common.security import generate_token
from authlib.integrations.httpx_client import OAuth2Client
from authlib.jose import jwt
from authlib.oidc.core import CodeIDToken

from simulator.testing import Persona, SimSession, SimTransport
from tests.platforms.vkid.vendor_journal import (
    CLIENT_ID,
    REDIRECT_URI,
    SCOPE,
    assert_vkid_error,
    exchange,
    query_of,
    user_info,
)
from tests.support.sim_browser import Grant

VKID = "https://id.vk.com"


@pytest.fixture
def oauth(sim_transport: SimTransport) -> Iterator[OAuth2Client]:
    """authlib's client for a public client with PKCE, as a journal's backend would configure it."""
    with OAuth2Client(
        client_id=CLIENT_ID,
        redirect_uri=REDIRECT_URI,
        scope=SCOPE,
        code_challenge_method="S256",
        token_endpoint_auth_method="none",
        transport=sim_transport,
    ) as session:
        yield session


def walk_screens(vkid: httpx.Client, sim_session: SimSession, person: Persona, url: str) -> str:
    """The teacher's way through VK ID from authlib's authorization URL; the URL VK ID sends them back to."""
    assert vkid.get(url).headers["location"] == "/auth"
    vkid.post("/auth", data={"login": person.phone})
    vkid.post("/auth/code", data={"code": sim_session.wait_message(to=person.phone)["code"]})
    vkid.post("/auth/profile", data={"action": "continue"})
    back = vkid.post("/auth/confirm")
    assert back.status_code == 302, back.text
    return back.headers["location"]


def test_authlib_signs_in_refreshes_reads_the_user_and_revokes(
    oauth: OAuth2Client,
    vkid: httpx.Client,
    sim_session: SimSession,
    teacher: Persona,
    client: dict[str, Any],
) -> None:
    verifier = generate_token(64)
    url, state = oauth.create_authorization_url(f"{VKID}/authorize", code_verifier=verifier, state=generate_token(48))
    back = walk_screens(vkid, sim_session, teacher, url)
    device_id = query_of(back)["device_id"]

    token = oauth.fetch_token(
        f"{VKID}/oauth2/auth", authorization_response=back, code_verifier=verifier, device_id=device_id
    )
    assert token["scope"] == SCOPE and state
    claims = jwt.decode(
        token["id_token"],
        client["client_secret"],
        claims_cls=CodeIDToken,
        claims_options={"iss": {"essential": True, "value": VKID}, "aud": {"essential": True, "value": CLIENT_ID}},
    )
    claims.validate(now=int(time.time()))  # the library's own clock: the wall's
    assert claims["sub"] == str(token["user_id"])

    renewed = oauth.refresh_token(f"{VKID}/oauth2/auth", refresh_token=token["refresh_token"], device_id=device_id)
    assert renewed["access_token"] != token["access_token"]
    access = {"client_id": CLIENT_ID, "access_token": renewed["access_token"]}
    assert oauth.post(f"{VKID}/oauth2/user_info", data=access).json()["user"]["first_name"] == teacher.first_name
    public = oauth.post(f"{VKID}/oauth2/public_info", data={"client_id": CLIENT_ID, "id_token": token["id_token"]})
    assert public.json()["user"]["last_name"] == teacher.last_name[0]

    assert oauth.post(f"{VKID}/oauth2/logout", data=access).json() == {"response": 1}
    assert_vkid_error(oauth.post(f"{VKID}/oauth2/user_info", data=access), 401, "invalid_token", "revoked")

    with pytest.raises(OAuthError, match="invalid_grant"):  # the spent refresh token, as authlib reports it
        oauth.refresh_token(f"{VKID}/oauth2/auth", refresh_token=token["refresh_token"], device_id=device_id)


def test_authlib_revokes_with_rfc_7009_names(
    oauth: OAuth2Client,
    vkid: httpx.Client,
    sim_session: SimSession,
    grant: Grant,
) -> None:
    tokens = exchange(vkid, grant.params()).json()
    revoked = oauth.revoke_token(
        f"{VKID}/oauth2/revoke", token=tokens["refresh_token"], token_type_hint="refresh_token"
    )
    assert revoked.status_code == 200 and revoked.json() == {"response": 1}
    assert_vkid_error(user_info(vkid, tokens["access_token"]), 401, "invalid_token", "revoked")
