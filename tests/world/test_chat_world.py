"""The world's chat rules: group chats made by hand, their members, calls, files, and what the statistics count.

Seed 001: «Для общения можно использовать свои групповые чаты, созданные вручную», and «Статистика
считает только те сообщения, которые были написаны в групповые чаты с прикрепленного к организации
учебного профиля». Seed 004: «общаться в чатах…, совершать онлайн-звонки, обмениваться контентом».
"""

from __future__ import annotations

import base64
import copy
from io import BytesIO

import pytest
from openpyxl import load_workbook

from simulator import validation
from simulator.platforms.sferum.workbook import statistics_workbook
from simulator.testing import Personas
from simulator.validation import ValidationError
from simulator.world import Session, apply_seed, chats
from simulator.world.chats import ChatRefused
from simulator.world.files import message_file
from simulator.world.models import Chat
from simulator.world.seed import CreatedIds, OrganisationEntry
from simulator.world.snapshot import SnapshotError, dump, load
from simulator.world.statistics import weekly_report

SCHOOL: OrganisationEntry = {"id": 216579624, "name": "Школа №51", "classes": ["10А", "11А"]}
OTHER: OrganisationEntry = {"id": 216580001, "name": "Школа №1501", "classes": ["5А"]}
# The smallest PNG there is: its first eight bytes are what makes it one.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg=="
)


@pytest.fixture
def world() -> Session:
    session = Session("chats", seed=11)
    apply_seed(session, {"organisations": [SCHOOL, OTHER]})
    return session


def seed(world: Session, personas: Personas, role: str = "teacher", org: OrganisationEntry = SCHOOL) -> CreatedIds:
    """A person of the organisation's first class, linked to the journal long ago: attached, chats built."""
    person = personas.make(role)
    entry = person.entry(org=org["id"], school_class=org["classes"][0], vkid=True, profile=True, linked="vkid")
    return apply_seed(world, {"people": [entry]})["people"][person.key]


@pytest.fixture
def people(world: Session) -> dict[str, CreatedIds]:
    personas = Personas(21)
    return {
        "teacher": seed(world, personas),
        "student": seed(world, personas, "student"),
        "classmate": seed(world, personas, "student"),
        "outsider": seed(world, personas, "teacher", OTHER),
    }


def profile(world: Session, people: dict[str, CreatedIds], who: str):
    return world.profiles[people[who]["profile_id"]]


def made_by_hand(world: Session, people: dict[str, CreatedIds], title: str = "Олимпиада по физике") -> Chat:
    return chats.create_group_chat(world, profile(world, people, "teacher"), SCHOOL["id"], title)


# -- group chats made by hand -------------------------------------------------------------------------


def test_a_chat_made_by_hand_belongs_to_the_organisation_and_starts_with_its_maker(world, people) -> None:
    chat = made_by_hand(world, people, "  Олимпиада   <b>по физике</b>  ")
    teacher = profile(world, people, "teacher")
    assert (chat.org_id, chat.kind.value, chat.title) == (SCHOOL["id"], "group", "Олимпиада <b>по физике</b>")
    assert (chat.created_by, chat.created_at) == (teacher.id, world.clock.now())
    assert world.members(chat.id) == [teacher.id]
    assert chat in world.chats_of(teacher.id)


@pytest.mark.parametrize(
    ("title", "message"),
    [
        ("   ", "Введите название чата"),
        ("ч" * 101, "Название чата не может быть длиннее 100 символов"),
        ("Чат\x00", "Название чата содержит недопустимые символы"),
    ],
)
def test_a_chat_without_a_proper_title_is_not_made(world, people, title: str, message: str) -> None:
    before = dict(world.chats)
    with pytest.raises(ValidationError) as refused:
        made_by_hand(world, people, title)
    assert refused.value.message == message
    assert world.chats == before


def test_only_a_profile_attached_to_the_organisation_makes_its_chats(world, people) -> None:
    before = (dict(world.chats), list(world.memberships))
    with pytest.raises(ChatRefused, match="только прикреплённый к ней учебный профиль"):
        chats.create_group_chat(world, profile(world, people, "outsider"), SCHOOL["id"], "Чужой чат")
    assert (world.chats, world.memberships) == before


def test_a_chat_made_by_hand_never_stands_in_for_the_class_chat(world, people) -> None:
    """Sferum finds its own chats by title: a chat made by hand under the same title is another chat."""
    built = chats.class_chat(world, f"{SCHOOL['id']}-10А")
    namesake = made_by_hand(world, people, "10А · Общая беседа")
    assert namesake.id != built.id
    assert chats.class_chat(world, f"{SCHOOL['id']}-10А") is built
    newcomer = seed(world, Personas(22), "student")
    assert newcomer["profile_id"] in world.members(built.id)
    assert newcomer["profile_id"] not in world.members(namesake.id)


def test_members_of_the_organisation_are_added(world, people) -> None:
    chat = made_by_hand(world, people)
    teacher, student = profile(world, people, "teacher"), profile(world, people, "student")
    candidates = chats.chat_candidates(world, chat)
    assert student in candidates and teacher not in candidates
    assert profile(world, people, "outsider") not in candidates  # another school's
    added = chats.add_chat_members(world, chat, teacher, [student.id, student.id])
    assert added == [student.id]
    assert world.members(chat.id) == [teacher.id, student.id]
    assert chats.add_chat_members(world, chat, student, [student.id]) == []  # already in: nothing changes


def test_someone_outside_the_organisation_is_not_added_nor_anyone_with_them(world, people) -> None:
    chat = made_by_hand(world, people)
    teacher = profile(world, people, "teacher")
    everyone = [people["student"]["profile_id"], people["outsider"]["profile_id"]]
    for ids in (everyone, [999_999_999], []):
        with pytest.raises(ChatRefused):
            chats.add_chat_members(world, chat, teacher, ids)
    assert world.members(chat.id) == [teacher.id]


def test_the_journals_chats_take_no_members_by_hand_and_outsiders_add_nobody(world, people) -> None:
    class_chat = chats.class_chat(world, f"{SCHOOL['id']}-10А")
    before = list(world.memberships)
    with pytest.raises(ChatRefused, match="определяет электронный журнал"):
        chats.add_chat_members(world, class_chat, profile(world, people, "teacher"), [people["outsider"]["profile_id"]])
    assert world.memberships == before
    chat = made_by_hand(world, people)
    before = list(world.memberships)
    with pytest.raises(ChatRefused, match="не состоите"):
        chats.add_chat_members(world, chat, profile(world, people, "student"), [people["classmate"]["profile_id"]])
    assert world.memberships == before


# -- calls ----------------------------------------------------------------------------------------------


def test_a_call_has_its_participants_and_ends_with_the_last_one(world, people) -> None:
    chat = chats.class_chat(world, f"{SCHOOL['id']}-10А")
    teacher, student = profile(world, people, "teacher"), profile(world, people, "student")
    call = chats.start_call(world, chat, teacher)
    assert (call.profile_id, call.started_at, call.present()) == (teacher.id, world.clock.now(), [teacher.id])
    assert world.ongoing_call(chat.id) is call
    with pytest.raises(ChatRefused, match="уже идёт звонок"):
        chats.start_call(world, chat, student)
    world.clock.advance(60)
    chats.join_call(world, call, student)
    chats.join_call(world, call, student)  # twice: still one place in the call
    assert call.present() == [teacher.id, student.id]
    assert call.participants[1].joined_at == world.clock.now()
    chats.leave_call(world, call, teacher)
    assert call.present() == [student.id] and call.ended_at is None
    with pytest.raises(ChatRefused, match="не участвуете"):
        chats.leave_call(world, call, teacher)
    world.clock.advance(60)
    chats.leave_call(world, call, student)
    assert call.ended_at == world.clock.now() and world.ongoing_call(chat.id) is None
    with pytest.raises(ChatRefused, match="завершён"):
        chats.join_call(world, call, student)
    assert call.took_part() == {teacher.id, student.id}


def test_only_members_join_a_call(world, people) -> None:
    call = chats.start_call(world, chats.class_chat(world, f"{SCHOOL['id']}-10А"), profile(world, people, "teacher"))
    with pytest.raises(ChatRefused):
        chats.join_call(world, call, profile(world, people, "outsider"))
    assert call.present() == [people["teacher"]["profile_id"]]


# -- files ----------------------------------------------------------------------------------------------


def test_a_picture_is_known_by_its_bytes_and_kept_whole(world, people) -> None:
    file = message_file("C:\\fakepath\\задача.png", "image/png", PNG)
    assert (file.name, file.size, file.content_type, file.picture) == ("задача.png", len(PNG), "image/png", True)
    message = chats.post_message(
        world, chats.class_chat(world, f"{SCHOOL['id']}-10А"), profile(world, people, "student"), "", file
    )
    assert message.text == "" and message.file is file
    assert base64.b64decode(message.file.data) == PNG


@pytest.mark.parametrize(
    ("name", "declared", "data", "content_type"),
    [
        ("план урока.pdf", "application/pdf", b"%PDF-1.4 ...", "application/pdf"),
        ("фото.png", "image/png", b"<script>alert(1)</script>", "application/octet-stream"),
        ("рисунок.svg", "image/svg+xml", b"<svg onload=alert(1)>", "application/octet-stream"),
        ("заметки", "не тип", b"text", "application/octet-stream"),
    ],
    ids=["pdf", "script-named-png", "svg", "no-type"],
)
def test_a_file_that_is_not_a_picture_is_never_one(name: str, declared: str, data: bytes, content_type: str) -> None:
    file = message_file(name, declared, data)
    assert (file.content_type, file.picture) == (content_type, False)


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("пусто.txt", b"", "Файл пустой. Выберите другой файл"),
        ("большой.bin", b"0" * (validation.FILE_MAX + 1), validation.FILE_TOO_LARGE),
        ("", b"x", "У файла нет имени. Выберите файл ещё раз"),
        ("C:\\папка\\", b"x", "У файла нет имени. Выберите файл ещё раз"),
        ("я" * 256, b"x", "Имя файла не может быть длиннее 255 символов"),
    ],
    ids=["empty", "too-big", "no-name", "only-folders", "long-name"],
)
def test_a_file_that_cannot_be_sent_is_refused(name: str, data: bytes, message: str) -> None:
    with pytest.raises(ValidationError) as refused:
        message_file(name, "application/octet-stream", data)
    assert refused.value.message == message


def test_the_largest_file_passes() -> None:
    assert message_file("ровно.bin", "application/octet-stream", b"0" * validation.FILE_MAX).size == validation.FILE_MAX


def test_a_file_is_not_kept_when_its_message_is_refused(world, people) -> None:
    channel = next(c for c in world.chats_of(people["student"]["profile_id"]) if c.kind.value == "channel")
    file = message_file("задача.png", "image/png", PNG)
    with pytest.raises(ChatRefused):
        chats.post_message(world, channel, profile(world, people, "student"), "", file)
    with pytest.raises(ValidationError):
        chats.post_message(
            world, chats.class_chat(world, f"{SCHOOL['id']}-10А"), profile(world, people, "student"), "я" * 4097, file
        )
    assert world.chat_messages == []


# -- what the statistics count ----------------------------------------------------------------------------


def _weekly_sheet(world: Session, org: OrganisationEntry) -> dict[object, tuple[object, object]]:
    """The administrator's sheet «Статистика», read from the .xlsx as a user opens it: ФИО → (messages, calls)."""
    book = load_workbook(BytesIO(statistics_workbook(weekly_report(world, org["id"]))))
    header, *rows = book["Статистика"].iter_rows(values_only=True)
    assert header == ("Дата", "ФИО", "Связь с ЭЖ", "Кол-во сообщений за 7 дней", "Кол-во звонков за 7 дней")
    return {row[1]: (row[3], row[4]) for row in rows}


def test_a_chat_made_by_hand_counts_in_the_administrators_workbook(world, people) -> None:
    """«ВАЖНО»: group chats, the profile attached to the organisation — a chat made by hand is such a chat."""
    teacher, student = profile(world, people, "teacher"), profile(world, people, "student")
    chat = made_by_hand(world, people)
    chats.add_chat_members(world, chat, teacher, [student.id])
    chats.post_message(world, chat, teacher, "Олимпиада в субботу")
    chats.post_message(world, chat, teacher, "", message_file("задания.pdf", "application/pdf", b"%PDF"))
    chats.post_message(world, chat, student, "Я приду")
    call = chats.start_call(world, chat, teacher)
    chats.join_call(world, call, student)
    chats.leave_call(world, call, student)
    chats.leave_call(world, call, teacher)
    sheet = _weekly_sheet(world, SCHOOL)
    name = f"{teacher.last_name} {teacher.first_name}"
    assert sheet[name] == (2, 1)
    assert sheet[f"{student.last_name} {student.first_name}"] == (1, 1)  # joined the call: took part in it
    classmate = profile(world, people, "classmate")
    assert sheet[f"{classmate.last_name} {classmate.first_name}"] == (0, 0)
    outsider = profile(world, people, "outsider")
    assert f"{outsider.last_name} {outsider.first_name}" not in sheet


# -- snapshots ------------------------------------------------------------------------------------------


def _busy(world: Session, people: dict[str, CreatedIds]) -> Session:
    teacher, student = profile(world, people, "teacher"), profile(world, people, "student")
    chat = made_by_hand(world, people)
    chats.add_chat_members(world, chat, teacher, [student.id])
    chats.post_message(world, chat, student, "Вот", message_file("задача.png", "image/png", PNG))
    call = chats.start_call(world, chat, teacher)
    chats.join_call(world, call, student)
    chats.leave_call(world, call, teacher)
    return world


def test_chats_made_by_hand_files_and_calls_round_trip(world, people) -> None:
    doc = dump(_busy(world, people))
    [call] = doc["calls"]
    assert [p["profile_id"] for p in call["participants"]] == [
        people["teacher"]["profile_id"],
        people["student"]["profile_id"],
    ]
    assert doc["chat_messages"][0]["file"]["name"] == "задача.png"
    assert doc["chats"][-1]["created_by"] == people["teacher"]["profile_id"]
    restored = load(copy.deepcopy(doc))
    assert dump(restored) == doc
    assert restored.calls[0].present() == [people["student"]["profile_id"]]
    assert restored.chat_messages[0].file is not None and restored.chat_messages[0].file.picture


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda d: d["calls"][0]["participants"][0].update(profile_id=1), r"calls\[0\].participants.profile_id"),
        (lambda d: d["chats"][-1].update(created_by=1), r"chats\[\d+\].created_by"),
        (lambda d: d["chat_messages"][0]["file"].update(size="big"), r"chat_messages\[0\].file.size"),
    ],
)
def test_a_snapshot_naming_nobody_is_refused(world, people, change, field: str) -> None:
    doc = dump(_busy(world, people))
    change(doc)
    with pytest.raises(SnapshotError, match=field):
        load(doc)
