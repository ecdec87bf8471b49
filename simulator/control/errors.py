"""The control plane's errors: one class per wire error, each with its HTTP status and `error` code."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import ClassVar

from aiohttp import web


class ControlError(web.HTTPException):
    """A JSON error answered as is: {"error": code, "message": text}."""

    status_code = 400
    error: ClassVar[str] = "error"
    description: ClassVar[str] = "an error"  # what the OpenAPI document says the code means

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(text=json.dumps(self.to_json()), content_type="application/json")

    def to_json(self) -> dict[str, str]:
        return {"error": self.error, "message": self.message}


class InvalidJson(ControlError):
    error = "invalid_json"
    description = "the body is not a JSON object"


class InvalidParameter(ControlError):
    error = "invalid_parameter"
    description = "a parameter is missing or out of range"


class InvalidSetting(ControlError):
    error = "invalid_setting"
    description = "no such setting, or a value it does not take"


class NotFound(ControlError):
    status_code = 404
    error = "not_found"
    description = "no such URL in the control plane"


class MethodNotAllowed(ControlError):
    status_code = 405
    error = "method_not_allowed"
    description = "the URL does not take this method"


class UnknownSession(ControlError):
    status_code = 404
    error = "unknown_session"
    description = "no session with this key"

    def __init__(self, key: str) -> None:
        super().__init__(f"no session {key!r}; create it with POST /_sim/v1/sessions")


class UnknownFault(ControlError):
    status_code = 404
    error = "unknown_fault"
    description = "no fault with this name"

    def __init__(self, name: str, available: Iterable[str]) -> None:
        super().__init__(f"no fault {name!r}; available: {', '.join(available)}")


class Timeout(ControlError):
    status_code = 408
    error = "timeout"
    description = "nothing matching arrived in time"

    def __init__(self, seconds: float) -> None:
        super().__init__(f"no matching message within {seconds:g} s")


class SessionExists(ControlError):
    status_code = 409
    error = "session_exists"
    description = "a session with this key exists already"


class SessionReplaced(ControlError):
    status_code = 409
    error = "session_replaced"
    description = "the session was reset or deleted while the request was read or held; nothing was changed"

    def __init__(self, key: str, consequence: str) -> None:
        super().__init__(f"session {key!r} was reset or deleted during this request; {consequence}")


class BodyTooLarge(ControlError):
    status_code = 413
    error = "body_too_large"
    description = "the body is bigger than the simulator reads"


class InvalidSeed(ControlError):
    status_code = 422
    error = "invalid_seed"
    description = "the seed does not describe a consistent world; nothing was added"


class InvalidClient(ControlError):
    status_code = 422
    error = "invalid_client"
    description = "the OAuth client's registration is incomplete or wrong"


class InvalidSnapshot(ControlError):
    status_code = 422
    error = "invalid_snapshot"
    description = (
        "not a session snapshot this version can load (a field is wrong, or the schema version); nothing changed"
    )


class InternalError(ControlError):
    status_code = 500
    error = "internal_error"
    description = "a bug in the simulator; its log has the traceback"


# The errors operations answer, each documented on the operations that can answer it; a wrong method
# (MethodNotAllowed) is never an operation's answer.
ALL: tuple[type[ControlError], ...] = (
    InvalidJson,
    InvalidParameter,
    InvalidSetting,
    NotFound,
    UnknownSession,
    UnknownFault,
    Timeout,
    SessionExists,
    SessionReplaced,
    BodyTooLarge,
    InvalidSeed,
    InvalidClient,
    InvalidSnapshot,
    InternalError,
)
