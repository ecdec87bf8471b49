"""The control plane's errors: one class per wire error, each with its HTTP status and `error` code.

Those a domain error answers take their status, code and meaning from `error_table.TABLE`; `from_domain`
turns any refusal of the world into the control plane's JSON, so handlers let refusals pass.
"""

from __future__ import annotations

import json
from typing import ClassVar

from aiohttp import web

from ..error_table import TABLE, wire_error
from ..errors import DomainError
from ..world import faults, seed, session, snapshot
from ..world import world as registry


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

    @classmethod
    def saying(cls, message: str) -> ControlError:
        """This error with `message` as it is, whatever the class's own constructor builds its message from."""
        error = cls.__new__(cls)
        ControlError.__init__(error, message)
        return error


def _answering(kind: type[DomainError]) -> tuple[int, str, str]:
    """The status, code and meaning the table gives a domain error: the control plane's class says the same."""
    wire = TABLE[kind]
    return wire.status, wire.code, wire.description


class InvalidJson(ControlError):
    error = "invalid_json"
    description = "the body is not a JSON object"


class InvalidParameter(ControlError):
    status_code, error, description = _answering(registry.InvalidSessionKey)


class InvalidSetting(ControlError):
    status_code, error, description = _answering(faults.UnknownSetting)


class NotFound(ControlError):
    status_code = 404
    error = "not_found"
    description = "no such URL in the control plane"


class MethodNotAllowed(ControlError):
    status_code = 405
    error = "method_not_allowed"
    description = "the URL does not take this method"


class UnknownSession(ControlError):
    status_code, error, description = _answering(registry.UnknownSession)

    def __init__(self, key: str) -> None:
        super().__init__(TABLE[registry.UnknownSession].message_for(registry.UnknownSession(key)))


class UnknownFault(ControlError):
    status_code, error, description = _answering(faults.UnknownFault)

    def __init__(self, name: str) -> None:
        super().__init__(TABLE[faults.UnknownFault].message_for(faults.UnknownFault(name)))


class Timeout(ControlError):
    status_code = 408
    error = "timeout"
    description = "nothing matching arrived in time"

    def __init__(self, seconds: float) -> None:
        super().__init__(f"no matching message within {seconds:g} s")


class SessionExists(ControlError):
    status_code, error, description = _answering(registry.SessionExists)


class SessionReplaced(ControlError):
    status_code, error, description = _answering(session.SessionEnded)

    def __init__(self, key: str, consequence: str) -> None:
        super().__init__(f"session {key!r} was reset or deleted during this request; {consequence}")


class BodyTooLarge(ControlError):
    status_code = 413
    error = "body_too_large"
    description = "the body is bigger than the simulator reads"


class InvalidSeed(ControlError):
    status_code, error, description = _answering(seed.SeedError)


class InvalidClient(ControlError):
    status_code, error, description = _answering(seed.InvalidClient)


class InvalidSnapshot(ControlError):
    status_code, error, description = _answering(snapshot.SnapshotError)


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


_BY_CODE = {kind.error: kind for kind in ALL}


def from_domain(error: DomainError) -> ControlError:
    """The control plane's answer to a refusal of the world, as the table words it."""
    wire = wire_error(error)
    return _BY_CODE[wire.code].saying(wire.message_for(error))
