"""Faults a test switches on in a session, and the session's settings: what each takes, checked before it is kept."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from ..errors import DomainError
from ..hosts import PLATFORMS
from .models import Fault
from .session import Session

FAULTS = {
    "identity_unavailable": "VK ID cannot obtain identification data after «Продолжить»",
    "vpn": "the user's connection goes through a VPN; linking is refused",
    "http_error": "a platform answers a path with an HTTP error (params: platform, path, status, delay)",
}

PATH_MAX = 2048
DELAY_MAX = 60  # seconds an http_error may hold its answer: a relying party's timeout, not a hung test


def _platform(value: object) -> str:
    if not isinstance(value, str) or value not in PLATFORMS:
        raise ValueError(f"must be one of {', '.join(PLATFORMS)}")
    return value


def _path(value: object) -> str:
    if not isinstance(value, str) or not value.startswith("/") or len(value) > PATH_MAX:
        raise ValueError(f"must be a path starting with '/', at most {PATH_MAX} characters")
    return value


def _delay(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= DELAY_MAX:
        raise ValueError(f"must be a number of seconds from 0 to {DELAY_MAX}")
    return float(value)


def _status(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 400 <= value <= 599:
        raise ValueError("must be an HTTP error status, an integer from 400 to 599")
    return value


# Each fault's parameters: a check that returns the value to store, and the default of an optional one
# (None: required). Only checked values are stored, so a fault always renders in snapshots and events.
FAULT_PARAMS: dict[str, dict[str, tuple[Callable[[object], object], object]]] = {
    "identity_unavailable": {},
    "vpn": {},
    "http_error": {
        "platform": (_platform, None),
        "path": (_path, None),
        "status": (_status, 500),
        "delay": (_delay, 0),  # real seconds before the answer: a caller's timeout is tested with it
    },
}

SETTINGS = {
    # How VK ID confirms a phone for an account that names no channel of its own (`accounts.phone_code_channel`).
    "phone_code_channel": ("call", "sms"),
    "mes_sferum_in": ("vk", "max"),  # МЭШ connects Sferum in VK Messenger (VK ID) or in МАХ
    # VK ID's redirect back to the relying party: followed, or shown as a link a test opens when it is ready.
    "vkid_redirect": ("follow", "hold"),
}


class UnknownFault(DomainError, KeyError):
    """No fault has this name (the one asked for is its only argument)."""


class InvalidFaultParams(DomainError, ValueError):
    """A fault's parameter is missing, unknown or has a value the fault does not take; the message names it."""

    def __init__(self, fault: str, message: str) -> None:
        super().__init__(message)
        self.fault = fault


class UnknownSetting(DomainError, ValueError):
    """No setting has this name, or it does not take this value."""

    def __init__(self, name: str, value: object) -> None:
        super().__init__(f"{name}={value!r} is not a setting")
        self.name = name
        self.value = value


def fault_params(name: str, given: Mapping[str, object]) -> dict[str, object]:
    """The parameters to store for fault `name`: each checked, defaults filled in (InvalidFaultParams if not)."""
    declared = FAULT_PARAMS[name]
    unknown = sorted(set(given) - set(declared))
    if unknown:
        takes = ", ".join(declared) or "no parameters"
        raise InvalidFaultParams(name, f"{unknown[0]} is not a parameter of this fault (it takes {takes})")
    params = {}
    for param, (check, default) in declared.items():
        if param not in given and default is None:
            raise InvalidFaultParams(name, f"{param} is required")
        try:
            params[param] = check(given.get(param, default))
        except ValueError as error:
            raise InvalidFaultParams(name, f"{param} {error}") from None
    return params


def set_fault(session: Session, name: str, params: Mapping[str, object] | None = None) -> Fault:
    """Switch a fault on; UnknownFault or InvalidFaultParams, and nothing stored, if it cannot be."""
    if name not in FAULTS:
        raise UnknownFault(name)
    fault = Fault(name, fault_params(name, params or {}))
    session.faults[name] = fault
    session.record("fault_on", name=name, params=fault.params)
    return fault


def clear_fault(session: Session, name: str) -> Fault | None:
    """Switch a fault off; the fault that was on, if one was."""
    fault = session.faults.pop(name, None)
    if fault is not None:
        session.record("fault_off", name=name)
    return fault


def change_settings(session: Session, changes: Mapping[str, object]) -> dict[str, str]:
    """Change some settings, all or none: UnknownSetting names the first that is not one."""
    for name, value in changes.items():
        if name not in SETTINGS or value not in SETTINGS[name]:
            raise UnknownSetting(name, value)
    session.settings.update({name: str(value) for name, value in changes.items()})
    return session.settings
