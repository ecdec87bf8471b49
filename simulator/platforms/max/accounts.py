"""МАХ's own rules about accounts: registration with the real full name, and which Sferum profile is yours."""

from __future__ import annotations

from datetime import date
from typing import Any

from ... import validation
from ...validation import ValidationError
from ...world import Session, SferumProfile, accounts
from ...world.models import MaxAccount

NAME_FIELDS = ("last_name", "first_name", "patronymic")  # Фамилия, Имя, Отчество


def read_names(data: dict[str, str]) -> tuple[dict[str, str | None], dict[str, str]]:
    """The full name typed at registration, and each refused field's message."""
    names: dict[str, str | None] = {}
    errors: dict[str, str] = {}
    for field in NAME_FIELDS:
        try:
            names[field] = validation.name(data.get(field), field, optional=field == "patronymic")
        except ValidationError as error:
            errors[field] = error.message
    return names, errors


def read_profile(data: dict[str, str], today: date) -> tuple[dict[str, Any], dict[str, str]]:
    """Birth date and sex for a new educational profile (МАХ knows the name already)."""
    values: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for field, check in (
        ("birth_date", lambda: validation.birth_date(data.get("birth_date"), today)),
        ("sex", lambda: validation.sex(data.get("sex"))),
    ):
        try:
            values[field] = check()
        except ValidationError as error:
            errors[field] = error.message
    return values, errors


def register(session: Session, phone: str, names: dict[str, str | None]) -> MaxAccount:
    existing = session.max_by_phone(phone)
    if existing is not None:  # registered meanwhile (another tab): one account per number
        return existing
    return accounts.create_max_account(
        session,
        phone=phone,
        last_name=names["last_name"],
        first_name=names["first_name"],
        patronymic=names["patronymic"],
    )


def sferum_profile(session: Session, account: MaxAccount) -> SferumProfile | None:
    """The account's profile in МАХ. A profile made earlier in VK ID with the same phone comes along:
    that is why the instructions say to sign in to МАХ with the same number."""
    if account.profile_id is not None:
        return session.profiles[account.profile_id]
    vkid = session.vkid_by_login("phone", account.phone)
    profile = session.profiles.get(vkid.profile_id) if vkid and vkid.profile_id else None
    if profile is None or profile.max_id is not None:
        return None
    profile.max_id = account.id
    account.profile_id = profile.id
    session.record("profile_in_max", profile=profile.id, account=account.id)
    return profile


def create_profile(session: Session, account: MaxAccount, birth_date: date, sex: str) -> SferumProfile:
    """A new educational profile in МАХ, under the name the account was registered with."""
    return accounts.create_profile(
        session,
        account,
        first_name=account.first_name,
        last_name=account.last_name,
        patronymic=account.patronymic,
        birth_date=birth_date,
        sex=sex,
    )
