"""`serve --state DIR`: every session kept in DIR as `<key>.json`, loaded at start, saved on change and on exit.

Each write is atomic (a temporary file, fsync, rename, fsync of the directory), so a crash or `kill -9`
mid-save leaves the previous or the new complete snapshot, never a torn one.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import json
import logging
import os
import secrets
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

from aiohttp import web

from .wire import PREFIX, SESSION_HEADER
from .world import DEFAULT, World
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
    _sync_directory(path.parent)


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


class StateDirectory:
    """The sessions of one world, kept in one directory that only this process writes."""

    def __init__(self, directory: Path, world: World, *, interval: float = 1.0) -> None:
        self.directory = directory
        self.world = world
        self.interval = interval  # at most one save per session per interval
        self._written: dict[str, bytes] = {}  # what each file holds now, so an unchanged session is not rewritten
        self._dirty: set[str] = set()
        self._everything_dirty = True
        self._lock_fd: int | None = None

    # -- start ----------------------------------------------------------------------------------

    def restore(self) -> list[str]:
        """Lock DIR and restore every session saved in it; the keys restored. StateError leaves the world as it was."""
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            self._lock()
        except OSError as error:
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
        fd = os.open(self.directory / LOCK, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise StateError(f"{self.directory} is in use by another sferum-sim") from None
        self._lock_fd = fd

    def close(self) -> None:
        if self._lock_fd is not None:
            os.close(self._lock_fd)
            self._lock_fd = None

    # -- changes --------------------------------------------------------------------------------

    def changed(self, key: str) -> None:
        """The session `key` may have changed (or gone): save it at the next flush."""
        self._dirty.add(key)

    def changed_everything(self) -> None:
        """Sessions may have been created, reset or deleted: compare them all at the next flush."""
        self._everything_dirty = True

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
                continue
            if self._written.get(key) != data:
                writes.append((key, data))
        return writes

    def write(self, writes: list[tuple[str, bytes | None]]) -> None:
        for key, data in writes:
            path = self.directory / (key + SUFFIX)
            try:
                if data is None:
                    remove_durably(path)
                    self._written.pop(key, None)
                else:
                    write_atomically(path, data)
                    self._written[key] = data
            except OSError:
                log.exception("sferum-sim: cannot save session %s to %s", key, path)
                self.changed(key)  # try again at the next flush

    def flush(self) -> None:
        """Save every change now, on the calling thread."""
        self.write(self.pending())

    # -- the server -----------------------------------------------------------------------------

    def attach(self, app: web.Application) -> None:
        """Note every request's session as changed; save once an interval while serving, and on exit."""
        app.middlewares.append(self._middleware)
        app.cleanup_ctx.append(self._lifetime)

    @web.middleware
    async def _middleware(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        try:
            return await handler(request)
        finally:  # a handler that failed may still have changed its session half-way
            key = request.match_info.get("key") or request.headers.get(SESSION_HEADER)
            if key:
                self.changed(key)
            elif not request.path.startswith((PREFIX, "/_sim", "/_static")):
                self.changed(DEFAULT)  # a platform page without the harness's header is the default session's
            elif request.method not in ("GET", "HEAD"):
                self.changed_everything()  # a world reset or a new session

    async def _lifetime(self, app: web.Application) -> AsyncIterator[None]:
        stop = asyncio.Event()
        saver = asyncio.create_task(self._save_periodically(stop))
        try:
            yield
        finally:
            # Stopped, not cancelled: a write under way finishes first, so the last word is the final save's.
            stop.set()
            with contextlib.suppress(Exception):
                await saver
            self.changed_everything()
            self.flush()
            self.close()

    async def _save_periodically(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), self.interval)
            try:
                writes = self.pending()  # dumped on the loop, where the world is consistent …
                if writes:
                    await asyncio.to_thread(self.write, writes)  # … written off it: fsync takes a while
            except Exception:  # the saver outlives any one failure: exit still saves everything
                log.exception("sferum-sim: saving the sessions failed")
