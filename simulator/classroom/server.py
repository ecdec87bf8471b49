"""A classroom's simulator: the trainer's port (room view, control plane) and one port per platform for trainees.

One aiohttp application serves every port: the platforms' sub-applications are routed by the Host
header `ADDRESS:PORT` (SeatHosts), the trainer's port by none of them, so it answers only /_sim. It runs
on a thread of its own with its own loop, so the caller's thread can run the «Дано» steps (synchronous
HTTP to the control plane) while it serves.
"""

from __future__ import annotations

import asyncio
import secrets
import socket
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from aiohttp import web

from ..app import create_app, runner_options
from ..hosts import PLATFORM_TABLE
from ..recorder.library import Library
from ..world import World
from . import join, room
from .hosts import SeatHosts
from .lesson import Exercise
from .state import CLASSROOM, STUCK_AFTER, Classroom

T = TypeVar("T")


class ClassroomServer:
    def __init__(
        self,
        exercises: list[Exercise],
        library: Library,
        *,
        address: str = "127.0.0.1",
        host: str = "0.0.0.0",
        trainer_host: str = "127.0.0.1",
        port: int = 0,
        first_platform_port: int = 0,
        admin_token: str | None = None,
        stuck_after: float = STUCK_AFTER,
        out: Path | None = None,
        guide: Path | None = None,
        wall_clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.exercises = exercises
        self.library = library
        self.address = address
        self.host = host
        self.trainer_host = trainer_host
        self.port = port
        self.first_platform_port = first_platform_port
        self.admin_token = admin_token or secrets.token_urlsafe(18)
        self.stuck_after = stuck_after
        self.out = out
        self.guide = guide
        self.wall_clock = wall_clock
        self.world = World(running_clock=True)  # people at the keyboard: codes expire in real time
        self.classroom: Classroom | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._ready = threading.Event()
        self._error: BaseException | None = None
        self._runner: web.AppRunner | None = None

    @property
    def trainer_url(self) -> str:
        return (
            f"http://127.0.0.1:{self.port}"
            if self.trainer_host in ("0.0.0.0", "")
            else f"http://{self.trainer_host}:{self.port}"
        )

    @property
    def room_url(self) -> str:
        return self.trainer_url + room.ROOM + "/"

    def start(self) -> ClassroomServer:
        self._thread = threading.Thread(target=self._run, name="sferum-sim-classroom", daemon=True)
        self._thread.start()
        self._ready.wait()
        if self._error is not None:
            raise self._error
        return self

    def seat(self, count: int) -> Classroom:
        """`count` seats, each world prepared by its exercise's «Дано» steps, then watched for progress."""
        classroom = self.classroom
        assert classroom is not None
        classroom.seat_all(count)
        for seat in classroom.seats:
            self.call(classroom.watch, seat)
        return classroom

    def call(self, fn: Callable[..., T], *args: Any) -> T:
        """Run `fn` on the server's loop (the world is not thread-safe) and return its result."""
        assert self._loop is not None

        async def run() -> T:
            return fn(*args)

        return asyncio.run_coroutine_threadsafe(run(), self._loop).result(timeout=60)

    def push(self) -> None:
        """Every open room view gets a frame now, not at its next second (the lesson's clock was moved)."""
        assert self.classroom is not None
        self.call(self.classroom.notify_all)

    def stop(self) -> None:
        loop, thread = self._loop, self._thread
        if loop is None or thread is None:
            return

        async def close() -> None:
            if self.classroom is not None:
                self.classroom.closing = True
                self.classroom.notify_all()  # the room's and the cards' streams wake, see `closing` and end
            if self._runner is not None:
                await self._runner.cleanup()

        asyncio.run_coroutine_threadsafe(close(), loop).result(timeout=30)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=10)

    def __enter__(self) -> ClassroomServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _sockets(self) -> tuple[socket.socket, dict[str, socket.socket]]:
        trainer = socket.create_server((self.trainer_host, self.port))
        self.port = trainer.getsockname()[1]
        platforms: dict[str, socket.socket] = {}
        try:
            for index, platform in enumerate(PLATFORM_TABLE):
                wanted = self.first_platform_port + index if self.first_platform_port else 0
                platforms[platform.name] = socket.create_server((self.host, wanted))
        except OSError:
            trainer.close()
            for sock in platforms.values():
                sock.close()
            raise
        return trainer, platforms

    def _run(self) -> None:
        self._loop = loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        try:
            # Bound first: links, redirect URIs and routes need the real ports before the app is built.
            trainer, platforms = self._sockets()
            hosts = SeatHosts(
                port=self.port,
                address=self.address,
                ports={name: sock.getsockname()[1] for name, sock in platforms.items()},
            )
            app = create_app(self.world, hosts, admin_token=self.admin_token)
            app.middlewares.insert(0, join.seat_binding)  # before the guard, the journal and the faults
            self.classroom = Classroom(
                world=self.world,
                hosts=hosts,
                exercises=self.exercises,
                library=self.library,
                trainer_url=self.trainer_url,
                admin_token=self.admin_token,
                stuck_after=self.stuck_after,
                out=self.out,
                guide=self.guide,
                changed=asyncio.Event(),
                wall_clock=self.wall_clock,
            )
            app[CLASSROOM] = self.classroom
            for method, path, handler in room.ROUTES:
                app.router.add_route(method, path, handler)
            self._runner = runner = web.AppRunner(app, access_log=None, **runner_options(app))
            loop.run_until_complete(runner.setup())
            for sock in (trainer, *platforms.values()):
                loop.run_until_complete(web.SockSite(runner, sock).start())
        except BaseException as error:  # reported to the starting thread
            self._error = error
            self._ready.set()
            return
        self._ready.set()
        try:
            loop.run_forever()
        finally:
            loop.close()
