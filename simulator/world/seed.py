"""Seeding a session from data: organisations, classes, people and their accounts.

The whole document is validated before anything is stored, so a refused seed changes nothing.

    {"organisations": [{"id": 216579624, "name": "…", "classes": ["10А"],
                        "lessons": [{"class": "10А", "subject": "Физика", "starts_at": "2024-10-16T10:00:00+03:00",
                                     "online": true}]}],
     "clients": [{"client_id": "…", "redirect_uris": ["…"], "service_name": "МЭШ ВКС",   # shown by VK ID
                  "bullets": ["…"], "client_secret": "…", "first_party": false}],      # all three optional
     "people": [{"id": "t1", "last_name": "…", "first_name": "…", "phone": "+7…",
                 "journal": {"journal": "mes", "role": "teacher", "login": "…", "password": "…",
                             "org": 216579624, "class": "10А",
                             "children": ["s1"],            # a parent's children (person ids)
                             "contact_added": true},        # a student's contact entered by the class teacher
                 "vkid": {"password": null, "profile": true},   # a VK ID account, with a profile
                 "max": {"profile": true},                      # a МАХ account, with a profile in МАХ
                 "gosuslugi": {"login": "phone", "password": "…", "confirmed": true},
                 "linked": "vkid",                              # already linked: "vkid" or "max"
                 "org_admin": 216579624,                        # the vkid profile administers it on sferum.ru
                 "duplicate": {"phone": "+7…", "classes": ["10А"]}}]}

`organisations[].kind` is "school" (default), "kindergarten" or "supplementary". `org_admin` attaches
the person's VK ID profile to that organisation as its administrator (role "admin"): it signs in to
the organisation's cabinet on sferum.ru. `duplicate` is a second VK ID account on another phone with
its own profile («профиль-дублёр»), in the person's name, attached to no organisation but let into the
class chats of the journal account's organisation by the chats' invitation links.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from .. import validation as v
from .models import (
    GosuslugiAccount,
    Journal,
    JournalAccount,
    Lesson,
    Organisation,
    Person,
    Role,
    SchoolClass,
)
from .oauth import OAuthClient
from .session import Session


class SeedError(ValueError):
    """The seed document is invalid; `path` names the offending value."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path = path
        self.message = message


def _obj(value: Any, path: str) -> dict:
    if not isinstance(value, dict):
        raise SeedError(path, "expected an object")
    return value


def _list(doc: dict, key: str) -> list:
    value = doc.get(key, [])
    if not isinstance(value, list):
        raise SeedError(key, "expected a list")
    return value


def _field(path: str, check, *args, **kwargs):
    try:
        return check(*args, **kwargs)
    except v.ValidationError as error:
        raise SeedError(f"{path}.{error.field}", error.message) from None


def _profile_data(person: Person) -> dict[str, Any]:
    """A seeded profile carries the person's own name, birth date and sex."""
    return {
        "first_name": person.first_name,
        "last_name": person.last_name,
        "patronymic": person.patronymic,
        "birth_date": person.birth_date,
        "sex": person.sex,
    }


def apply_seed(session: Session, doc: Any) -> dict[str, Any]:
    doc = _obj(doc, "$")
    unknown = set(doc) - {"organisations", "clients", "people"}
    if unknown:
        raise SeedError("$", f"unknown keys: {', '.join(sorted(unknown))}")
    today = session.clock.now().date()

    orgs: list[Organisation] = []
    classes: list[SchoolClass] = []
    lessons: list[tuple[str, str, datetime, bool]] = []
    for i, raw in enumerate(_list(doc, "organisations")):
        path = f"organisations[{i}]"
        raw = _obj(raw, path)
        if not isinstance(raw.get("id"), int) or raw["id"] <= 0:
            raise SeedError(f"{path}.id", "expected a positive integer")
        name = _field(path, v.required, raw.get("name"), "name")
        if "<" in name or ">" in name:
            raise SeedError(f"{path}.name", "markup is not allowed")
        kind = raw.get("kind", "school")
        if kind not in ("school", "kindergarten", "supplementary"):
            raise SeedError(f"{path}.kind", "expected school, kindergarten or supplementary")
        orgs.append(Organisation(raw["id"], name, kind))
        for class_name in raw.get("classes", []):
            if not isinstance(class_name, str) or not 1 <= len(class_name) <= 8 or not class_name.isalnum():
                raise SeedError(f"{path}.classes", f"invalid class name {class_name!r}")
            classes.append(SchoolClass(f"{raw['id']}-{class_name}", raw["id"], class_name))
        for j, lesson in enumerate(raw.get("lessons", [])):
            lpath = f"{path}.lessons[{j}]"
            lesson = _obj(lesson, lpath)
            if lesson.get("class") not in raw.get("classes", []):
                raise SeedError(f"{lpath}.class", f"unknown class {lesson.get('class')!r}")
            subject = _field(lpath, v.required, lesson.get("subject"), "subject")
            try:
                starts_at = datetime.fromisoformat(str(lesson.get("starts_at")))
            except ValueError:
                raise SeedError(f"{lpath}.starts_at", "expected an ISO 8601 date-time") from None
            lessons.append((f"{raw['id']}-{lesson['class']}", subject, starts_at, bool(lesson.get("online"))))
    org_ids = {o.id for o in orgs} | set(session.organisations)
    class_ids = {c.id for c in classes} | set(session.classes)

    clients: list[OAuthClient] = []
    for i, raw in enumerate(_list(doc, "clients")):
        path = f"clients[{i}]"
        raw = _obj(raw, path)
        client_id = _field(path, v.required, raw.get("client_id"), "client_id")
        uris = raw.get("redirect_uris")
        if (
            not isinstance(uris, list)
            or not uris
            or not all(isinstance(u, str) and u.startswith(("http://", "https://")) for u in uris)
        ):
            raise SeedError(f"{path}.redirect_uris", "expected a non-empty list of http(s) URLs")
        service = _field(path, v.required, raw.get("service_name"), "service_name")
        extra: dict[str, Any] = {}
        if "bullets" in raw:
            bullets = raw["bullets"]
            if not isinstance(bullets, list) or not all(isinstance(b, str) and b.strip() for b in bullets):
                raise SeedError(f"{path}.bullets", "expected a list of non-empty strings")
            extra["bullets"] = tuple(bullets)
        if "client_secret" in raw:
            secret = raw["client_secret"]
            if not isinstance(secret, str) or len(secret) < 16:
                raise SeedError(f"{path}.client_secret", "expected a string of at least 16 characters")
            extra["client_secret"] = secret
        clients.append(OAuthClient(client_id, uris, service, bool(raw.get("first_party", False)), **extra))

    people: list[tuple[Person, dict]] = []
    seen_ids = set(session.people)
    # A phone or e-mail signs in to one VK ID account (and a phone to one МАХ account) only.
    vkid_logins = {login for a in session.vkid_accounts.values() for login in (a.phone, a.email) if login}
    max_phones = {a.phone for a in session.max_accounts.values()}
    for i, raw in enumerate(_list(doc, "people")):
        path = f"people[{i}]"
        raw = _obj(raw, path)
        pid = _field(path, v.required, raw.get("id"), "id")
        if pid in seen_ids:
            raise SeedError(f"{path}.id", f"duplicate person id {pid}")
        seen_ids.add(pid)
        person = Person(
            id=pid,
            last_name=_field(path, v.name, raw.get("last_name"), "last_name"),
            first_name=_field(path, v.name, raw.get("first_name"), "first_name"),
            patronymic=_field(path, v.name, raw.get("patronymic"), "patronymic", optional=True),
            birth_date=_field(path, v.birth_date, raw["birth_date"], today) if raw.get("birth_date") else None,
            sex=_field(path, v.sex, raw["sex"]) if raw.get("sex") else None,
            phone=_field(path, v.phone, raw["phone"]) if raw.get("phone") else None,
            email=_field(path, v.email, raw["email"]) if raw.get("email") else None,
        )
        journal = raw.get("journal")
        if journal is not None:
            journal = _obj(journal, f"{path}.journal")
            if journal.get("journal") not in set(Journal):
                raise SeedError(f"{path}.journal.journal", "expected mes, eljur or es")
            if journal.get("role") not in set(Role):
                raise SeedError(f"{path}.journal.role", "expected teacher, student, parent or admin")
            _field(f"{path}.journal", v.required, journal.get("login"), "login")
            _field(f"{path}.journal", v.required, journal.get("password"), "password")
            if journal.get("org") is not None and journal["org"] not in org_ids:
                raise SeedError(f"{path}.journal.org", f"unknown organisation {journal['org']}")
            if journal.get("class") is not None and f"{journal.get('org')}-{journal['class']}" not in class_ids:
                raise SeedError(f"{path}.journal.class", f"unknown class {journal['class']}")
            if not isinstance(journal.get("children", []), list):
                raise SeedError(f"{path}.journal.children", "expected a list of person ids")
        vkid = raw.get("vkid")
        if vkid is not None:
            vkid = _obj(vkid, f"{path}.vkid")
            if not (person.phone or person.email):
                raise SeedError(f"{path}.vkid", "a VK ID account needs the person's phone or email")
            for login in (person.phone, person.email):
                if login in vkid_logins:
                    raise SeedError(f"{path}.vkid", f"{login} already signs in to another VK ID account")
                if login:
                    vkid_logins.add(login)
            if vkid.get("password") is not None:
                _field(f"{path}.vkid", v.password, vkid["password"])
            if vkid.get("profile") and not (person.birth_date and person.sex):
                raise SeedError(f"{path}.vkid.profile", "a profile needs the person's birth_date and sex")
        max_ = raw.get("max")
        if max_ is not None:
            max_ = _obj(max_, f"{path}.max")
            if not person.phone:
                raise SeedError(f"{path}.max", "a МАХ account needs the person's phone")
            if person.phone in max_phones:
                raise SeedError(f"{path}.max", f"{person.phone} already has a МАХ account")
            max_phones.add(person.phone)
            if max_.get("profile") and not (person.birth_date and person.sex):
                raise SeedError(f"{path}.max.profile", "a profile needs the person's birth_date and sex")
        gosuslugi = raw.get("gosuslugi")
        if gosuslugi is not None:
            gosuslugi = _obj(gosuslugi, f"{path}.gosuslugi")
            by = gosuslugi.get("login", "phone")
            if by not in ("phone", "email") or not getattr(person, by):
                raise SeedError(f"{path}.gosuslugi.login", "expected phone or email, and the person must have it")
            _field(f"{path}.gosuslugi", v.password, gosuslugi.get("password"))
        org_admin = raw.get("org_admin")
        if org_admin is not None:
            if not isinstance(org_admin, int) or org_admin not in org_ids:
                raise SeedError(f"{path}.org_admin", f"unknown organisation {org_admin}")
            if not (vkid or {}).get("profile"):
                raise SeedError(f"{path}.org_admin", "an administrator signs in with a vkid profile")
        duplicate = raw.get("duplicate")
        if duplicate is not None:
            duplicate = _obj(duplicate, f"{path}.duplicate")
            duplicate_phone = _field(f"{path}.duplicate", v.phone, duplicate.get("phone"))
            if duplicate_phone in vkid_logins or duplicate_phone == person.phone:
                raise SeedError(
                    f"{path}.duplicate.phone", f"{duplicate_phone} already signs in to another VK ID account"
                )
            vkid_logins.add(duplicate_phone)
            if not (person.birth_date and person.sex):
                raise SeedError(f"{path}.duplicate", "a profile needs the person's birth_date and sex")
            org = (journal or {}).get("org")
            if org is None:
                raise SeedError(
                    f"{path}.duplicate", "the duplicate's chats are those of the journal account's organisation"
                )
            classes_of = duplicate.get("classes", [])
            if not isinstance(classes_of, list) or any(f"{org}-{c}" not in class_ids for c in classes_of):
                raise SeedError(f"{path}.duplicate.classes", "expected classes of the journal account's organisation")
            duplicate = {"phone": duplicate_phone, "classes": [f"{org}-{c}" for c in classes_of]}
        linked = raw.get("linked")
        if linked is not None:
            source = {"vkid": vkid, "max": max_}.get(linked)
            if journal is None or source is None or not source.get("profile"):
                raise SeedError(f"{path}.linked", "a link needs a journal account and a vkid or max profile")
        parts = {"journal": journal, "vkid": vkid, "max": max_, "gosuslugi": gosuslugi, "linked": linked}
        people.append((person, parts | {"org_admin": org_admin, "duplicate": duplicate}))
    for person, parts in people:
        for child in (parts["journal"] or {}).get("children", []):
            if child not in seen_ids:
                raise SeedError(f"people[{person.id}].journal.children", f"unknown person {child!r}")

    # Everything is valid: store it.
    for org in orgs:
        session.organisations[org.id] = org
    for school_class in classes:
        session.classes[school_class.id] = school_class
    for class_id, subject, starts_at, online in lessons:
        lesson_id = len(session.lessons) + 1
        session.lessons[lesson_id] = Lesson(lesson_id, class_id, subject, starts_at, online)
    for client in clients:
        session.oauth.register(client)
    created: dict[str, Any] = {}
    for person, parts in people:
        journal, vkid, max_, gosuslugi = parts["journal"], parts["vkid"], parts["max"], parts["gosuslugi"]
        session.people[person.id] = person
        ids: dict[str, Any] = {}
        if journal is not None:
            account = JournalAccount(
                id=f"{journal['journal']}-{person.id}",
                journal=Journal(journal["journal"]),
                login=journal["login"],
                password=journal["password"],
                person_id=person.id,
                role=Role(journal["role"]),
                org_id=journal.get("org"),
                class_id=f"{journal['org']}-{journal['class']}" if journal.get("class") else None,
                children=list(journal.get("children", [])),
                contact_added=bool(journal.get("contact_added", True)),
            )
            session.journal_accounts[account.id] = account
            ids["journal_account"] = account.id
        if vkid is not None:
            account = session.create_vkid_account(
                first_name=person.first_name,
                last_name=person.last_name,
                phone=person.phone,
                email=person.email,
                password=vkid.get("password"),
                birth_date=person.birth_date,
                sex=person.sex,
            )
            ids["vkid_id"] = account.id
            if vkid.get("profile"):
                profile = session.create_profile(account, **_profile_data(person))
                ids["profile_id"] = profile.id
        if max_ is not None:
            account = session.create_max_account(
                phone=person.phone,
                first_name=person.first_name,
                last_name=person.last_name,
                patronymic=person.patronymic,
            )
            ids["max_id"] = account.id
            if max_.get("profile"):
                profile = session.create_profile(account, **_profile_data(person))
                ids["max_profile_id"] = profile.id
        if gosuslugi is not None:
            account_id = session.new_id(session.gosuslugi_accounts)
            session.gosuslugi_accounts[account_id] = GosuslugiAccount(
                account_id,
                person.id,
                getattr(person, gosuslugi.get("login", "phone")),
                gosuslugi["password"],
                bool(gosuslugi.get("confirmed")),
            )
            ids["gosuslugi_id"] = account_id
        if parts["linked"]:
            profile_id = ids["profile_id" if parts["linked"] == "vkid" else "max_profile_id"]
            account = session.journal_accounts[ids["journal_account"]]
            # Linked "earlier": its chats were built long ago.
            session.link(account, session.profiles[profile_id], parts["linked"], chats_after=timedelta(0))
        if parts["org_admin"] is not None:
            admin = session.profiles[ids["profile_id"]]
            session.attach(admin, parts["org_admin"], Role.ADMIN, "seed", chats_after=timedelta(0))
        if parts["duplicate"] is not None:
            second = session.create_vkid_account(
                first_name=person.first_name,
                last_name=person.last_name,
                phone=parts["duplicate"]["phone"],
                birth_date=person.birth_date,
                sex=person.sex,
            )
            duplicate_profile = session.create_profile(second, **_profile_data(person))
            for class_id in parts["duplicate"]["classes"]:
                session.join_by_link(session.class_chat(class_id), duplicate_profile)
            ids["duplicate_vkid_id"], ids["duplicate_profile_id"] = second.id, duplicate_profile.id
        created[person.id] = ids
    return {"people": created}
