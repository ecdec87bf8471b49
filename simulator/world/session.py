"""Everything one test session owns: its people, accounts, links, outbox, clock and faults."""

from __future__ import annotations

import asyncio
import random
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ..clock import Clock
from .codes import CodeBook, Confirmation
from .models import (
    Channel,
    JournalAccount,
    Link,
    Organisation,
    OutboxMessage,
    Person,
    SchoolClass,
    SferumProfile,
    VkIdAccount,
    to_json,
)
from .oauth import OAuthStore

FAULTS = {
    "identity_unavailable": "VK ID cannot obtain identification data after «Продолжить»",
    "vpn": "the user's connection goes through a VPN; linking is refused",
    "http_error": "a platform answers a path with an HTTP error (params: platform, path, status)",
}

SETTINGS = {"phone_code_channel": ("call", "sms")}


class UnknownFault(KeyError):
    pass


@dataclass
class Fault:
    name: str
    params: dict[str, Any] = field(default_factory=dict)


class Session:
    def __init__(self, key: str, *, seed: int = 0, clock: Clock | None = None, index=None) -> None:
        self.key = key
        self.seed = seed
        self.clock = clock or Clock()
        self.rng = random.Random(seed)
        self.codes = CodeBook(seed)
        self.oauth = OAuthStore(index=index or (lambda token: None))
        self.organisations: dict[int, Organisation] = {}
        self.classes: dict[str, SchoolClass] = {}
        self.people: dict[str, Person] = {}
        self.journal_accounts: dict[str, JournalAccount] = {}
        self.vkid_accounts: dict[int, VkIdAccount] = {}
        self.profiles: dict[int, SferumProfile] = {}
        self.links: dict[str, Link] = {}  # by journal account id
        self.outbox: list[OutboxMessage] = []
        self.confirmations: dict[int, Confirmation] = {}
        self.faults: dict[str, Fault] = {}
        self.settings: dict[str, str] = {"phone_code_channel": "call"}
        self.web: dict[str, dict[str, Any]] = {}  # cookie-backed browser state, by cookie value
        self._outbox_changed = asyncio.Condition()

    # -- identities -------------------------------------------------------------------------

    def new_id(self, taken: dict) -> int:
        """VK-style nine-digit ids, drawn from the session's seed."""
        while True:
            candidate = self.rng.randint(100_000_000, 999_999_999)
            if candidate not in taken:
                return candidate

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

    def create_vkid_account(self, **fields: Any) -> VkIdAccount:
        account = VkIdAccount(id=self.new_id(self.vkid_accounts), **fields)
        self.vkid_accounts[account.id] = account
        return account

    def create_profile(
        self,
        account: VkIdAccount,
        *,
        first_name: str,
        last_name: str,
        patronymic: str | None,
        birth_date: date,
        sex: str,
    ) -> SferumProfile:
        if account.profile_id is not None:
            raise ValueError("this VK ID account already has an educational profile")
        profile = SferumProfile(
            id=self.new_id(self.profiles | self.vkid_accounts),
            vkid_id=account.id,
            first_name=first_name,
            last_name=last_name,
            patronymic=patronymic,
            birth_date=birth_date,
            sex=sex,
        )
        self.profiles[profile.id] = profile
        account.profile_id = profile.id
        return profile

    # -- links ------------------------------------------------------------------------------

    def link(self, account: JournalAccount, profile: SferumProfile, via: str) -> Link:
        link = Link(account.id, profile.id, via, self.clock.now())
        self.links[account.id] = link
        if account.org_id is not None and account.org_id not in profile.org_ids:
            profile.org_ids.append(account.org_id)
        return link

    def link_of_profile(self, profile_id: int, journal: str) -> Link | None:
        for link in self.links.values():
            if link.profile_id == profile_id and self.journal_accounts[link.journal_account_id].journal == journal:
                return link
        return None

    def unlink(self, account: JournalAccount) -> Link | None:
        return self.links.pop(account.id, None)

    # -- out-of-band channels ---------------------------------------------------------------

    def send_code(self, channel: Channel, target: str) -> Confirmation:
        now = self.clock.now()
        confirmation = self.codes.make(channel, target, now)
        self.confirmations[confirmation.id] = confirmation
        caller = None
        if channel is Channel.CALL:
            caller = self.codes.caller_number(confirmation.code)
            text = f"Входящий звонок с номера {caller}"
        elif channel is Channel.SMS:
            text = f"VK ID: код подтверждения {confirmation.code}. Никому его не сообщайте."
        else:
            text = f"Ваш код подтверждения VK ID: {confirmation.code}"
        self.outbox.append(OutboxMessage(len(self.outbox) + 1, channel, target, confirmation.code, text, now, caller))
        self._notify()
        return confirmation

    def _notify(self) -> None:
        async def wake() -> None:
            async with self._outbox_changed:
                self._outbox_changed.notify_all()

        try:
            asyncio.get_running_loop().create_task(wake())
        except RuntimeError:  # no loop: nobody can be waiting
            pass

    def messages(self, *, to: str | None = None, channel: str | None = None, after: int = 0) -> list[OutboxMessage]:
        return [
            m
            for m in self.outbox
            if m.id > after and (to is None or m.to == to) and (channel is None or m.channel == channel)
        ]

    async def wait_message(self, timeout: float, **match: Any) -> OutboxMessage | None:
        """The first matching message, waiting up to `timeout` seconds for one to be sent."""

        def found() -> list[OutboxMessage]:
            return self.messages(**match)

        async with self._outbox_changed:
            try:
                await asyncio.wait_for(self._outbox_changed.wait_for(found), timeout)
            except TimeoutError:
                return None
        return found()[0]

    # -- faults and settings ----------------------------------------------------------------

    def set_fault(self, name: str, params: dict[str, Any] | None = None) -> Fault:
        if name not in FAULTS:
            raise UnknownFault(name)
        fault = Fault(name, params or {})
        self.faults[name] = fault
        return fault

    def fault(self, name: str) -> Fault | None:
        return self.faults.get(name)

    # -- views ------------------------------------------------------------------------------

    def snapshot(self) -> dict[str, Any]:
        return to_json(
            {
                "key": self.key,
                "seed": self.seed,
                "clock": self.clock.to_json(),
                "organisations": list(self.organisations.values()),
                "classes": list(self.classes.values()),
                "people": list(self.people.values()),
                "journal_accounts": list(self.journal_accounts.values()),
                "vkid_accounts": list(self.vkid_accounts.values()),
                "profiles": list(self.profiles.values()),
                "links": list(self.links.values()),
                "faults": list(self.faults.values()),
                "settings": self.settings,
                "clients": list(self.oauth.clients.values()),
            }
        )
