"""The control plane over HTTP: its JSON errors, the outbox wait, the clock, faults and settings."""

from __future__ import annotations

import threading
from typing import Any

import httpx
import pytest

from simulator import PLATFORMS, SESSION_HEADER, SimulatorServer
from simulator.control import errors
from simulator.control.routes import ROUTES
from simulator.testing import SimSession, Simulator, SimulatorError
from simulator.wire import PREFIX
from tests.support.sim_browser import MES_HOST, VKID_HOST, Browser, enter_login, mes_authorize_url, start
from tests.support.sim_seeds import PHONE, person, world


def assert_api_error(response: httpx.Response, status: int, error: str, words: str = "") -> dict[str, Any]:
    """{"error": code, "message": text} with the given status."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert body["error"] == error
    assert words in body["message"]
    return body


# -- the world ------------------------------------------------------------------------------------


def test_health_lists_every_platforms_origin(control: httpx.Client, server: SimulatorServer) -> None:
    """Each served platform's origin: its first host name, on the server's real port."""
    body = control.get("/health").json()
    assert body["status"] == "ok" and body["sessions"] >= 1
    assert {"mes", "vkid", "messenger"} <= set(body["platforms"]) <= set(PLATFORMS)
    for name, origin in body["platforms"].items():
        assert origin == f"http://{PLATFORMS[name].hosts[0]}:{server.port}"
    assert body["platforms"]["vkid"] == f"http://id.localhost:{server.port}"
    assert body["platforms"]["mes"] == f"http://mes.localhost:{server.port}"


def test_openapi_document_is_json_and_lists_every_route(control: httpx.Client) -> None:
    """GET /openapi.json is an OpenAPI document with one operation per control-plane route."""
    response = control.get("/openapi.json")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    document = response.json()
    assert document["openapi"].startswith("3.")
    operations = {(method.upper(), path) for path, item in document["paths"].items() for method in item}
    assert operations == {(method, PREFIX + path) for method, path, _ in ROUTES}


def test_openapi_lists_the_errors_each_operation_answers(control: httpx.Client) -> None:
    """Every session route can answer unknown_session 404; each wire error is documented somewhere."""
    paths = control.get("/openapi.json").json()["paths"]

    def codes(path: str, method: str, status: str) -> list[str]:
        response = paths[PREFIX + path][method]["responses"].get(status)
        return response["content"]["application/json"]["schema"]["properties"]["error"]["enum"] if response else []

    assert codes("/sessions", "post", "409") == ["session_exists"]
    assert codes("/sessions/{key}/faults/{name}", "put", "404") == ["not_found", "unknown_session", "unknown_fault"]
    assert all(codes(path, method.lower(), "404") for method, path, _ in ROUTES if "{key}" in path)
    documented = {
        code
        for item in paths.values()
        for operation in item.values()
        for status, response in operation["responses"].items()
        if status >= "400"
        for code in response["content"]["application/json"]["schema"]["properties"]["error"]["enum"]
    }
    assert documented == {kind.error for kind in errors.ALL}


def test_the_control_plane_answers_on_a_platform_host(server: SimulatorServer) -> None:
    """/_sim/v1 works whatever the Host, so a harness can reach it through any platform origin."""
    response = httpx.get(server.url + PREFIX + "/health", headers={"Host": VKID_HOST})
    assert response.status_code == 200 and response.json()["status"] == "ok"


# -- sessions -------------------------------------------------------------------------------------


def test_an_unknown_session_is_404_with_a_hint(control: httpx.Client) -> None:
    """Every per-session URL names the missing key and how to create it."""
    body = assert_api_error(control.get("/sessions/no-such-session"), 404, "unknown_session", "'no-such-session'")
    assert "POST /_sim/v1/sessions" in body["message"]
    assert_api_error(control.get("/sessions/no-such-session/outbox"), 404, "unknown_session")


def test_creating_an_existing_key_is_409(control: httpx.Client, sim_session: SimSession) -> None:
    """A session key is taken once."""
    assert_api_error(control.post("/sessions", json={"key": sim_session.key}), 409, "session_exists", "already exists")


def test_an_invalid_key_is_400(control: httpx.Client) -> None:
    """Keys with spaces or slashes are refused with the rule."""
    assert_api_error(control.post("/sessions", json={"key": "a b"}), 400, "invalid_parameter", "session key")


def test_a_session_created_with_a_clock_starts_there(control: httpx.Client) -> None:
    """{key, seed, clock.now} sets the new session's time; DELETE removes it."""
    body = {"key": "clocked-session", "seed": 5, "clock": {"now": "2025-09-01T08:00:00+03:00"}}
    created = control.post("/sessions", json=body)
    assert created.status_code == 201
    assert created.json() == {
        "key": "clocked-session",
        "seed": 5,
        "clock": {"now": "2025-09-01T08:00:00+03:00", "running": False},
    }
    assert control.delete("/sessions/clocked-session").json() == {"status": "deleted", "key": "clocked-session"}
    assert control.get("/sessions/clocked-session").status_code == 404


def test_invalid_json_is_400(control: httpx.Client, sim_session: SimSession) -> None:
    """A body that is not JSON, or not an object, is refused before anything happens."""
    url = f"/sessions/{sim_session.key}/seed"
    headers = {"Content-Type": "application/json"}
    assert_api_error(control.post(url, content=b"{people: ", headers=headers), 400, "invalid_json", "not JSON")
    assert_api_error(control.post(url, content=b"[1, 2]", headers=headers), 400, "invalid_json", "JSON object")


def test_an_invalid_seed_is_422_and_stores_nothing(control: httpx.Client, sim_session: SimSession) -> None:
    """The seed error names the path; the valid first person is not stored either."""
    bad = person("bad", phone="+79990000009", login="bad", first_name="<b>Иван</b>")
    response = control.post(f"/sessions/{sim_session.key}/seed", json=world(person(), bad))
    assert_api_error(response, 422, "invalid_seed", "people[1].first_name")
    assert sim_session.snapshot()["people"] == []


def test_a_snapshot_can_be_asked_for_some_parts(control: httpx.Client, sim_session: SimSession) -> None:
    """`only=profiles,people` answers those parts, each as the whole snapshot has it; a wrong name is 400."""
    sim_session.seed(world(person()))
    whole = control.get(f"/sessions/{sim_session.key}").json()
    some = control.get(f"/sessions/{sim_session.key}", params={"only": "profiles,people"}).json()
    assert set(some) == {"profiles", "people"}
    assert some == {"profiles": whole["profiles"], "people": whole["people"]} and len(some["profiles"]) == 1
    assert sim_session.snapshot("links") == {"links": []}
    response = control.get(f"/sessions/{sim_session.key}", params={"only": "profiles,<b>"})
    assert_api_error(response, 400, "invalid_parameter", "'<b>'")


def test_a_seed_with_a_number_for_a_phone_is_422(control: httpx.Client, sim_session: SimSession) -> None:
    """A JSON number where a string is expected is a seed error, not a crash."""
    doc = {"people": [{"id": "p1", "first_name": "Иван", "last_name": "Иванов", "phone": 79991234567}]}
    assert_api_error(control.post(f"/sessions/{sim_session.key}/seed", json=doc), 422, "invalid_seed", "phone")


def test_creating_a_session_with_a_clock_that_is_not_an_object_is_400(control: httpx.Client) -> None:
    """A clock that is not an object is a parameter error (null means no clock settings)."""
    assert_api_error(control.post("/sessions", json={"clock": "now"}), 400, "invalid_parameter")
    created = control.post("/sessions", json={"clock": None})
    assert created.status_code == 201
    control.delete(f"/sessions/{created.json()['key']}")


def test_a_body_that_is_not_utf8_is_400(control: httpx.Client, sim_session: SimSession) -> None:
    """Bytes that are not text are invalid JSON too."""
    response = control.post(
        f"/sessions/{sim_session.key}/seed", content=b"\xff\xfe{}", headers={"Content-Type": "application/json"}
    )
    assert_api_error(response, 400, "invalid_json")


def test_an_oversized_body_is_413_with_a_clear_message(control: httpx.Client, sim_session: SimSession) -> None:
    """More than 64 KiB is refused before it is read; nothing is seeded."""
    names = [person(f"p{i}", phone=None, login=None, vkid=False) for i in range(800)]
    body = assert_api_error(
        control.post(f"/sessions/{sim_session.key}/seed", json={"people": names}), 413, "body_too_large"
    )
    assert body["message"] == "Слишком большой запрос: не больше 64 КБ."
    assert sim_session.snapshot()["people"] == []


def test_resetting_a_session_keeps_its_key_and_empties_it(sim_session: SimSession) -> None:
    """POST /reset: the key stays, the people go."""
    sim_session.seed(world(person()))
    sim_session.reset()
    snapshot = sim_session.snapshot()
    assert snapshot["key"] == sim_session.key and snapshot["people"] == [] and snapshot["vkid_accounts"] == []


def test_sessions_do_not_see_each_others_data(sim: Simulator, sim_session: SimSession, http_browser: Browser) -> None:
    """The same teacher in two sessions: each sees its own account, and a code stays in its session."""
    other = sim.new_session(seed=sim_session.seed_value + 1)
    try:
        mine = sim_session.seed(world(person()))["people"]["t1"]
        theirs = other.seed(world(person()))["people"]["t1"]
        assert [a["id"] for a in sim_session.snapshot()["vkid_accounts"]] == [mine["vkid_id"]]
        assert [a["id"] for a in other.snapshot()["vkid_accounts"]] == [theirs["vkid_id"]]
        start(http_browser, mes_authorize_url(sim_session))
        enter_login(http_browser, PHONE)
        assert len(sim_session.messages(to=PHONE)) == 1
        assert other.messages() == []
    finally:
        other.delete()


# -- the outbox -----------------------------------------------------------------------------------


def test_outbox_wait_times_out_with_408(control: httpx.Client, sim_session: SimSession) -> None:
    """Nothing sent: 408 after the given timeout, with the timeout in the message."""
    response = control.get(f"/sessions/{sim_session.key}/outbox/wait", params={"to": PHONE, "timeout": 0.2})
    assert_api_error(response, 408, "timeout", "0.2 s")


def test_outbox_wait_timeout_is_bounded(control: httpx.Client, sim_session: SimSession) -> None:
    """A timeout above 30 s, or not a number, is a parameter error."""
    url = f"/sessions/{sim_session.key}/outbox/wait"
    assert_api_error(control.get(url, params={"timeout": 31}), 400, "invalid_parameter", "between 0 and 30")
    assert_api_error(control.get(url, params={"timeout": "soon"}), 400, "invalid_parameter", "must be a number")
    assert_api_error(control.get(url, params={"channel": "fax"}), 400, "invalid_parameter", "sms, call or email")


def test_outbox_wait_answers_when_the_code_is_sent(
    sim_session: SimSession, http_browser: Browser, control: httpx.Client
) -> None:
    """A wait started before the user asks for a code answers with that code."""
    sim_session.seed(world(person()))
    start(http_browser, mes_authorize_url(sim_session))
    answer: dict[str, httpx.Response] = {}
    waiter = threading.Thread(
        target=lambda: answer.update(
            wait=control.get(f"/sessions/{sim_session.key}/outbox/wait", params={"to": PHONE, "timeout": 20})
        )
    )
    waiter.start()
    try:
        assert enter_login(http_browser, PHONE) == "/auth/code"
    finally:
        waiter.join(30)
    response = answer["wait"]
    assert response.status_code == 200, response.text
    message = response.json()
    assert message["to"] == PHONE and message["channel"] == "call" and len(message["code"]) == 4
    assert message["caller"].endswith(f"{message['code'][:2]}-{message['code'][2:]}")


def test_a_fixed_code_is_the_one_sent(sim_session: SimSession, http_browser: Browser) -> None:
    """PUT /codes/{to}: the next code sent there is that one."""
    sim_session.seed(world(person()))
    sim_session.fix_code(PHONE, "4321")
    start(http_browser, mes_authorize_url(sim_session))
    enter_login(http_browser, PHONE)
    assert sim_session.last_code(PHONE) == "4321"


def test_a_fixed_code_must_have_four_or_six_digits(sim_session: SimSession) -> None:
    """Five digits or letters are refused."""
    for code in ("12345", "abcd"):
        with pytest.raises(SimulatorError) as refused:
            sim_session.fix_code(PHONE, code)
        assert refused.value.status == 400 and refused.value.error == "invalid_parameter"


# -- the clock ------------------------------------------------------------------------------------


def test_the_clock_advances_and_is_set(sim_session: SimSession) -> None:
    """advance adds seconds to the frozen clock; now sets it."""
    assert sim_session.advance(90)["now"] == "2024-10-16T09:01:30+03:00"
    assert sim_session.set_clock("2025-01-01T00:00:00+03:00") == {"now": "2025-01-01T00:00:00+03:00", "running": False}
    assert sim_session.snapshot()["clock"]["now"] == "2025-01-01T00:00:00+03:00"


@pytest.mark.parametrize(
    "body, words",
    [
        ({"advance": -5}, "advance must be at least 0"),
        ({"advance": "x"}, "must be a number"),
        ({"now": "yesterday"}, "ISO 8601"),
        ({}, "give either advance"),
    ],
    ids=["negative", "not a number", "bad date", "nothing"],
)
def test_bad_clock_changes_are_refused(
    control: httpx.Client, sim_session: SimSession, body: dict[str, Any], words: str
) -> None:
    """The clock never goes back by advance, and says what it wants."""
    response = control.post(f"/sessions/{sim_session.key}/clock", json=body)
    assert_api_error(response, 400, "invalid_parameter", words)
    assert sim_session.snapshot()["clock"]["now"] == "2024-10-16T09:00:00+03:00"


def test_an_advance_beyond_the_calendar_is_refused_and_harmless(control: httpx.Client, sim_session: SimSession) -> None:
    """Advancing 1e12 s (31 700 years) is a parameter error, and the clock still reads its old time."""
    response = control.post(f"/sessions/{sim_session.key}/clock", json={"advance": 1e12})
    clock = control.get(f"/sessions/{sim_session.key}/clock")
    assert_api_error(response, 400, "invalid_parameter")
    assert clock.status_code == 200 and clock.json()["now"] == "2024-10-16T09:00:00+03:00"


# -- settings and faults --------------------------------------------------------------------------


def test_a_valid_setting_is_applied(sim_session: SimSession) -> None:
    """phone_code_channel switches between call and sms; other settings keep their values."""
    applied = sim_session.settings(phone_code_channel="sms")
    assert applied["phone_code_channel"] == "sms" and applied["mes_sferum_in"] == "vk"
    assert sim_session.snapshot()["settings"] == applied


@pytest.mark.parametrize("body", [{"phone_code_channel": "pigeon"}, {"colour": "blue"}])
def test_an_invalid_setting_is_400_and_changes_nothing(
    control: httpx.Client, sim_session: SimSession, body: dict[str, str]
) -> None:
    """The message lists the settings there are."""
    before = sim_session.snapshot()["settings"]
    response = control.patch(f"/sessions/{sim_session.key}/settings", json=body)
    assert_api_error(response, 400, "invalid_setting", "phone_code_channel: call, sms")
    assert sim_session.snapshot()["settings"] == before == {"phone_code_channel": "call", "mes_sferum_in": "vk"}


def test_an_unknown_fault_is_404_listing_the_available(control: httpx.Client, sim_session: SimSession) -> None:
    """The message names every fault there is."""
    response = control.put(f"/sessions/{sim_session.key}/faults/meteor", json={})
    assert_api_error(response, 404, "unknown_fault", "identity_unavailable, vpn, http_error")


def test_http_error_needs_a_platform_and_a_path(control: httpx.Client, sim_session: SimSession) -> None:
    """A platform that does not exist, a path without '/', or a status below 400 is refused."""
    url = f"/sessions/{sim_session.key}/faults/http_error"
    assert_api_error(control.put(url, json={"platform": "nowhere", "path": "/"}), 400, "invalid_parameter")
    assert_api_error(control.put(url, json={"platform": "mes", "path": "cabinet"}), 400, "invalid_parameter")
    assert_api_error(control.put(url, json={"platform": "mes", "path": "/", "status": 302}), 400, "invalid_parameter")
    assert sim_session.snapshot()["faults"] == []


def test_http_error_fault_hits_only_its_path_in_its_session(
    sim: Simulator, sim_session: SimSession, server: SimulatorServer
) -> None:
    """МЭШ's / answers 503 in this session; its other paths, and the same path in another session, do not."""
    sim_session.fault("http_error", platform="mes", path="/", status=503)
    other = sim.new_session()

    def get(path: str, session: SimSession, **headers: str) -> httpx.Response:
        return httpx.get(server.url + path, headers={"Host": MES_HOST, SESSION_HEADER: session.key, **headers})

    try:
        broken = get("/", sim_session)
        assert broken.status_code == 503
        assert "Сервис временно недоступен (ошибка 503)." in broken.text
        assert get("/", sim_session, Accept="application/json").json() == {
            "error": "http_error",
            "message": "Сервис временно недоступен (ошибка 503).",
        }
        assert get("/cabinet", sim_session).status_code == 303  # not signed in: back to /
        assert get("/", other).status_code == 200
        other_platform = httpx.get(server.url + "/", headers={"Host": VKID_HOST, SESSION_HEADER: sim_session.key})
        assert other_platform.status_code != 503 and "Сервис временно недоступен" not in other_platform.text
        sim_session.clear_fault("http_error")
        assert get("/", sim_session).status_code == 200
    finally:
        other.delete()


def test_identity_unavailable_fault_stops_vkid_sign_in(sim_session: SimSession, http_browser: Browser) -> None:
    """With the fault on, «Продолжить» on the login screen shows VK ID's message and sends no code."""
    sim_session.seed(world(person()))
    sim_session.fault("identity_unavailable")
    start(http_browser, mes_authorize_url(sim_session))
    response = http_browser.post("/auth", data={"login": PHONE})
    assert response.status_code == 503
    assert "невозможно получить идентификационные данные" in response.text
    assert sim_session.messages() == []


def test_a_platform_request_with_an_unknown_session_key_is_400(server: SimulatorServer) -> None:
    """The header names a session that does not exist: the page says how to create it."""
    response = httpx.get(server.url + "/", headers={"Host": MES_HOST, SESSION_HEADER: "never-created"})
    assert response.status_code == 400
    assert "Сессия симулятора &#39;never-created&#39; не найдена" in response.text
