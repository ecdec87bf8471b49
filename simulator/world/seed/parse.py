"""Checking a seed document: any JSON value in, a ParsedSeed or a SeedError out, the session untouched."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, TypeVar, cast
from urllib.parse import urlsplit

from ... import validation as v
from ...clock import MSK
from ..models import Channel, Journal, Role
from ..oauth import DEFAULT_BULLETS, OAuthClient, new_client_secret
from .schema import (
    ClassSpec,
    DuplicateSpec,
    GosuslugiSpec,
    InvalidClient,
    JournalSpec,
    LessonSpec,
    LinkedVia,
    MaxSpec,
    OrganisationKind,
    OrganisationSpec,
    ParsedSeed,
    PersonSpec,
    SeedError,
    VkIdSpec,
)

if TYPE_CHECKING:
    from ..session import Session

T = TypeVar("T")
Raw = dict[str, object]

TOP_LEVEL = ("organisations", "clients", "people")
KINDS = ("school", "kindergarten", "supplementary")
CODE_CHANNELS = ("call", "sms")
# Ids end up in JSON read by browsers: beyond 2**53 JavaScript would silently round them.
MAX_ID = 2**53 - 1
CLASS_NAME_MAX = 8
CLIENT_SECRET_MIN = 16


@dataclass(frozen=True)
class SeedContext:
    """What a document is checked against: the date and what the session already holds."""

    today: date
    org_ids: frozenset[int] = frozenset()
    class_ids: frozenset[str] = frozenset()
    person_ids: frozenset[str] = frozenset()
    vkid_logins: frozenset[str] = frozenset()  # a phone or e-mail signs in to one VK ID account
    max_phones: frozenset[str] = frozenset()  # and a phone to one МАХ account

    @classmethod
    def of(cls, session: Session) -> SeedContext:
        return cls(
            today=session.clock.now().date(),
            org_ids=frozenset(session.organisations),
            class_ids=frozenset(session.classes),
            person_ids=frozenset(session.people),
            vkid_logins=frozenset(
                login for a in session.vkid_accounts.values() for login in (a.phone, a.email) if login
            ),
            max_phones=frozenset(a.phone for a in session.max_accounts.values()),
        )


@dataclass
class _Taken:
    """Ids and logins claimed so far: the session's, then each person's of this document in turn."""

    person_ids: set[str]
    vkid_logins: set[str]
    max_phones: set[str]
    org_ids: frozenset[int]
    class_ids: frozenset[str]
    today: date
    children: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)  # (path, person ids)


# -- small checks -----------------------------------------------------------------------------------


def _at(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _shown(value: object) -> str:
    """The offending value for a message, kept short: a document may hold anything, even 5000 digits."""
    try:
        text = repr(value)
    except ValueError:
        return "a number too long to show"
    return text if len(text) <= 60 else text[:59] + "…"


def _object(value: object, path: str) -> Raw:
    if not isinstance(value, dict):
        raise SeedError(path or "$", "expected an object")
    return cast(Raw, value)


def _optional_object(raw: Raw, key: str, path: str) -> Raw | None:
    value = raw.get(key)
    return None if value is None else _object(value, _at(path, key))


def _list(raw: Raw, key: str, path: str, message: str = "expected a list") -> list[object]:
    value = raw.get(key, [])
    if not isinstance(value, list):
        raise SeedError(_at(path, key), message)
    return value


def _flag(raw: Raw, key: str, path: str, default: bool) -> bool:
    value = raw.get(key)
    if value is None:
        return default
    if not isinstance(value, bool):
        raise SeedError(_at(path, key), "expected true or false")
    return value


def _id(value: object) -> int | None:
    """A positive integer id, or None; true and false are not numbers here, though Python thinks so."""
    if isinstance(value, int) and not isinstance(value, bool) and 0 < value <= MAX_ID:
        return value
    return None


def _field(path: str, check: Callable[..., T], *args: object, **kwargs: object) -> T:
    try:
        return check(*args, **kwargs)
    except v.ValidationError as error:
        raise SeedError(_at(path, error.field), error.message) from None


def _optional_field(raw: Raw, key: str, path: str, check: Callable[..., T], *args: object) -> T | None:
    """A value that may be missing, null or empty; anything else must pass `check`."""
    value = raw.get(key)
    if value is None or value == "":
        return None
    return _field(path, check, value, *args)


def _name(raw: Raw, key: str, path: str) -> str:
    name = _field(path, v.name, raw.get(key), key)
    assert name is not None  # v.name gives None only for an optional name
    return name


def _choice(value: object, allowed: Collection[str], path: str, message: str) -> str:
    if not isinstance(value, str) or value not in allowed:
        raise SeedError(path, message)
    return value


def _has_control_characters(text: str) -> bool:
    return any(unicodedata.category(char) in ("Cc", "Cf", "Cs") for char in text)


# -- clients ----------------------------------------------------------------------------------------


def registered_client(raw: object) -> OAuthClient:
    """The control plane's POST /clients body: the client it registers, or InvalidClient naming the field."""
    try:
        return parse_client(raw)
    except SeedError as error:
        raise InvalidClient(error.path, error.message) from None


def parse_client(raw: object, path: str = "") -> OAuthClient:
    """A relying party of VK ID from a seed's `clients[]` item or the control plane's POST /clients body."""
    entry = _object(raw, path)
    client_id = _field(path, v.required, entry.get("client_id"), "client_id")
    if client_id != entry["client_id"] or _has_control_characters(client_id):
        raise SeedError(_at(path, "client_id"), "must not have surrounding spaces or control characters")
    uris = entry.get("redirect_uris")
    not_urls = SeedError(_at(path, "redirect_uris"), "expected a non-empty list of http(s) URLs")
    if not isinstance(uris, list) or not uris or not all(isinstance(u, str) for u in uris):
        raise not_urls
    for i, uri in enumerate(uris):
        if any(char.isspace() for char in uri) or _has_control_characters(uri):
            raise SeedError(_at(path, f"redirect_uris[{i}]"), "must not contain spaces or control characters")
    if not all(_is_http_url(uri) for uri in uris):
        raise not_urls
    service_name = _field(path, v.required, entry.get("service_name"), "service_name")
    bullets = entry.get("bullets")
    if bullets is not None and (
        not isinstance(bullets, list) or not all(isinstance(b, str) and b.strip() for b in bullets)
    ):
        raise SeedError(_at(path, "bullets"), "expected a list of non-empty strings")
    secret = entry.get("client_secret")
    if secret is not None and (not isinstance(secret, str) or len(secret) < CLIENT_SECRET_MIN):
        raise SeedError(_at(path, "client_secret"), f"expected a string of at least {CLIENT_SECRET_MIN} characters")
    return OAuthClient(
        client_id=client_id,
        redirect_uris=tuple(cast(list[str], uris)),
        service_name=service_name,
        first_party=_flag(entry, "first_party", path, False),
        bullets=tuple(cast(list[str], bullets)) if bullets is not None else DEFAULT_BULLETS,
        client_secret=secret if isinstance(secret, str) else new_client_secret(),
    )


def _is_http_url(text: str) -> bool:
    try:
        parts = urlsplit(text)
    except ValueError:
        return False
    return text.startswith(("http://", "https://")) and bool(parts.netloc)


# -- organisations ----------------------------------------------------------------------------------


def _organisation(raw_value: object, path: str) -> OrganisationSpec:
    raw = _object(raw_value, path)
    org_id = _id(raw.get("id"))
    if org_id is None:
        raise SeedError(_at(path, "id"), "expected a positive integer")
    name = _field(path, v.required, raw.get("name"), "name")
    if "<" in name or ">" in name:
        raise SeedError(_at(path, "name"), "markup is not allowed")
    kind = _choice(
        raw.get("kind", "school"), KINDS, _at(path, "kind"), "expected school, kindergarten or supplementary"
    )
    names: list[str] = []
    for class_name in _list(raw, "classes", path):
        if not isinstance(class_name, str) or not 1 <= len(class_name) <= CLASS_NAME_MAX or not class_name.isalnum():
            raise SeedError(_at(path, "classes"), f"invalid class name {_shown(class_name)}")
        names.append(class_name)
    lessons: list[LessonSpec] = []
    for j, raw_lesson in enumerate(_list(raw, "lessons", path)):
        lpath = f"{path}.lessons[{j}]"
        lesson = _object(raw_lesson, lpath)
        class_name = lesson.get("class")
        if not isinstance(class_name, str) or class_name not in names:
            raise SeedError(_at(lpath, "class"), f"unknown class {_shown(class_name)}")
        subject = _field(lpath, v.required, lesson.get("subject"), "subject")
        lessons.append(
            LessonSpec(
                f"{org_id}-{class_name}",
                subject,
                _datetime(lesson.get("starts_at"), _at(lpath, "starts_at")),
                _flag(lesson, "online", lpath, False),
            )
        )
    classes = tuple(ClassSpec(f"{org_id}-{name}", name) for name in dict.fromkeys(names))
    return OrganisationSpec(org_id, name, cast(OrganisationKind, kind), classes, tuple(lessons))


def _datetime(value: object, path: str) -> datetime:
    try:
        if not isinstance(value, str):
            raise ValueError(value)
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise SeedError(path, "expected an ISO 8601 date-time") from None
    # Like the clock, a time without an offset is Moscow time: naive and aware times do not compare.
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=MSK)


# -- people -----------------------------------------------------------------------------------------


def _person(raw_value: object, path: str, taken: _Taken) -> PersonSpec:
    raw = _object(raw_value, path)
    pid = _field(path, v.required, raw.get("id"), "id")
    if pid in taken.person_ids:
        raise SeedError(_at(path, "id"), f"duplicate person id {pid}")
    taken.person_ids.add(pid)
    last_name = _name(raw, "last_name", path)
    first_name = _name(raw, "first_name", path)
    patronymic = _field(path, v.name, raw.get("patronymic"), "patronymic", optional=True)
    birth_date = _optional_field(raw, "birth_date", path, v.birth_date, taken.today)
    sex = _optional_field(raw, "sex", path, v.sex)
    phone = _optional_field(raw, "phone", path, v.phone)
    email = _optional_field(raw, "email", path, v.email)
    has_profile_data = birth_date is not None and sex is not None

    journal = _journal(raw, path, taken)
    vkid = _vkid(raw, path, taken, phone, email, has_profile_data)
    max_ = _max(raw, path, taken, phone, has_profile_data)
    gosuslugi = _gosuslugi(raw, path, phone, email)
    org_admin = _org_admin(raw, path, taken, vkid)
    duplicate = _duplicate(raw, path, taken, phone, has_profile_data, journal)
    linked = _linked(raw, path, journal, vkid, max_)
    return PersonSpec(
        pid,
        last_name,
        first_name,
        patronymic,
        birth_date,
        sex,
        phone,
        email,
        journal,
        vkid,
        max_,
        gosuslugi,
        linked,
        org_admin,
        duplicate,
    )


def _journal(person: Raw, path: str, taken: _Taken) -> JournalSpec | None:
    raw = _optional_object(person, "journal", path)
    if raw is None:
        return None
    path = _at(path, "journal")
    journal = _choice(raw.get("journal"), set(Journal), _at(path, "journal"), "expected mes, eljur or es")
    role = _choice(raw.get("role"), set(Role), _at(path, "role"), "expected teacher, student, parent or admin")
    login = _field(path, v.required, raw.get("login"), "login")
    password = _field(path, v.required, raw.get("password"), "password")
    org = raw.get("org")
    org_id = _id(org)
    if org is not None and org_id is None:
        raise SeedError(_at(path, "org"), "expected an organisation id (a positive integer)")
    if org_id is not None and org_id not in taken.org_ids:
        raise SeedError(_at(path, "org"), f"unknown organisation {org_id}")
    class_name = raw.get("class")
    class_id = None
    if class_name is not None:
        class_id = f"{org_id}-{class_name}" if isinstance(class_name, str) else None
        if class_id not in taken.class_ids:
            raise SeedError(_at(path, "class"), f"unknown class {class_name if class_id else _shown(class_name)}")
    children = _list(raw, "children", path, "expected a list of person ids")
    if not all(isinstance(child, str) for child in children):
        raise SeedError(_at(path, "children"), "expected a list of person ids")
    taken.children.append((_at(path, "children"), tuple(cast(list[str], children))))
    return JournalSpec(
        Journal(journal),
        Role(role),
        login,
        password,
        org_id,
        class_id,
        tuple(cast(list[str], children)),
        _flag(raw, "contact_added", path, True),
        _taught_classes(raw, path, taken, Role(role), org_id),
    )


def _taught_classes(raw: Raw, path: str, taken: _Taken, role: Role, org_id: int | None) -> tuple[str, ...]:
    """`journal.classes`: a teacher's further classes, each of the account's organisation."""
    names = _list(raw, "classes", path, "expected a list of class names")
    if not names:
        return ()
    path = _at(path, "classes")
    if role is not Role.TEACHER:
        raise SeedError(path, "only a teacher teaches further classes")
    if org_id is None:
        raise SeedError(path, "a teacher's classes are those of the journal account's organisation")
    class_ids = []
    for name in names:
        class_id = f"{org_id}-{name}" if isinstance(name, str) else None
        if class_id not in taken.class_ids:
            raise SeedError(path, f"unknown class {name if class_id else _shown(name)}")
        class_ids.append(class_id)
    return tuple(dict.fromkeys(class_ids))


def _vkid(
    person: Raw, path: str, taken: _Taken, phone: str | None, email: str | None, has_profile_data: bool
) -> VkIdSpec | None:
    raw = _optional_object(person, "vkid", path)
    if raw is None:
        return None
    path = _at(path, "vkid")
    if not (phone or email):
        raise SeedError(path, "a VK ID account needs the person's phone or email")
    for login in (phone, email):
        if login in taken.vkid_logins:
            raise SeedError(path, f"{login} already signs in to another VK ID account")
        if login:
            taken.vkid_logins.add(login)
    password = None if raw.get("password") is None else _field(path, v.password, raw["password"])
    profile = _flag(raw, "profile", path, False)
    if profile and not has_profile_data:
        raise SeedError(_at(path, "profile"), "a profile needs the person's birth_date and sex")
    return VkIdSpec(password, profile, _code_channel(raw, path, phone))


def _code_channel(vkid: Raw, path: str, phone: str | None) -> Channel | None:
    value = vkid.get("code_channel")
    if value is None:
        return None
    path = _at(path, "code_channel")
    channel = _choice(value, CODE_CHANNELS, path, "expected call or sms")
    if not phone:
        raise SeedError(path, "a code by call or SMS needs the person's phone")
    return Channel(channel)


def _max(person: Raw, path: str, taken: _Taken, phone: str | None, has_profile_data: bool) -> MaxSpec | None:
    raw = _optional_object(person, "max", path)
    if raw is None:
        return None
    path = _at(path, "max")
    if not phone:
        raise SeedError(path, "a МАХ account needs the person's phone")
    if phone in taken.max_phones:
        raise SeedError(path, f"{phone} already has a МАХ account")
    taken.max_phones.add(phone)
    profile = _flag(raw, "profile", path, False)
    if profile and not has_profile_data:
        raise SeedError(_at(path, "profile"), "a profile needs the person's birth_date and sex")
    return MaxSpec(profile)


def _gosuslugi(person: Raw, path: str, phone: str | None, email: str | None) -> GosuslugiSpec | None:
    raw = _optional_object(person, "gosuslugi", path)
    if raw is None:
        return None
    path = _at(path, "gosuslugi")
    by = raw.get("login")
    login = {None: phone, "phone": phone, "email": email}.get(by) if by is None or isinstance(by, str) else None
    if not login:
        raise SeedError(_at(path, "login"), "expected phone or email, and the person must have it")
    password = _field(path, v.password, raw.get("password"))
    return GosuslugiSpec(login, password, _flag(raw, "confirmed", path, False))


def _org_admin(person: Raw, path: str, taken: _Taken, vkid: VkIdSpec | None) -> int | None:
    value = person.get("org_admin")
    if value is None:
        return None
    org_id = _id(value)
    if org_id is None or org_id not in taken.org_ids:
        raise SeedError(_at(path, "org_admin"), f"unknown organisation {_shown(value)}")
    if not (vkid and vkid.profile):
        raise SeedError(_at(path, "org_admin"), "an administrator signs in with a vkid profile")
    return org_id


def _duplicate(
    person: Raw, path: str, taken: _Taken, phone: str | None, has_profile_data: bool, journal: JournalSpec | None
) -> DuplicateSpec | None:
    raw = _optional_object(person, "duplicate", path)
    if raw is None:
        return None
    path = _at(path, "duplicate")
    duplicate_phone = _field(path, v.phone, raw.get("phone"))
    if duplicate_phone in taken.vkid_logins or duplicate_phone == phone:
        raise SeedError(_at(path, "phone"), f"{duplicate_phone} already signs in to another VK ID account")
    taken.vkid_logins.add(duplicate_phone)
    if not has_profile_data:
        raise SeedError(path, "a profile needs the person's birth_date and sex")
    org_id = journal.org_id if journal else None
    if org_id is None:
        raise SeedError(path, "the duplicate's chats are those of the journal account's organisation")
    classes = raw.get("classes", [])
    class_ids = tuple(f"{org_id}-{c}" for c in classes if isinstance(c, str)) if isinstance(classes, list) else ()
    if not isinstance(classes, list) or len(class_ids) < len(classes) or not taken.class_ids.issuperset(class_ids):
        raise SeedError(_at(path, "classes"), "expected classes of the journal account's organisation")
    return DuplicateSpec(duplicate_phone, class_ids)


def _linked(
    person: Raw, path: str, journal: JournalSpec | None, vkid: VkIdSpec | None, max_: MaxSpec | None
) -> LinkedVia | None:
    via = person.get("linked")
    if via is None:
        return None
    source = {"vkid": vkid, "max": max_}.get(via) if isinstance(via, str) else None
    if journal is None or source is None or not source.profile:
        raise SeedError(_at(path, "linked"), "a link needs a journal account and a vkid or max profile")
    return cast(LinkedVia, via)


# -- the document -----------------------------------------------------------------------------------


def parse_seed(doc: object, context: SeedContext) -> ParsedSeed:
    """Check a whole seed document against `context`; SeedError names the first offending value."""
    raw = _object(doc, "$")
    unknown = set(raw) - set(TOP_LEVEL)
    if unknown:
        raise SeedError("$", f"unknown keys: {', '.join(sorted(map(str, unknown)))}")
    organisations = tuple(
        _organisation(item, f"organisations[{i}]") for i, item in enumerate(_list(raw, "organisations", ""))
    )
    clients = tuple(parse_client(item, f"clients[{i}]") for i, item in enumerate(_list(raw, "clients", "")))
    taken = _Taken(
        person_ids=set(context.person_ids),
        vkid_logins=set(context.vkid_logins),
        max_phones=set(context.max_phones),
        org_ids=context.org_ids | {org.id for org in organisations},
        class_ids=context.class_ids | {c.id for org in organisations for c in org.classes},
        today=context.today,
    )
    people = tuple(_person(item, f"people[{i}]", taken) for i, item in enumerate(_list(raw, "people", "")))
    # A parent's children may come later in the document than the parent.
    for path, children in taken.children:
        for child in children:
            if child not in taken.person_ids:
                raise SeedError(path, f"unknown person {child!r}")
    return ParsedSeed(organisations, clients, people)
