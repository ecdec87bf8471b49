"""The classroom as the server holds it: the lesson, the seats, and how a seat's world is made and remade."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiohttp import web

from ..recorder.library import GivenFailed, Library
from ..testing.client import SimSession, Simulator
from ..testing.personas import Personas
from ..world import World
from .hosts import SeatHosts
from .lesson import Exercise
from .seats import Persona, Seat, Seats, new_token

SEED_BASE = 7_000  # seat N's world and persona come from seed SEED_BASE + N: the same seat, the same person
STUCK_AFTER = 180.0  # seconds without progress before a seat counts as stuck


class SeatingError(RuntimeError):
    """A seat's world could not be prepared; said in Russian."""


@dataclass
class Classroom:
    world: World
    hosts: SeatHosts
    exercises: list[Exercise]
    library: Library
    trainer_url: str  # the trainer's own port: the control plane the «Дано» steps call
    admin_token: str
    stuck_after: float = STUCK_AFTER
    out: Path | None = None
    seats: Seats = field(default_factory=Seats)
    changed: asyncio.Event | None = None  # set whenever a tile may have changed; the room's stream waits on it
    on_change: list[Callable[[Seat], None]] = field(default_factory=list)
    guide: Path | None = None  # a guide written by `sferum-sim guide`: its step pictures go on the task cards
    closing: bool = False  # the server is stopping: open streams end
    # What «time on the step» and «stuck» are measured by: the wall clock, or a lesson clock a test moves.
    wall_clock: Callable[[], float] = time.monotonic
    started: float = field(init=False)  # when the lesson began, by wall_clock

    def __post_init__(self) -> None:
        self.started = self.wall_clock()

    def elapsed(self) -> float:
        """Seconds since the lesson began: every frame of the room carries it, so a frame is known by its time."""
        return self.wall_clock() - self.started

    def guide_pictures(self, exercise: Exercise) -> dict[int, str]:
        """Step number → the guide's picture of it, as a data-free URL under the card (none without --guide)."""
        if self.guide is None:
            return {}
        return {number: f"/_class/picture/{number}" for number in self.guide_steps(exercise)}

    def guide_steps(self, exercise: Exercise) -> dict[int, Path]:
        """The guide's screenshot of each step of this exercise, found by the scenario's name in its records."""
        if self.guide is None:
            return {}
        for record_file in sorted(self.guide.glob("**/*.json")):
            try:
                record = json.loads(record_file.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue
            if not isinstance(record, dict) or record.get("name") != exercise.name:
                continue
            found: dict[int, Path] = {}
            for step in record.get("steps", []):
                picture = step.get("screenshot") if isinstance(step, dict) else None
                if isinstance(picture, str) and (record_file.parent / picture).is_file():
                    found[int(step["number"])] = record_file.parent / picture
            return found
        return {}

    def notify(self, seat: Seat) -> None:
        if self.changed is not None:
            self.changed.set()
        for hook in list(self.on_change):
            hook(seat)

    def notify_all(self) -> None:
        """Every tile may read differently (the lesson's clock moved): the room's stream sends a frame now."""
        for seat in self.seats:
            self.notify(seat)

    # -- making worlds (in a worker thread: the «Дано» steps call the control plane over HTTP) ----------

    def seat_all(self, count: int) -> list[Seat]:
        simulator = Simulator(self.trainer_url, admin_token=self.admin_token)
        phones: set[str] = set()
        try:
            for number in range(1, count + 1):
                exercise = self.exercises[(number - 1) % len(self.exercises)]
                seat = Seat(
                    number,
                    exercise,
                    key=f"seat-{number}-{new_token()[:8]}",
                    token=new_token(),
                    seed=0,
                    wall_clock=self.wall_clock,
                )
                seed = SEED_BASE + number
                while True:  # no two seats share a phone: another seed for a rare draw that repeats one
                    seat.seed = seed
                    seat.persona = self.prepare(simulator, seat)
                    if seat.persona.phone not in phones:
                        break
                    SimSession(simulator, seat.key, seat.seed).delete()
                    seed += 1_000
                phones.add(seat.persona.phone)
                self.seats.add(seat)
        finally:
            simulator.close()
        return list(self.seats)

    def prepare(self, simulator: Simulator, seat: Seat) -> Persona:
        """A new session for the seat, its «Дано» steps run against it as pytest runs them; who the seat plays."""
        session = simulator.new_session(seat.key, seed=seat.seed, running_clock=True)
        fixtures: dict[str, Any] = {"sim": simulator, "sim_session": session, "personas": Personas(seat.seed)}
        try:
            actor = self.library.run_givens(seat.exercise.givens, fixtures)
        except GivenFailed as error:
            raise SeatingError(f"место {seat.number}: {error}") from error
        if actor is None:
            return Persona(f"Место {seat.number}")
        logins: dict[str, Any] = fixtures.get("gosuslugi_logins", {})
        login = logins.get(actor.key) or actor.login
        return Persona(
            name=actor.full_name,
            role=actor.role,
            phone=actor.phone,
            email=actor.email,
            login=login if isinstance(login, str) else actor.login,
            password=actor.password,
            ids=dict(actor.ids),
        )

    def remake(self, seat: Seat) -> None:
        """The seat's world from scratch, with the same person: its session deleted and seeded again."""
        simulator = Simulator(self.trainer_url, admin_token=self.admin_token)
        try:
            SimSession(simulator, seat.key, seat.seed).delete()
            seat.persona = self.prepare(simulator, seat)
        finally:
            simulator.close()

    # -- watching (on the server's loop) ---------------------------------------------------------

    def watch(self, seat: Seat) -> None:
        """The seat's world events reach its progress as they are recorded."""
        session = self.world.get(seat.key)

        def seen(event: dict[str, Any] | None) -> None:
            if event is not None and self.seats.by_key(seat.key) is seat:
                seat.progress.event(event)
                self.notify(seat)

        session.watchers.append(seen)

    def link(self, seat: Seat) -> str:
        return self.hosts.url(seat.exercise.start, f"/_class/join/{seat.token}")

    def seats_json(self) -> list[dict[str, Any]]:
        return [
            {"seat": s.number, "name": s.persona.name, "link": self.link(s), "scenario": s.exercise.title}
            for s in self.seats
        ]

    def write_seats(self) -> Path | None:
        if self.out is None:
            return None
        self.out.mkdir(parents=True, exist_ok=True)
        path = self.out / "seats.json"
        path.write_text(json.dumps(self.seats_json(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        return path


CLASSROOM = web.AppKey("classroom", Classroom)
