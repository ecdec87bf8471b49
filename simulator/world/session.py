"""Everything one test session owns: its people, accounts, links, outbox, clock and faults."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import random
import time
from collections import OrderedDict, deque
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from .. import validation
from ..clock import Clock
from ..hosts import PLATFORMS
from .codes import CodeBook, Confirmation
from .esia import EsiaCodes
from .models import (
    Attachment,
    Call,
    CallParticipant,
    Channel,
    Chat,
    ChatKind,
    ChatMessage,
    GosuslugiAccount,
    Invitation,
    JoinRequest,
    JournalAccount,
    Lesson,
    Link,
    MaxAccount,
    Membership,
    MessageFile,
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

FAULTS = {
    "identity_unavailable": "VK ID cannot obtain identification data after «Продолжить»",
    "vpn": "the user's connection goes through a VPN; linking is refused",
    "http_error": "a platform answers a path with an HTTP error (params: platform, path, status, delay)",
}

PATH_MAX = 2048
DELAY_MAX = 60  # seconds an http_error may hold its answer: a relying party's timeout, not a hung test


def _platform(value: object) -> str:
    if not isinstance(value, str) or value not in PLATFORMS:
        raise ValueError(f"must be one of {', '.join(PLATFORMS)}")
    return value


def _path(value: object) -> str:
    if not isinstance(value, str) or not value.startswith("/") or len(value) > PATH_MAX:
        raise ValueError(f"must be a path starting with '/', at most {PATH_MAX} characters")
    return value


def _delay(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= DELAY_MAX:
        raise ValueError(f"must be a number of seconds from 0 to {DELAY_MAX}")
    return float(value)


def _status(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 400 <= value <= 599:
        raise ValueError("must be an HTTP error status, an integer from 400 to 599")
    return value


# Each fault's parameters: a check that returns the value to store, and the default of an optional one
# (None: required). Only checked values are stored, so a fault always renders in snapshots and events.
FAULT_PARAMS: dict[str, dict[str, tuple[Callable[[object], object], object]]] = {
    "identity_unavailable": {},
    "vpn": {},
    "http_error": {
        "platform": (_platform, None),
        "path": (_path, None),
        "status": (_status, 500),
        "delay": (_delay, 0),  # real seconds before the answer: a caller's timeout is tested with it
    },
}

SETTINGS = {
    # How VK ID confirms a phone for an account that names no channel of its own (`Session.phone_code_channel`).
    "phone_code_channel": ("call", "sms"),
    "mes_sferum_in": ("vk", "max"),  # МЭШ connects Sferum in VK Messenger (VK ID) or in МАХ
    # VK ID's redirect back to the relying party: followed, or shown as a link a test opens when it is ready.
    "vkid_redirect": ("follow", "hold"),
}

# The parts of a session's snapshot (GET /_sim/v1/sessions/{key}), in order; `?only=` picks some.
SNAPSHOT_PARTS = (
    "key",
    "seed",
    "clock",
    "organisations",
    "classes",
    "people",
    "journal_accounts",
    "vkid_accounts",
    "profiles",
    "links",
    "gosuslugi_accounts",
    "max_accounts",
    "lessons",
    "chats",
    "memberships",
    "chat_messages",
    "calls",
    "attachments",
    "invitations",
    "join_requests",
    "faults",
    "settings",
    "clients",
)
# Sferum builds an organisation's chats from the journal's data a while after a link is made.
CHATS_DELAY = timedelta(minutes=5)
# The organisation-wide chats: title after «<organisation> · », kind, and the roles that are in it.
ORG_CHATS = (
    ("Объявления", ChatKind.CHANNEL, frozenset(Role)),
    ("Сотрудники", ChatKind.CHANNEL, frozenset({Role.TEACHER, Role.ADMIN})),
    ("Учителя", ChatKind.GROUP, frozenset({Role.TEACHER, Role.ADMIN})),
)


NOT_ATTACHED = "Создавать чаты организации может только прикреплённый к ней учебный профиль."
# Seed 001: «Сферум — это безопасное образовательное пространство, где вы сможете общаться только с
# участниками своей школы в закрытых чатах».
NOT_IN_ORGANISATION = "В чат можно добавить только участников своей организации: Сферум — закрытое пространство."


class ChatRefused(PermissionError):
    """A chat action the rules do not allow; the message is the one the user sees. Nothing has changed."""


class SessionEnded(RuntimeError):
    """The session was reset or deleted: what waited on it will never see the new session's data."""


class UnknownFault(KeyError):
    """No fault has this name."""


class InvalidFaultParams(ValueError):
    """A fault's parameter is missing, unknown or has a value the fault does not take; the message names it."""


def fault_params(name: str, given: Mapping[str, object]) -> dict[str, object]:
    """The parameters to store for fault `name`: each checked, defaults filled in (InvalidFaultParams if not)."""
    declared = FAULT_PARAMS[name]
    unknown = sorted(set(given) - set(declared))
    if unknown:
        takes = ", ".join(declared) or "no parameters"
        raise InvalidFaultParams(f"{unknown[0]} is not a parameter of this fault (it takes {takes})")
    params = {}
    for param, (check, default) in declared.items():
        if param not in given and default is None:
            raise InvalidFaultParams(f"{param} is required")
        try:
            params[param] = check(given.get(param, default))
        except ValueError as error:
            raise InvalidFaultParams(f"{param} {error}") from None
    return params


class UnknownSetting(ValueError):
    """No setting has this name, or it does not take this value."""

    def __init__(self, name: str, value: object) -> None:
        super().__init__(f"{name}={value!r} is not a setting")
        self.name = name
        self.value = value


@dataclass
class Fault:
    name: str
    params: dict[str, Any] = field(default_factory=dict)


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


class Session:
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
        self.organisations: dict[int, Organisation] = {}
        self.classes: dict[str, SchoolClass] = {}
        self.people: dict[str, Person] = {}
        self.journal_accounts: dict[str, JournalAccount] = {}
        self.vkid_accounts: dict[int, VkIdAccount] = {}
        self.profiles: dict[int, SferumProfile] = {}
        self.links: dict[str, Link] = {}  # by journal account id
        self.gosuslugi_accounts: dict[int, GosuslugiAccount] = {}
        self.max_accounts: dict[int, MaxAccount] = {}
        self.lessons: dict[int, Lesson] = {}
        self.chats: dict[int, Chat] = {}
        self.memberships: list[Membership] = []
        self.chat_messages: list[ChatMessage] = []
        self.calls: list[Call] = []
        self.attachments: list[Attachment] = []
        self.invitations: dict[int, Invitation] = {}
        self.join_requests: dict[int, JoinRequest] = {}
        self.outbox: list[OutboxMessage] = []
        self.confirmations: dict[int, Confirmation] = {}
        self.password_attempts: dict[int, PasswordAttempts] = {}  # by VK ID account: wrong passwords counted
        self.esia_codes = EsiaCodes()  # Госуслуги's one-time sign-in codes
        self.link_tickets = LinkTickets()  # МАХ's one-time tickets naming a profile to link
        self.faults: dict[str, Fault] = {}
        self.settings: dict[str, str] = {"phone_code_channel": "call", "mes_sferum_in": "vk"}
        self.web = BrowserStates(self.limits)  # cookie-backed browser state, by cookie value
        # What happened, in order (the test report shows it per step): the newest `limits.events` of them.
        self.events: deque[dict[str, Any]] = deque(maxlen=self.limits.events)
        self.last_event_id = 0
        # Called with each event as it is recorded, and with None when the session ends (simulator/live/).
        self.watchers: list[Callable[[dict[str, Any] | None], None]] = []
        self._outbox_changed = asyncio.Condition()
        self.ended = False  # reset or deleted: the world holds another session (or none) under this key

    def end(self) -> None:
        """The world forgot this session: outbox waits on it are answered now, not at their timeout."""
        self.ended = True
        self._notify()
        for watch in list(self.watchers):
            watch(None)

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

    def vkid_by_login(self, kind: str, value: str) -> VkIdAccount | None:
        for account in self.vkid_accounts.values():
            if getattr(account, kind) == value:
                return account
        return None

    def phone_code_channel(self, account: VkIdAccount | None, *, after_password: bool = False) -> Channel:
        """How VK ID sends the code that confirms a phone number: the seeds' cases, not one switch for all.

        A number with no VK ID account gets an SMS (seeds 003 and 004, variant 3: «Введите код из смс»), and
        so does an account whose password was just typed (variants 1 and 2). Otherwise the account's own
        channel, a call or an SMS (seed 001: «SMS-кодом или с помощью звонка»), or, if it names none, the
        session's setting `phone_code_channel`.
        """
        if account is None or after_password:
            return Channel.SMS
        return account.code_channel or Channel(self.settings["phone_code_channel"])

    def check_password(self, account: VkIdAccount, entered: str) -> None:
        """Let the account's owner in with `entered`, or raise the PasswordError to show; attempts are limited."""
        attempts = self.password_attempts.get(account.id) or PasswordAttempts(account.id)
        try:
            attempts.check(entered, account.password, self.clock.now())
        finally:
            # Only a count or a lock is worth keeping: a right password at the first try leaves no trace.
            if attempts.idle:
                self.password_attempts.pop(account.id, None)
            else:
                self.password_attempts[account.id] = attempts

    def set_password(self, account: VkIdAccount, password: str) -> None:
        """A new password, set by someone who has just proved the phone or e-mail: the old one's lock goes."""
        account.password = password
        self.password_attempts.pop(account.id, None)
        self.record("password_changed", account=account.id)

    def journal_login(self, journal: str, login: str, password: str) -> JournalAccount | None:
        for account in self.journal_accounts.values():
            if account.journal == journal and account.login == login and account.password == password:
                return account
        return None

    def create_vkid_account(self, **fields: Any) -> VkIdAccount:
        account = VkIdAccount(id=self.new_id(self.vkid_accounts), **fields)
        self.vkid_accounts[account.id] = account
        self.record("vkid_account_created", account=account.id)
        return account

    def create_max_account(self, **fields: Any) -> MaxAccount:
        account = MaxAccount(id=self.new_id(self.max_accounts), **fields)
        self.max_accounts[account.id] = account
        self.record("max_account_created", account=account.id)
        return account

    def max_by_phone(self, phone: str) -> MaxAccount | None:
        return next((a for a in self.max_accounts.values() if a.phone == phone), None)

    def gosuslugi_login(self, login: str, password: str) -> GosuslugiAccount | None:
        for account in self.gosuslugi_accounts.values():
            if account.login == login and account.password == password:
                return account
        return None

    def gosuslugi_by_login(self, login: str) -> GosuslugiAccount | None:
        return next((a for a in self.gosuslugi_accounts.values() if a.login == login), None)

    def register_gosuslugi(
        self,
        *,
        login: str,
        password: str,
        last_name: str,
        first_name: str,
        patronymic: str | None,
        birth_date: date,
    ) -> GosuslugiAccount:
        """A simplified (unconfirmed) Госуслуги account on a confirmed phone or e-mail.

        It belongs to the person whose own phone or e-mail it is when the name and birth date typed are theirs;
        otherwise to a new person with what was typed. ValueError if the login already has an account.
        """
        if self.gosuslugi_by_login(login) is not None:
            raise ValueError(f"{login} already signs in to a Госуслуги account")
        typed = (last_name.casefold(), first_name.casefold(), birth_date)
        person = next(
            (
                p
                for p in self.people.values()
                if login in (p.phone, p.email)
                and (p.last_name.casefold(), p.first_name.casefold(), p.birth_date) == typed
            ),
            None,
        )
        account_id = self.new_id(self.gosuslugi_accounts)
        if person is None:
            person = Person(
                id=f"gosuslugi-{account_id}",  # account ids are unique, so is this
                last_name=last_name,
                first_name=first_name,
                patronymic=patronymic,
                birth_date=birth_date,
                phone=None if "@" in login else login,
                email=login if "@" in login else None,
            )
            self.people[person.id] = person
        account = GosuslugiAccount(account_id, person.id, login, password, confirmed=False)
        self.gosuslugi_accounts[account.id] = account
        self.record("gosuslugi_account_created", account=account.id, person=person.id, confirmed=False)
        return account

    def journal_by_contact(self, journal: str, contact: str) -> JournalAccount | None:
        """The student whose phone or e-mail the class teacher entered as `contact`."""
        return next(
            (a for a in self.journal_accounts.values() if a.journal == journal and a.contact == contact),
            None,
        )

    def set_contact(self, account: JournalAccount, contact: str) -> None:
        """The class teacher enters a student's phone or e-mail in the journal (normalised by the caller)."""
        account.contact = contact
        self.record("contact_added", journal=account.journal, journal_account=account.id, contact=contact)

    def journal_accounts_of(self, person_id: str, journal: str | None = None) -> list[JournalAccount]:
        return [a for a in self.journal_accounts.values() if a.person_id == person_id and journal in (None, a.journal)]

    def create_profile(
        self,
        account: VkIdAccount | MaxAccount,
        *,
        first_name: str,
        last_name: str,
        patronymic: str | None,
        birth_date: date,
        sex: str,
    ) -> SferumProfile:
        if account.profile_id is not None:
            raise ValueError("this VK ID account already has an educational profile")
        in_max = isinstance(account, MaxAccount)
        profile = SferumProfile(
            id=self.new_id(self.profiles, self.vkid_accounts, self.max_accounts),
            vkid_id=None if in_max else account.id,
            max_id=account.id if in_max else None,
            first_name=first_name,
            last_name=last_name,
            patronymic=patronymic,
            birth_date=birth_date,
            sex=sex,
        )
        self.profiles[profile.id] = profile
        account.profile_id = profile.id
        self.record("profile_created", profile=profile.id, account=account.id, via="max" if in_max else "vkid")
        return profile

    # -- links ------------------------------------------------------------------------------

    def link(
        self, account: JournalAccount, profile: SferumProfile, via: str, *, chats_after: timedelta = CHATS_DELAY
    ) -> Link:
        """Link a journal account to a profile; the organisation's chats appear `chats_after` later."""
        previous = self.links.get(account.id)
        if previous is not None and previous.profile_id != profile.id:
            self.unlink(account)  # one profile per account: the one it replaces leaves the organisation
        link = Link(account.id, profile.id, via, self.clock.now())
        self.links[account.id] = link
        self.record("linked", journal=account.journal, journal_account=account.id, profile=profile.id, via=via)
        if account.org_id is not None:
            self.attach(
                profile, account.org_id, account.role, "journal", self._classes_of(account), chats_after=chats_after
            )
        return link

    def link_of_profile(self, profile_id: int, journal: str) -> Link | None:
        for link in self.links.values():
            if link.profile_id == profile_id and self.journal_accounts[link.journal_account_id].journal == journal:
                return link
        return None

    def unlink(self, account: JournalAccount) -> Link | None:
        link = self.links.pop(account.id, None)
        if link is not None:
            self.record("unlinked", journal=account.journal, journal_account=account.id, profile=link.profile_id)
        if link is not None and account.org_id is not None:
            profile = self.profiles[link.profile_id]
            still_there = any(
                other.profile_id == profile.id
                and self.journal_accounts[other.journal_account_id].org_id == account.org_id
                for other in self.links.values()
            )
            if not still_there:
                self.detach(profile, account.org_id)
        return link

    # -- organisations ----------------------------------------------------------------------

    def attachment(self, profile_id: int, org_id: int) -> Attachment | None:
        return next((a for a in self.attachments if a.profile_id == profile_id and a.org_id == org_id), None)

    def attach(
        self,
        profile: SferumProfile,
        org_id: int,
        role: Role,
        via: str,
        class_ids: Sequence[str] = (),
        *,
        chats_after: timedelta = CHATS_DELAY,
    ) -> Attachment:
        """Attach a profile to an organisation: Sferum builds its chats `chats_after` later."""
        attachment = self.attachment(profile.id, org_id)
        if attachment is None:
            attachment = Attachment(profile.id, org_id, role, self.clock.now(), via)
            self.attachments.append(attachment)
            profile.org_ids.append(org_id)
        self._join_chats(org_id, role, list(class_ids), profile, self.clock.now() + chats_after)
        return attachment

    def detach(self, profile: SferumProfile, org_id: int) -> None:
        """The profile leaves the organisation and every chat of it."""
        self.attachments = [a for a in self.attachments if not (a.profile_id == profile.id and a.org_id == org_id)]
        if org_id in profile.org_ids:
            profile.org_ids.remove(org_id)
        org_chats = {c.id for c in self.chats.values() if c.org_id == org_id}
        self.memberships = [m for m in self.memberships if not (m.profile_id == profile.id and m.chat_id in org_chats)]

    # -- chats ------------------------------------------------------------------------------

    def _chat(self, org_id: int, title: str, kind: ChatKind, class_id: str | None = None) -> Chat:
        """The chat Sferum builds under this title (made now if it is the first); chats made by hand are others."""
        for chat in self.chats.values():
            if chat.org_id == org_id and chat.title == title and chat.created_by is None:
                return chat
        chat = Chat(len(self.chats) + 1, org_id, kind, title, class_id)
        self.chats[chat.id] = chat
        return chat

    def _classes_of(self, account: JournalAccount) -> list[str]:
        if account.role is Role.PARENT:
            children = [a for pid in account.children for a in self.journal_accounts_of(pid, account.journal)]
            return [c.class_id for c in children if c.class_id]
        led = [account.class_id] if account.class_id else []
        return list(dict.fromkeys(led + account.classes))  # the led class first, as seed 001's chat list shows

    def _join_chats(
        self, org_id: int, role: Role, class_ids: list[str], profile: SferumProfile, available_at: datetime
    ) -> None:
        """The organisation's chats, built from the journal's data: who is in which class."""
        org = self.organisations[org_id]
        wanted = [
            self._chat(org.id, f"{org.name} · {title}", kind) for title, kind, roles in ORG_CHATS if role in roles
        ]
        wanted += [self.class_chat(class_id) for class_id in class_ids]
        joined = {m.chat_id for m in self.memberships if m.profile_id == profile.id}
        new = [chat for chat in wanted if chat.id not in joined]
        for chat in new:
            self.memberships.append(Membership(chat.id, profile.id, available_at))
        if new:
            self.record("chats_joined", profile=profile.id, org=org.name, chats=[_chat_entry(c) for c in new])

    def class_chat(self, class_id: str) -> Chat:
        school_class = self.classes[class_id]
        return self._chat(school_class.org_id, f"{school_class.name} · Общая беседа", ChatKind.GROUP, class_id)

    def join_by_link(self, chat: Chat, profile: SferumProfile) -> None:
        """A chat's invitation link lets in any profile, attached to the organisation or not."""
        if profile.id not in self.members(chat.id):
            self.memberships.append(Membership(chat.id, profile.id, self.clock.now()))
            org = self.organisations.get(chat.org_id)
            self.record("chats_joined", profile=profile.id, org=org.name if org else None, chats=[_chat_entry(chat)])

    def chats_of(self, profile_id: int) -> list[Chat]:
        """The chats a profile sees now: those whose creation has finished."""
        now = self.clock.now()
        ids = [m.chat_id for m in self.memberships if m.profile_id == profile_id and m.available_at <= now]
        return [self.chats[i] for i in ids]

    def members(self, chat_id: int) -> list[int]:
        now = self.clock.now()
        return [m.profile_id for m in self.memberships if m.chat_id == chat_id and m.available_at <= now]

    def create_group_chat(self, profile: SferumProfile, org_id: int, title: str) -> Chat:
        """A group chat made by hand in an organisation the profile is attached to; its maker is its first member.

        The title must pass `validation.chat_title` (ValidationError otherwise).
        """
        title = validation.chat_title(title)
        if self.attachment(profile.id, org_id) is None:
            raise ChatRefused(NOT_ATTACHED)
        chat = Chat(
            len(self.chats) + 1, org_id, ChatKind.GROUP, title, created_by=profile.id, created_at=self.clock.now()
        )
        self.chats[chat.id] = chat
        self.memberships.append(Membership(chat.id, profile.id, self.clock.now()))
        self.record("chat_created", chat=chat.id, org=org_id, profile=profile.id)
        return chat

    def chat_candidates(self, chat: Chat) -> list[SferumProfile]:
        """Who may be added to a chat made by hand: the organisation's profiles not in it yet, by name."""
        inside = set(self.members(chat.id))
        found = [
            self.profiles[a.profile_id]
            for a in self.attachments
            if a.org_id == chat.org_id and a.profile_id not in inside and a.profile_id in self.profiles
        ]
        return sorted(found, key=lambda p: (p.full_name, p.id))

    def add_chat_members(self, chat: Chat, by: SferumProfile, profile_ids: Sequence[int]) -> list[int]:
        """Add members of the chat's organisation to a chat made by hand, all of them or none; the ids added."""
        self._check_member(chat, by)
        if chat.created_by is None:
            raise ChatRefused("Участников этого чата определяет электронный журнал: добавить в него никого нельзя.")
        if not profile_ids:
            raise ChatRefused("Выберите, кого добавить в чат.")
        inside = set(self.members(chat.id))
        for profile_id in profile_ids:
            if profile_id not in self.profiles or self.attachment(profile_id, chat.org_id) is None:
                raise ChatRefused(NOT_IN_ORGANISATION)
        added = [pid for pid in dict.fromkeys(profile_ids) if pid not in inside]
        now = self.clock.now()
        self.memberships.extend(Membership(chat.id, pid, now) for pid in added)
        self.record("chat_members_added", chat=chat.id, by=by.id, profiles=added)
        return added

    def post_message(
        self, chat: Chat, profile: SferumProfile, text: str, file: MessageFile | None = None
    ) -> ChatMessage:
        """A message written now; its text must pass `validation.message` (ValidationError otherwise)."""
        text = validation.message(text, with_file=file is not None)
        self._check_can_write(chat, profile)
        message = ChatMessage(len(self.chat_messages) + 1, chat.id, profile.id, text, self.clock.now(), file)
        self.chat_messages.append(message)
        self.record("chat_message", chat=chat.id, profile=profile.id, file=file.name if file else None)
        return message

    def ongoing_call(self, chat_id: int) -> Call | None:
        # An online lesson's call is held in its class's chat but is the lesson's own (simulator/world/calls.py).
        return next(
            (c for c in self.calls if c.chat_id == chat_id and c.ended_at is None and c.lesson_id is None), None
        )

    def start_call(self, chat: Chat, profile: SferumProfile) -> Call:
        """A video call in a group chat, its starter in it; a chat has one call going at a time."""
        self._check_can_write(chat, profile)
        if self.ongoing_call(chat.id) is not None:
            raise ChatRefused("В чате уже идёт звонок: присоединитесь к нему.")
        now = self.clock.now()
        call = Call(len(self.calls) + 1, chat.id, profile.id, now, [CallParticipant(profile.id, now)])
        self.calls.append(call)
        self.record("call_started", call=call.id, chat=chat.id, profile=profile.id)
        return call

    def join_call(self, call: Call, profile: SferumProfile) -> None:
        """A member of the chat joins its call while it goes on; joining twice changes nothing."""
        self._check_member(self.chats[call.chat_id], profile)
        if call.ended_at is not None:
            raise ChatRefused("Звонок уже завершён.")
        if profile.id not in call.present():
            call.participants.append(CallParticipant(profile.id, self.clock.now()))
            self.record("call_joined", call=call.id, profile=profile.id)

    def leave_call(self, call: Call, profile: SferumProfile) -> None:
        """The profile leaves the call; when nobody is left, the call ends."""
        now = self.clock.now()
        present = [p for p in call.participants if p.profile_id == profile.id and p.left_at is None]
        if not present:
            raise ChatRefused("Вы не участвуете в этом звонке.")
        for participant in present:
            participant.left_at = now
        self.record("call_left", call=call.id, profile=profile.id)
        if not call.present():
            call.ended_at = now

    def _check_member(self, chat: Chat, profile: SferumProfile) -> None:
        if profile.id not in self.members(chat.id):
            raise ChatRefused("Чат не найден или вы не состоите в нём.")

    def _check_can_write(self, chat: Chat, profile: SferumProfile) -> None:
        # Platforms refuse these with a message first; the world only keeps its invariants.
        self._check_member(chat, profile)
        if chat.kind is ChatKind.CHANNEL:
            raise ChatRefused("В информационном канале публикуют записи только его администраторы.")

    def lessons_of(self, account: JournalAccount) -> list[Lesson]:
        classes = set(self._classes_of(account))
        return sorted((ls for ls in self.lessons.values() if ls.class_id in classes), key=lambda ls: ls.starts_at)

    # -- out-of-band channels ---------------------------------------------------------------

    def send_code(self, channel: Channel, target: str, *, sender: str = "VK ID") -> Confirmation:
        now = self.clock.now()
        confirmation = self.codes.make(channel, target, now)
        self.confirmations[confirmation.id] = confirmation
        caller = None
        if channel is Channel.CALL:
            caller = self.codes.caller_number(confirmation.code)
            text = f"Входящий звонок с номера {caller}"
        elif channel is Channel.SMS:
            text = f"{sender}: код подтверждения {confirmation.code}. Никому его не сообщайте."
        else:
            text = f"Ваш код подтверждения {sender}: {confirmation.code}"
        self.outbox.append(OutboxMessage(len(self.outbox) + 1, channel, target, confirmation.code, text, now, caller))
        self.record("code_sent", channel=channel.value, to=target, code=confirmation.code)
        self._notify()
        return confirmation

    def send_notice(self, channel: Channel, target: str, text: str) -> OutboxMessage:
        """A message with no code in it, such as an organisation's invitation by SMS or e-mail."""
        message = OutboxMessage(len(self.outbox) + 1, channel, target, "", text, self.clock.now())
        self.outbox.append(message)
        self._notify()
        return message

    def superseded(self, current: Confirmation, entered: str) -> bool:
        """Whether `entered` is an earlier code to the same recipient, replaced by `current`."""
        return any(
            c.target == current.target and c.id < current.id and c.code == entered and c.code != current.code
            for c in self.confirmations.values()
        )

    def _notify(self) -> None:
        async def wake() -> None:
            async with self._outbox_changed:
                self._outbox_changed.notify_all()

        with contextlib.suppress(RuntimeError):  # no loop: nobody can be waiting
            asyncio.get_running_loop().create_task(wake())

    def messages(self, *, to: str | None = None, channel: str | None = None, after: int = 0) -> list[OutboxMessage]:
        return [
            m
            for m in self.outbox
            if m.id > after and (to is None or m.to == to) and (channel is None or m.channel == channel)
        ]

    async def wait_message(self, timeout: float, **match: Any) -> OutboxMessage | None:
        """The first matching message, waiting up to `timeout` seconds for one to be sent.

        SessionEnded if the session is reset or deleted first: its successor's messages are not awaited here.
        """

        def found() -> list[OutboxMessage]:
            return self.messages(**match)

        async with self._outbox_changed:
            try:
                await asyncio.wait_for(self._outbox_changed.wait_for(lambda: self.ended or found()), timeout)
            except TimeoutError:
                return None
        if self.ended:
            raise SessionEnded(self.key)
        return found()[0]

    # -- faults and settings ----------------------------------------------------------------

    def set_fault(self, name: str, params: Mapping[str, object] | None = None) -> Fault:
        """Switch a fault on; UnknownFault or InvalidFaultParams, and nothing stored, if it cannot be."""
        if name not in FAULTS:
            raise UnknownFault(name)
        fault = Fault(name, fault_params(name, params or {}))
        self.faults[name] = fault
        self.record("fault_on", name=name, params=fault.params)
        return fault

    def clear_fault(self, name: str) -> Fault | None:
        """Switch a fault off; the fault that was on, if one was."""
        fault = self.faults.pop(name, None)
        if fault is not None:
            self.record("fault_off", name=name)
        return fault

    def fault(self, name: str) -> Fault | None:
        return self.faults.get(name)

    def change_settings(self, changes: Mapping[str, object]) -> dict[str, str]:
        """Change some settings, all or none: UnknownSetting names the first that is not one."""
        for name, value in changes.items():
            if name not in SETTINGS or value not in SETTINGS[name]:
                raise UnknownSetting(name, value)
        self.settings.update({name: str(value) for name, value in changes.items()})
        return self.settings

    def fix_code(self, to: str, code: str) -> None:
        """Codes of this length sent to `to` are `code` from now on, until `unfix_codes`."""
        self.codes.fixed[(to, len(code))] = code

    def unfix_codes(self, to: str) -> None:
        """Codes sent to `to` are drawn from the seed again, whatever their length."""
        for length in (4, 6):
            self.codes.fixed.pop((to, length), None)

    # -- views ------------------------------------------------------------------------------

    def snapshot(self, only: Collection[str] | None = None) -> dict[str, Any]:
        """The session as JSON; `only` names the parts wanted (SNAPSHOT_PARTS), so a reader of one pays for one."""
        parts = self._snapshot_parts()
        wanted = SNAPSHOT_PARTS if only is None else [name for name in SNAPSHOT_PARTS if name in only]
        snapshot: dict[str, Any] = to_json({name: parts[name]() for name in wanted})
        return snapshot

    def _snapshot_parts(self) -> dict[str, Callable[[], object]]:
        return {
            "key": lambda: self.key,
            "seed": lambda: self.seed,
            "clock": self.clock.to_json,
            "organisations": lambda: list(self.organisations.values()),
            "classes": lambda: list(self.classes.values()),
            "people": lambda: list(self.people.values()),
            "journal_accounts": lambda: list(self.journal_accounts.values()),
            "vkid_accounts": lambda: list(self.vkid_accounts.values()),
            "profiles": lambda: list(self.profiles.values()),
            "links": lambda: list(self.links.values()),
            "gosuslugi_accounts": lambda: list(self.gosuslugi_accounts.values()),
            "max_accounts": lambda: list(self.max_accounts.values()),
            "lessons": lambda: list(self.lessons.values()),
            "chats": lambda: list(self.chats.values()),
            "memberships": lambda: self.memberships,
            "chat_messages": lambda: self.chat_messages,
            "calls": lambda: self.calls,
            "attachments": lambda: self.attachments,
            "invitations": lambda: list(self.invitations.values()),
            "join_requests": lambda: list(self.join_requests.values()),
            "faults": lambda: list(self.faults.values()),
            "settings": lambda: self.settings,
            "clients": lambda: list(self.oauth.clients.values()),
        }


def _chat_entry(chat: Chat) -> dict[str, str]:
    """A chat as the event log names it: its title and kind (channel or group)."""
    return {"title": chat.title, "kind": chat.kind.value}
