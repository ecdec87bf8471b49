"""`serve --state DIR`: every session kept in DIR as `<key>.json`, loaded at start, saved on change and on exit.

Each write is atomic (a temporary file, fsync, rename, fsync of the directory), so a crash or `kill -9`
mid-save leaves the previous or the new complete snapshot, never a torn one. A change is on disk within
a second of the request that made it being answered: every session a request reaches through the world
(by its key, by the header, or by a code or token it issued) is saved, whatever header the request had.
A save that cannot be written is logged, shown by `/_sim/v1/health`, retried, and makes the exit non-zero.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import fcntl
import json
import logging
import os
import secrets
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

from aiohttp import web

from .control.handlers import STATE
from .wire import SESSION_HEADER
from .world import World
from .world.snapshot import SCHEMA_VERSION, SnapshotError, dump, load
from .world.world import KEY_RE

SUFFIX = ".json"
TEMPORARY = ".tmp"  # a save a crash interrupted; never a session (keys' files end in SUFFIX)
LOCK = ".lock"
log = logging.getLogger("sferum_sim.state")
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class StateError(Exception):
    """DIR cannot be used: the message says why and what to do; nothing in it was changed."""


def write_atomically(path: Path, data: bytes) -> None:
    """Replace `path` with `data` so that any crash leaves either the old or the new file whole."""
    _replace(path, data)
    _sync_directory(path.parent)


def _replace(path: Path, data: bytes) -> None:
    """`path` holds `data`, durable once its directory is synced: a batch of saves syncs it once."""
    temporary = path.with_name(f"{path.name}.{secrets.token_hex(4)}{TEMPORARY}")
    try:
        with open(temporary, "xb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise


def remove_durably(path: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        path.unlink()
        _sync_directory(path.parent)


def _sync_directory(directory: Path) -> None:
    # The rename is only durable once the directory entry itself is on disk.
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def encode(session_doc: dict[str, Any]) -> bytes:
    return json.dumps(session_doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


class _Reached:
    """The sessions one request has reached so far; noted as changed once its handler has finished."""

    def __init__(self) -> None:
        self.keys: set[str] = set()
        self.open = True  # a task the handler left running may reach sessions after the request is over


_reached: contextvars.ContextVar[_Reached | None] = contextvars.ContextVar("sferum_sim_state_reached", default=None)


class StateDirectory:
    """The sessions of one world, kept in one directory that only this process writes."""

    def __init__(self, directory: Path, world: World, *, delay: float = 0.1, retry: float = 1.0) -> None:
        self.directory = directory
        self.world = world
        self.delay = delay  # a change waits this long for others to join its save, so a burst costs one write
        self.retry = retry  # after a save that failed, the next attempt waits this long
        self._written: dict[str, bytes] = {}  # what each file holds now, so an unchanged session is not rewritten
        self._dirty: set[str] = set()
        self._everything_dirty = True
        self._unsaved: dict[str, str] = {}  # the sessions whose last save failed, and why
        self._wake: asyncio.Event | None = None
        self._lock_fds: list[int] = []

    # -- start ----------------------------------------------------------------------------------

    def restore(self) -> list[str]:
        """Lock DIR and restore every session saved in it; the keys restored. StateError leaves the world as it was."""
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            self._lock()
        except OSError as error:
            self.close()
            raise StateError(f"cannot use {self.directory}: {error.strerror or error}") from None
        try:
            return self._restore_sessions()
        except StateError:
            self.close()  # refused: the directory is free again, as it was found
            raise

    def _restore_sessions(self) -> list[str]:
        documents: dict[str, bytes] = {}
        sessions = []
        for path in sorted(self.directory.glob("*" + SUFFIX)):
            key = path.name[: -len(SUFFIX)]
            if not KEY_RE.fullmatch(key):
                raise StateError(f"{path}: {key!r} is not a session key; move the file away to start")
            try:
                data = path.read_bytes()
                doc = json.loads(data)
            except (OSError, ValueError) as error:
                raise StateError(f"{path} is not a readable snapshot ({error}); move it away to start") from None
            version = doc.get("schema_version") if isinstance(doc, dict) else None
            if isinstance(version, int) and version > SCHEMA_VERSION:
                raise StateError(
                    f"{path} was written by a newer sferum-sim (snapshot schema {version}; this one reads "
                    f"{SCHEMA_VERSION}): upgrade sferum-sim, or give --state another directory"
                )
            try:
                session = load(doc, key=key, limits=self.world.limits)
            except SnapshotError as error:
                raise StateError(f"{path}: {error}") from None
            sessions.append(session)
            documents[key] = data
        for session in sessions:
            self.world.restore(session)
        self._written = documents
        for stale in self.directory.glob("*" + TEMPORARY):
            stale.unlink(missing_ok=True)  # an interrupted save: the file it was replacing is intact
        return [session.key for session in sessions]

    def _lock(self) -> None:
        # The directory itself is locked: it cannot be unlinked while it holds sessions, so removing a file
        # never lets a second server in. LOCK is locked too, for servers of older versions that lock only it.
        for path, flags in ((self.directory, os.O_DIRECTORY), (self.directory / LOCK, os.O_RDWR | os.O_CREAT)):
            fd = os.open(path, flags, 0o644)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
                raise StateError(f"{self.directory} is in use by another sferum-sim") from None
            self._lock_fds.append(fd)

    def close(self) -> None:
        while self._lock_fds:
            os.close(self._lock_fds.pop())

    # -- changes --------------------------------------------------------------------------------

    def changed(self, key: str) -> None:
        """The session `key` may have changed (or gone): save it at the next flush."""
        self._dirty.add(key)
        if self._wake is not None:
            self._wake.set()

    def changed_everything(self) -> None:
        """Sessions may have been created, reset or deleted: compare them all at the next flush."""
        self._everything_dirty = True
        if self._wake is not None:
            self._wake.set()

    def _reached_session(self, key: str) -> None:
        """The world handed out session `key`: a request's are noted when it has been handled, others at once."""
        reached = _reached.get()
        if reached is not None and reached.open:
            reached.keys.add(key)
        else:
            self.changed(key)

    def pending(self) -> list[tuple[str, bytes | None]]:
        """What the next flush writes: each changed session's file content, or None to remove its file."""
        keys = set(self._dirty)
        if self._everything_dirty:
            keys |= set(self.world.sessions) | set(self._written)
        self._dirty.clear()
        self._everything_dirty = False
        writes: list[tuple[str, bytes | None]] = []
        for key in sorted(keys):
            session = self.world.sessions.get(key)
            if session is None:
                if key in self._written:
                    writes.append((key, None))
                continue
            try:
                data = encode(dump(session))
            except Exception:  # one session that cannot be saved must not keep the others from being saved
                log.exception("sferum-sim: cannot save session %s", key)
                self._unsaved[key] = "the session cannot be encoded"
                continue
            if self._written.get(key) != data:
                writes.append((key, data))
        return writes

    def write(self, writes: list[tuple[str, bytes | None]]) -> dict[str, str]:
        """Write (or remove) each session's file, syncing DIR once; the sessions that could not be saved, and why.

        Runs off the event loop; touches nothing the loop reads while it runs."""
        failed: dict[str, str] = {}
        done: list[tuple[str, bytes | None]] = []
        for key, data in writes:
            path = self.directory / (key + SUFFIX)
            try:
                if data is None:
                    path.unlink(missing_ok=True)
                else:
                    _replace(path, data)
                done.append((key, data))
            except OSError as error:
                failed[key] = f"{path}: {error.strerror or error}"
        if done:
            try:
                _sync_directory(self.directory)
            except OSError as error:  # renamed but maybe not durable: written again at the next flush
                failed.update({key: f"{self.directory}: {error.strerror or error}" for key, _ in done})
                done = []
        for key, data in done:
            if data is None:
                self._written.pop(key, None)
            else:
                self._written[key] = data
        return failed

    def _settle(self, writes: list[tuple[str, bytes | None]], failed: dict[str, str]) -> None:
        """Note what a write achieved: saved sessions are no longer unsaved, failed ones are tried again."""
        for key, _ in writes:
            if key in failed:
                if key not in self._unsaved:
                    log.error("sferum-sim: cannot save session %s: %s; trying again", key, failed[key])
                self._unsaved[key] = failed[key]
                self._dirty.add(key)
            elif self._unsaved.pop(key, None) is not None:
                log.warning("sferum-sim: session %s saved again", key)

    def flush(self) -> None:
        """Save every change now, on the calling thread."""
        writes = self.pending()
        self._settle(writes, self.write(writes))

    @property
    def unsaved(self) -> dict[str, str]:
        """The sessions whose changes are not on disk because saving them failed, and why."""
        return dict(self._unsaved)

    def health(self) -> dict[str, Any]:
        """What /_sim/v1/health shows of DIR: ok, or failing with the sessions not saved and the first reason."""
        return {
            "directory": str(self.directory),
            "status": "failing" if self._unsaved else "ok",
            "unsaved": sorted(self._unsaved),
            "error": next(iter(self._unsaved.values()), None),
        }

    # -- the server -----------------------------------------------------------------------------

    def attach(self, app: web.Application) -> None:
        """Note every session a request reaches as changed; save soon after each change, and on exit."""
        self.world.on_touch.append(self._reached_session)
        # Outermost, so the sessions changed by the other middlewares (the request journal) are noted too.
        app.middlewares.insert(0, self._middleware)
        app.cleanup_ctx.append(self._lifetime)
        app[STATE] = self.health

    @web.middleware
    async def _middleware(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        reached = _Reached()
        scope = _reached.set(reached)
        try:
            return await handler(request)
        finally:  # a handler that failed may still have changed its session half-way
            _reached.reset(scope)
            reached.open = False
            named = request.headers.get(SESSION_HEADER)
            if named in self.world.sessions:  # its request journal counts even a page no handler answered
                reached.keys.add(named)
            for key in reached.keys:
                self.changed(key)

    async def _lifetime(self, app: web.Application) -> AsyncIterator[None]:
        stop = asyncio.Event()
        self._wake = asyncio.Event()
        self._wake.set()  # what changed before serving (a --seed-file, sessions of an older schema) is saved now
        saver = asyncio.create_task(self._save_continually(stop))
        try:
            yield
        finally:
            # Stopped, not cancelled: a write under way finishes first, so the last word is the final save's.
            stop.set()
            self._wake.set()
            with contextlib.suppress(Exception):
                await saver
            self._wake = None
            self.changed_everything()
            try:
                self.flush()
            except Exception:
                log.exception("sferum-sim: saving the sessions on exit failed")
                self._unsaved.setdefault("every session", "saving on exit failed")
            if self._unsaved:
                log.error(
                    "sferum-sim: --state: exiting with unsaved changes: sessions %s could not be saved in %s (%s)",
                    ", ".join(sorted(self._unsaved)),
                    self.directory,
                    next(iter(self._unsaved.values())),
                )
            self.close()

    async def _save_continually(self, stop: asyncio.Event) -> None:
        assert self._wake is not None
        wake = self._wake
        while not stop.is_set():
            await wake.wait()
            wake.clear()
            with contextlib.suppress(TimeoutError):  # changes made meanwhile join this save
                await asyncio.wait_for(stop.wait(), self.delay)
            if stop.is_set():
                return  # the save on exit writes everything
            failed: dict[str, str] = {}
            try:
                writes = self.pending()  # dumped on the loop, where the world is consistent …
                if writes:
                    failed = await asyncio.to_thread(self.write, writes)  # … written off it: fsync takes a while
                    self._settle(writes, failed)
            except Exception as error:  # the saver outlives any one failure: exit still saves everything
                log.exception("sferum-sim: saving the sessions failed")
                self._everything_dirty = True
                failed = {"every session": str(error)}
            if failed:
                wake.set()  # tried again, but not at once: a full disk stays full for a while
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), self.retry)
