"""The control plane's OpenAPI document, built from its route table so the two cannot drift."""

from __future__ import annotations

import inspect
import re
from typing import Any

from ..world.session import SETTINGS
from . import errors
from .errors import ControlError

# The errors each operation can answer besides unknown_session, which every /sessions/{key}/… one can.
ERRORS: dict[str, tuple[type[ControlError], ...]] = {
    "create_session": (errors.InvalidJson, errors.InvalidParameter, errors.SessionExists),
    "seed": (errors.InvalidJson, errors.InvalidSeed),
    "events": (errors.InvalidParameter,),
    "outbox": (errors.InvalidParameter,),
    "outbox_wait": (errors.InvalidParameter, errors.Timeout),
    "fix_code": (errors.InvalidJson, errors.InvalidParameter),
    "set_clock": (errors.InvalidJson, errors.InvalidParameter),
    "set_fault": (errors.InvalidJson, errors.InvalidParameter, errors.UnknownFault),
    "update_settings": (errors.InvalidJson, errors.InvalidSetting),
    "register_client": (errors.InvalidJson, errors.InvalidClient),
    "put_snapshot": (errors.InvalidJson, errors.InvalidParameter, errors.InvalidSnapshot),
}
OBJECT = {"type": "object", "additionalProperties": True}
BODIES = {
    "create_session": {
        "type": "object",
        "properties": {
            "key": {"type": "string", "pattern": "^[A-Za-z0-9_.-]{1,64}$"},
            "seed": {"type": "integer"},
            "clock": {
                "type": "object",
                "properties": {"now": {"type": "string", "format": "date-time"}, "running": {"type": "boolean"}},
            },
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
        "properties": {
            "advance": {"type": "number", "minimum": 0},
            "now": {"type": "string", "format": "date-time"},
            "running": {"type": "boolean"},
        },
    },
    "set_fault": {
        "type": "object",
        "properties": {
            "platform": {"type": "string"},
            "path": {"type": "string"},
            "status": {"type": "integer", "minimum": 400, "maximum": 599},
        },
    },
    "update_settings": {
        "type": "object",
        "properties": {name: {"enum": list(values)} for name, values in SETTINGS.items()},
    },
    "register_client": {
        "type": "object",
        "required": ["client_id", "redirect_uris", "service_name"],
        "properties": {
            "client_id": {"type": "string"},
            "redirect_uris": {"type": "array", "items": {"type": "string", "format": "uri"}},
            "service_name": {"type": "string"},
        },
    },
}
BODIES["put_snapshot"] = {"type": "object", "required": ["schema_version"]}
QUERIES = {
    "outbox": ["to", "channel", "after"],
    "outbox_wait": ["to", "channel", "after", "timeout"],
    "events": ["after"],
}
CREATED = {"create_session", "seed", "register_client"}


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
    doc = inspect.getdoc(handler) or handler.__name__
    kinds = ([errors.UnknownSession] if "{key}" in path else []) + list(ERRORS.get(handler.__name__, ()))
    operation: dict[str, Any] = {
        "operationId": handler.__name__,
        "summary": doc.splitlines()[0],
        "parameters": [
            {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
            for name in re.findall(r"{(\w+)}", path)
        ]
        + [{"name": name, "in": "query", "schema": {"type": "string"}} for name in QUERIES.get(handler.__name__, [])],
        "responses": {
            "201" if handler.__name__ in CREATED else "200": {
                "description": "OK",
                "content": {"application/json": {"schema": OBJECT}},
            },
            **_error_responses(kinds),
        },
    }
    if handler.__name__ in BODIES:
        operation["requestBody"] = {"content": {"application/json": {"schema": BODIES[handler.__name__]}}}
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
    }
