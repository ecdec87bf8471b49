"""The seats of a classroom: each a session of its own, a persona, a secret link and its progress."""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from ..recorder.proposing import Shown
from .lesson import Exercise
from .progress import Progress

TOKEN_BYTES = 18  # the link's secret: 144 random bits, as unguessable as a session key


@dataclass
class Persona:
    """Who a seat plays, as its «Дано» steps made them: shown on the task card and the tile."""

    name: str
    role: str = ""
    phone: str = ""
    email: str = ""
    login: str = ""
    password: str = ""
    ids: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "role": self.role,
            "phone": self.phone,
            "email": self.email,
            "login": self.login,
            "password": self.password,
        }


@dataclass
class Seat:
    number: int
    exercise: Exercise
    key: str  # its session's key: the trainee never sees it
    token: str  # the secret of its link and cookie
    seed: int
    persona: Persona = field(default_factory=lambda: Persona(""))
    progress: Progress = field(init=False)
    last_page: str = ""  # the last HTML page the seat was served, for the trainer's «Экран»
    last_platform: str | None = None
    last_shown: Shown | None = None
    wall_clock: Callable[[], float] = time.monotonic

    def __post_init__(self) -> None:
        self.progress = Progress(self.exercise, self.wall_clock)

    def restart(self) -> None:
        self.progress = Progress(self.exercise, self.wall_clock)
        self.last_page, self.last_platform, self.last_shown = "", None, None


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


class Seats:
    """The room's seats, by number and by their link's secret."""

    def __init__(self) -> None:
        self.by_number: dict[int, Seat] = {}
        self._by_token: dict[str, Seat] = {}
        self._by_key: dict[str, Seat] = {}

    def add(self, seat: Seat) -> Seat:
        self.by_number[seat.number] = seat
        self._by_token[seat.token] = seat
        self._by_key[seat.key] = seat
        return seat

    def by_token(self, token: str | None) -> Seat | None:
        if not token or not token.isascii():
            return None
        # Compared in constant time: the secret is all that separates one seat from another.
        return next((seat for known, seat in self._by_token.items() if secrets.compare_digest(known, token)), None)

    def by_key(self, key: str) -> Seat | None:
        return self._by_key.get(key)

    def __iter__(self) -> Iterator[Seat]:
        return iter(sorted(self.by_number.values(), key=lambda s: s.number))

    def __len__(self) -> int:
        return len(self.by_number)
