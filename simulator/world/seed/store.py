"""Storing a checked seed document in a session: nothing here refuses anything."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from .. import accounts, chats, links, organisations
from .. import models as m
from ..models import GosuslugiAccount, JournalAccount, Lesson, Organisation, Person, Role, SchoolClass
from .schema import CreatedIds, ParsedSeed, PersonSpec, SeedResult

if TYPE_CHECKING:
    from ..session import Session


def store_seed(session: Session, parsed: ParsedSeed) -> SeedResult:
    """Add what `parsed` describes to `session`; answers the ids made for each person."""
    for org in parsed.organisations:
        session.organisations[org.id] = Organisation(org.id, org.name, org.kind)
        for school_class in org.classes:
            session.classes[school_class.id] = SchoolClass(school_class.id, org.id, school_class.name)
    for org in parsed.organisations:
        for lesson in org.lessons:
            lesson_id = len(session.lessons) + 1
            session.lessons[lesson_id] = Lesson(
                lesson_id, lesson.class_id, lesson.subject, lesson.starts_at, lesson.online
            )
    for client in parsed.clients:
        session.oauth.register(client)
    created: dict[str, CreatedIds] = {}
    for spec in parsed.people:
        person = session.people[spec.id] = _person(spec)
        created[person.id] = _accounts(session, spec, person)
    return {"people": created}


def _person(spec: PersonSpec) -> Person:
    return Person(
        id=spec.id,
        last_name=spec.last_name,
        first_name=spec.first_name,
        patronymic=spec.patronymic,
        birth_date=spec.birth_date,
        sex=spec.sex,
        phone=spec.phone,
        email=spec.email,
    )


def _new_profile(session: Session, account: m.VkIdAccount | m.MaxAccount, person: Person) -> m.SferumProfile:
    """A seeded profile carries the person's own name, birth date and sex."""
    assert person.birth_date is not None and person.sex is not None  # parse_seed demands them for a profile
    return accounts.create_profile(
        session,
        account,
        first_name=person.first_name,
        last_name=person.last_name,
        patronymic=person.patronymic,
        birth_date=person.birth_date,
        sex=person.sex,
    )


def _contact(spec: PersonSpec) -> str | None:
    """What the class teacher entered for a student: the Госуслуги login, or else the phone or e-mail on record."""
    return spec.gosuslugi.login if spec.gosuslugi is not None else spec.phone or spec.email


def _accounts(session: Session, spec: PersonSpec, person: Person) -> CreatedIds:
    ids: CreatedIds = {}
    journal_account = None
    if spec.journal is not None:
        journal = spec.journal
        journal_account = JournalAccount(
            id=f"{journal.journal}-{person.id}",
            journal=journal.journal,
            login=journal.login,
            password=journal.password,
            person_id=person.id,
            role=journal.role,
            org_id=journal.org_id,
            class_id=journal.class_id,
            classes=[c for c in journal.class_ids if c != journal.class_id],
            children=list(journal.children),
            contact=_contact(spec) if journal.contact_added and journal.role is Role.STUDENT else None,
        )
        session.journal_accounts[journal_account.id] = journal_account
        ids["journal_account"] = journal_account.id
    vkid_profile = max_profile = None
    if spec.vkid is not None:
        vkid = accounts.create_vkid_account(
            session,
            first_name=person.first_name,
            last_name=person.last_name,
            phone=person.phone,
            email=person.email,
            password=spec.vkid.password,
            birth_date=person.birth_date,
            sex=person.sex,
            code_channel=spec.vkid.code_channel,
        )
        ids["vkid_id"] = vkid.id
        if spec.vkid.profile:
            vkid_profile = _new_profile(session, vkid, person)
            ids["profile_id"] = vkid_profile.id
    if spec.max is not None:
        assert person.phone is not None  # parse_seed demands it for a МАХ account
        max_account = accounts.create_max_account(
            session,
            phone=person.phone,
            first_name=person.first_name,
            last_name=person.last_name,
            patronymic=person.patronymic,
        )
        ids["max_id"] = max_account.id
        if spec.max.profile:
            max_profile = _new_profile(session, max_account, person)
            ids["max_profile_id"] = max_profile.id
    if spec.gosuslugi is not None:
        account_id = session.new_id(session.gosuslugi_accounts)
        gosuslugi = spec.gosuslugi
        session.gosuslugi_accounts[account_id] = GosuslugiAccount(
            account_id, person.id, gosuslugi.login, gosuslugi.password, gosuslugi.confirmed
        )
        ids["gosuslugi_id"] = account_id
    if spec.linked is not None:
        profile = vkid_profile if spec.linked == "vkid" else max_profile
        assert journal_account is not None and profile is not None  # parse_seed demands both for a link
        # Linked "earlier": its chats were built long ago.
        links.link(session, journal_account, profile, spec.linked, chats_after=timedelta(0))
    if spec.org_admin is not None:
        assert vkid_profile is not None  # parse_seed demands a vkid profile of an administrator
        organisations.attach(session, vkid_profile, spec.org_admin, Role.ADMIN, "seed", chats_after=timedelta(0))
    if spec.duplicate is not None:
        second = accounts.create_vkid_account(
            session,
            first_name=person.first_name,
            last_name=person.last_name,
            phone=spec.duplicate.phone,
            birth_date=person.birth_date,
            sex=person.sex,
        )
        duplicate_profile = _new_profile(session, second, person)
        for class_id in spec.duplicate.class_ids:
            chats.join_by_link(session, chats.class_chat(session, class_id), duplicate_profile)
        ids["duplicate_vkid_id"], ids["duplicate_profile_id"] = second.id, duplicate_profile.id
    return ids
