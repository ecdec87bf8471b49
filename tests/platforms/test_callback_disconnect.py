"""A VK ID callback whose browser disconnects mid-exchange still signs the user in."""

from __future__ import annotations

import asyncio
import functools
import socket
import threading
import time
from collections.abc import AsyncIterator, Iterator
from types import SimpleNamespace
from typing import Any

import aiohttp
import pytest
from aiohttp import web

from simulator import SimulatorServer, app
from simulator import server as server_module
from simulator.platforms.relying_party import HTTP
from simulator.testing import Simulator
from tests.support.sim_browser import MES_HOST, Browser, location, mes_sign_in, sign_in
from tests.support.sim_seeds import person, world


class HeldExchange:
    """Holds the relying party's call to /oauth2/auth until the test lets it go."""

    def __init__(self) -> None:
        self.started = threading.Event()
        self.release: asyncio.Event | None = None

    async def hold(self, session: Any, context: SimpleNamespace, params: aiohttp.TraceRequestStartParams) -> None:
        if params.url.path == "/oauth2/auth":
            self.release = asyncio.Event()
            self.started.set()
            await self.release.wait()


@pytest.fixture(params=[False, True], ids=["handler-kept", "handler-cancelled"])
def held(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[SimulatorServer, HeldExchange]]:
    """A simulator whose relying parties' token exchange waits; aiohttp cancels a disconnected handler or not."""
    holder = HeldExchange()

    def create_app(*args: Any, **kwargs: Any) -> web.Application:
        application = app.create_app(*args, **kwargs)

        async def traced_client(application: web.Application) -> AsyncIterator[None]:
            trace = aiohttp.TraceConfig()
            trace.on_request_start.append(holder.hold)
            async with aiohttp.ClientSession(trace_configs=[trace]) as client:
                application[HTTP] = client
                yield

        application.cleanup_ctx.append(traced_client)
        return application

    monkeypatch.setattr(server_module, "create_app", create_app)
    monkeypatch.setattr(web, "AppRunner", functools.partial(web.AppRunner, handler_cancellation=request.param))
    with SimulatorServer() as running:
        yield running, holder


def test_the_sign_in_completes_when_the_browser_went_away(held: tuple[SimulatorServer, HeldExchange]) -> None:
    server, holder = held
    sim = Simulator(server.url)
    session = sim.new_session(seed=7)
    session.seed(world(person()))
    browser = Browser(server.url, session)
    try:
        mes_sign_in(browser)
        back = sign_in(browser, location(browser.post("/sferum/connect", host=MES_HOST), 303), "+79991234567")
        path = back.split(MES_HOST, 1)[1].split("/", 1)[1]
        cookies = "; ".join(f"{name}={value}" for name, value in browser.http.cookies.items())
        request = (
            f"GET /{path} HTTP/1.1\r\nHost: {MES_HOST}:{server.port}\r\nX-Sim-Session: {session.key}\r\n"
            f"Cookie: {cookies}\r\n\r\n"
        )
        with socket.create_connection((server.host, server.port)) as sock:
            sock.sendall(request.encode())
            assert holder.started.wait(5)
        time.sleep(0.2)  # the server has seen the browser go
        assert holder.release is not None
        server.call(holder.release.set)
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and not any(e.get("path") == "/sferum/callback" for e in session.events()):
            time.sleep(0.05)
        callback = [e for e in session.events() if e.get("path") == "/sferum/callback"]
        assert callback and callback[-1]["status"] == 303, callback
        # The browser comes back: МЭШ shows the profile VK ID gave it.
        page = browser.get("/sferum/add", host=MES_HOST)
        assert page.status_code == 200 and "Иванов" in page.text
    finally:
        browser.close()
        session.delete()
        sim.close()
