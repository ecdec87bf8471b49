"""The chat screens over HTTP, in VK Мессенджер, ЭШ's tab «Сферум» and «Сферум в МАХ»: messages, files, calls, members.

Seed 004: «Звонки и чаты теперь доступны прямо в АИС «Электронной школе»… общаться в чатах…, совершать
онлайн-звонки, обмениваться контентом». Seed 001: «Для общения можно использовать свои групповые чаты,
созданные вручную». Every refusal is a Russian message on the screen, never a 5xx, and stores nothing.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from simulator import validation
from simulator.testing import Personas, SimSession
from simulator.world.seed import OrganisationEntry
from tests.support.sim_browser import Browser, location
from tests.support.sim_orgs import MESSENGER, SCHOOL, seed, sign_in_to, texts

ES = "es.localhost"
MAX = "max.localhost"
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg=="
)
NO_CHAT = "Чат не найден или вы не состоите в нём."


def chat_id(sim_session: SimSession, title: str) -> int:
    return next(c["id"] for c in sim_session.snapshot()["chats"] if c["title"].endswith(title))


def world(sim_session: SimSession) -> dict[str, Any]:
    return sim_session.snapshot()


@pytest.fixture
def school(sim_session: SimSession) -> dict[str, Any]:
    """A teacher and two students of 10А, all linked long ago: their chats are built."""
    sim_session.seed({"organisations": [SCHOOL]})
    personas = Personas(41)
    people = {}
    for who, role in (("teacher", "teacher"), ("student", "student"), ("classmate", "student")):
        people[who] = seed(sim_session, personas, role, org=SCHOOL["id"], school_class="10А", linked="vkid")
    return people


@pytest.fixture
def messenger(school: dict[str, Any], http_browser: Browser) -> Browser:
    """The teacher's VK Мессенджер."""
    sign_in_to(http_browser, MESSENGER, "/", school["teacher"][0].phone)
    return http_browser


@pytest.fixture
def student_messenger(school: dict[str, Any], new_http_browser: Callable[[], Browser]) -> Browser:
    """The student's own VK Мессенджер, in another browser."""
    browser = new_http_browser()
    sign_in_to(browser, MESSENGER, "/", school["student"][0].phone)
    return browser


def class_chat(sim_session: SimSession) -> str:
    return f"/chats/{chat_id(sim_session, '10А · Общая беседа')}"


# -- messages with a file or picture ---------------------------------------------------------------------


def test_a_picture_is_sent_kept_and_shown(messenger: Browser, sim_session: SimSession) -> None:
    path = class_chat(sim_session)
    sent = messenger.post(
        path,
        host=MESSENGER,
        data={"action": "send", "text": "Задача 5"},
        files={"file": ("задача.png", PNG, "image/png")},
    )
    assert location(sent, 303) == path
    [message] = world(sim_session)["chat_messages"]
    assert message["text"] == "Задача 5"
    file = message["file"]
    assert (file["name"], file["size"], file["content_type"]) == ("задача.png", len(PNG), "image/png")
    page = messenger.get(path, host=MESSENGER)
    href = f"{path}/files/{message['id']}"
    assert f'<img src="{href}" alt="задача.png"' in page.text
    assert texts(page, "message-file") == [f"задача.png {len(PNG)} Б"]  # the picture's alt is not text
    shown = messenger.get(href, host=MESSENGER)
    assert shown.status_code == 200 and shown.content == PNG
    assert shown.headers["content-type"] == "image/png"
    assert shown.headers["content-disposition"].startswith("inline;")
    assert shown.headers["x-content-type-options"] == "nosniff"


def test_a_file_with_markup_in_its_name_is_downloaded_and_its_name_shown_as_text(
    messenger: Browser, student_messenger: Browser, sim_session: SimSession
) -> None:
    """Another member gets the file as a download, whatever the sender's browser called its type."""
    path = class_chat(sim_session)
    name = "<img src=x onerror=alert(1)>.html"
    body = b"<html><script>alert(1)</script></html>"
    sent = messenger.post(path, host=MESSENGER, data={"action": "send"}, files={"file": (name, body, "text/html")})
    assert location(sent, 303) == path
    [message] = world(sim_session)["chat_messages"]
    assert (message["text"], message["file"]["content_type"]) == ("", "text/html")
    page = student_messenger.get(path, host=MESSENGER)
    assert "&lt;img src=x onerror=alert(1)&gt;.html" in page.text and "<img src=x" not in page.text
    got = student_messenger.get(f"{path}/files/{message['id']}", host=MESSENGER)
    assert got.status_code == 200 and got.content == body
    assert got.headers["content-type"] == "application/octet-stream"
    assert got.headers["content-disposition"].startswith("attachment;")


@pytest.mark.parametrize(
    ("files", "status", "error"),
    [
        (
            {"file": ("большой.bin", b"0" * (validation.FILE_MAX + 1), "application/octet-stream")},
            413,
            validation.FILE_TOO_LARGE,
        ),
        ({"file": ("пусто.txt", b"", "text/plain")}, 422, "Файл пустой. Выберите другой файл"),
        (
            [("file", ("один.txt", b"1", "text/plain")), ("file", ("два.txt", b"2", "text/plain"))],
            422,
            "Можно прикрепить только один файл",
        ),
    ],
    ids=["too-big", "empty", "two"],
)
def test_a_file_that_cannot_be_sent_is_refused_with_the_text_kept(
    messenger: Browser, sim_session: SimSession, files: Any, status: int, error: str
) -> None:
    refused = messenger.post(
        class_chat(sim_session), host=MESSENGER, data={"action": "send", "text": "Смотрите файл"}, files=files
    )
    assert refused.status_code == status
    assert texts(refused, "error-file") == [error]
    assert 'aria-invalid="true" aria-describedby="file-error"' in refused.text
    assert ">Смотрите файл</textarea>" in refused.text
    assert world(sim_session)["chat_messages"] == []


def test_nothing_chosen_and_nothing_written_is_refused(messenger: Browser, sim_session: SimSession) -> None:
    """The empty «Файл или изображение» a browser sends when no file is chosen is no file."""
    refused = messenger.post(
        class_chat(sim_session),
        host=MESSENGER,
        data={"action": "send", "text": " "},
        files={"file": ("", b"", "application/octet-stream")},
    )
    assert refused.status_code == 422
    assert texts(refused, "error-text") == ["Введите текст сообщения или прикрепите файл"]
    assert world(sim_session)["chat_messages"] == []


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("multipart/form-data; boundary=b", b'--b\r\nContent-Disposition: form-data; name="text"\r\n\r\ncut off'),
        ("multipart/form-data", b"--b\r\n\r\n--b--\r\n"),
        (
            "multipart/form-data; boundary=b",
            b'--b\r\nContent-Disposition: form-data; name="text"\r\nContent-Type: text/plain; charset=nope\r\n\r\nx\r\n--b--\r\n',
        ),
    ],
    ids=["cut-off", "no-boundary", "unknown-charset"],
)
def test_a_broken_upload_is_400_in_russian_and_stores_nothing(
    messenger: Browser, sim_session: SimSession, content_type: str, body: bytes
) -> None:
    refused = messenger.post(
        class_chat(sim_session), host=MESSENGER, content=body, headers={"Content-Type": content_type}
    )
    assert refused.status_code == 400
    assert "Не удалось прочитать отправленную форму" in refused.text
    assert world(sim_session)["chat_messages"] == []


def test_text_fields_over_the_forms_limit_are_413_as_any_form(messenger: Browser, sim_session: SimSession) -> None:
    refused = messenger.post(
        class_chat(sim_session),
        host=MESSENGER,
        data={"action": "send", "text": "я" * 40_000},
        files={"file": ("", b"")},
    )
    assert refused.status_code == 413 and "Слишком большой запрос: не больше 64 КБ." in refused.text
    assert world(sim_session)["chat_messages"] == []


@pytest.mark.parametrize(
    "path",
    ["/chats/999999", "/chats/999999/members", "/chats/999999/calls/1", "/chats/999999/files/1"],
)
def test_a_chat_that_is_not_ones_own_does_not_exist(messenger: Browser, sim_session: SimSession, path: str) -> None:
    for method in ("GET", "POST"):
        if method == "POST" and "/files/" in path:
            continue
        answer = messenger.request(method, path, host=MESSENGER, data={"action": "send", "text": "Я тут"})
        assert answer.status_code == 404
        assert texts(answer, "alert") == [NO_CHAT]
    assert world(sim_session)["chat_messages"] == [] and world(sim_session)["calls"] == []


def test_someone_not_in_a_chat_reaches_nothing_of_it(
    messenger: Browser, student_messenger: Browser, sim_session: SimSession
) -> None:
    """A chat made by hand the student was not added to: its page, file, call and members do not exist for them."""
    chat = location(messenger.post("/chats/new", host=MESSENGER, data={"title": "Учительская"}), 303).removesuffix(
        "/members"
    )
    messenger.post(
        chat, host=MESSENGER, data={"action": "send"}, files={"file": ("план.pdf", b"%PDF", "application/pdf")}
    )
    call = location(messenger.post(chat, host=MESSENGER, data={"action": "call"}), 303)
    [message] = world(sim_session)["chat_messages"]
    before = world(sim_session)
    for method, path, data in [
        ("GET", chat, {}),
        ("POST", chat, {"action": "send", "text": "Можно к вам?"}),
        ("GET", f"{chat}/files/{message['id']}", {}),
        ("POST", call, {"action": "join"}),
        ("POST", f"{chat}/members", {"member": str(before["calls"][0]["profile_id"])}),
    ]:
        answer = student_messenger.request(method, path, host=MESSENGER, data=data)
        assert answer.status_code == 404, (method, path)
        assert texts(answer, "alert") == [NO_CHAT]
    after = world(sim_session)
    for table in ("chat_messages", "calls", "memberships"):
        assert after[table] == before[table], table


def test_a_file_or_call_the_chat_does_not_have_is_not_found(messenger: Browser, sim_session: SimSession) -> None:
    path = class_chat(sim_session)
    messenger.post(path, host=MESSENGER, data={"action": "send", "text": "Без файла"})
    [message] = world(sim_session)["chat_messages"]
    assert texts(messenger.get(f"{path}/files/{message['id']}", host=MESSENGER), "alert") == ["Файл не найден."]
    assert texts(messenger.get(f"{path}/calls/7", host=MESSENGER), "alert") == ["Звонок не найден."]


# -- calls ------------------------------------------------------------------------------------------------


def test_a_call_is_joined_by_a_member_and_ends_when_both_leave(
    messenger: Browser, student_messenger: Browser, sim_session: SimSession, school: dict[str, Any]
) -> None:
    path = class_chat(sim_session)
    teacher, student = school["teacher"], school["student"]
    call_path = location(messenger.post(path, host=MESSENGER, data={"action": "call"}), 303)
    screen = messenger.get(call_path, host=MESSENGER)
    assert texts(screen, "call-chat") == ["10А · Общая беседа"]
    assert texts(screen, "call-participant") == [f"{teacher[0].last_name} {teacher[0].first_name}"]
    assert '<button type="submit" name="action" value="leave"' in screen.text

    # The student sees the call going on in the chat and joins it.
    chat_page = student_messenger.get(path, host=MESSENGER)
    assert texts(chat_page, "ongoing-call") == ["Идёт звонок · участников: 1 Присоединиться к звонку"]
    assert location(student_messenger.post(call_path, host=MESSENGER, data={"action": "join"}), 303) == call_path
    joined = student_messenger.get(call_path, host=MESSENGER)
    assert texts(joined, "notice") == ["Вы присоединились к звонку."]
    assert "Участники звонка: 2" in joined.text
    assert texts(joined, "call-participant") == [
        f"{teacher[0].last_name} {teacher[0].first_name}",
        f"{student[0].last_name} {student[0].first_name}",
    ]
    [call] = world(sim_session)["calls"]
    assert [p["profile_id"] for p in call["participants"]] == [teacher[1]["profile_id"], student[1]["profile_id"]]
    assert call["started_at"] == world(sim_session)["clock"]["now"]

    messenger.post(call_path, host=MESSENGER, data={"action": "leave"})
    left = student_messenger.post(call_path, host=MESSENGER, data={"action": "leave"})
    ended = student_messenger.get(location(left, 303), host=MESSENGER)
    assert texts(ended, "notice") == ["Вы вышли из звонка. Звонок завершён: в нём никого не осталось."]
    assert texts(ended, "call-status")[0].startswith("Звонок завершён в ")
    [call] = world(sim_session)["calls"]
    assert call["ended_at"] is not None
    late = student_messenger.post(call_path, host=MESSENGER, data={"action": "join"})
    assert late.status_code == 409 and texts(late, "alert") == ["Звонок уже завершён."]


def test_calling_while_a_call_goes_on_joins_it(
    messenger: Browser, student_messenger: Browser, sim_session: SimSession
) -> None:
    path = class_chat(sim_session)
    first = location(messenger.post(path, host=MESSENGER, data={"action": "call"}), 303)
    second = location(student_messenger.post(path, host=MESSENGER, data={"action": "call"}), 303)
    assert first == second
    assert texts(student_messenger.get(second, host=MESSENGER), "notice") == [
        "В чате уже идёт звонок: вы присоединились к нему."
    ]
    [call] = world(sim_session)["calls"]
    assert len(call["participants"]) == 2


def test_leaving_a_call_one_is_not_in_is_refused(messenger: Browser, student_messenger: Browser, sim_session) -> None:
    call_path = location(messenger.post(class_chat(sim_session), host=MESSENGER, data={"action": "call"}), 303)
    refused = student_messenger.post(call_path, host=MESSENGER, data={"action": "leave"})
    assert refused.status_code == 409 and texts(refused, "alert") == ["Вы не участвуете в этом звонке."]
    odd = student_messenger.post(call_path, host=MESSENGER, data={"action": "dance"})
    assert odd.status_code == 409
    assert [len(c["participants"]) for c in world(sim_session)["calls"]] == [1]


# -- a group chat made by hand --------------------------------------------------------------------------


def test_a_group_chat_is_made_by_hand_and_members_of_the_organisation_added(
    messenger: Browser, sim_session: SimSession, school: dict[str, Any]
) -> None:
    form = messenger.get("/chats/new", host=MESSENGER)
    assert texts(form, "chat-organisation") == [f"Организация: {SCHOOL['name']}"]
    empty = messenger.post("/chats/new", host=MESSENGER, data={"title": "  "})
    assert empty.status_code == 422 and texts(empty, "error-title") == ["Введите название чата"]
    made = messenger.post("/chats/new", host=MESSENGER, data={"title": "Олимпиада <i>по физике</i>"})
    members_path = location(made, 303)
    [chat] = [c for c in world(sim_session)["chats"] if c["created_by"] == school["teacher"][1]["profile_id"]]
    assert members_path == f"/chats/{chat['id']}/members"
    assert (chat["title"], chat["org_id"], chat["kind"]) == ("Олимпиада <i>по физике</i>", SCHOOL["id"], "group")
    page = messenger.get(members_path, host=MESSENGER)
    assert texts(page, "notice") == ["Чат «Олимпиада <i>по физике</i>» создан. Добавьте в него участников организации."]
    assert "&lt;i&gt;по физике&lt;/i&gt;" in page.text
    students = [school[who] for who in ("student", "classmate")]
    assert sorted(texts(page, "candidate")) == sorted(f"{p.full_name} · Обучающийся" for p, _ in students)

    added = messenger.post(
        members_path, host=MESSENGER, data={"member": [str(ids["profile_id"]) for _, ids in students]}
    )
    assert location(added, 303) == members_path
    after = messenger.get(members_path, host=MESSENGER)
    assert texts(after, "chat-caption") == ["3 участника"] and texts(after, "no-candidates") == [
        "Все участники организации уже в чате."
    ]
    chats = messenger.get("/chats", host=MESSENGER)
    assert "Олимпиада <i>по физике</i> 3 участника" in texts(chats, "chat")


@pytest.mark.parametrize("member", ["999999999", "abc", ""], ids=["nobody", "letters", "empty"])
def test_only_members_of_the_organisation_are_added(messenger: Browser, sim_session: SimSession, member: str) -> None:
    members_path = location(messenger.post("/chats/new", host=MESSENGER, data={"title": "Кружок"}), 303)
    before = world(sim_session)["memberships"]
    refused = messenger.post(members_path, host=MESSENGER, data={"member": member})
    assert refused.status_code == 409
    assert texts(refused, "alert") == [
        "В чат можно добавить только участников своей организации: Сферум — закрытое пространство."
    ]
    assert world(sim_session)["memberships"] == before


def test_nobody_chosen_is_asked_for(messenger: Browser, sim_session: SimSession) -> None:
    members_path = location(messenger.post("/chats/new", host=MESSENGER, data={"title": "Кружок"}), 303)
    refused = messenger.post(members_path, host=MESSENGER, data={})
    assert refused.status_code == 409 and texts(refused, "alert") == ["Выберите, кого добавить в чат."]


def test_the_journals_chats_show_their_members_but_take_none_by_hand(
    messenger: Browser, sim_session: SimSession, school: dict[str, Any]
) -> None:
    members_path = class_chat(sim_session) + "/members"
    page = messenger.get(members_path, host=MESSENGER)
    assert len(texts(page, "member")) == 3 and texts(page, "built-chat")
    refused = messenger.post(members_path, host=MESSENGER, data={"member": str(school["student"][1]["profile_id"])})
    assert refused.status_code == 409
    assert texts(refused, "alert") == [
        "Участников этого чата определяет электронный журнал: добавить в него никого нельзя."
    ]


def test_a_profile_of_no_organisation_makes_no_chat(sim_session: SimSession, http_browser: Browser) -> None:
    person, _ = seed(sim_session, Personas(42), "parent", journal=None)
    sign_in_to(http_browser, MESSENGER, "/", person.phone)
    page = http_browser.get("/chats/new", host=MESSENGER)
    assert texts(page, "not-attached") == [
        "Создавать чаты организации может только прикреплённый к ней учебный профиль."
    ]
    refused = http_browser.post("/chats/new", host=MESSENGER, data={"title": "Мой чат"})
    assert refused.status_code == 409
    assert world(sim_session)["chats"] == []


# -- «Показать все» only when chats are hidden ----------------------------------------------------------


def test_show_all_only_when_some_chats_are_hidden(
    student_messenger: Browser, messenger: Browser, sim_session: SimSession, new_http_browser: Callable[[], Browser]
) -> None:
    """Seed 001's main screen lists six chats under «Чаты 28» and «Показать все» leads to the rest."""
    student_home = student_messenger.get("/", host=MESSENGER)
    assert len(texts(student_home, "chat")) == 2 and "Показать все" not in student_home.text
    teacher_home = messenger.get("/", host=MESSENGER)  # four chats: the school's three and 10А's, all shown
    assert len(texts(teacher_home, "chat")) == 4 and "Показать все" not in teacher_home.text
    # A teacher who leads 5А and teaches four more classes: three chats of the school and five of classes.
    lyceum: OrganisationEntry = {"id": 216579777, "name": "Лицей №7", "classes": ["5А", "6А", "7А", "8А", "9А"]}
    sim_session.seed({"organisations": [lyceum]})
    teacher = Personas(43).make("teacher", key="lyceum-teacher")
    entry: Any = teacher.entry(org=lyceum["id"], school_class="5А", vkid=True, profile=True, linked="vkid")
    entry["journal"]["classes"] = ["6А", "7А", "8А", "9А"]
    sim_session.seed({"people": [entry]})
    browser = new_http_browser()
    home = sign_in_to(browser, MESSENGER, "/", teacher.phone)
    assert "Чаты 8</h1>" in home.text and '<a href="/chats">Показать все</a>' in home.text
    assert [row.split(" · ")[-1] for row in texts(home, "chat")] == [
        "Информационный канал",
        "Информационный канал",
        "Учителя 1 участник",
        "Общая беседа 1 участник",
        "Общая беседа 1 участник",
        "Общая беседа 1 участник",
    ]
    everything = texts(browser.get("/chats", host=MESSENGER), "chat")
    assert [row.split(" · ")[0] for row in everything[3:]] == ["5А", "6А", "7А", "8А", "9А"]


# -- ЭШ's tab «Сферум» ----------------------------------------------------------------------------------


def _es(sim_session: SimSession, browser: Browser, personas: Personas) -> tuple[Any, dict[str, Any]]:
    """An ЭШ student of 10А, linked long ago, signed in to the diary."""
    student, ids = seed(
        sim_session, personas, "student", journal="es", org=SCHOOL["id"], school_class="10А", linked="vkid"
    )
    assert location(browser.post("/", host=ES, data={"login": student.login, "password": student.password}), 303)
    return student, ids


def test_es_opens_chats_from_the_tab_sferum_in_its_own_frame(
    sim_session: SimSession, new_http_browser: Callable[[], Browser]
) -> None:
    sim_session.seed({"organisations": [SCHOOL]})
    personas = Personas(43)
    student_browser, classmate_browser = new_http_browser(), new_http_browser()
    _, ids = _es(sim_session, student_browser, personas)
    _, classmate_ids = _es(sim_session, classmate_browser, personas)
    path = f"/sferum/chats/{chat_id(sim_session, '10А · Общая беседа')}"
    tab = student_browser.get("/sferum", host=ES)
    assert f'href="{path}"' in tab.text

    page = student_browser.get(path, host=ES)
    assert page.status_code == 200 and 'data-screen="es-chat"' in page.text
    assert re.search(r'<a href="/sferum" aria-current="page">Сферум</a>', page.text)  # the tab stays current
    sent = student_browser.post(
        path, host=ES, data={"action": "send", "text": "Кто решил?"}, files={"file": ("задача.png", PNG, "image/png")}
    )
    assert location(sent, 303) == path
    [message] = world(sim_session)["chat_messages"]
    assert (message["profile_id"], message["text"], message["file"]["name"]) == (
        ids["profile_id"],
        "Кто решил?",
        "задача.png",
    )

    call_path = location(student_browser.post(path, host=ES, data={"action": "call"}), 303)
    assert call_path.startswith(f"{path}/calls/")
    # The classmate sees the call among the tab's video conferences and joins it from there.
    classmate_tab = classmate_browser.get("/sferum", host=ES)
    assert texts(classmate_tab, "ongoing-call")[0].startswith("Звонок · 10А · Общая беседа Идёт с ")
    assert f'href="{call_path}"' in classmate_tab.text
    classmate_browser.post(call_path, host=ES, data={"action": "join"})
    screen = classmate_browser.get(call_path, host=ES)
    assert 'data-screen="es-call"' in screen.text and "Участники звонка: 2" in screen.text
    [call] = world(sim_session)["calls"]
    assert [p["profile_id"] for p in call["participants"]] == [ids["profile_id"], classmate_ids["profile_id"]]


def test_es_chats_need_the_link(sim_session: SimSession, http_browser: Browser) -> None:
    sim_session.seed({"organisations": [SCHOOL]})
    student, _ = seed(
        sim_session,
        Personas(44),
        "student",
        journal="es",
        org=SCHOOL["id"],
        school_class="10А",
        vkid=True,
        profile=True,
    )
    http_browser.post("/", host=ES, data={"login": student.login, "password": student.password})
    assert location(http_browser.get("/sferum/chats/1", host=ES), 303) == "/diary"


# -- «Сферум в МАХ» -------------------------------------------------------------------------------------


def test_max_opens_chats_from_sferum_in_max_after_signing_in(sim_session: SimSession, http_browser: Browser) -> None:
    sim_session.seed({"organisations": [SCHOOL]})
    teacher, ids = seed(
        sim_session,
        Personas(45),
        "teacher",
        org=SCHOOL["id"],
        school_class="10А",
        vkid=False,
        profile=False,
        max_account=True,
        max_profile=True,
        linked="max",
    )
    path = f"/sferum/chats/{chat_id(sim_session, '10А · Общая беседа')}"
    assert location(http_browser.get(path, host=MAX), 303) == "/login"
    assert location(http_browser.post("/login", host=MAX, data={"phone": teacher.phone}), 303) == "/code"
    code = sim_session.wait_message(to=teacher.phone)["code"]
    assert location(http_browser.post("/code", host=MAX, data={"code": code}), 303) == path  # back to the chat

    home = http_browser.get("/sferum", host=MAX)
    assert f'href="{path}"' in home.text
    page = http_browser.get(path, host=MAX)
    assert 'data-screen="max-chat"' in page.text and "Сферум в МАХ" in page.text
    sent = http_browser.post(
        path,
        host=MAX,
        data={"action": "send", "text": "План урока"},
        files={"file": ("план урока.pdf", b"%PDF-1.4", "application/pdf")},
    )
    assert location(sent, 303) == path
    call_path = location(http_browser.post(path, host=MAX, data={"action": "call"}), 303)
    assert 'data-screen="max-call"' in http_browser.get(call_path, host=MAX).text
    snapshot = world(sim_session)
    profile_id = ids["max_profile_id"]
    [message] = snapshot["chat_messages"]
    assert (message["profile_id"], message["file"]["content_type"]) == (profile_id, "application/pdf")
    assert [c["profile_id"] for c in snapshot["calls"]] == [profile_id]


def test_max_is_not_reached_by_a_plain_client_without_cookies(server: Any, sim_session: SimSession) -> None:
    """No МАХ account signed in: the chat screens send to «Вход в МАХ», never a 5xx."""
    sim_session.seed({"organisations": [SCHOOL]})
    with httpx.Client(base_url=server.url, headers={"Host": MAX, "X-Sim-Session": sim_session.key}) as client:
        for method in ("GET", "POST"):
            assert client.request(method, "/sferum/chats/1/members").status_code == 303
