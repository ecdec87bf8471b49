"""A teacher's classes: the one led and the further ones taught, each bringing its class chat (seed 001)."""

from __future__ import annotations

import re

from pytest_bdd import given, parsers

from simulator.testing import Personas, SimSession

from .common import Scene
from .failures import fail

# «ведёт 10А и преподаёт в 11А, 11Б и 9В»: the led class, then the taught ones in the order written.
TAUGHT_SEPARATOR = re.compile(r",\s*|\s+и\s+")


@given(
    parsers.re(
        r"учитель МЭШ с учебным профилем Сферум, который ведёт (?P<led>\w+) и преподаёт в (?P<taught>\w+(?:(?:, | и )\w+)*)$"
    )
)
def teacher_of_classes(sim_session: SimSession, personas: Personas, scene: Scene, led: str, taught: str) -> None:
    """Seeds a МЭШ teacher of the scenario's school with a VK ID profile, leading one class and teaching the others named (the seed's `journal.classes`), and makes them the actor."""
    further = TAUGHT_SEPARATOR.split(taught)
    unknown = [name for name in [led, *further] if name not in scene.school.get("classes", [])]
    if unknown:
        fail(
            f"классы школы «{scene.school['name']}»",
            "нет классов " + ", ".join(unknown) + "; есть " + ", ".join(scene.school.get("classes", [])),
        )
    teacher = personas.make("teacher")
    entry = teacher.entry(org=scene.school["id"], school_class=led, vkid=True, profile=True)
    journal = entry.get("journal")
    assert journal is not None  # Persona.entry writes the МЭШ account by default
    journal["classes"] = further
    teacher.ids = sim_session.seed({"people": [entry]})["people"][teacher.key]
    scene.cast(teacher)
    scene.profiles_before = len(sim_session.snapshot("profiles")["profiles"])
