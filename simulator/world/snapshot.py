"""A whole session as one JSON document, and back: `dump(session)` and `load(doc)` round-trip exactly.

The document carries `SCHEMA_VERSION`; a document of another version is refused rather than guessed at,
and every refusal names the field at fault, so a hand-edited or truncated snapshot never half-loads.
"""

from __future__ import annotations

import base64
import binascii
import random
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any, TypeVar

from .. import validation
from ..clock import Clock, ClockError
from ..codec import Codec, Rules
from ..codec import entity_fields as entity_fields  # the OpenAPI document states the same fields
from ..errors import DomainError
from .esia import EsiaCode
from .faults import FAULTS, SETTINGS
from .files import picture_type
from .models import (
    Fault,
    Link,
    MessageFile,
    to_json,
)
from .oauth import AuthCode, OAuthClient, Token
from .passwords import PasswordAttempts
from .session import TABLES as SESSION_TABLES
from .session import Limits, Session
from .tickets import LinkTicket

# 2: the clock is kept as its base and rate (`since`), id_tokens with their issue times. 1 is still read.
SCHEMA_VERSION = 2
READABLE_VERSIONS = (1, 2)
T = TypeVar("T")

# The session's tables read row by row (the others have checks of their own below): (document field,
# entity, the attribute of the session), as `session.Tables` declares them.
TABLES: tuple[tuple[str, type[Any], str], ...] = tuple(
    (t.name, t.entity, t.name) for t in SESSION_TABLES if t.by_id and not t.own_reader
)
# The session's lists, in the order things happened.
LISTS: tuple[tuple[str, type[Any], str], ...] = tuple(
    (t.name, t.entity, t.name) for t in SESSION_TABLES if not t.by_id and not t.own_reader
)
# What points at what: (document field, attribute, the table it names); "a.b" is attribute b of each of
# a row's a. A dangling reference would load and then fail on the first page that follows it, so it is
# refused here.
REFERENCES: tuple[tuple[str, str, str], ...] = (
    ("classes", "org_id", "organisations"),
    ("journal_accounts", "person_id", "people"),
    ("journal_accounts", "org_id", "organisations"),
    ("journal_accounts", "class_id", "classes"),
    ("journal_accounts", "classes", "classes"),
    ("journal_accounts", "children", "people"),
    ("vkid_accounts", "profile_id", "profiles"),
    ("max_accounts", "profile_id", "profiles"),
    ("gosuslugi_accounts", "person_id", "people"),
    ("profiles", "vkid_id", "vkid_accounts"),
    ("profiles", "max_id", "max_accounts"),
    ("profiles", "org_ids", "organisations"),
    ("links", "journal_account_id", "journal_accounts"),
    ("links", "profile_id", "profiles"),
    ("lessons", "class_id", "classes"),
    ("chats", "org_id", "organisations"),
    ("chats", "class_id", "classes"),
    ("chats", "created_by", "profiles"),
    ("memberships", "chat_id", "chats"),
    ("memberships", "profile_id", "profiles"),
    ("chat_messages", "chat_id", "chats"),
    ("chat_messages", "profile_id", "profiles"),
    ("calls", "chat_id", "chats"),
    ("calls", "profile_id", "profiles"),
    ("calls", "participants.profile_id", "profiles"),
    ("attachments", "profile_id", "profiles"),
    ("attachments", "org_id", "organisations"),
    ("invitations", "org_id", "organisations"),
    ("invitations", "profile_id", "profiles"),
    ("join_requests", "org_id", "organisations"),
    ("join_requests", "profile_id", "profiles"),
)


class SnapshotError(DomainError, ValueError):
    """A document that is not a snapshot this version can load; the message names the field."""


# What a snapshot may hold (the control plane's OpenAPI document states the same). No string the simulator
# keeps came in longer than the 64 KiB a form or a control-plane body may be, except a message's file —
# its bytes, up to the 2 MB a file may be, in base64.
STRING_MAX = 64 * 1024
FILE_DATA_MAX = 4 * -(-validation.FILE_MAX // 3)
LONG_STRINGS: dict[tuple[type[Any], str], int] = {(MessageFile, "data"): FILE_DATA_MAX}
ITEMS_MAX = 1_000_000  # entries of one array or object: a session of 10 000 people holds 10 000 of each kind


# -- dump -----------------------------------------------------------------------------------------


def dump(session: Session) -> dict[str, Any]:
    """Everything the session holds, as JSON values, under `schema_version`."""
    doc: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "key": session.key,
        "seed": session.seed,
        "clock": session.clock.to_snapshot(),
        "random": {"ids": _rng_state(session.rng), "codes": _rng_state(session.codes._rng)},
    }
    for name, _, attribute in TABLES:
        doc[name] = to_json(list(getattr(session, attribute).values()))
    doc["links"] = to_json(list(session.links.values()))
    for name, _, attribute in LISTS:
        doc[name] = to_json(getattr(session, attribute))
    doc["codes"] = {
        "next_id": session.codes._next_id,
        "fixed": [{"to": to, "code": code} for (to, _), code in session.codes.fixed.items()],
    }
    doc["password_attempts"] = to_json(list(session.password_attempts.values()))
    doc["esia_codes"] = [{"code": code, **to_json(issued)} for code, issued in session.esia_codes._codes.items()]
    doc["link_tickets"] = [
        {"ticket": ticket, **to_json(issued)} for ticket, issued in session.link_tickets._tickets.items()
    ]
    doc["oauth"] = {
        "clients": to_json(list(session.oauth.clients.values())),
        "codes": to_json(list(session.oauth.codes.values())),
        "tokens": to_json(list(session.oauth.tokens.values())),
        "id_tokens": [
            {"id_token": token, "issued_at": issued_at.isoformat()}
            for token, issued_at in session.oauth.id_tokens.items()
        ],
    }
    doc["faults"] = to_json(list(session.faults.values()))
    doc["settings"] = dict(session.settings)
    doc["browsers"] = [{"handle": handle, "state": to_json(state)} for handle, state in session.web.items()]
    doc["events"] = {"last_id": session.last_event_id}
    return doc


def _rng_state(rng: random.Random) -> list[Any]:
    version, internal, gauss = rng.getstate()
    return [version, list(internal), gauss]


# -- load -----------------------------------------------------------------------------------------


def load(doc: object, *, key: str | None = None, limits: Limits | None = None) -> Session:
    """The session a `dump` document describes (under `key` if given); SnapshotError names what is wrong."""
    root = _object(doc, "snapshot")
    version = root.get("schema_version")
    if type(version) is not int:
        raise SnapshotError("schema_version: missing; this is not a sferum-sim session snapshot")
    if version not in READABLE_VERSIONS:
        newer = "a newer" if version > SCHEMA_VERSION else "an older"
        raise SnapshotError(
            f"schema_version: {version} is {newer} snapshot schema; this sferum-sim reads version {SCHEMA_VERSION}"
        )
    _only(root, _FIELDS, "")
    clock = _load_clock(_object(_field(root, "clock", ""), "clock"), version)
    session_key = key or _value(str, _field(root, "key", ""), "key")
    session = Session(session_key, seed=_value(int, _field(root, "seed", ""), "seed"), clock=clock, limits=limits)
    randoms = _object(_field(root, "random", ""), "random")
    _only(randoms, {"ids", "codes"}, "random.")
    _set_rng(session.rng, _field(randoms, "ids", "random."), "random.ids")
    _set_rng(session.codes._rng, _field(randoms, "codes", "random."), "random.codes")

    for name, entity, attribute in TABLES:
        table = getattr(session, attribute)
        for i, item in enumerate(_list(_field(root, name, ""), name)):
            path = f"{name}[{i}]"
            built = _entity(entity, item, path)
            if built.id in table:
                raise SnapshotError(f"{path}.id: {built.id!r} appears twice")
            table[built.id] = built
    for i, item in enumerate(_list(_field(root, "links", ""), "links")):
        link = _entity(Link, item, f"links[{i}]")
        if link.journal_account_id in session.links:
            raise SnapshotError(f"links[{i}].journal_account_id: {link.journal_account_id!r} is linked twice")
        session.links[link.journal_account_id] = link
    for name, entity, attribute in LISTS:
        getattr(session, attribute).extend(
            _entity(entity, item, f"{name}[{i}]") for i, item in enumerate(_list(_field(root, name, ""), name))
        )
    _check_references(session)
    for i, message in enumerate(session.chat_messages):
        if message.file is not None:
            _check_file(message.file, f"chat_messages[{i}].file")

    _load_codes(session, _object(_field(root, "codes", ""), "codes"))
    _load_password_attempts(session, root)
    for i, item in enumerate(_list(_field(root, "esia_codes", ""), "esia_codes")):
        code, issued = _keyed(item, "code", f"esia_codes[{i}]")
        session.esia_codes._codes[code] = _entity(EsiaCode, issued, f"esia_codes[{i}]")
    for i, item in enumerate(_list(_field(root, "link_tickets", ""), "link_tickets")):
        ticket, issued = _keyed(item, "ticket", f"link_tickets[{i}]")
        session.link_tickets._tickets[ticket] = _entity(LinkTicket, issued, f"link_tickets[{i}]")
    _load_oauth(session, _object(_field(root, "oauth", ""), "oauth"))
    _load_faults_and_settings(session, root)
    if key is not None and root.get("key") != key:
        session.oauth.renew_identities()  # a copy: its codes and tokens must not be the original's
    for i, item in enumerate(_list(_field(root, "browsers", ""), "browsers")):
        handle, rest = _keyed(item, "handle", f"browsers[{i}]")
        _only(rest, {"state"}, f"browsers[{i}].")
        session.web[handle] = _object(_field(rest, "state", f"browsers[{i}]."), f"browsers[{i}].state")
    events = _object(_field(root, "events", ""), "events")
    _only(events, {"last_id"}, "events.")
    session.last_event_id = _value(int, _field(events, "last_id", "events."), "events.last_id")
    if session.last_event_id < 0:
        raise SnapshotError("events.last_id: must not be negative")
    return session


_FIELDS = {
    "schema_version",
    "key",
    "seed",
    "clock",
    "random",
    *(name for name, _, _ in TABLES),
    "links",
    *(name for name, _, _ in LISTS),
    "codes",
    "password_attempts",
    "esia_codes",
    "link_tickets",
    "oauth",
    "faults",
    "settings",
    "browsers",
    "events",
}


def _load_clock(clock_doc: dict[str, Any], version: int) -> Clock:
    """Version 1 kept the reading (a running clock resumes from it); 2 the reading at the wall instant `since`."""
    _only(clock_doc, {"now", "running"} if version == 1 else {"now", "running", "since"}, "clock.")
    now = _value(datetime, _field(clock_doc, "now", "clock."), "clock.now")
    running = _value(bool, _field(clock_doc, "running", "clock."), "clock.running")
    try:
        if version == 1:
            return Clock(now, running=running)
        return Clock.resumed(
            now, _value(datetime, _field(clock_doc, "since", "clock."), "clock.since"), running=running
        )
    except ClockError as error:
        raise SnapshotError(f"clock.now: {error}") from None


def _load_codes(session: Session, codes: dict[str, Any]) -> None:
    _only(codes, {"next_id", "fixed"}, "codes.")
    next_id = _value(int, _field(codes, "next_id", "codes."), "codes.next_id")
    if any(c >= next_id for c in session.confirmations):
        raise SnapshotError("codes.next_id: must be above every confirmation's id")
    session.codes._next_id = next_id
    for i, item in enumerate(_list(_field(codes, "fixed", "codes."), "codes.fixed")):
        path = f"codes.fixed[{i}]"
        fixed = _object(item, path)
        _only(fixed, {"to", "code"}, path + ".")
        to = _value(str, _field(fixed, "to", path + "."), path + ".to")
        code = _value(str, _field(fixed, "code", path + "."), path + ".code")
        if not code.isdigit() or len(code) not in (4, 6):
            raise SnapshotError(f"{path}.code: must be 4 or 6 digits")
        session.codes.fixed[(to, len(code))] = code


def _load_password_attempts(session: Session, root: dict[str, Any]) -> None:
    # Snapshots written before passwords had limited attempts have no such field: nothing was counted then.
    for i, item in enumerate(_list(root.get("password_attempts", []), "password_attempts")):
        path = f"password_attempts[{i}]"
        attempts = _entity(PasswordAttempts, item, path)
        if attempts.id not in session.vkid_accounts:
            raise SnapshotError(f"{path}.id: no vkid_accounts entry {attempts.id!r}")
        if attempts.id in session.password_attempts:
            raise SnapshotError(f"{path}.id: {attempts.id!r} appears twice")
        session.password_attempts[attempts.id] = attempts


def _load_oauth(session: Session, oauth: dict[str, Any]) -> None:
    _only(oauth, {"clients", "codes", "tokens", "id_tokens"}, "oauth.")
    store = session.oauth
    for i, item in enumerate(_list(_field(oauth, "clients", "oauth."), "oauth.clients")):
        client = _entity(OAuthClient, item, f"oauth.clients[{i}]")
        store.clients[client.client_id] = client
    for i, item in enumerate(_list(_field(oauth, "codes", "oauth."), "oauth.codes")):
        code = _entity(AuthCode, item, f"oauth.codes[{i}]")
        if code.request.client_id not in store.clients:
            raise SnapshotError(f"oauth.codes[{i}].request.client_id: no client {code.request.client_id!r}")
        store.codes[code.code] = code
    for i, item in enumerate(_list(_field(oauth, "tokens", "oauth."), "oauth.tokens")):
        token = _entity(Token, item, f"oauth.tokens[{i}]")
        if token.client_id not in store.clients:
            raise SnapshotError(f"oauth.tokens[{i}].client_id: no client {token.client_id!r}")
        store.tokens[token.access_token] = token
        store.refresh[token.refresh_token] = token
    # Version 1 kept no id_tokens: those it gave out are refused after a restore, never taken on trust.
    for i, item in enumerate(_list(oauth.get("id_tokens", []), "oauth.id_tokens")):
        path = f"oauth.id_tokens[{i}]"
        signed, rest = _keyed(item, "id_token", path)
        _only(rest, {"issued_at"}, path + ".")
        store.id_tokens[signed] = _value(datetime, _field(rest, "issued_at", path + "."), path + ".issued_at")


def _load_faults_and_settings(session: Session, root: dict[str, Any]) -> None:
    for i, item in enumerate(_list(_field(root, "faults", ""), "faults")):
        fault = _entity(Fault, item, f"faults[{i}]")
        if fault.name not in FAULTS:
            raise SnapshotError(f"faults[{i}].name: no fault {fault.name!r}")
        session.faults[fault.name] = fault
    settings = _object(_field(root, "settings", ""), "settings")
    for name, value in settings.items():
        if name not in SETTINGS or value not in SETTINGS[name]:
            raise SnapshotError(f"settings.{name}: {value!r} is not a setting")
    session.settings.update(settings)


def _check_file(file: MessageFile, path: str) -> None:
    """A message's file as the chat screens keep it: its bytes in base64, their size, a picture's type told
    by the bytes — so a snapshot cannot make a page served as a picture, or a file that will not decode."""
    try:
        if validation.file_name(file.name, path) != file.name:
            raise SnapshotError(f"{path}.name: a file's name without folders or unprintable characters")
    except validation.ValidationError:
        raise SnapshotError(f"{path}.name: a file's name of 1 to {validation.FILE_NAME_MAX} characters") from None
    try:
        data = base64.b64decode(file.data, validate=True)
    except (binascii.Error, ValueError):
        raise SnapshotError(f"{path}.data: must be base64") from None
    if file.size != len(data):
        raise SnapshotError(f"{path}.size: {file.size} but data holds {len(data)} bytes")
    if not 0 < file.size <= validation.FILE_MAX:
        raise SnapshotError(f"{path}.size: a file holds 1 to {validation.FILE_MAX} bytes")
    picture = picture_type(data)
    if file.content_type.startswith("image/") and file.content_type != picture:
        raise SnapshotError(f"{path}.content_type: {file.content_type[:40]!r} but the bytes are not that picture")


def _check_references(session: Session) -> None:
    tables: dict[str, Mapping[Any, Any]] = {name: getattr(session, attribute) for name, _, attribute in TABLES}
    rows: dict[str, Iterable[Any]] = {name: table.values() for name, table in tables.items()}
    rows["links"] = session.links.values()
    rows.update({name: getattr(session, attribute) for name, _, attribute in LISTS})
    for name, attribute, target in REFERENCES:
        for i, row in enumerate(rows[name]):
            for one in _values(row, attribute.split(".")):
                if one is not None and one not in tables[target]:
                    raise SnapshotError(f"{name}[{i}].{attribute}: no {target} entry {one!r}")


def _values(row: Any, path: list[str]) -> list[Any]:
    """The values at `path` below `row`, through lists: "participants.profile_id" of a call."""
    value = getattr(row, path[0])
    found = value if isinstance(value, list) else [value]
    if len(path) == 1:
        return found
    return [one for item in found for one in _values(item, path[1:])]


def _set_rng(rng: random.Random, value: object, path: str) -> None:
    state = _list(value, path)
    try:
        version, internal, gauss = state
        rng.setstate((version, tuple(internal), gauss))
    except (TypeError, ValueError):
        raise SnapshotError(f"{path}: not a random generator's state") from None


# -- typed reading --------------------------------------------------------------------------------

FREE_DEPTH = 16
# A snapshot may come from anyone's PUT or --state file: nothing unknown, nothing longer or larger than the
# simulator itself ever keeps, nothing nested deeper than its own free-form values go.
CODEC = Codec(
    Rules(
        error=SnapshotError,
        schema="this snapshot schema",
        string_max=STRING_MAX,
        long_strings=LONG_STRINGS,
        items_max=ITEMS_MAX,
        free_depth=FREE_DEPTH,
    )
)


def _entity(cls: type[T], value: object, path: str) -> T:
    """A dataclass from its `to_json` form: every field of the right type, no unknown ones."""
    return CODEC.decode(cls, value, path)


def free_json(value: object, path: str) -> Any:
    """A value of no fixed shape (a fault's parameters, a browser's state) within the same limits."""
    return CODEC.free(value, path)


def _value(kind: type[T], value: object, path: str) -> T:
    """One scalar: a string, number, boolean, enum member, date or time zone-aware date-time."""
    return CODEC.value(kind, value, path)


def _object(value: object, path: str) -> dict[str, Any]:
    return CODEC.members(value, path)


def _list(value: object, path: str) -> list[Any]:
    return CODEC.items(value, path)


def _field(data: dict[str, Any], name: str, prefix: str) -> Any:
    if name not in data:
        raise SnapshotError(f"{prefix}{name}: missing")
    return data[name]


def _only(data: dict[str, Any], known: set[str], prefix: str) -> None:
    unknown = sorted(set(data) - known)
    if unknown:
        raise SnapshotError(f"{prefix}{unknown[0][:40]}: not a field of this snapshot schema")


def _keyed(value: object, name: str, path: str) -> tuple[str, dict[str, Any]]:
    data = dict(_object(value, path))
    key = _value(str, _field(data, name, path + "."), f"{path}.{name}")
    del data[name]
    return key, data
