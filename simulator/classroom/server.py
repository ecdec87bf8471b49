"""A classroom's simulator: the trainer's port (room view, control plane) and one port per platform for trainees.

One aiohttp application serves every port: the platforms' sub-applications are routed by the Host
header `ADDRESS:PORT` (SeatHosts), the trainer's port by none of them, so it answers only /_sim. It runs
on a thread of its own with its own loop, so the caller's thread can run the «Дано» steps (synchronous
HTTP to the control plane) while it serves.
"""

from __future__ import annotations

import asyncio
import contextlib
import secrets
import socket
import threading
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, TypeVar

from aiohttp import web

from ..app import create_app, runner_options
from ..hosts import PLATFORM_TABLE
from ..recorder.library import Library
from ..state import StateDirectory
from ..world import World
from . import join, room, saving
from .hosts import SeatHosts
from .lesson import Exercise
from .state import CLASSROOM, STUCK_AFTER, Classroom

T = TypeVar("T")
SAVE_DELAY = 0.5  # seconds a change waits for others before classroom.json is written


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
        choice: saving.Choice | None = None,
        ports: Mapping[str, int] | None = None,
        resumed: saving.Saved | None = None,
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
        self.choice = choice  # what classroom.json says the lesson practises (with --out)
        self.ports = dict(ports or {})  # each platform's port, where a resumed lesson's links name them
        self.resumed = resumed
        self._worlds: StateDirectory | None = None
        self._dirty = asyncio.Event()  # the classroom changed since classroom.json was written (remade on the loop)
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
        self.call(self._dirty.set)  # classroom.json at once: the seats' links survive a crash from now on
        return classroom

    def resume(self) -> Classroom:
        """The saved seats again, on the worlds restored from --out: same people, links and progress."""
        classroom, saved = self.classroom, self.resumed
        assert classroom is not None and saved is not None

        def seat_again() -> None:
            classroom.started = classroom.wall_clock() - saved.elapsed
            for doc in saved.seats:
                if str(doc["key"]) not in self.world.sessions:
                    raise saving.ResumeError(
                        f"мира места {doc['seat']} нет в папке {saving.WORLDS}/ — урок не восстановить"
                    )
                seat = classroom.seats.add(saving.seat_of(doc, classroom.exercises, classroom.wall_clock))
                classroom.watch(seat)
            self._dirty.set()

        self.call(seat_again)
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
                await self._save()  # the last word on disk is the lesson as it ended
            if self._runner is not None:
                await self._runner.cleanup()  # the worlds' last save too (StateDirectory's cleanup)

        asyncio.run_coroutine_threadsafe(close(), loop).result(timeout=30)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=10)

    def __enter__(self) -> ClassroomServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- keeping the lesson in --out (simulator/classroom/saving.py) --------------------------------

    def _document(self) -> dict[str, Any] | None:
        classroom = self.classroom
        if classroom is None or self.out is None or self.choice is None:
            return None
        return saving.document(
            list(classroom.seats),
            classroom.exercises,
            self.choice,
            address=classroom.hosts.address,
            port=self.port,
            ports=dict(classroom.hosts.ports),
            admin_token=self.admin_token,
            elapsed=classroom.elapsed(),
        )

    async def _save(self) -> None:
        """classroom.json as the classroom is now: read on the loop, written on a worker thread."""
        doc = self._document()
        if doc is not None and self.out is not None:
            await asyncio.to_thread(saving.write, self.out, doc)

    async def _keep(self) -> None:
        """classroom.json rewritten within a second of any change of the room (a page, an event, an action)."""
        while True:
            await self._dirty.wait()
            await asyncio.sleep(SAVE_DELAY)  # a burst of changes (a page and its events) costs one write
            self._dirty.clear()
            try:
                await self._save()
            except OSError as error:  # the trainer's disk: said once a second, the lesson goes on
                print(f"sferum-sim classroom: {self.out}/{saving.FILE} не записан: {error}", flush=True)
                self._dirty.set()

    def _sockets(self) -> tuple[socket.socket, dict[str, socket.socket]]:
        trainer = socket.create_server((self.trainer_host, self.port))
        self.port = trainer.getsockname()[1]
        platforms: dict[str, socket.socket] = {}
        try:
            for index, platform in enumerate(PLATFORM_TABLE):
                wanted = self.ports.get(platform.name) or (
                    self.first_platform_port + index if self.first_platform_port else 0
                )
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
            if self.out is not None:  # the seats' worlds kept as `serve --state` keeps sessions (restored on --resume)
                self._worlds = StateDirectory(self.out / saving.WORLDS, self.world)
                self._worlds.restore()
                self._worlds.attach(app)
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
            self._dirty = asyncio.Event()
            self.classroom.on_change.append(lambda _seat: self._dirty.set())
            for method, path, handler in room.ROUTES:
                app.router.add_route(method, path, handler)
            self._runner = runner = web.AppRunner(app, access_log=None, **runner_options(app))
            loop.run_until_complete(runner.setup())
            for sock in (trainer, *platforms.values()):
                loop.run_until_complete(web.SockSite(runner, sock).start())
            keeper = loop.create_task(self._keep())
        except BaseException as error:  # reported to the starting thread
            self._error = error
            self._ready.set()
            return
        self._ready.set()
        try:
            loop.run_forever()
        finally:
            keeper.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                loop.run_until_complete(keeper)
            loop.close()
