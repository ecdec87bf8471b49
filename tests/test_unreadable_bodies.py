"""A posted body that is not the form it claims to be gets a clear 400 — a Russian page for people,
VK ID's JSON error for the OAuth endpoints — and changes nothing."""

from __future__ import annotations

import pytest

from simulator.testing import SimSession
from tests.sim_browser import MES_HOST, VKID_HOST, Browser, mes_authorize_url, start

BROKEN = {
    "multipart-garbage": ("multipart/form-data; boundary=x", b"garbage\r\n--y"),
    "multipart-no-boundary": ("multipart/form-data", b"x"),
    "multipart-bad-utf8": (
        "multipart/form-data; boundary=x",
        b'--x\r\nContent-Disposition: form-data; name="login"\r\n\r\n\xff\r\n--x--\r\n',
    ),
    "unknown-charset": ("application/x-www-form-urlencoded; charset=nope", b"login=a"),
    "raw-bad-utf8": ("application/x-www-form-urlencoded", b"login=\xff"),
}


@pytest.mark.parametrize(("content_type", "body"), BROKEN.values(), ids=BROKEN.keys())
@pytest.mark.parametrize(
    "path", ["/oauth2/auth", "/oauth2/user_info", "/oauth2/public_info", "/oauth2/logout", "/oauth2/revoke"]
)
def test_the_oauth_endpoints_answer_vk_ids_json_error(
    http_browser: Browser, path: str, content_type: str, body: bytes
) -> None:
    response = http_browser.post(path, host=VKID_HOST, content=body, headers={"Content-Type": content_type})
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("application/json")
    assert response.json()["error"] == "invalid_request"


@pytest.mark.parametrize(("content_type", "body"), BROKEN.values(), ids=BROKEN.keys())
def test_a_screen_answers_a_russian_page_and_stores_nothing(
    sim_session: SimSession, http_browser: Browser, content_type: str, body: bytes
) -> None:
    start(http_browser, mes_authorize_url(sim_session))
    before = sim_session.snapshot()
    for host, path in [(VKID_HOST, "/auth"), (MES_HOST, "/")]:
        response = http_browser.post(path, host=host, content=body, headers={"Content-Type": content_type})
        assert response.status_code == 400
        assert response.headers["content-type"].startswith("text/html")
        assert "Не удалось прочитать отправленную форму" in response.text
    assert sim_session.snapshot() == before
    assert sim_session.messages() == []


@pytest.mark.parametrize("path", ["/oauth2/auth", "/oauth2/user_info", "/oauth2/public_info", "/oauth2/revoke"])
def test_an_unknown_session_on_the_oauth_endpoints_is_vk_ids_json_error(http_browser: Browser, path: str) -> None:
    response = http_browser.post(path, host=VKID_HOST, data={"client_id": "x"}, headers={"X-Sim-Session": "nobody"})
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("application/json")
    assert response.json()["error"] == "unknown_session" and "nobody" in response.json()["error_description"]
