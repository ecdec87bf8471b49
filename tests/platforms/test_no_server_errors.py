"""What the fuzzers found: each answer below was a 5xx or an English error page before."""

from __future__ import annotations

import logging

import httpx
import pytest

from simulator import PLATFORMS, SESSION_HEADER, SimulatorServer
from simulator.testing import SimSession
from simulator.wire import PREFIX

MES_HOST = PLATFORMS["mes"].hosts[0]
VKID_HOST = PLATFORMS["vkid"].hosts[0]


def assert_control_error(response: httpx.Response, status: int, error: str, words: str = "") -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    assert response.json()["error"] == error
    assert words in response.json()["message"]


# -- control-plane JSON: bounded where it is read ---------------------------------------------------


@pytest.mark.parametrize(
    ("body", "content_type", "words"),
    [
        (b'{"people": ' + b"[" * 1000 + b"]" * 1000 + b"}", "application/json", "deeper than 32"),
        (b'{"seed": ' + b"7" * 5000 + b"}", "application/json", "more than 64 digits"),
        (b'{"seed": NaN}', "application/json", "NaN"),
        (b'{"advance": 1e999}', "application/json", "too large"),
        (b"{}", "application/json; charset=nope", "unknown charset"),
        (b'{"key": "\xff"}', "application/json", "not utf-8"),
    ],
    ids=["deep", "long-integer", "nan", "infinite", "unknown-charset", "bad-utf8"],
)
def test_an_unreadable_json_body_is_400_invalid_json(
    control: httpx.Client, sim_session: SimSession, body: bytes, content_type: str, words: str
) -> None:
    for url in ["/sessions", f"/sessions/{sim_session.key}/seed", f"/sessions/{sim_session.key}/clock"]:
        response = control.post(url, content=body, headers={"Content-Type": content_type})
        assert_control_error(response, 400, "invalid_json", words)


@pytest.mark.parametrize("encoding", ["gzip", "deflate"])
def test_a_body_whose_content_encoding_does_not_decode_is_400(
    server: SimulatorServer, control: httpx.Client, sim_session: SimSession, encoding: str
) -> None:
    """aiohttp's decoder raised out of the body's read: a 500 on the control plane, a reset connection on forms."""
    # aiohttp closes the connection after a body it cannot decode: each request gets one of its own.
    headers = {"Content-Type": "application/json", "Content-Encoding": encoding, "Connection": "close"}
    for url in ["/sessions", f"/sessions/{sim_session.key}/faults/vpn"]:
        method = "PUT" if "faults" in url else "POST"
        response = control.request(method, url, content=b"not compressed", headers=headers)
        assert_control_error(response, 400, "invalid_json", "cannot be read")
        assert "decode" in response.json()["message"] and "400, message" not in response.json()["message"]
    form = {
        "Content-Type": "application/x-www-form-urlencoded",
        "Content-Encoding": encoding,
        "Host": MES_HOST,
        "Connection": "close",
    }
    page = httpx.post(server.url + "/", content=b"not compressed", headers={**form, SESSION_HEADER: sim_session.key})
    assert page.status_code == 400 and "Не удалось прочитать отправленную форму" in page.text
    assert sim_session.snapshot()["faults"] == []


@pytest.mark.parametrize(
    ("url", "body", "field"),
    [
        ("/sessions", {"key": 5}, "key"),
        ("/sessions", {"seed": True}, "seed"),
        ("/sessions", {"clock": {"now": 5}}, "clock.now"),
        ("/sessions/{key}/clock", {"advance": "60"}, "advance"),
        ("/sessions/{key}/clock", {"advance": True}, "advance"),
        ("/sessions/{key}/clock", {"now": "2025-09-01T08:00:00+03:00", "running": "yes"}, "running"),
    ],
)
def test_a_field_of_the_wrong_type_is_400_naming_it(
    control: httpx.Client, sim_session: SimSession, url: str, body: dict[str, object], field: str
) -> None:
    response = control.post(url.format(key=sim_session.key), json=body)
    assert_control_error(response, 400, "invalid_parameter", field)


# -- faults: only checked parameters are stored -----------------------------------------------------


def nested(depth: int) -> object:
    value: object = "x"
    for _ in range(depth):
        value = {"a": value}
    return value


@pytest.mark.parametrize(
    ("name", "params", "field"),
    [
        ("vpn", {"deep": nested(20)}, "deep"),
        ("identity_unavailable", {"x": 1}, "x"),
        ("http_error", {"platform": "mes"}, "path"),
        ("http_error", {"platform": "mes", "path": "/", "status": "503"}, "status"),
        ("http_error", {"platform": "mes", "path": "/", "status": True}, "status"),
        ("http_error", {"platform": ["mes"], "path": "/"}, "platform"),
        ("http_error", {"platform": "mes", "path": "/", "extra": nested(20)}, "extra"),
    ],
)
def test_a_fault_with_parameters_it_does_not_take_is_400_and_stores_nothing(
    control: httpx.Client, sim_session: SimSession, name: str, params: dict[str, object], field: str
) -> None:
    response = control.put(f"/sessions/{sim_session.key}/faults/{name}", json=params)
    assert_control_error(response, 400, "invalid_parameter", field)
    assert control.get(f"/sessions/{sim_session.key}").json()["faults"] == []
    assert control.get(f"/sessions/{sim_session.key}/faults").json()["active"] == []


def test_a_fault_stores_its_checked_parameters(control: httpx.Client, sim_session: SimSession) -> None:
    """status defaults to 500; the snapshot, fault list and event log all render it."""
    response = control.put(f"/sessions/{sim_session.key}/faults/http_error", json={"platform": "mes", "path": "/x"})
    assert response.json() == {
        "name": "http_error",
        "params": {"platform": "mes", "path": "/x", "status": 500, "delay": 0.0},
    }
    for url in ["", "/faults", "/events"]:
        assert control.get(f"/sessions/{sim_session.key}{url}").status_code == 200


def test_a_client_registered_with_spaces_around_its_id_is_refused(
    control: httpx.Client, sim_session: SimSession
) -> None:
    """An id is compared exactly by VK ID: one with spaces or control characters is refused, not stored."""
    body = {"client_id": " rp_spaced\x1f", "redirect_uris": ["https://rp.example/cb"], "service_name": "RP"}
    response = control.post(f"/sessions/{sim_session.key}/clients", json=body)
    assert response.status_code == 422, response.text
    assert response.json()["error"] == "invalid_client" and "client_id" in response.json()["message"]
    assert not any(
        "rp_spaced" in str(client) for client in control.get(f"/sessions/{sim_session.key}").json().get("clients", [])
    )


# -- routing errors and bugs: JSON under /_sim/v1, a Russian page elsewhere ---------------------------


def test_an_unknown_control_url_and_a_wrong_method_are_json(control: httpx.Client) -> None:
    assert_control_error(control.get("/no-such-thing"), 404, "not_found", "/_sim/v1/no-such-thing")
    response = control.delete("/health")
    assert_control_error(response, 405, "method_not_allowed")
    assert "GET" in response.headers["Allow"]


def test_a_browser_gets_a_russian_404_and_405_in_the_platforms_look(server: SimulatorServer) -> None:
    missing = httpx.get(server.url + "/no-such-page", headers={"Host": MES_HOST})
    assert missing.status_code == 404
    assert missing.headers["content-type"].startswith("text/html")
    assert "Такой страницы нет" in missing.text and 'class="platform-mes"' in missing.text
    wrong = httpx.delete(server.url + "/authorize", headers={"Host": VKID_HOST})
    assert wrong.status_code == 405
    assert "Эта страница так не открывается" in wrong.text and 'class="platform-vkid"' in wrong.text
    protocol = httpx.delete(server.url + "/oauth2/auth", headers={"Host": VKID_HOST})  # servers read VK ID's JSON
    assert protocol.status_code == 405 and protocol.json()["error"] == "method_not_allowed"


def test_a_bug_is_a_logged_500_in_russian_not_an_english_page(
    server: SimulatorServer, sim_session: SimSession, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """Tests still see the 500 (they assert none); people see a page they can read, the log the traceback."""
    from simulator.platforms.mes import screens

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(screens, "_account", lambda request: object())  # signed in, as far as the screen knows
    monkeypatch.setattr(screens, "_cabinet", broken)
    with caplog.at_level(logging.ERROR, logger="sferum_sim"):
        page = httpx.get(server.url + "/cabinet", headers={"Host": MES_HOST, SESSION_HEADER: sim_session.key})
    assert page.status_code == 500
    assert "Что-то сломалось на нашей стороне" in page.text
    assert "Server got itself in trouble" not in page.text
    assert "RuntimeError: a bug" in caplog.text


def test_a_bug_in_the_control_plane_is_a_json_500(
    control: httpx.Client, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from simulator.world import World

    def broken(self: World) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(World, "reset", broken)
    with caplog.at_level(logging.ERROR, logger="sferum_sim"):
        response = control.post("/reset")
    assert_control_error(response, 500, "internal_error", f"POST {PREFIX}/reset")
    assert "RuntimeError: a bug" in caplog.text


# -- relying parties: a failure the browser brings is the browser's ---------------------------------


@pytest.mark.parametrize("host", ["messenger.localhost", "sferum.localhost"])
def test_a_sign_in_callback_without_a_sign_in_under_way_is_400(
    server: SimulatorServer, sim_session: SimSession, host: str
) -> None:
    response = httpx.get(server.url + "/auth/callback", headers={"Host": host, SESSION_HEADER: sim_session.key})
    assert response.status_code == 400
    assert "Сессия входа устарела. Начните подключение заново." in response.text
