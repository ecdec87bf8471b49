"""The registry of test sessions: parallel suites share one simulator and never see each other."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from typing import overload

from ..clock import DEFAULT_START, Clock
from ..errors import DomainError
from .session import Limits, Session

DEFAULT = "default"
KEY_RE = re.compile(r"[A-Za-z0-9_.\-]{1,64}")


class UnknownSession(DomainError, KeyError):
    """No session has this key."""


class InvalidSessionKey(DomainError, ValueError):
    """A key a session cannot have: it names the session in URLs and headers."""


class SessionExists(DomainError, ValueError):
    """A session with this key exists already."""


class World:
    def __init__(self, *, running_clock: bool = False, limits: Limits | None = None) -> None:
        self.limits = limits or Limits()  # every session's, including those restored from snapshots
        self.sessions: dict[str, Session] = {}
        self._by_token: dict[str, str] = {}
        # Called for every session created, e.g. to register the platforms' own OAuth clients.
        self.on_new_session: list[Callable[[Session], None]] = []
        # Called with a session's key whenever it is looked up, made, replaced or forgotten: whatever changes
        # a session reaches it through here, so `serve --state` learns which sessions a request may have changed.
        self.on_touch: list[Callable[[str], None]] = []
        self._running_clock = running_clock
        self.create(DEFAULT)

    def create(
        self, key: str, *, seed: int = 0, running_clock: bool | None = None, start: datetime = DEFAULT_START
    ) -> Session:
        if not KEY_RE.fullmatch(key):
            raise InvalidSessionKey("a session key has 1-64 letters, digits, '.', '_' or '-'")
        if key in self.sessions:
            raise SessionExists(f"session {key} already exists")
        running = self._running_clock if running_clock is None else running_clock
        clock = Clock(start, running=running)  # refuses a start out of the calendar before anything exists
        session = Session(
            key,
            seed=seed,
            clock=clock,
            index=lambda t: self._index(t, key),
            limits=self.limits,
            held_elsewhere=lambda candidate: self.id_held(candidate, but=key),
        )
        session.codes.held_elsewhere = lambda code: self.code_held(code, but=key)
        self.sessions[key] = session
        for hook in self.on_new_session:
            hook(session)
        self._touch(key)
        return session

    def get(self, key: str | None) -> Session:
        try:
            session = self.sessions[key or DEFAULT]
        except KeyError:
            raise UnknownSession(key) from None
        self._touch(session.key)
        return session

    def delete(self, key: str) -> None:
        self.get(key).end()
        del self.sessions[key]
        self._by_token = {t: k for t, k in self._by_token.items() if k != key}
        if key == DEFAULT:
            self.create(DEFAULT)

    @overload
    def reset(self, key: None = None) -> None: ...

    @overload
    def reset(self, key: str) -> Session: ...

    def reset(self, key: str | None = None) -> Session | None:
        """Forget one session's data (keeping its key and seed), or the whole world."""
        if key is None:
            for session in self.sessions.values():
                session.end()
                self._touch(session.key)
            self.sessions.clear()
            self._by_token.clear()
            self.create(DEFAULT)
            return None
        old = self.get(key)
        self.delete(key)
        return self.sessions.get(key) or self.create(key, seed=old.seed, running_clock=old.clock.running)

    def is_current(self, session: Session) -> bool:
        """Whether `session` is still the one under its key: not reset or deleted since it was looked up."""
        return self.sessions.get(session.key) is session

    def restore(self, session: Session) -> bool:
        """Put a session (e.g. loaded from a snapshot) in place of the one with its key; whether it is new."""
        key = session.key
        if not KEY_RE.fullmatch(key):
            raise InvalidSessionKey("a session key has 1-64 letters, digits, '.', '_' or '-'")
        old = self.sessions.get(key)
        created = old is None
        if old is not None:
            old.end()  # its waits are answered; writes in flight are refused, as after a reset
        self._by_token = {t: k for t, k in self._by_token.items() if k != key}
        clients = dict(session.oauth.clients)
        for hook in self.on_new_session:
            hook(session)
        session.oauth.clients.update(clients)  # the snapshot's own registrations win over the hooks' defaults
        if any(self._by_token.get(token, key) != key for token in session.oauth.identities()):
            # Codes or tokens another session holds (a snapshot copied under its own key): each code and
            # token names one session, so this one's get new values rather than taking the others' away.
            session.oauth.renew_identities()
        session.oauth.index = lambda t: self._index(t, key)
        session.held_elsewhere = lambda candidate: self.id_held(candidate, but=key)
        session.codes.held_elsewhere = lambda code: self.code_held(code, but=key)
        for token in session.oauth.identities():
            self._index(token, key)
        self.sessions[key] = session
        self._touch(key)
        return created

    def id_held(self, candidate: int, *, but: str) -> bool:
        """Whether a session other than `but` holds `candidate` as an account's or profile's id."""
        return any(
            candidate in held
            for key, session in self.sessions.items()
            if key != but
            for held in (session.profiles, session.vkid_accounts, session.max_accounts, session.gosuslugi_accounts)
        )

    def code_held(self, code: str, *, but: str) -> bool:
        """Whether a session other than `but` has sent `code` and would still accept it (by its own clock)."""
        return any(
            confirmation.code == code and confirmation.valid(session.clock.now())
            for key, session in self.sessions.items()
            if key != but
            for confirmation in session.confirmations.values()
        )

    def by_token(self, token: str) -> Session | None:
        """The session that issued an OAuth code or token: server-to-server calls carry no session key."""
        key = self._by_token.get(token)
        session = self.sessions.get(key) if key else None
        if session is not None:
            self._touch(session.key)
        return session

    def _index(self, token: str, key: str) -> None:
        self._by_token[token] = key

    def _touch(self, key: str) -> None:
        for hook in self.on_touch:
            hook(key)
