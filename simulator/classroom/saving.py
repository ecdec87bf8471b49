"""A lesson kept on disk, so a restart of the trainer's computer does not end it.

With `--out DIR` the seats' worlds are kept in DIR/worlds/ exactly as `serve --state` keeps sessions (a file a
session, written atomically soon after each change), and the classroom itself in DIR/classroom.json: what the
lesson practises (the command's own choice of scenarios, so they are found again the same way), the address
and ports the links name, and each seat's person, link secret, seed and progress. `sferum-sim classroom
--resume DIR` reads both and serves the same seats on the same links: trainees reload their tab and go on.

Progress is kept in durations, not clock readings (a monotonic clock starts anew with the process): the time
on the current step and since the seat began are carried over as they were at the last save.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..state import write_atomically
from ..world.world import KEY_RE
from .lesson import Exercise
from .progress import MISTAKE_NAMES, Progress
from .seats import Persona, Seat

FILE = "classroom.json"
WORLDS = "worlds"
VERSION = 1
PERSONA_FIELDS = ("name", "role", "phone", "email", "login", "password")


class ResumeError(ValueError):
    """A folder a lesson cannot be resumed from (or started in); the message says why, in Russian."""


@dataclass(frozen=True)
class Choice:
    """The command's choice of scenarios: given again to `choose`, it finds the same exercises."""

    chosen: tuple[str, ...]
    scenarios: tuple[str, ...]
    features: str

    def to_json(self) -> dict[str, Any]:
        return {"chosen": list(self.chosen), "scenarios": list(self.scenarios), "features": self.features}


@dataclass(frozen=True)
class Saved:
    """classroom.json, read and checked."""

    choice: Choice
    titles: tuple[str, ...]  # the exercises' titles when the lesson began: the same scenarios must be found again
    address: str
    port: int
    ports: dict[str, int]
    admin_token: str
    elapsed: float
    seats: tuple[dict[str, Any], ...]


def progress_document(progress: Progress) -> dict[str, Any]:
    return {
        "done": progress.done,
        "on_step": progress.on_step(),
        "elapsed": (progress.finished_at or progress.wall_clock()) - progress.started,
        "finished": progress.finished_at is not None,
        "durations": {str(number): seconds for number, seconds in progress.durations.items()},
        "mistakes": dict(progress.mistakes),
        "mistakes_at": {str(number): count for number, count in progress.mistakes_at.items()},
        "helped": sorted(progress.helped),
        "gained": progress.gained,
        "recorded": progress.recorded,
        "last_alerts": list(progress.last_alerts),
    }


def restore_progress(progress: Progress, doc: dict[str, Any]) -> None:
    """The saved progress on a fresh Progress: counts as they were, times carried over as durations."""
    steps = len(progress.steps)
    done = doc["done"]
    if not isinstance(done, int) or not 0 <= done <= steps:
        raise ResumeError(f"в {FILE} шагов сделано {done!r}, а в задании их {steps}")
    now = progress.wall_clock()
    progress.done = done
    progress.since = now - float(doc["on_step"])
    progress.started = now - float(doc["elapsed"])
    progress.finished_at = now if doc["finished"] else None
    progress.durations = {int(n): float(s) for n, s in doc["durations"].items()}
    progress.mistakes = Counter({k: int(v) for k, v in doc["mistakes"].items() if k in MISTAKE_NAMES})
    progress.mistakes_at = Counter({int(n): int(c) for n, c in doc["mistakes_at"].items()})
    progress.helped = {int(n) for n in doc["helped"]}
    progress.gained = [dict(e) for e in doc["gained"]]
    progress.recorded = [dict(e) for e in doc["recorded"]]
    progress.last_alerts = tuple(str(a) for a in doc["last_alerts"])


def document(
    seats: list[Seat],
    exercises: list[Exercise],
    choice: Choice,
    *,
    address: str,
    port: int,
    ports: dict[str, int],
    admin_token: str,
    elapsed: float,
) -> dict[str, Any]:
    return {
        "version": VERSION,
        "lesson": choice.to_json(),
        "titles": [exercise.title for exercise in exercises],
        "address": address,
        "port": port,
        "ports": ports,
        # The room view's password: a resumed lesson keeps it, so the trainer's open tab keeps working.
        "admin_token": admin_token,
        "elapsed": elapsed,
        "seats": [
            {
                "seat": seat.number,
                "key": seat.key,
                "token": seat.token,
                "seed": seat.seed,
                "persona": {**seat.persona.to_json(), "ids": seat.persona.ids},
                "progress": progress_document(seat.progress),
            }
            for seat in seats
        ],
    }


def write(directory: Path, doc: dict[str, Any]) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    write_atomically(directory / FILE, (json.dumps(doc, ensure_ascii=False, indent=1) + "\n").encode("utf-8"))


def refuse_to_overwrite(directory: Path) -> None:
    """A new lesson does not start in a folder that holds one: its worlds would be mixed with the new seats'."""
    if (directory / FILE).exists():
        raise ResumeError(
            f"в папке {directory} уже есть урок; продолжите его: sferum-sim classroom --resume {directory} "
            "(или укажите другую папку --out)"
        )


def read(directory: Path) -> Saved:
    path = directory / FILE
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ResumeError(f"в папке {directory} нет урока ({FILE}): её пишет sferum-sim classroom --out") from None
    except (OSError, ValueError) as error:
        raise ResumeError(f"{path} не читается: {error}") from None
    try:
        return _checked(doc)
    except (KeyError, TypeError, ValueError) as error:
        if isinstance(error, ResumeError):
            raise
        raise ResumeError(f"{path} повреждён или не от этой версии: {error!r}") from None


def _checked(doc: Any) -> Saved:
    if not isinstance(doc, dict) or doc.get("version") != VERSION:
        raise ResumeError(f"{FILE}: версия {doc.get('version') if isinstance(doc, dict) else doc!r} не поддерживается")
    lesson = doc["lesson"]
    choice = Choice(
        tuple(str(c) for c in lesson["chosen"]), tuple(str(s) for s in lesson["scenarios"]), str(lesson["features"])
    )
    ports = {str(name): _port(port) for name, port in doc["ports"].items()}
    seats = tuple(doc["seats"])
    for seat in seats:
        if not KEY_RE.fullmatch(str(seat["key"])) or not isinstance(seat["seat"], int) or not seat["token"]:
            raise ResumeError(f"{FILE}: место {seat.get('seat')!r} записано неверно")
        if not isinstance(seat["persona"], dict) or not isinstance(seat["progress"], dict):
            raise ResumeError(f"{FILE}: место {seat['seat']} записано неверно")
    return Saved(
        choice=choice,
        titles=tuple(str(t) for t in doc["titles"]),
        address=str(doc["address"]),
        port=_port(doc["port"]),
        ports=ports,
        admin_token=str(doc["admin_token"]),
        elapsed=float(doc["elapsed"]),
        seats=seats,
    )


def _port(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value < 65536:
        raise ResumeError(f"{FILE}: порт {value!r} неверен")
    return value


def seat_of(doc: dict[str, Any], exercises: list[Exercise], wall_clock: Any) -> Seat:
    number = int(doc["seat"])
    exercise = exercises[(number - 1) % len(exercises)]
    persona = doc["persona"]
    seat = Seat(
        number,
        exercise,
        key=str(doc["key"]),
        token=str(doc["token"]),
        seed=int(doc["seed"]),
        persona=Persona(
            **{name: str(persona.get(name, "")) for name in PERSONA_FIELDS}, ids=dict(persona.get("ids", {}))
        ),
        wall_clock=wall_clock,
    )
    restore_progress(seat.progress, doc["progress"])
    return seat
