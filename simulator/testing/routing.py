"""Real host names for httpx: a vendor's code calling https://id.vk.com reaches the simulator unchanged.

A request for a routed host (any scheme, any port) is sent to the simulator's plain-HTTP address
with the original Host header, and with the test session's key so VK ID answers from that session.
Everything else goes out as it would have.

    client = httpx.Client(transport=SimTransport(sim.url, session=sim_session.key))   # injected
    with sim_router(sim.url, session=sim_session.key):                                 # patched
        httpx.post("https://id.vk.com/oauth2/auth", data=…)
"""

from __future__ import annotations

from collections.abc import Iterable

import httpx
import respx

from ..hosts import ALL_HOST_NAMES, PLATFORMS
from ..wire import SESSION_HEADER

VKID_HOSTS: tuple[str, ...] = PLATFORMS["vkid"].real_names
ROUTE = "simulator"  # the router's route for routed hosts: `router.routes[ROUTE].calls`
# Every name the simulator answers to, real and *.localhost (plain Python does not resolve the latter).
ALL_HOSTS: tuple[str, ...] = ALL_HOST_NAMES


class _Rewrite:
    def __init__(self, simulator_url: str, session: str | None, hosts: Iterable[str]) -> None:
        self.target = httpx.URL(simulator_url)
        self.session = session
        self.hosts = frozenset(host.lower() for host in hosts)

    def routed(self, request: httpx.Request) -> bool:
        return request.url.host.lower() in self.hosts

    def rewrite(self, request: httpx.Request) -> httpx.Request:
        """The same request, addressed to the simulator; Host still names the real service."""
        url = request.url.copy_with(scheme=self.target.scheme, host=self.target.host, port=self.target.port)
        headers = httpx.Headers(request.headers)
        headers["Host"] = request.url.netloc.decode("ascii")
        if self.session and SESSION_HEADER not in headers:
            headers[SESSION_HEADER] = self.session
        return httpx.Request(
            request.method, url, headers=headers, content=request.content, extensions=request.extensions
        )


class SimTransport(httpx.BaseTransport):
    """An httpx transport for sync clients: routed hosts go to the simulator, the rest to `fallback`."""

    def __init__(
        self,
        simulator_url: str,
        *,
        session: str | None = None,
        hosts: Iterable[str] = VKID_HOSTS,
        fallback: httpx.BaseTransport | None = None,
    ) -> None:
        self._rewrite = _Rewrite(simulator_url, session, hosts)
        self._simulator = httpx.HTTPTransport(verify=False)  # plain HTTP: no CA bundle to load
        self._fallback = fallback

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if not self._rewrite.routed(request):
            self._fallback = self._fallback or httpx.HTTPTransport()  # made when needed: it loads the CAs
            return self._fallback.handle_request(request)
        request.read()
        return self._simulator.handle_request(self._rewrite.rewrite(request))

    def close(self) -> None:
        self._simulator.close()
        if self._fallback is not None:
            self._fallback.close()


class AsyncSimTransport(httpx.AsyncBaseTransport):
    """The same for `httpx.AsyncClient`."""

    def __init__(
        self,
        simulator_url: str,
        *,
        session: str | None = None,
        hosts: Iterable[str] = VKID_HOSTS,
        fallback: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self._rewrite = _Rewrite(simulator_url, session, hosts)
        self._simulator = httpx.AsyncHTTPTransport(verify=False)
        self._fallback = fallback

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if not self._rewrite.routed(request):
            self._fallback = self._fallback or httpx.AsyncHTTPTransport()
            return await self._fallback.handle_async_request(request)
        await request.aread()
        return await self._simulator.handle_async_request(self._rewrite.rewrite(request))

    async def aclose(self) -> None:
        await self._simulator.aclose()
        if self._fallback is not None:
            await self._fallback.aclose()


def sim_router(
    simulator_url: str, *, session: str | None = None, hosts: Iterable[str] = VKID_HOSTS
) -> respx.MockRouter:
    """A respx router for code that builds its own httpx clients: use it as `with sim_router(…):`.

    It patches every httpx client, sync and async, while active. Routed hosts are answered by the
    simulator (synchronously, even for async clients: the simulator runs in its own thread);
    every other request passes through untouched.
    """
    rewrite = _Rewrite(simulator_url, session, hosts)
    transport = httpx.HTTPTransport(verify=False)

    def forward(request: httpx.Request) -> httpx.Response:
        response = transport.handle_request(rewrite.rewrite(request))
        raw = b"".join(response.iter_raw())  # still encoded, matching its headers
        response.close()
        return httpx.Response(response.status_code, headers=response.headers, stream=httpx.ByteStream(raw))

    # The httpx mocker patches clients, not transports, so `forward` itself is not intercepted.
    router = respx.MockRouter(assert_all_called=False, using="httpx")
    router.route(name=ROUTE, host__in=tuple(sorted(rewrite.hosts))).mock(side_effect=forward)
    router.route().pass_through()
    return router


__all__ = ["ALL_HOSTS", "VKID_HOSTS", "AsyncSimTransport", "SimTransport", "sim_router"]
