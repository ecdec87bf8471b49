"""Accounts on each platform: made, confirmed, signed in to with a password, given a Sferum profile."""

from __future__ import annotations

from datetime import date
from typing import Any

from .models import Channel, GosuslugiAccount, JournalAccount, MaxAccount, Person, SferumProfile, VkIdAccount
from .passwords import PasswordAttempts
from .session import Session


def phone_code_channel(session: Session, account: VkIdAccount | None, *, after_password: bool = False) -> Channel:
    """How VK ID sends the code that confirms a phone number: the seeds' cases, not one switch for all.

    A number with no VK ID account gets an SMS (seeds 003 and 004, variant 3: «Введите код из смс»), and
    so does an account whose password was just typed (variants 1 and 2). Otherwise the account's own
    channel, a call or an SMS (seed 001: «SMS-кодом или с помощью звонка»), or, if it names none, the
    session's setting `phone_code_channel`.
    """
    if account is None or after_password:
        return Channel.SMS
    return account.code_channel or Channel(session.settings["phone_code_channel"])


def check_password(session: Session, account: VkIdAccount, entered: str) -> None:
    """Let the account's owner in with `entered`, or raise the PasswordError to show; attempts are limited."""
    attempts = session.password_attempts.get(account.id) or PasswordAttempts(account.id)
    try:
        attempts.check(entered, account.password, session.clock.now())
    finally:
        # Only a count or a lock is worth keeping: a right password at the first try leaves no trace.
        if attempts.idle:
            session.password_attempts.pop(account.id, None)
        else:
            session.password_attempts[account.id] = attempts


def set_password(session: Session, account: VkIdAccount, password: str) -> None:
    """A new password, set by someone who has just proved the phone or e-mail: the old one's lock goes."""
    account.password = password
    session.password_attempts.pop(account.id, None)
    session.record("password_changed", account=account.id)


def create_vkid_account(session: Session, **fields: Any) -> VkIdAccount:
    account = VkIdAccount(id=session.new_id(session.vkid_accounts), **fields)
    session.vkid_accounts[account.id] = account
    session.record("vkid_account_created", account=account.id)
    return account


def create_max_account(session: Session, **fields: Any) -> MaxAccount:
    account = MaxAccount(id=session.new_id(session.max_accounts), **fields)
    session.max_accounts[account.id] = account
    session.record("max_account_created", account=account.id)
    return account


def register_gosuslugi(
    session: Session,
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
    if session.gosuslugi_by_login(login) is not None:
        raise ValueError(f"{login} already signs in to a Госуслуги account")
    typed = (last_name.casefold(), first_name.casefold(), birth_date)
    person = next(
        (
            p
            for p in session.people.values()
            if login in (p.phone, p.email) and (p.last_name.casefold(), p.first_name.casefold(), p.birth_date) == typed
        ),
        None,
    )
    account_id = session.new_id(session.gosuslugi_accounts)
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
        session.people[person.id] = person
    account = GosuslugiAccount(account_id, person.id, login, password, confirmed=False)
    session.gosuslugi_accounts[account.id] = account
    session.record("gosuslugi_account_created", account=account.id, person=person.id, confirmed=False)
    return account


def set_contact(session: Session, account: JournalAccount, contact: str) -> None:
    """The class teacher enters a student's phone or e-mail in the journal (normalised by the caller)."""
    account.contact = contact
    session.record("contact_added", journal=account.journal, journal_account=account.id, contact=contact)


def create_profile(
    session: Session,
    account: VkIdAccount | MaxAccount,
    *,
    first_name: str,
    last_name: str,
    patronymic: str | None,
    birth_date: date,
    sex: str,
) -> SferumProfile:
    """A Sferum educational profile for a VK ID or МАХ account that has none yet (ValueError if it has)."""
    if account.profile_id is not None:
        raise ValueError("this VK ID account already has an educational profile")
    in_max = isinstance(account, MaxAccount)
    profile = SferumProfile(
        id=session.new_id(session.profiles, session.vkid_accounts, session.max_accounts),
        vkid_id=None if in_max else account.id,
        max_id=account.id if in_max else None,
        first_name=first_name,
        last_name=last_name,
        patronymic=patronymic,
        birth_date=birth_date,
        sex=sex,
    )
    session.profiles[profile.id] = profile
    account.profile_id = profile.id
    session.record("profile_created", profile=profile.id, account=account.id, via="max" if in_max else "vkid")
    return profile
