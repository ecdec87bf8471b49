"""VK ID's OAuth 2.1 + PKCE endpoints, called as a vendor's backend calls them: by their real names.

Every request goes to https://id.vk.com through the plugin's transport; the sign-in screens are
walked over HTTP (no browser), so each validation costs a few milliseconds.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import ssl
from urllib.parse import urlencode

import httpx
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization

from simulator import SimulatorServer
from simulator.testing import (
    AsyncSimTransport,
    Persona,
    SimSession,
    SimulatorError,
)
from simulator.world.oauth import OAuthClient, OAuthStore
from tests.platforms.vkid.vendor_journal import (
    CLIENT_ID,
    REDIRECT_URI,
    SCOPE,
    SERVICE,
    assert_vkid_error,
    authorize,
    b64url,
    exchange,
    grant_of,
    query_of,
    sign_in,
    user_info,
)
from tests.support.aio import run
from tests.support.sim_browser import Grant, new_pkce

# -- /authorize ---------------------------------------------------------------------------------


def test_the_redirect_back_carries_code_state_device_id_and_type(
    client: dict, teacher: Persona, vkid: httpx.Client, sim_session: SimSession
) -> None:
    pkce = new_pkce()
    back = sign_in(vkid, sim_session, teacher, pkce)
    assert back["state"] == pkce.state and back["type"] == "code_v2"
    assert back["code"] and back["device_id"] and back["expires_in"] == "600"


@pytest.mark.parametrize(
    "changes, status, error, words",
    [
        ({"client_id": "nobody"}, 401, "invalid_client", "unknown client_id nobody"),
        ({"client_id": None}, 400, "invalid_request", "client_id is missing"),
        ({"redirect_uri": "https://evil.example/steal"}, 400, "invalid_request", "redirect_uri is not registered"),
        ({"redirect_uri": REDIRECT_URI + "/other"}, 400, "invalid_request", "redirect_uri is not registered"),
    ],
    ids=["unknown client", "no client", "foreign redirect_uri", "near-miss redirect_uri"],
)
def test_authorize_never_redirects_to_an_untrusted_place(
    client: dict, vkid: httpx.Client, changes: dict, status: int, error: str, words: str
) -> None:
    """No known client and registered redirect_uri: VK ID shows its own error page and sends no one anywhere."""
    response = vkid.get("/authorize", params=authorize(new_pkce(), **changes))
    assert response.status_code == status and "location" not in response.headers
    assert "Не удалось начать вход" in response.text and f"{error}</code>: {words}" in response.text


@pytest.mark.parametrize(
    "changes, error, words",
    [
        ({"state": "x" * 31}, "invalid_request", "state must be at least 32 characters"),
        ({"state": None}, "invalid_request", "state must be at least 32 characters"),
        ({"code_challenge": None}, "invalid_request", "code_challenge must be"),
        ({"code_challenge_method": "plain"}, "invalid_request", "code_challenge_method must be s256"),
        ({"response_type": "token"}, "unsupported_response_type", "response_type must be code"),
    ],
    ids=["short state", "no state", "no challenge", "plain PKCE", "implicit flow"],
)
def test_authorize_errors_go_back_to_a_trusted_client(
    client: dict, vkid: httpx.Client, changes: dict, error: str, words: str
) -> None:
    """Known client and registered redirect_uri: 302 back with VK ID's error and the state."""
    pkce = new_pkce()
    response = vkid.get("/authorize", params=authorize(pkce, **changes))
    assert response.status_code == 302
    query = query_of(response.headers["location"])
    assert response.headers["location"].startswith(REDIRECT_URI + "?")
    assert query["error"] == error and words in query["error_description"]
    assert query.get("state") == changes.get("state", pkce.state)


def test_a_redirect_uri_with_its_own_query_keeps_it(sim_session: SimSession, vkid: httpx.Client) -> None:
    redirect = "https://journal.example/cb?tenant=7"
    sim_session.register_client(CLIENT_ID, [redirect], SERVICE)
    response = vkid.get("/authorize", params=authorize(new_pkce(), redirect_uri=redirect, state="short"))
    query = query_of(response.headers["location"])
    assert query["tenant"] == "7" and query["error"] == "invalid_request" and query["state"] == "short"


def test_the_vkid_screen_names_the_registered_service(client: dict, vkid: httpx.Client) -> None:
    screen = vkid.get("/authorize", params=authorize(new_pkce()), follow_redirects=True)
    assert f"С сервисом «{SERVICE}» можно связать свой учебный профиль" in screen.text.replace("&#34;", '"')


# -- POST /oauth2/auth: authorization_code ------------------------------------------------------


def test_code_exchange_gives_tokens_and_a_signed_id_token(grant: Grant, client: dict, vkid: httpx.Client) -> None:
    tokens = exchange(vkid, grant.params()).json()
    assert tokens["token_type"] == "Bearer" and tokens["expires_in"] == 3600 and tokens["state"] == grant.pkce.state
    header, claims, signature = tokens["id_token"].split(".")
    expected = hmac.new(client["client_secret"].encode(), f"{header}.{claims}".encode(), hashlib.sha256).digest()
    assert b64url(expected) == signature
    body = json.loads(base64.urlsafe_b64decode(claims + "=="))
    assert body["aud"] == CLIENT_ID and body["sub"] == str(tokens["user_id"]) and body["iss"] == "https://id.vk.com"
    user = user_info(vkid, tokens["access_token"]).json()["user"]
    assert user["user_id"] == str(tokens["user_id"])


@pytest.mark.parametrize("where", ["query", "form"])
def test_parameters_are_read_from_the_query_string_or_the_form_body(
    grant: Grant, vkid: httpx.Client, where: str
) -> None:
    """The official SDKs differ: the web SDK sends a form, the docs' examples a query string."""
    params = grant.params()
    response = vkid.post("/oauth2/auth", params=params) if where == "query" else vkid.post("/oauth2/auth", data=params)
    assert response.status_code == 200, response.text
    token = response.json()["access_token"]
    info = vkid.post("/oauth2/user_info", params={"client_id": CLIENT_ID, "access_token": token})
    assert info.status_code == 200


EXCHANGE_ERRORS = {
    "unknown client": ({"client_id": "nobody"}, 401, "invalid_client", "unknown client_id nobody"),
    "missing verifier": ({"code_verifier": None}, 400, "invalid_request", "code_verifier is missing"),
    "malformed verifier": ({"code_verifier": "short"}, 400, "invalid_request", "43-128"),
    "wrong verifier": ({"code_verifier": "A" * 64}, 400, "invalid_grant", "does not match code_challenge"),
    "other redirect_uri": ({"redirect_uri": "https://journal.example/x"}, 400, "invalid_grant", "redirect_uri"),
    "other device_id": ({"device_id": "another-device"}, 400, "invalid_grant", "device_id"),
    "made-up code": ({"code": "made-up"}, 400, "invalid_grant", "authorization code is invalid"),
}


@pytest.mark.parametrize("changes, status, error, words", EXCHANGE_ERRORS.values(), ids=EXCHANGE_ERRORS.keys())
def test_a_bad_code_exchange_is_refused_and_the_code_still_works(
    grant: Grant, vkid: httpx.Client, changes: dict, status: int, error: str, words: str
) -> None:
    assert_vkid_error(exchange(vkid, grant.params(**changes)), status, error, words, grant.pkce.state)
    assert exchange(vkid, grant.params()).status_code == 200  # a refusal burns nothing


def test_a_code_of_another_client_is_refused(grant: Grant, sim_session: SimSession, vkid: httpx.Client) -> None:
    sim_session.register_client("other_journal", ["https://other.example/cb"], "Другой журнал")
    response = exchange(vkid, grant.params(client_id="other_journal"))
    assert_vkid_error(response, 400, "invalid_grant", "authorization code is invalid", grant.pkce.state)


def test_a_reused_code_is_refused_and_kills_what_it_gave(grant: Grant, vkid: httpx.Client) -> None:
    """A replayed code may have been stolen: the tokens of its first exchange are revoked (OAuth 2.1)."""
    tokens = exchange(vkid, grant.params()).json()
    assert_vkid_error(exchange(vkid, grant.params()), 400, "invalid_grant", "already been used", grant.pkce.state)
    assert_vkid_error(user_info(vkid, tokens["access_token"]), 401, "invalid_token", "revoked")


def test_a_code_expires_after_ten_minutes_of_virtual_time(
    grant: Grant, vkid: httpx.Client, sim_session: SimSession
) -> None:
    sim_session.advance(601)
    assert_vkid_error(exchange(vkid, grant.params()), 400, "invalid_grant", "expired", grant.pkce.state)


def test_an_unsupported_grant_type_echoes_the_state(grant: Grant, vkid: httpx.Client) -> None:
    response = exchange(vkid, grant.params(grant_type="password"))
    assert_vkid_error(response, 400, "unsupported_grant_type", "grant_type", grant.pkce.state)


# -- POST /oauth2/auth: refresh_token -----------------------------------------------------------


def refresh(vkid: httpx.Client, grant: Grant, token: str, **changes: str) -> httpx.Response:
    params = {
        "grant_type": "refresh_token",
        "refresh_token": token,
        "client_id": CLIENT_ID,
        "device_id": grant.device_id,
        "state": grant.pkce.state,
        **changes,
    }
    return exchange(vkid, params)


def test_refresh_rotates_and_a_replayed_refresh_token_revokes_its_successors(grant: Grant, vkid: httpx.Client) -> None:
    """RFC 9700 §4.14: a spent refresh token presented again may be stolen, so the newer pair dies too."""
    tokens = exchange(vkid, grant.params()).json()
    renewed = refresh(vkid, grant, tokens["refresh_token"]).json()
    assert renewed["access_token"] != tokens["access_token"] and "id_token" not in renewed
    assert_vkid_error(
        refresh(vkid, grant, tokens["refresh_token"]),
        400,
        "invalid_grant",
        "refresh token has been revoked",
        grant.pkce.state,
    )
    assert_vkid_error(refresh(vkid, grant, renewed["refresh_token"]), 400, "invalid_grant", "revoked", grant.pkce.state)
    assert_vkid_error(user_info(vkid, renewed["access_token"]), 401, "invalid_token", "revoked")


@pytest.mark.parametrize(
    "changes, status, error, words",
    [
        ({"device_id": "another-device"}, 400, "invalid_grant", "device_id"),
        ({"client_id": "nobody"}, 401, "invalid_client", "unknown client_id"),
        ({"refresh_token": "made-up"}, 400, "invalid_grant", "refresh token is invalid"),
    ],
    ids=["other device", "unknown client", "made-up token"],
)
def test_a_bad_refresh_is_refused(
    grant: Grant, vkid: httpx.Client, changes: dict, status: int, error: str, words: str
) -> None:
    tokens = exchange(vkid, grant.params()).json()
    response = refresh(vkid, grant, tokens["refresh_token"], **changes)
    assert_vkid_error(response, status, error, words, grant.pkce.state)


def test_a_refresh_may_narrow_the_scope_but_never_widen_it(grant: Grant, vkid: httpx.Client) -> None:
    """RFC 6749 §6: the refreshed token holds the scope asked for if the grant held it; anything more is refused."""
    tokens = exchange(vkid, grant.params()).json()
    assert set(tokens["scope"].split()) == set(SCOPE.split())
    narrowed = refresh(vkid, grant, tokens["refresh_token"], scope="vkid.personal_info email").json()
    assert narrowed["scope"] == "vkid.personal_info email"
    user = user_info(vkid, narrowed["access_token"]).json()["user"]
    assert "email" in user and "phone" not in user  # the phone went with the scope
    wider = refresh(vkid, grant, narrowed["refresh_token"], scope="vkid.personal_info phone")
    assert_vkid_error(wider, 400, "invalid_scope", "scope phone was not granted", grant.pkce.state)
    again = refresh(vkid, grant, narrowed["refresh_token"]).json()  # a refused widening spends nothing
    assert again["scope"] == "vkid.personal_info email"


@pytest.mark.parametrize(
    "asked, granted",
    [
        ("vkid.personal_info wall friends", "vkid.personal_info"),
        ("phone offline", "phone"),
        ("wall", "vkid.personal_info"),
        ("", "vkid.personal_info"),
    ],
)
def test_scopes_vk_id_does_not_give_are_not_granted(asked: str, granted: str) -> None:
    store = OAuthStore()
    store.register(OAuthClient(CLIENT_ID, (REDIRECT_URI,), SERVICE))
    request = store.authorize(authorize(new_pkce(), scope=asked))
    assert request.scope == granted


# -- user_info, public_info, logout, revoke -----------------------------------------------------


def test_user_info_refuses_unknown_and_expired_tokens(
    grant: Grant, vkid: httpx.Client, sim_session: SimSession
) -> None:
    token = exchange(vkid, grant.params()).json()["access_token"]
    assert_vkid_error(user_info(vkid, "made-up"), 401, "invalid_token", "access token is invalid")
    sim_session.advance(3601)
    assert_vkid_error(user_info(vkid, token), 401, "invalid_token", "expired")


def test_public_info_reads_the_id_token_and_masks_contacts(grant: Grant, teacher: Persona, vkid: httpx.Client) -> None:
    id_token = exchange(vkid, grant.params()).json()["id_token"]
    user = vkid.post("/oauth2/public_info", data={"client_id": CLIENT_ID, "id_token": id_token}).json()["user"]
    # VK ID's public part: the surname's first letter, an avatar, no patronymic, sex or birthday.
    assert (user["first_name"], user["last_name"]) == (teacher.first_name, teacher.last_name[0])
    assert user["avatar"].endswith(".svg") and not {"patronymic", "sex", "birthday"} & set(user)
    assert user["phone"] == f"+7 *** ** *{teacher.phone[-2:]}" and user["email"].startswith(teacher.email[0] + "***@")


def test_public_info_refuses_a_forged_foreign_or_expired_id_token(
    grant: Grant, vkid: httpx.Client, sim_session: SimSession
) -> None:
    id_token = exchange(vkid, grant.params()).json()["id_token"]
    header, claims, signature = id_token.split(".")
    forged_claims = b64url(json.dumps({**json.loads(base64.urlsafe_b64decode(claims + "==")), "sub": "1"}).encode())
    sim_session.register_client("other_journal", ["https://other.example/cb"], "Другой журнал")

    def public_info(token: str, client_id: str = CLIENT_ID) -> httpx.Response:
        return vkid.post("/oauth2/public_info", data={"client_id": client_id, "id_token": token})

    assert_vkid_error(public_info(f"{header}.{forged_claims}.{signature}"), 401, "invalid_token", "id_token is invalid")
    assert_vkid_error(public_info("not-a-jwt"), 401, "invalid_token", "id_token is invalid")
    assert_vkid_error(public_info(id_token, "other_journal"), 401, "invalid_token", "id_token is invalid")
    sim_session.advance(3600)
    assert_vkid_error(public_info(id_token), 401, "invalid_token", "id_token has expired")


def test_logout_ends_this_token_pair_only(
    grant: Grant, vkid: httpx.Client, sim_session: SimSession, teacher: Persona
) -> None:
    first = exchange(vkid, grant.params()).json()
    again = new_pkce()
    back = sign_in(vkid, sim_session, teacher, again)  # a second sign-in: VK ID remembers the user
    second = exchange(vkid, grant_of(again, back).params()).json()
    response = vkid.post("/oauth2/logout", data={"client_id": CLIENT_ID, "access_token": first["access_token"]})
    assert response.json() == {"response": 1}
    assert_vkid_error(user_info(vkid, first["access_token"]), 401, "invalid_token", "revoked")
    assert_vkid_error(refresh(vkid, grant, first["refresh_token"]), 400, "invalid_grant", "revoked", grant.pkce.state)
    assert user_info(vkid, second["access_token"]).status_code == 200


def test_revoke_withdraws_every_token_of_the_user(
    grant: Grant, vkid: httpx.Client, sim_session: SimSession, teacher: Persona
) -> None:
    first = exchange(vkid, grant.params()).json()
    renewed = refresh(vkid, grant, first["refresh_token"]).json()
    response = vkid.post("/oauth2/revoke", params={"client_id": CLIENT_ID, "access_token": renewed["access_token"]})
    assert response.json() == {"response": 1}
    assert_vkid_error(user_info(vkid, renewed["access_token"]), 401, "invalid_token", "revoked")
    assert_vkid_error(refresh(vkid, grant, renewed["refresh_token"]), 400, "invalid_grant", "revoked", grant.pkce.state)
    again = vkid.post("/oauth2/revoke", data={"client_id": CLIENT_ID, "access_token": renewed["access_token"]})
    assert_vkid_error(again, 401, "invalid_token", "revoked")


@pytest.mark.parametrize(
    "path, params, words",
    [
        ("/oauth2/user_info", {"access_token": "made-up"}, "access token is invalid"),
        ("/oauth2/public_info", {"id_token": "made-up"}, "id_token is invalid"),
        ("/oauth2/logout", {"access_token": "made-up"}, "access token is invalid"),
        ("/oauth2/revoke", {"access_token": "made-up"}, "access token is invalid"),
        ("/oauth2/revoke", {"token": "made-up", "token_type_hint": "access_token"}, "access token is invalid"),
        ("/oauth2/revoke", {"token": "made-up", "token_type_hint": "refresh_token"}, "access token is invalid"),
        ("/oauth2/revoke", {}, "access token is invalid"),
    ],
    ids=["user_info", "public_info", "logout", "revoke", "RFC 7009 revoke", "RFC 7009 refresh hint", "no token"],
)
def test_a_token_no_session_issued_is_invalid_token_without_a_session_header(
    vkid_api: httpx.Client, path: str, params: dict[str, str], words: str
) -> None:
    """A vendor's server sends no session key: a token nobody issued names no session, and is simply invalid."""
    response = vkid_api.post(path, data={"client_id": CLIENT_ID, **params})
    assert_vkid_error(response, 401, "invalid_token", words)


@pytest.mark.parametrize("hint", ["access_token", "refresh_token"])
def test_revoke_takes_rfc_7009_token_and_hint(
    grant: Grant, vkid: httpx.Client, vkid_api: httpx.Client, hint: str
) -> None:
    """POST token= with token_type_hint=, as an RFC 7009 library does: the access or the refresh token."""
    tokens = exchange(vkid, grant.params()).json()
    form = {"client_id": CLIENT_ID, "token": tokens[hint], "token_type_hint": hint}
    assert vkid_api.post("/oauth2/revoke", data=form).json() == {"response": 1}
    assert_vkid_error(user_info(vkid, tokens["access_token"]), 401, "invalid_token", "revoked")
    assert_vkid_error(vkid_api.post("/oauth2/revoke", data=form), 401, "invalid_token", "revoked")


# -- real host names, registration --------------------------------------------------------------


def test_id_vk_ru_and_an_async_client_reach_the_same_session(
    grant: Grant, vkid: httpx.Client, sim_async_transport: AsyncSimTransport
) -> None:
    token = exchange(vkid, grant.params()).json()["access_token"]

    async def call() -> httpx.Response:
        async with httpx.AsyncClient(transport=sim_async_transport) as http:
            return await http.post(
                "https://id.vk.ru/oauth2/user_info", data={"client_id": CLIENT_ID, "access_token": token}
            )

    assert run(call()).status_code == 200


def test_registration_is_checked_and_seeds_accept_clients(sim_session: SimSession) -> None:
    """Redirect URIs must be URLs; a seed may give the secret and the consent screen's bullets."""
    with pytest.raises(SimulatorError, match="redirect_uris"):
        sim_session.register_client(CLIENT_ID, ["journal.example/cb"], SERVICE)
    sim_session.seed(
        {
            "clients": [
                {
                    "client_id": "seeded",
                    "redirect_uris": [REDIRECT_URI],
                    "service_name": "МЭШ ВКС",
                    "client_secret": "s" * 32,
                    "bullets": ["Общение в Сферуме"],
                }
            ]
        }
    )
    seeded = next(c for c in sim_session.snapshot()["clients"] if c["client_id"] == "seeded")
    assert seeded["service_name"] == "МЭШ ВКС" and seeded["client_secret"] == "s" * 32
    assert seeded["bullets"] == ["Общение в Сферуме"]


def test_an_https_listener_answers_with_a_certificate_made_at_start() -> None:
    with SimulatorServer(tls=True) as server:
        assert server.certificate is not None and server.tls_url
        health = httpx.get(server.url + "/_sim/v1/health").json()["tls"]
        assert health["port"] == server.tls_port and health["spki"] == server.certificate.spki
        # A journal's server that cannot read the file trusts the PEM health gives; the SPKI hash Chromium is
        # told is worked out here from that PEM by `cryptography`, not taken from the simulator.
        public_key = x509.load_pem_x509_certificate(health["pem"].encode()).public_key()
        der = public_key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
        assert base64.b64encode(hashlib.sha256(der).digest()).decode() == health["spki"]
        page = httpx.get(
            f"{server.tls_url}/authorize?{urlencode({'client_id': 'nobody'})}",
            headers={"Host": "id.vk.com"},
            verify=ssl.create_default_context(cadata=health["pem"]),
        )
        assert page.status_code == 401 and "invalid_client" in page.text
