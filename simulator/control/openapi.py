"""The control plane's OpenAPI document, built from its route table so the two cannot drift."""

from __future__ import annotations

import inspect
import re
from typing import Any

from ..hosts import PLATFORMS
from ..world.session import PATH_MAX, SETTINGS, SNAPSHOT_PARTS
from ..world.world import KEY_RE
from . import errors
from .errors import ControlError
from .handlers import WAIT_MAX

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
            "people": {"type": "array", "items": OBJECT},
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
BODIES["put_snapshot"] = {"type": "object", "required": ["schema_version"]}


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
        tls={"type": ["object", "null"]},
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
        "components": {"schemas": {"Error": ERROR}},
    }
