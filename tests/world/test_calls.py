"""Calls as places (simulator/world/calls.py): an online lesson's video conference, joined, left and counted.

Seed 003: «Онлайн-урок» opens the lesson; seed 004: the tab «Сферум» lists the video conferences; seed 001:
the workbook counts calls. Expected values come from what each test did, never from the code under test.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Literal

import pytest

from simulator.testing import Personas
from simulator.world import Session, apply_seed, chats
from simulator.world import calls as rooms
from simulator.world.chats import ChatRefused
from simulator.world.models import Lesson
from simulator.world.seed import CreatedIds, OrganisationEntry
from simulator.world.statistics import weekly_report

SCHOOL: OrganisationEntry = {"id": 216579624, "name": "Школа №51", "classes": ["10А", "11А"]}
START = datetime.fromisoformat("2024-10-16T09:00:00+03:00")


@pytest.fixture
def world() -> Session:
    session = Session("calls", seed=3)
    apply_seed(session, {"organisations": [SCHOOL]})
    return session


def seed(
    world: Session, personas: Personas, school_class: str = "10А", linked: Literal["vkid", "max"] | None = "vkid"
) -> CreatedIds:
    person = personas.make("student")
    entry = person.entry(org=SCHOOL["id"], vkid=True, profile=True, school_class=school_class, linked=linked)
    return apply_seed(world, {"people": [entry]})["people"][person.key]


def lesson(world: Session, school_class: str = "10А", online: bool = True) -> Lesson:
    class_id = next(c.id for c in world.classes.values() if c.name == school_class)
    made = Lesson(len(world.lessons) + 1, class_id, "Физика", START, online)
    world.lessons[made.id] = made
    return made


def test_the_first_to_join_starts_the_lessons_call_in_its_class_chat_and_others_join_it(world: Session) -> None:
    personas = Personas(5)
    first, second = (world.profiles[seed(world, personas)["profile_id"]] for _ in range(2))
    physics = lesson(world)
    assert rooms.lesson_call(world, physics) is None
    call = rooms.join_lesson(world, physics, first)
    assert rooms.join_lesson(world, physics, second) is call
    assert rooms.join_lesson(world, physics, second) is call  # twice: still one tile
    chat = world.chats[call.chat_id]
    assert (chat.title, call.lesson_id, call.profile_id) == ("10А · Общая беседа", physics.id, first.id)
    assert call.present() == [first.id, second.id]
    kinds = [(e["kind"], e.get("lesson")) for e in world.events if e["kind"].startswith("call_")]
    assert kinds == [("call_started", physics.id), ("call_joined", physics.id)]
    assert world.ongoing_call(chat.id) is None  # the lesson's call is not the chat's own «Начать звонок»


def test_the_lesson_ends_with_its_last_participant_and_a_new_one_starts_afresh(world: Session) -> None:
    student = world.profiles[seed(world, Personas(6))["profile_id"]]
    physics = lesson(world)
    call = rooms.join_lesson(world, physics, student)
    chats.leave_call(world, call, student)
    assert call.ended_at == world.clock.now() and rooms.lesson_call(world, physics) is None
    again = rooms.join_lesson(world, physics, student)
    assert again is not call and [c.lesson_id for c in world.calls] == [physics.id, physics.id]


def test_only_a_student_whose_timetable_has_the_online_lesson_joins_it(world: Session) -> None:
    personas = Personas(7)
    other_class = world.profiles[seed(world, personas, "11А")["profile_id"]]
    unlinked = world.profiles[seed(world, personas, linked=None)["profile_id"]]
    linked = world.profiles[seed(world, personas)["profile_id"]]
    physics, offline = lesson(world), lesson(world, online=False)
    for profile, what in ((other_class, physics), (unlinked, physics), (linked, offline)):
        with pytest.raises(ChatRefused, match="нет в вашем расписании"):
            rooms.join_lesson(world, what, profile)
    assert world.calls == []


def test_camera_and_microphone_are_state_of_ones_own_tile(world: Session) -> None:
    personas = Personas(8)
    student, classmate = (world.profiles[seed(world, personas)["profile_id"]] for _ in range(2))
    call = rooms.join_lesson(world, lesson(world), student)
    assert rooms.toggle(world, call, student, "camera") is True
    assert rooms.toggle(world, call, student, "microphone") is True
    assert rooms.toggle(world, call, student, "camera") is False
    tile = rooms.own_participant(call, student)
    assert tile is not None and (tile.camera, tile.microphone) == (False, True)
    with pytest.raises(ChatRefused, match="не участвуете"):
        rooms.toggle(world, call, classmate, "camera")
    with pytest.raises(ChatRefused, match="камеру или микрофон"):
        rooms.toggle(world, call, student, "screen")


def test_a_lessons_call_counts_in_the_workbook_for_everyone_who_took_part(world: Session) -> None:
    personas = Personas(9)
    joined, stayed_away = (world.profiles[seed(world, personas)["profile_id"]] for _ in range(2))
    first = world.profiles[seed(world, personas)["profile_id"]]
    physics = lesson(world)
    rooms.join_lesson(world, physics, first)
    call = rooms.join_lesson(world, physics, joined)
    chats.leave_call(world, call, joined)
    calls = {u.profile_id: u.calls for u in weekly_report(world, SCHOOL["id"]).users}
    assert (calls[first.id], calls[joined.id], calls[stayed_away.id]) == (1, 1, 0)


@pytest.mark.parametrize(
    ("minutes", "status"), [(-1, None), (0, "Идёт сейчас"), (44, "Идёт сейчас"), (45, "Завершена")]
)
def test_a_lessons_status_follows_the_clock(world: Session, minutes: int, status: str | None) -> None:
    assert rooms.lesson_status(lesson(world), START + timedelta(minutes=minutes)) == status
