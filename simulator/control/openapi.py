"""The control plane's OpenAPI document, built from its route table so the two cannot drift."""

from __future__ import annotations

import dataclasses
import inspect
import re
import types
import typing
from datetime import date, datetime
from enum import Enum
from typing import Any

from ..hosts import PLATFORMS
from ..world.faults import PATH_MAX, SETTINGS
from ..world.models import Journal, Link, Role
from ..world.seed import PersonEntry
from ..world.session import SNAPSHOT_PARTS
from ..world.snapshot import (
    FILE_DATA_MAX,
    ITEMS_MAX,
    LISTS,
    LONG_STRINGS,
    SCHEMA_VERSION,
    STRING_MAX,
    TABLES,
    entity_fields,
)
from ..world.world import KEY_RE
from . import errors, json_body
from .errors import ControlError
from .handlers import SNAPSHOT_MAX, WAIT_MAX

# The errors each operation can answer besides those every operation of its kind can (see _errors).
ERRORS: dict[str, tuple[type[ControlError], ...]] = {
    "create_session": (errors.InvalidParameter, errors.SessionExists),
    "seed": (errors.InvalidSeed, errors.SessionReplaced),
    "events": (errors.InvalidParameter,),
    "get_session": (errors.InvalidParameter,),
    "outbox": (errors.InvalidParameter,),
    "outbox_wait": (errors.InvalidParameter, errors.Timeout, errors.SessionReplaced),
    "fix_code": (errors.InvalidParameter, errors.SessionReplaced),
    "set_clock": (errors.InvalidParameter, errors.SessionReplaced),
    "set_fault": (errors.InvalidParameter, errors.UnknownFault, errors.SessionReplaced),
    "update_settings": (errors.InvalidSetting, errors.SessionReplaced),
    "register_client": (errors.InvalidClient, errors.SessionReplaced),
    "put_snapshot": (errors.InvalidParameter, errors.InvalidSnapshot),
}
OBJECT = {"type": "object", "additionalProperties": True}
STRING = {"type": "string"}
DATE_TIME = {"type": "string", "format": "date-time"}
CLOCK = {
    "type": "object",
    "required": ["now", "running"],
    "properties": {"now": DATE_TIME, "running": {"type": "boolean"}},
}
FAULT = {"type": "object", "required": ["name", "params"], "properties": {"name": STRING, "params": OBJECT}}
PATH_PARAMETERS = {
    "key": {"type": "string", "pattern": f"^{KEY_RE.pattern}$"},
    "to": {"type": "string", "minLength": 1},  # a phone number or an e-mail address
    "name": {"type": "string", "minLength": 1},
}
PART = "|".join(SNAPSHOT_PARTS)
QUERY_PARAMETERS = {
    "to": STRING,
    "channel": {"enum": ["sms", "call", "email"]},
    "after": {"type": "integer", "minimum": 0},  # an event's or message's id
    "timeout": {"type": "number", "minimum": 0, "maximum": WAIT_MAX},
    # The snapshot's parts to answer with, comma-separated; without it, all of them.
    "only": {"type": "string", "pattern": f"^({PART})(,({PART}))*$"},
}
QUERIES = {
    "outbox": ["to", "channel", "after"],
    "outbox_wait": ["to", "channel", "after", "timeout"],
    "events": ["after"],
    "get_session": ["only"],
}
BODIES = {
    "create_session": {
        "type": "object",
        "properties": {
            "key": PATH_PARAMETERS["key"],
            "seed": {"type": "integer"},
            "clock": {"type": "object", "properties": {"now": DATE_TIME, "running": {"type": "boolean"}}},
        },
    },
    "seed": {
        "type": "object",
        "properties": {
            "organisations": {"type": "array", "items": OBJECT},
            "clients": {"type": "array", "items": OBJECT},
            "people": {"type": "array", "items": {"$ref": "#/components/schemas/SeedPerson"}},
        },
    },
    "fix_code": {
        "type": "object",
        "required": ["code"],
        "properties": {"code": {"type": "string", "pattern": "^(\\d{4}|\\d{6})$"}},
    },
    "set_clock": {
        "type": "object",
        "properties": {"advance": {"type": "number", "minimum": 0}, "now": DATE_TIME, "running": {"type": "boolean"}},
    },
    "set_fault": {
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "platform": {"enum": list(PLATFORMS)},
            "path": {"type": "string", "pattern": "^/", "maxLength": PATH_MAX},
            "status": {"type": "integer", "minimum": 400, "maximum": 599},
        },
    },
    "update_settings": {
        "type": "object",
        "additionalProperties": False,
        "properties": {name: {"enum": list(values)} for name, values in SETTINGS.items()},
    },
    "register_client": {
        "type": "object",
        "required": ["client_id", "redirect_uris", "service_name"],
        "properties": {
            "client_id": STRING,
            "redirect_uris": {"type": "array", "items": {"type": "string", "format": "uri"}},
            "service_name": STRING,
        },
    },
}


# -- the seed's people: their schema comes from the TypedDicts the seed is parsed by, so the two cannot drift --

# Wire fields typed `str` whose values are one of a few; the parser (world/seed/parse.py) refuses any other.
SEED_CHOICES: dict[tuple[str, str], dict[str, Any]] = {
    ("PersonEntry", "sex"): {"enum": ["male", "female"]},
    ("JournalEntry", "journal"): {"enum": [journal.value for journal in Journal]},
    ("JournalEntry", "role"): {"enum": [role.value for role in Role]},
}
SEED_FORMATS: dict[str, dict[str, Any]] = {
    "birth_date": {"description": "YYYY-MM-DD or DD.MM.YYYY, not in the future"},
    "phone": {"description": "+7 and ten digits"},
    "email": {"format": "email"},
}


def wire_schema(hint: Any, owner: str = "", name: str = "") -> dict[str, Any]:
    """The JSON Schema of a seed's wire value typed `hint` (a TypedDict, a Literal, a list, an optional)."""
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        (inner,) = [a for a in args if a is not type(None)]
        return {"anyOf": [wire_schema(inner, owner, name), {"type": "null"}]}
    if origin is typing.Literal:
        return {"enum": list(args)}
    if origin is list:
        return {"type": "array", "items": wire_schema(args[0])}
    if typing.is_typeddict(hint):
        # Read with NotRequired kept: under `from __future__ import annotations` __required_keys__ names every key.
        fields = typing.get_type_hints(hint, include_extras=True)
        optional = {field for field, kind in fields.items() if typing.get_origin(kind) is typing.NotRequired}
        return {
            "type": "object",
            "required": [field for field in fields if field not in optional],
            "properties": {
                field: wire_schema(typing.get_args(kind)[0] if field in optional else kind, hint.__name__, field)
                for field, kind in fields.items()
            },
        }
    if hint is str:
        return {"type": "string", **SEED_FORMATS.get(name, {}), **SEED_CHOICES.get((owner, name), {})}
    return {int: {"type": "integer"}, bool: {"type": "boolean"}}[hint]


SEED_PERSON = {
    **wire_schema(PersonEntry),
    "description": "One person of a seed's `people`: their journal account, VK ID, МАХ and Госуслуги, and links.",
}


# -- the snapshot document: its entities' schemas come from their dataclasses, so the two cannot drift ------

SCALARS: dict[Any, dict[str, Any]] = {
    int: {"type": "integer"},
    bool: {"type": "boolean"},
    float: {"type": "number"},
    datetime: DATE_TIME,
    date: {"type": "string", "format": "date"},
}
# A value of no fixed shape (a fault's parameters, a browser's state): its strings and arrays have the limits too.
FREE = {"description": f"any JSON; strings of at most {STRING_MAX} characters, arrays of at most {ITEMS_MAX} items"}


def _array(items: dict[str, Any]) -> dict[str, Any]:
    return {"type": "array", "maxItems": ITEMS_MAX, "items": items}


def value_schema(hint: Any, longest: int = STRING_MAX) -> dict[str, Any]:
    """The JSON Schema of a snapshot value of Python type `hint` (what simulator/world/snapshot.py reads)."""
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        (inner,) = [a for a in args if a is not type(None)]
        return {"anyOf": [value_schema(inner, longest), {"type": "null"}]}
    if origin in (list, tuple):
        return _array(value_schema(args[0]))
    if origin is dict:
        return {"type": "object", "maxProperties": ITEMS_MAX, "additionalProperties": value_schema(args[1])}
    if hint is Any:
        return FREE
    if hint is str:
        return {"type": "string", "maxLength": longest}
    if isinstance(hint, type) and issubclass(hint, Enum):
        return {"enum": [member.value for member in hint]}
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        return entity_schema(hint)
    return SCALARS[hint]


def entity_schema(cls: type[Any]) -> dict[str, Any]:
    fields = entity_fields(cls)
    return {
        "type": "object",
        "additionalProperties": False,
        "required": [name for name, _, required in fields if required],
        "properties": {name: value_schema(hint, LONG_STRINGS.get((cls, name), STRING_MAX)) for name, hint, _ in fields},
    }


def snapshot_schema() -> dict[str, Any]:
    """The PUT body and its limits: the session's tables and lists with their entities' fields, the other parts
    as objects."""
    parts: tuple[tuple[str, type[Any], str], ...] = (*TABLES, *LISTS, ("links", Link, "links"))
    tables = {name: _array(entity_schema(entity)) for name, entity, _ in parts}
    return {
        "type": "object",
        "description": (
            f"A snapshot taken by GET. At most {SNAPSHOT_MAX // (1 << 20)} MiB and {json_body.VALUES_MAX} JSON "
            f"values (counted from the body's commas and brackets), nested at most {json_body.MAX_DEPTH} levels; "
            f"every string at most {STRING_MAX} characters but a message's file (chat_messages[].file.data, "
            f"base64, at most {FILE_DATA_MAX}); every array and object at most {ITEMS_MAX} entries."
        ),
        "required": ["schema_version"],
        "properties": {
            "schema_version": {"type": "integer", "maximum": SCHEMA_VERSION},
            "key": PATH_PARAMETERS["key"],
            "seed": {"type": "integer"},
            **tables,
            **{
                name: {"type": "object", "maxProperties": ITEMS_MAX}
                for name in ("clock", "random", "codes", "oauth", "settings", "events")
            },
            **{
                name: _array({"type": "object", "maxProperties": ITEMS_MAX})
                for name in ("password_attempts", "esia_codes", "link_tickets", "faults", "browsers")
            },
        },
    }


SNAPSHOT = snapshot_schema()
# The operation's body names the limits; `components.schemas.Snapshot` has every part and every field of every
# entity with them. Request generators (schemathesis) take the operation's schema: given the entities there,
# fuzzing the control plane took twice to four times as long.
BODIES["put_snapshot"] = {
    "type": "object",
    "required": ["schema_version"],
    "description": SNAPSHOT["description"],
    "$comment": "every part and field: #/components/schemas/Snapshot",
}


def _object(**properties: Any) -> dict[str, Any]:
    """An object with these properties, all of them required."""
    return {"type": "object", "required": list(properties), "properties": properties}


def _list_of(name: str) -> dict[str, Any]:
    return _object(**{name: {"type": "array", "items": OBJECT}})


SETTINGS_SCHEMA = {"type": "object", "additionalProperties": STRING}
RESULTS: dict[str, dict[str, Any]] = {
    "health": _object(
        status=STRING,
        sessions={"type": "integer"},
        platforms={"type": "object", "additionalProperties": STRING},
        # The HTTPS listener for VK ID's real names (null without one): its port, the key's SPKI hash for
        # Chromium's --ignore-certificate-errors-spki-list, and the self-signed certificate's PEM to trust.
        tls={
            "type": ["object", "null"],
            "required": ["port", "spki", "pem"],
            "properties": {"port": {"type": "integer"}, "spki": STRING, "pem": STRING},
        },
        # `serve --state DIR` only: whether every change is being saved in DIR.
        state={
            "type": ["object", "null"],
            "required": ["directory", "status", "unsaved", "error"],
            "properties": {
                "directory": STRING,
                "status": {"enum": ["ok", "failing"]},
                "unsaved": {"type": "array", "items": STRING},
                "error": {"type": ["string", "null"]},
            },
        },
    ),
    "reset_world": _object(status=STRING),
    "list_sessions": _object(sessions={"type": "array", "items": STRING}),
    "create_session": _object(key=STRING, seed={"type": "integer"}, clock=CLOCK),
    "delete_session": _object(status=STRING, key=STRING),
    "reset_session": _object(status=STRING, key=STRING),
    "links": _list_of("links"),
    "outbox": _list_of("messages"),
    "events": _list_of("events"),
    "fix_code": _object(to=STRING, code=STRING),
    "unfix_code": _object(status=STRING),
    "get_clock": CLOCK,
    "set_clock": CLOCK,
    "list_faults": _object(active={"type": "array", "items": FAULT}, available=OBJECT),
    "set_fault": FAULT,
    "clear_fault": _object(active={"type": "array", "items": FAULT}),
    "get_settings": SETTINGS_SCHEMA,
    "update_settings": SETTINGS_SCHEMA,
    "get_snapshot": _object(schema_version={"type": "integer"}),
    "put_snapshot": _object(status=STRING, key=STRING, created={"type": "boolean"}),
}
CREATED = {"create_session", "seed", "register_client"}


def _errors(path: str, name: str) -> list[type[ControlError]]:
    """What an operation can answer: a wrong URL or session, an unreadable body, its own errors, a bug."""
    kinds: list[type[ControlError]] = []
    if "{" in path:
        kinds += [errors.NotFound]  # a path parameter that is empty, or holds a '/'
    if "{key}" in path:
        kinds += [errors.UnknownSession]
    if name in BODIES:
        kinds += [errors.InvalidJson, errors.BodyTooLarge]
    return [*kinds, *ERRORS.get(name, ()), errors.InternalError]


# Every 4xx and 5xx of the control plane; each response below narrows `error` to the codes it can be.
ERROR = _object(error=STRING, message=STRING)


def _error_responses(kinds: list[type[ControlError]]) -> dict[str, Any]:
    """One response per status; its `error` is one of the codes answered with that status."""
    by_status: dict[int, list[type[ControlError]]] = {}
    for kind in kinds:
        by_status.setdefault(kind.status_code, []).append(kind)
    return {
        str(status): {
            "description": "; ".join(f"{kind.error}: {kind.description}" for kind in same),
            "content": {
                "application/json": {
                    "schema": {
                        "type": "object",
                        "required": ["error", "message"],
                        "properties": {
                            "error": {"enum": [kind.error for kind in same]},
                            "message": {"type": "string"},
                        },
                    }
                }
            },
        }
        for status, same in sorted(by_status.items())
    }


def _operation(method: str, path: str, handler: Any) -> dict[str, Any]:
    name = handler.__name__
    doc = inspect.getdoc(handler) or name
    operation: dict[str, Any] = {
        "operationId": name,
        "summary": doc.splitlines()[0],
        **({"description": doc} if "\n" in doc else {}),  # a docstring's further paragraphs say what it means
        "parameters": [
            {"name": param, "in": "path", "required": True, "schema": PATH_PARAMETERS[param]}
            for param in re.findall(r"{(\w+)}", path)
        ]
        + [{"name": param, "in": "query", "schema": QUERY_PARAMETERS[param]} for param in QUERIES.get(name, [])],
        "responses": {
            "201" if name in CREATED else "200": {
                "description": "OK",
                "content": {"application/json": {"schema": RESULTS.get(name, OBJECT)}},
            },
            **_error_responses(_errors(path, name)),
        },
    }
    if name in BODIES:
        operation["requestBody"] = {"content": {"application/json": {"schema": BODIES[name]}}}
    return operation


def document(routes: list[tuple[str, str, Any]], prefix: str) -> dict[str, Any]:
    paths: dict[str, dict[str, Any]] = {}
    for method, path, handler in routes:
        paths.setdefault(prefix + path, {})[method.lower()] = _operation(method, path, handler)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "sferum-sim control plane",
            "version": "1",
            "description": "Sessions, seeding, the outbox of codes, the virtual clock and faults, for tests.",
        },
        "paths": paths,
        "components": {"schemas": {"Error": ERROR, "Snapshot": SNAPSHOT, "SeedPerson": SEED_PERSON}},
    }
