"""The administrator's weekly statistics: what counts, whose it is, and which week."""

from __future__ import annotations

from datetime import timedelta

import pytest

from simulator.testing import Personas
from simulator.validation import ValidationError
from simulator.world import Session, apply_seed, chats, links
from simulator.world.models import ChatKind, ChatMessage
from simulator.world.seed import CreatedIds, OrganisationEntry
from simulator.world.statistics import weekly_report

SCHOOL: OrganisationEntry = {"id": 216579624, "name": "Школа №51", "classes": ["10А", "11А"]}
OTHER: OrganisationEntry = {"id": 216580001, "name": "Школа №1501", "classes": ["5А"]}


@pytest.fixture
def world() -> Session:
    session = Session("stats", seed=7)
    apply_seed(session, {"organisations": [SCHOOL, OTHER]})
    return session


def seed(
    world: Session, personas: Personas, role: str = "teacher", org: OrganisationEntry = SCHOOL, **entry
) -> CreatedIds:
    person = personas.make(role)
    entry.setdefault("school_class", org["classes"][0])
    people = apply_seed(world, {"people": [person.entry(org=org["id"], vkid=True, profile=True, **entry)]})
    return people["people"][person.key]


def chat(world: Session, org: OrganisationEntry, title: str):
    return next(c for c in world.chats.values() if c.org_id == org["id"] and c.title.endswith(title))


def row(world: Session, profile_id: int, org: OrganisationEntry = SCHOOL):
    return next(u for u in weekly_report(world, org["id"]).users if u.profile_id == profile_id)


def test_counts_group_chat_messages_and_calls_of_attached_profiles(world: Session) -> None:
    personas = Personas(1)
    teacher = seed(world, personas, linked="vkid")
    student = seed(world, personas, "student", linked="vkid")
    profile = world.profiles[teacher["profile_id"]]
    class_chat, teachers = chat(world, SCHOOL, "10А · Общая беседа"), chat(world, SCHOOL, "· Учителя")
    chats.post_message(world, class_chat, profile, "Добрый день!")
    chats.post_message(world, teachers, profile, "Совещание в 15:00")
    chats.start_call(world, class_chat, profile)
    report = weekly_report(world, SCHOOL["id"])
    assert report.date.isoformat() == "2024-10-16" and report.first_day.isoformat() == "2024-10-10"
    assert [(u.profile_id, u.messages, u.calls) for u in report.users if u.profile_id == profile.id] == [
        (profile.id, 2, 1)
    ]
    quiet = row(world, student["profile_id"])
    assert (quiet.messages, quiet.calls, quiet.user_type, quiet.journal_linked) == (0, 0, "student", True)


def test_information_channels_do_not_count(world: Session) -> None:
    teacher = seed(world, Personas(2), linked="vkid")
    channel = chat(world, SCHOOL, "· Объявления")
    assert channel.kind is ChatKind.CHANNEL
    with pytest.raises(PermissionError):  # subscribers cannot write there
        chats.post_message(world, channel, world.profiles[teacher["profile_id"]], "Объявление")
    # An administrator's post in the channel, as Sferum keeps it: still not a group-chat message.
    world.chat_messages.append(ChatMessage(1, channel.id, teacher["profile_id"], "Объявление", world.clock.now()))
    assert row(world, teacher["profile_id"]).messages == 0


def test_a_duplicate_profile_chats_but_counts_nothing_until_it_is_the_linked_one(world: Session) -> None:
    personas = Personas(3)
    teacher = seed(world, personas, linked="vkid", duplicate={"phone": personas.phone(), "classes": ["10А"]})
    attached, duplicate = world.profiles[teacher["profile_id"]], world.profiles[teacher["duplicate_profile_id"]]
    class_chat = chats.class_chat(world, f"{SCHOOL['id']}-10А")
    assert duplicate.org_ids == [] and duplicate.id in world.members(class_chat.id)
    for text in ("Раз", "Два", "Три"):
        chats.post_message(world, class_chat, duplicate, text)
    report = weekly_report(world, SCHOOL["id"])
    assert [(u.profile_id, u.messages) for u in report.users] == [(attached.id, 0)]  # the duplicate is not a user

    # The teacher links the journal account to the profile in use: from then on it counts.
    account = world.journal_accounts[teacher["journal_account"]]
    world.clock.advance(60)
    links.unlink(world, account)
    links.link(world, account, duplicate, via="vkid")
    chats.post_message(world, class_chat, duplicate, "Теперь считается")
    report = weekly_report(world, SCHOOL["id"])
    assert [(u.profile_id, u.messages, u.journal_linked) for u in report.users] == [(duplicate.id, 1, True)]


def test_the_week_follows_the_clock(world: Session) -> None:
    teacher = seed(world, Personas(4), linked="vkid")
    profile = world.profiles[teacher["profile_id"]]
    class_chat = chat(world, SCHOOL, "10А · Общая беседа")
    chats.post_message(world, class_chat, profile, "Среда")
    world.clock.advance(timedelta(days=6, hours=14).total_seconds())  # Tuesday 23:00: still in the week
    assert row(world, profile.id).messages == 1
    world.clock.advance(timedelta(hours=1).total_seconds())  # Wednesday 23.10: the week now starts on 17.10
    report = weekly_report(world, SCHOOL["id"])
    assert report.date.isoformat() == "2024-10-23"
    assert row(world, profile.id).messages == 0


def test_other_organisations_chats_do_not_count(world: Session) -> None:
    personas = Personas(5)
    teacher = seed(world, personas, linked="vkid")
    elsewhere = seed(world, personas, org=OTHER, linked="vkid")
    other_chat = chat(world, OTHER, "5А · Общая беседа")
    chats.post_message(world, other_chat, world.profiles[elsewhere["profile_id"]], "Привет")
    assert row(world, teacher["profile_id"]).messages == 0
    assert row(world, elsewhere["profile_id"], OTHER).messages == 1
    assert {u.profile_id for u in weekly_report(world, SCHOOL["id"]).users} == {teacher["profile_id"]}


def test_an_unlinked_profile_is_no_longer_a_user(world: Session) -> None:
    teacher = seed(world, Personas(6), linked="vkid")
    links.unlink(world, world.journal_accounts[teacher["journal_account"]])
    assert weekly_report(world, SCHOOL["id"]).users == []
    assert world.chats_of(teacher["profile_id"]) == []


def test_the_administrator_is_a_user_without_a_journal_link(world: Session) -> None:
    admin = Personas(7).make("admin")
    created = apply_seed(
        world, {"people": [admin.entry(journal=None, vkid=True, profile=True, org_admin=SCHOOL["id"])]}
    )
    profile_id = created["people"][admin.key]["profile_id"]
    usage = row(world, profile_id)
    assert (usage.full_name, usage.user_type, usage.journal_linked) == (
        f"{admin.last_name} {admin.first_name}",
        "admin",
        False,
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("   ", "Введите текст сообщения или прикрепите файл"),
        ("я" * 4097, "Сообщение не может быть длиннее 4096 символов"),
    ],
)
def test_bad_messages_are_refused_and_not_stored(world: Session, text: str, message: str) -> None:
    teacher = seed(world, Personas(8), linked="vkid")
    with pytest.raises(ValidationError) as refused:
        chats.post_message(
            world, chat(world, SCHOOL, "10А · Общая беседа"), world.profiles[teacher["profile_id"]], text
        )
    assert refused.value.message == message
    assert world.chat_messages == []


def test_only_members_write_in_a_chat(world: Session) -> None:
    personas = Personas(9)
    seed(world, personas, linked="vkid")
    outsider = seed(world, personas, org=OTHER, linked="vkid")
    with pytest.raises(PermissionError):
        chats.post_message(
            world, chat(world, SCHOOL, "10А · Общая беседа"), world.profiles[outsider["profile_id"]], "Я тут"
        )
    with pytest.raises(PermissionError):
        chats.start_call(world, chat(world, SCHOOL, "10А · Общая беседа"), world.profiles[outsider["profile_id"]])
    assert world.chat_messages == [] and world.calls == []
