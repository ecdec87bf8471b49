"""Running the simulator beside a test: its own thread and event loop, so Playwright's sync API keeps its own."""

from __future__ import annotations

import asyncio
import socket
import threading
from typing import Any, Callable, TypeVar

from aiohttp import web

from .app import create_app
from .hosts import Hosts
from .world import World

T = TypeVar("T")


class SimulatorServer:
    """`with SimulatorServer() as server: server.url` — a simulator on a free loopback port."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0, *, world: World | None = None) -> None:
        self.host = host
        self.port = port
        self.world = world or World()
        self.hosts = Hosts()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._ready = threading.Event()
        self._error: BaseException | None = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

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
            runner = web.AppRunner(create_app(self.world, self.hosts), access_log=None)
            loop.run_until_complete(runner.setup())
            loop.run_until_complete(web.SockSite(runner, sock).start())
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
