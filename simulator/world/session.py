"""Everything one test session owns: its tables, its event log, the lookups over them and its snapshot parts.

The rules that change the tables live beside it, one module per concern (accounts.py, links.py,
organisations.py, chats.py, calls.py, outbox.py, faults.py): each takes the session it works on.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import itertools
import random
import time
import typing
from collections import OrderedDict, deque
from collections.abc import Callable, Collection, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from ..clock import Clock
from ..errors import DomainError
from .codes import CodeBook, Confirmation
from .esia import EsiaCodes
from .models import (
    Attachment,
    Call,
    Chat,
    ChatMessage,
    Fault,
    GosuslugiAccount,
    Invitation,
    JoinRequest,
    JournalAccount,
    Lesson,
    Link,
    MaxAccount,
    Membership,
    Organisation,
    OutboxMessage,
    Person,
    Role,
    SchoolClass,
    SferumProfile,
    VkIdAccount,
    to_json,
)
from .oauth import OAuthStore
from .passwords import PasswordAttempts
from .tickets import LinkTickets


class SessionEnded(DomainError, RuntimeError):
    """The session was reset or deleted: what waited on it will never see the new session's data."""


# Each table's place: `viewed`, a part of GET /_sim/v1/sessions/{key}; `own_reader`, the snapshot reads it
# with a check of its own rather than row by row.
_VIEWED = {"viewed": True, "own_reader": False}
_VIEWED_OWN_READER = {"viewed": True, "own_reader": True}
_KEPT = {"viewed": False, "own_reader": False}
_KEPT_OWN_READER = {"viewed": False, "own_reader": True}


@dataclass(eq=False, repr=False)  # a session is compared and hashed by identity; its repr is not its data
class Tables:
    """A session's tables, each declared once: the snapshot (dump, load, references), its view's parts and a
    reset (a new session) all follow this list. The view shows the viewed ones in this order."""

    organisations: dict[int, Organisation] = field(default_factory=dict, metadata=_VIEWED)
    classes: dict[str, SchoolClass] = field(default_factory=dict, metadata=_VIEWED)
    people: dict[str, Person] = field(default_factory=dict, metadata=_VIEWED)
    journal_accounts: dict[str, JournalAccount] = field(default_factory=dict, metadata=_VIEWED)
    vkid_accounts: dict[int, VkIdAccount] = field(default_factory=dict, metadata=_VIEWED)
    profiles: dict[int, SferumProfile] = field(default_factory=dict, metadata=_VIEWED)
    # By journal account id (one profile per account); a link linked twice is refused in words of its own.
    links: dict[str, Link] = field(default_factory=dict, metadata=_VIEWED_OWN_READER)
    gosuslugi_accounts: dict[int, GosuslugiAccount] = field(default_factory=dict, metadata=_VIEWED)
    max_accounts: dict[int, MaxAccount] = field(default_factory=dict, metadata=_VIEWED)
    lessons: dict[int, Lesson] = field(default_factory=dict, metadata=_VIEWED)
    chats: dict[int, Chat] = field(default_factory=dict, metadata=_VIEWED)
    memberships: list[Membership] = field(default_factory=list, metadata=_VIEWED)
    chat_messages: list[ChatMessage] = field(default_factory=list, metadata=_VIEWED)
    calls: list[Call] = field(default_factory=list, metadata=_VIEWED)
    attachments: list[Attachment] = field(default_factory=list, metadata=_VIEWED)
    invitations: dict[int, Invitation] = field(default_factory=dict, metadata=_VIEWED)
    join_requests: dict[int, JoinRequest] = field(default_factory=dict, metadata=_VIEWED)
    faults: dict[str, Fault] = field(
        default_factory=dict, metadata=_VIEWED_OWN_READER
    )  # by name, as faults.py declares
    outbox: list[OutboxMessage] = field(default_factory=list, metadata=_KEPT)
    confirmations: dict[int, Confirmation] = field(default_factory=dict, metadata=_KEPT)
    # By VK ID account: wrong passwords counted. Older snapshots have none, so it is read on its own.
    password_attempts: dict[int, PasswordAttempts] = field(default_factory=dict, metadata=_KEPT_OWN_READER)


@dataclass(frozen=True)
class Table:
    """One of `Tables`' fields: its name (the session's attribute and the snapshot's field) and its rows' type."""

    name: str
    entity: type[Any]
    by_id: bool  # a dict by id, or a list in order
    viewed: bool
    own_reader: bool


def _declared_tables() -> tuple[Table, ...]:
    hints = typing.get_type_hints(Tables)
    return tuple(
        Table(
            f.name,
            typing.get_args(hints[f.name])[-1],
            typing.get_origin(hints[f.name]) is dict,
            f.metadata["viewed"],
            f.metadata["own_reader"],
        )
        for f in dataclasses.fields(Tables)
    )


TABLES = _declared_tables()
# The parts of a session's snapshot (GET /_sim/v1/sessions/{key}), in order; `?only=` picks some.
SNAPSHOT_PARTS = ("key", "seed", "clock", *(t.name for t in TABLES if t.viewed), "settings", "clients")


@dataclass(frozen=True)
class Limits:
    """How much a long-lived session keeps: browsers' server-side state and its event log."""

    browsers: int = 2_000  # per session; the least recently used browser's state goes first
    browser_idle: timedelta = timedelta(hours=6)  # of wall time without a request
    events: int = 10_000  # the newest; ids keep counting so `events_after` still works

    def __post_init__(self) -> None:
        if self.browsers < 1 or self.events < 1 or self.browser_idle <= timedelta():
            raise ValueError("limits must be positive")


class BrowserStates:
    """Server-side state behind browsers' cookies, by "cookie:handle"; idle and least recently used ones expire.

    A browser that has gone away never says so: without expiry every cookie-less page view would be kept forever.
    """

    def __init__(self, limits: Limits, wall_clock: Callable[[], float] = time.monotonic) -> None:
        self._limits = limits
        self._wall_clock = wall_clock
        self._states: OrderedDict[str, tuple[float, dict[str, Any]]] = OrderedDict()  # oldest use first

    def get(self, handle: str) -> dict[str, Any] | None:
        """The state behind `handle`, counting as a use; None if there is none or it has expired."""
        self._expire()
        entry = self._states.get(handle)
        if entry is None:
            return None
        self._states[handle] = (self._wall_clock(), entry[1])
        self._states.move_to_end(handle)
        return entry[1]

    def __contains__(self, handle: object) -> bool:
        self._expire()
        return handle in self._states

    def __setitem__(self, handle: str, state: dict[str, Any]) -> None:
        self._states[handle] = (self._wall_clock(), state)
        self._states.move_to_end(handle)
        self._expire()

    def __len__(self) -> int:
        return len(self._states)

    def items(self) -> Iterator[tuple[str, dict[str, Any]]]:
        """Every state held, least recently used first."""
        return ((handle, state) for handle, (_, state) in self._states.items())

    def _expire(self) -> None:
        while len(self._states) > self._limits.browsers:
            self._states.popitem(last=False)
        oldest_kept = self._wall_clock() - self._limits.browser_idle.total_seconds()
        while self._states:
            handle, (used_at, _) = next(iter(self._states.items()))
            if used_at >= oldest_kept:
                break
            del self._states[handle]


class Session(Tables):
    def __init__(
        self,
        key: str,
        *,
        seed: int = 0,
        clock: Clock | None = None,
        index: Callable[[str], None] | None = None,
        limits: Limits | None = None,
        held_elsewhere: Callable[[int], bool] | None = None,
    ) -> None:
        super().__init__()
        self.key = key
        self.limits = limits or Limits()
        self.seed = seed
        self.clock = clock or Clock()
        # Ids follow the seed *and* the key: two sessions with one seed (every session without a `seed`
        # starts at 0) would otherwise give different people the same VK ID user_id, and a relying party
        # keying accounts by user_id would merge them. A string seeds Random through SHA-512: stable across runs.
        self.rng = random.Random(f"{seed}/{key}")
        # Whether another session of the world holds an id already: ids stay unique world-wide.
        self.held_elsewhere: Callable[[int], bool] = held_elsewhere or (lambda candidate: False)
        self.codes = CodeBook(seed)
        self.oauth = OAuthStore(index=index or (lambda token: None))
        self.esia_codes = EsiaCodes()  # Госуслуги's one-time sign-in codes
        self.link_tickets = LinkTickets()  # МАХ's one-time tickets naming a profile to link
        # How VK ID confirms a phone for an account that names no channel of its own, how МЭШ connects Sferum
        # (faults.SETTINGS has every setting and its values).
        self.settings: dict[str, str] = {"phone_code_channel": "call", "mes_sferum_in": "vk"}
        self.web = BrowserStates(self.limits)  # cookie-backed browser state, by cookie value
        # What happened, in order (the test report shows it per step): the newest `limits.events` of them.
        self.events: deque[dict[str, Any]] = deque(maxlen=self.limits.events)
        self.last_event_id = 0
        # Called with each event as it is recorded, and with None when the session ends (simulator/live/).
        self.watchers: list[Callable[[dict[str, Any] | None], None]] = []
        self.outbox_changed = asyncio.Condition()  # outbox.py waits on it for a message to be sent
        self.ended = False  # reset or deleted: the world holds another session (or none) under this key

    def end(self) -> None:
        """The world forgot this session: outbox waits on it are answered now, not at their timeout."""
        self.ended = True
        self.wake_outbox_waiters()
        for watch in list(self.watchers):
            watch(None)

    def wake_outbox_waiters(self) -> None:
        """Let those waiting for a message look again (a message was sent, or the session ended)."""

        async def wake() -> None:
            async with self.outbox_changed:
                self.outbox_changed.notify_all()

        with contextlib.suppress(RuntimeError):  # no loop: nobody can be waiting
            asyncio.get_running_loop().create_task(wake())

    # -- event log --------------------------------------------------------------------------

    def record(self, kind: str, **data: Any) -> None:
        """Note what happened (a request, a code sent, a link made …), for the report of the step that caused it."""
        self.last_event_id += 1
        event = {"id": self.last_event_id, "at": self.clock.now().isoformat(), "kind": kind, **data}
        self.events.append(event)
        for watch in list(self.watchers):
            watch(event)

    def events_after(self, after: int = 0) -> list[dict[str, Any]]:
        """The events kept whose id is above `after`; older ones may have been dropped by the cap."""
        if after >= self.last_event_id:
            return []
        first_kept = self.last_event_id - len(self.events) + 1
        return list(itertools.islice(self.events, max(0, after - first_kept + 1), None))

    # -- identities -------------------------------------------------------------------------

    def new_id(self, *taken: Mapping[int, object]) -> int:
        """VK-style nine-digit ids, drawn from the session's seed and key, free in every one of `taken` and in
        every other session of the world."""
        while True:
            candidate = self.rng.randint(100_000_000, 999_999_999)
            if all(candidate not in ids for ids in taken) and not self.held_elsewhere(candidate):
                return candidate

    # -- lookups ----------------------------------------------------------------------------

    def vkid_by_login(self, kind: str, value: str) -> VkIdAccount | None:
        for account in self.vkid_accounts.values():
            if getattr(account, kind) == value:
                return account
        return None

    def journal_login(self, journal: str, login: str, password: str) -> JournalAccount | None:
        for account in self.journal_accounts.values():
            if account.journal == journal and account.login == login and account.password == password:
                return account
        return None

    def max_by_phone(self, phone: str) -> MaxAccount | None:
        return next((a for a in self.max_accounts.values() if a.phone == phone), None)

    def gosuslugi_login(self, login: str, password: str) -> GosuslugiAccount | None:
        for account in self.gosuslugi_accounts.values():
            if account.login == login and account.password == password:
                return account
        return None

    def gosuslugi_by_login(self, login: str) -> GosuslugiAccount | None:
        return next((a for a in self.gosuslugi_accounts.values() if a.login == login), None)

    def journal_by_contact(self, journal: str, contact: str) -> JournalAccount | None:
        """The student whose phone or e-mail the class teacher entered as `contact`."""
        return next(
            (a for a in self.journal_accounts.values() if a.journal == journal and a.contact == contact),
            None,
        )

    def journal_accounts_of(self, person_id: str, journal: str | None = None) -> list[JournalAccount]:
        return [a for a in self.journal_accounts.values() if a.person_id == person_id and journal in (None, a.journal)]

    def link_of_profile(self, profile_id: int, journal: str) -> Link | None:
        for link in self.links.values():
            if link.profile_id == profile_id and self.journal_accounts[link.journal_account_id].journal == journal:
                return link
        return None

    def attachment(self, profile_id: int, org_id: int) -> Attachment | None:
        return next((a for a in self.attachments if a.profile_id == profile_id and a.org_id == org_id), None)

    def classes_of(self, account: JournalAccount) -> list[str]:
        """The classes a journal account is in: a parent's children's, a teacher's led class first and taught ones."""
        if account.role is Role.PARENT:
            children = [a for pid in account.children for a in self.journal_accounts_of(pid, account.journal)]
            return [c.class_id for c in children if c.class_id]
        led = [account.class_id] if account.class_id else []
        return list(dict.fromkeys(led + account.classes))  # the led class first, as seed 001's chat list shows

    def lessons_of(self, account: JournalAccount) -> list[Lesson]:
        classes = set(self.classes_of(account))
        return sorted((ls for ls in self.lessons.values() if ls.class_id in classes), key=lambda ls: ls.starts_at)

    def chats_of(self, profile_id: int) -> list[Chat]:
        """The chats a profile sees now: those whose creation has finished."""
        now = self.clock.now()
        ids = [m.chat_id for m in self.memberships if m.profile_id == profile_id and m.available_at <= now]
        return [self.chats[i] for i in ids]

    def members(self, chat_id: int) -> list[int]:
        now = self.clock.now()
        return [m.profile_id for m in self.memberships if m.chat_id == chat_id and m.available_at <= now]

    def ongoing_call(self, chat_id: int) -> Call | None:
        # An online lesson's call is held in its class's chat but is the lesson's own (simulator/world/calls.py).
        return next(
            (c for c in self.calls if c.chat_id == chat_id and c.ended_at is None and c.lesson_id is None), None
        )

    def messages(self, *, to: str | None = None, channel: str | None = None, after: int = 0) -> list[OutboxMessage]:
        return [
            m
            for m in self.outbox
            if m.id > after and (to is None or m.to == to) and (channel is None or m.channel == channel)
        ]

    def fault(self, name: str) -> Fault | None:
        return self.faults.get(name)

    # -- views ------------------------------------------------------------------------------

    def snapshot(self, only: Collection[str] | None = None) -> dict[str, Any]:
        """The session as JSON; `only` names the parts wanted (SNAPSHOT_PARTS), so a reader of one pays for one."""
        wanted = SNAPSHOT_PARTS if only is None else [name for name in SNAPSHOT_PARTS if name in only]
        snapshot: dict[str, Any] = to_json({name: self._snapshot_part(name) for name in wanted})
        return snapshot

    def _snapshot_part(self, name: str) -> object:
        if name == "clock":
            return self.clock.to_json()
        if name == "clients":
            return list(self.oauth.clients.values())
        value = getattr(self, name)  # key, seed, settings, or a table
        return list(value.values()) if name in _TABLE_NAMES and isinstance(value, dict) else value


_TABLE_NAMES = frozenset(t.name for t in TABLES)
