"""What vendors are promised: the names of the integration kit and how its routing behaves."""

from __future__ import annotations

import httpx
import pytest
import respx

import simulator.testing
from simulator.testing import SimSession, SimTransport, Simulator, sim_router
from simulator.testing import plugin as sim_plugin
from tests.support.aio import run


def test_the_kit_is_exported() -> None:
    """Routing for httpx joins the control-plane client and the personas in `simulator.testing`."""
    assert {"SimTransport", "AsyncSimTransport", "sim_router", "VKID_HOSTS"} <= set(simulator.testing.__all__)
    assert simulator.testing.VKID_HOSTS == ("id.vk.com", "id.vk.ru")
    missing = [name for name in simulator.testing.__all__ if not hasattr(simulator.testing, name)]
    assert missing == []


def test_the_plugin_offers_the_routing_fixtures() -> None:
    for name in ("sim_transport", "sim_async_transport", "vkid_router"):
        assert callable(getattr(sim_plugin, name)), name


def test_the_router_sends_vkid_to_the_session_and_lets_the_rest_through(
    sim: Simulator, sim_session: SimSession
) -> None:
    """Code that makes its own clients, sync or async, needs no change; the control plane still works."""
    sim_session.register_client("rp", ["https://rp.example/cb"], "Журнал")
    with sim_router(sim.url, session=sim_session.key) as router:
        response = httpx.post("https://id.vk.com/oauth2/user_info", data={"client_id": "rp", "access_token": "x"})
        assert response.json()["error_description"] == "access token is invalid"  # rp is known: right session

        async def call() -> httpx.Response:
            async with httpx.AsyncClient() as http:
                return await http.post("http://id.vk.ru/oauth2/logout", params={"client_id": "nobody"})

        assert run(call()).json()["error"] == "invalid_client"
        assert sim_session.snapshot()["key"] == sim_session.key  # not a VK ID host: passed through
        assert [call.request.url.host for call in router.routes["simulator"].calls] == ["id.vk.com", "id.vk.ru"]


def test_the_vkid_router_fixture_is_active(vkid_router: respx.MockRouter) -> None:
    response = httpx.post("https://id.vk.com/oauth2/auth", data={"grant_type": "password"})
    assert response.json()["error"] == "unsupported_grant_type"
    assert vkid_router.routes["simulator"].calls.last.request.url.host == "id.vk.com"


def test_the_transport_keeps_the_host_and_adds_the_session(sim: Simulator, sim_session: SimSession) -> None:
    seen: list[httpx.Request] = []

    class Recorder(httpx.BaseTransport):
        def handle_request(self, request: httpx.Request) -> httpx.Response:
            seen.append(request)
            return httpx.Response(204)

    transport = SimTransport(sim.url, session=sim_session.key, fallback=Recorder())
    transport._simulator = Recorder()  # type: ignore[assignment]  # what would be sent, not sent
    with httpx.Client(transport=transport) as http:
        http.get("https://id.vk.com:8443/authorize?client_id=1")
        http.get("https://example.org/")
    to_sim, elsewhere = seen
    assert str(to_sim.url) == f"{sim.url}/authorize?client_id=1"
    assert to_sim.headers["Host"] == "id.vk.com:8443" and to_sim.headers["X-Sim-Session"] == sim_session.key
    assert elsewhere.url.host == "example.org" and "X-Sim-Session" not in elsewhere.headers


@pytest.mark.parametrize("host", ["id.vk.com", "id.vk.ru"])
def test_both_real_names_serve_vkid(sim_transport: SimTransport, host: str) -> None:
    with httpx.Client(transport=sim_transport) as http:
        page = http.get(f"https://{host}/authorize", params={"client_id": "nobody"})
    assert page.status_code == 401 and "VK ID" in page.text
