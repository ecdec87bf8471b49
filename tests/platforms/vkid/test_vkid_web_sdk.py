"""What VK ID answers the web SDK's browser calls with, over HTTP: CORS, popup results, One Tap, config and stats."""

from __future__ import annotations

import base64
import json
import time
from typing import Any

import httpx
import pytest

from simulator.testing import Persona, SimSession
from tests.platforms.vkid.vendor_journal import CLIENT_ID, REDIRECT_URI, authorize, exchange, sign_in
from tests.support.sim_browser import Grant, new_pkce

JOURNAL = "https://journal.example"  # REDIRECT_URI's origin


def b64_json(part: str) -> Any:
    return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))


@pytest.mark.parametrize("path", ["/oauth2/auth", "/oauth2/user_info", "/vkid_sdk_get_config", "/stat_events_vkid_sdk"])
def test_the_preflight_lets_a_registered_origin_post_with_the_session_header(
    client: dict[str, Any],
    vkid: httpx.Client,
    path: str,
) -> None:
    asked = {
        "Origin": JOURNAL,
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "x-sim-session",
    }
    response = vkid.options(path, params={"client_id": CLIENT_ID, "app_id": CLIENT_ID}, headers=asked)
    assert response.status_code == 204
    assert response.headers["Access-Control-Allow-Origin"] == JOURNAL
    assert "x-sim-session" in response.headers["Access-Control-Allow-Headers"]
    assert "POST" in response.headers["Access-Control-Allow-Methods"]


def test_another_origin_gets_no_cors_grant(client: dict[str, Any], vkid: httpx.Client) -> None:
    asked = {"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"}
    preflight = vkid.options("/oauth2/auth", params={"client_id": CLIENT_ID}, headers=asked)
    assert preflight.status_code == 403 and "Access-Control-Allow-Origin" not in preflight.headers
    answer = vkid.post("/oauth2/user_info", params={"client_id": CLIENT_ID}, headers={"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in answer.headers and answer.json()["error"] == "invalid_token"


def test_token_answers_are_readable_by_the_journal_and_never_cached(grant: Grant, vkid: httpx.Client) -> None:
    response = vkid.post(
        "/oauth2/auth", params={"client_id": CLIENT_ID}, data=grant.params(client_id=None), headers={"Origin": JOURNAL}
    )
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == JOURNAL
    assert response.headers["Cache-Control"] == "no-store" and response.headers["Pragma"] == "no-cache"


def test_the_id_token_is_on_the_wall_clock(grant: Grant, vkid: httpx.Client) -> None:
    claims = b64_json(exchange(vkid, grant.params()).json()["id_token"].split(".")[1])
    assert abs(claims["iat"] - time.time()) < 60 and claims["exp"] - claims["iat"] == 3600


def test_config_and_stats_answer_as_the_sdk_expects(
    client: dict[str, Any], vkid: httpx.Client, sim_session: SimSession
) -> None:
    origin = {"Origin": JOURNAL}
    config = vkid.post("/vkid_sdk_get_config", params={"app_id": CLIENT_ID}, data={"v": "5.207"}, headers=origin)
    assert config.json() == {"response": {"active": 0}} and config.headers["Access-Control-Allow-Credentials"] == "true"
    stats = vkid.post("/stat_events_vkid_sdk", params={"app_id": CLIENT_ID}, data={"events": "[]"}, headers=origin)
    assert stats.json() == {"response": 1} and stats.headers["Access-Control-Allow-Origin"] == JOURNAL


def test_no_scope_means_vkid_personal_info(
    client: dict[str, Any],
    teacher: Persona,
    vkid: httpx.Client,
    sim_session: SimSession,
) -> None:
    pkce = new_pkce()
    vkid.get("/authorize", params=authorize(pkce, scope=None))
    vkid.post("/auth", data={"login": teacher.phone})
    vkid.post("/auth/code", data={"code": sim_session.wait_message(to=teacher.phone)["code"]})
    vkid.post("/auth/profile", data={"action": "continue"})
    back = httpx.URL(vkid.post("/auth/confirm").headers["location"])
    grant_ = Grant(pkce, back.params["code"], back.params["device_id"], CLIENT_ID, REDIRECT_URI)
    tokens = exchange(vkid, grant_.params()).json()
    assert tokens["scope"] == "vkid.personal_info"
    public = vkid.post("/oauth2/public_info", data={"client_id": CLIENT_ID, "id_token": tokens["id_token"]}).json()
    assert not {"phone", "email"} & set(public["user"])  # not granted, so not shown even masked


def test_a_sign_in_in_a_new_tab_ends_with_a_message_to_the_opener(
    client: dict[str, Any],
    teacher: Persona,
    vkid: httpx.Client,
    sim_session: SimSession,
) -> None:
    pkce = new_pkce()
    vkid.get("/authorize", params=authorize(pkce, origin="https://journal.example"))  # the SDK drops the port
    vkid.post("/auth", data={"login": teacher.phone})
    vkid.post("/auth/code", data={"code": sim_session.wait_message(to=teacher.phone)["code"]})
    vkid.post("/auth/profile", data={"action": "continue"})
    page = vkid.post("/auth/confirm")
    assert page.status_code == 200 and "location" not in page.headers
    assert f"oauth2_authorize_response{pkce.state}" in page.text and '"https://journal.example"' in page.text
    assert '"type": "code_v2"' in page.text or '"type":"code_v2"' in page.text


def test_an_unregistered_opener_origin_gets_a_plain_redirect(
    client: dict[str, Any],
    teacher: Persona,
    vkid: httpx.Client,
    sim_session: SimSession,
) -> None:
    pkce = new_pkce()
    vkid.get("/authorize", params=authorize(pkce, origin="https://evil.example"))
    vkid.post("/auth", data={"login": teacher.phone})
    vkid.post("/auth/code", data={"code": sim_session.wait_message(to=teacher.phone)["code"]})
    vkid.post("/auth/profile", data={"action": "continue"})
    assert vkid.post("/auth/confirm").headers["location"].startswith(REDIRECT_URI + "?")


def one_tap_query(origin: str = JOURNAL) -> dict[str, str]:
    return {"app_id": CLIENT_ID, "redirect_uri": REDIRECT_URI, "origin": origin, "uuid": "w1", "style_height": "44"}


@pytest.mark.parametrize("app", ["button_one_tap_auth", "floating_one_tap_auth"])
def test_one_tap_greets_a_returning_user_and_speaks_the_bridge(
    app: str,
    client: dict[str, Any],
    teacher: Persona,
    vkid: httpx.Client,
    sim_session: SimSession,
) -> None:
    assert "Войти с VK ID" in vkid.get(f"/{app}", params=one_tap_query()).text
    sign_in(vkid, sim_session, teacher, new_pkce())  # this browser now has VK ID's sign-in cookie
    widget = vkid.get(f"/{app}", params=one_tap_query())
    assert widget.status_code == 200
    assert f"Продолжить как {teacher.first_name}" in widget.text
    assert (
        '"vk-sak-sdk"' in widget.text and "show full auth" in widget.text and '"https://journal.example"' in widget.text
    )


def test_one_tap_posts_nothing_to_an_unregistered_origin(client: dict[str, Any], vkid: httpx.Client) -> None:
    widget = vkid.get("/button_one_tap_auth", params=one_tap_query("https://evil.example"))
    assert widget.status_code == 400 and "postMessage" not in widget.text


def test_the_avatar_is_a_picture(grant: Grant, vkid: httpx.Client, sim_transport: Any) -> None:
    tokens = exchange(vkid, grant.params()).json()
    user = vkid.post("/oauth2/user_info", data={"client_id": CLIENT_ID, "access_token": tokens["access_token"]}).json()
    picture = vkid.get(httpx.URL(user["user"]["avatar"]).path)
    assert picture.headers["content-type"].startswith("image/svg+xml")
