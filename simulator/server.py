"""Running the simulator beside a test: its own thread and event loop, so Playwright's sync API keeps its own."""

from __future__ import annotations

import asyncio
import socket
import threading
from collections.abc import Callable
from typing import Any, TypeVar

from aiohttp import web

from . import tls as tls_
from .app import TLS, Timeouts, create_app, runner_options
from .hosts import Hosts
from .world import World

T = TypeVar("T")


class SimulatorServer:
    """`with SimulatorServer() as server: server.url` — a simulator on a free loopback port.

    With `tls=True` it also answers HTTPS on a second port (`tls_url`) with a self-signed certificate
    made at start, so a browser mapping https://id.vk.com to it reaches VK ID unchanged.
    """

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        world: World | None = None,
        tls: bool = False,
        timeouts: Timeouts | None = None,
    ) -> None:
        self.host = host
        self.port = port
        self.world = world or World()
        self.hosts = Hosts()
        self.timeouts = timeouts
        self.certificate = tls_.self_signed() if tls else None
        self.tls_port: int | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._ready = threading.Event()
        self._error: BaseException | None = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def tls_url(self) -> str | None:
        return f"https://{self.host}:{self.tls_port}" if self.tls_port else None

    def start(self) -> SimulatorServer:
        self._thread = threading.Thread(target=self._run, name="sferum-sim", daemon=True)
        self._thread.start()
        self._ready.wait()
        if self._error is not None:
            raise RuntimeError(f"the simulator did not start: {self._error}") from self._error
        return self

    def stop(self) -> None:
        if self._loop is not None and self._thread is not None:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(timeout=10)

    def call(self, fn: Callable[..., T], *args: Any) -> T:
        """Run `fn` on the server's own loop (the world is not thread-safe) and return its result."""
        assert self._loop is not None, "the server is not running"

        async def run() -> T:
            return fn(*args)

        return asyncio.run_coroutine_threadsafe(run(), self._loop).result(timeout=10)

    def __enter__(self) -> SimulatorServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _run(self) -> None:
        self._loop = loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        try:
            # Bind first: redirect URIs and links need the real port before the app is built.
            sock = socket.create_server((self.host, self.port))
            self.port = self.hosts.port = sock.getsockname()[1]
            app = create_app(self.world, self.hosts, timeouts=self.timeouts)
            tls_sock = None
            if self.certificate is not None:
                tls_sock = socket.create_server((self.host, 0))
                self.tls_port = tls_sock.getsockname()[1]
                app[TLS] = self.certificate.listener(self.tls_port)
            runner = web.AppRunner(app, access_log=None, **runner_options(app))
            loop.run_until_complete(runner.setup())
            loop.run_until_complete(web.SockSite(runner, sock).start())
            if tls_sock is not None:
                assert self.certificate is not None
                loop.run_until_complete(web.SockSite(runner, tls_sock, ssl_context=self.certificate.context).start())
        except BaseException as error:  # reported to the starting thread
            self._error = error
            self._ready.set()
            return
        self._ready.set()
        try:
            loop.run_forever()
        finally:
            loop.run_until_complete(runner.cleanup())
            loop.close()
