"""Sferum in VK Messenger over HTTP: the chat list, writing and calling, settings, organisations."""

from __future__ import annotations

import base64

import pytest

from simulator.testing import Personas, SimSession
from simulator.world import links
from tests.support.sim_browser import Browser, location
from tests.support.sim_orgs import KINDERGARTEN, MESSENGER, SCHOOL, seed, sign_in_to, texts


@pytest.fixture
def teacher(sim_session: SimSession) -> tuple:
    """A teacher of 10А linked just now: the school's chats are still being built."""
    sim_session.seed({"organisations": [SCHOOL, KINDERGARTEN]})
    personas = Personas(11)
    for _ in range(2):
        seed(sim_session, personas, "student", org=SCHOOL["id"], school_class="10А", linked="vkid")
    person, ids = seed(sim_session, personas, "teacher", org=SCHOOL["id"], school_class="10А")
    return person, ids


@pytest.fixture
def messenger(teacher: tuple, http_browser: Browser, server, sim_session: SimSession) -> Browser:
    person, ids = teacher

    def link() -> None:
        world = server.world.get(sim_session.key)
        links.link(world, world.journal_accounts[ids["journal_account"]], world.profiles[ids["profile_id"]], via="vkid")

    server.call(link)
    sign_in_to(http_browser, MESSENGER, "/", person.phone)
    return http_browser


def chat_id(sim_session: SimSession, title: str) -> int:
    return next(c["id"] for c in sim_session.snapshot()["chats"] if c["title"].endswith(title))


def test_chats_appear_after_the_delay_all_four_on_the_main_screen(messenger: Browser, sim_session: SimSession) -> None:
    home = messenger.get("/", host=MESSENGER)
    assert texts(home, "chats-title") == ["Чаты 0"]
    assert texts(home, "chats-pending") and texts(home, "chat") == []
    sim_session.advance(5 * 60)
    home = messenger.get("/", host=MESSENGER)
    assert "Чаты 4</h1>" in home.text and texts(home, "chats-pending") == []
    assert texts(home, "chat") == [
        'МБОУ "Школа №51" · Объявления 3 подписчика · Информационный канал',
        'МБОУ "Школа №51" · Сотрудники 1 подписчик · Информационный канал',
        'МБОУ "Школа №51" · Учителя 1 участник',
        "10А · Общая беседа 3 участника",
    ]
    assert "Показать все" not in home.text  # seed 001's main screen lists six before «Показать все»
    assert texts(messenger.get("/chats", host=MESSENGER), "chat") == texts(home, "chat")


def test_a_message_is_stored_at_the_clock_and_shown_as_text(messenger: Browser, sim_session: SimSession) -> None:
    sim_session.advance(5 * 60)
    path = f"/chats/{chat_id(sim_session, '10А · Общая беседа')}"
    sent = messenger.post(path, host=MESSENGER, data={"action": "send", "text": "  <b>Контрольная</b> & тест  "})
    assert location(sent, 303) == path
    [message] = sim_session.snapshot()["chat_messages"]
    assert message["text"] == "<b>Контрольная</b> & тест"
    assert message["sent_at"] == "2024-10-16T09:05:00+03:00"
    page = messenger.get(path, host=MESSENGER)
    assert "&lt;b&gt;Контрольная&lt;/b&gt; &amp; тест" in page.text and "<b>Контрольная" not in page.text


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("   ", "Введите текст сообщения или прикрепите файл"),
        ("я" * 4097, "Сообщение не может быть длиннее 4096 символов"),
    ],
)
def test_bad_messages_are_refused_with_the_text_kept(messenger: Browser, sim_session: SimSession, text, error) -> None:
    sim_session.advance(5 * 60)
    path = f"/chats/{chat_id(sim_session, '10А · Общая беседа')}"
    refused = messenger.post(path, host=MESSENGER, data={"action": "send", "text": text})
    assert refused.status_code == 422
    assert texts(refused, "error-text") == [error]
    assert 'aria-invalid="true" aria-describedby="text-error"' in refused.text
    assert sim_session.snapshot()["chat_messages"] == []


def test_a_call_is_recorded_in_a_group_chat(messenger: Browser, sim_session: SimSession, teacher: tuple) -> None:
    sim_session.advance(5 * 60)
    path = f"/chats/{chat_id(sim_session, '10А · Общая беседа')}"
    started = messenger.post(path, host=MESSENGER, data={"action": "call"})
    [call] = sim_session.snapshot()["calls"]
    assert location(started, 303) == f"{path}/calls/{call['id']}"
    assert call["profile_id"] == teacher[1]["profile_id"]
    screen = messenger.get(f"{path}/calls/{call['id']}", host=MESSENGER)
    assert texts(screen, "notice") == ["Звонок начат. Участники чата получили приглашение присоединиться."]
    assert len(texts(messenger.get(path, host=MESSENGER), "call")) == 1


def test_information_channels_are_read_only(messenger: Browser, sim_session: SimSession) -> None:
    sim_session.advance(5 * 60)
    path = f"/chats/{chat_id(sim_session, '· Объявления')}"
    assert "Отправить" not in messenger.get(path, host=MESSENGER).text
    for action in ("send", "call"):
        refused = messenger.post(path, host=MESSENGER, data={"action": action, "text": "Всем привет"})
        assert refused.status_code == 403
    world = sim_session.snapshot()
    assert world["chat_messages"] == [] and world["calls"] == []


def test_someone_elses_chat_does_not_exist(messenger: Browser, sim_session: SimSession) -> None:
    """Before the delay the profile is in no chat yet, so even its own class chat is not found."""
    path = f"/chats/{chat_id(sim_session, '10А · Общая беседа')}"
    assert messenger.get(path, host=MESSENGER).status_code == 404
    assert messenger.post(path, host=MESSENGER, data={"action": "send", "text": "Я тут"}).status_code == 404
    assert sim_session.snapshot()["chat_messages"] == []


@pytest.mark.parametrize(
    ("back", "link"),
    [
        ("Lw==", "/"),
        (base64.urlsafe_b64encode(b"/chats").decode(), "/chats"),
        ("Ly9ldmlsLmV4YW1wbGU=", "/"),
        ("%%%", "/"),
    ],
)
def test_account_settings_show_the_profile_id(messenger: Browser, teacher: tuple, back: str, link: str) -> None:
    page = messenger.get(f"/settings/account?back={back}", host=MESSENGER)
    assert texts(page, "profile-id") == [str(teacher[1]["profile_id"])]
    assert f'<a href="{link}">Назад</a>' in page.text


def test_a_join_request_leaves_the_profile_unattached(messenger: Browser, sim_session: SimSession, teacher) -> None:
    found = messenger.get("/organisations?q=детский", host=MESSENGER)
    assert texts(found, "found-organisation")[0].startswith("МБДОУ «Детский сад №7» Детский сад · ID 216600007")
    sent = messenger.post(
        "/organisations/requests", host=MESSENGER, data={"org_id": KINDERGARTEN["id"], "role": "teacher"}
    )
    assert location(sent, 303) == "/organisations"
    page = messenger.get("/organisations", host=MESSENGER)
    assert texts(page, "join-request-status") == ["На рассмотрении"]
    again = messenger.post(
        "/organisations/requests", host=MESSENGER, data={"org_id": KINDERGARTEN["id"], "role": "teacher"}
    )
    assert again.status_code == 409
    profile = next(p for p in sim_session.snapshot()["profiles"] if p["id"] == teacher[1]["profile_id"])
    assert KINDERGARTEN["id"] not in profile["org_ids"]
    assert len(sim_session.snapshot()["join_requests"]) == 1


def test_a_school_takes_no_requests(messenger: Browser, sim_session: SimSession) -> None:
    refused = messenger.post(
        "/organisations/requests", host=MESSENGER, data={"org_id": SCHOOL["id"], "role": "teacher"}
    )
    assert refused.status_code == 409
    assert texts(refused, "alert") == ["Пользователи школы прикрепляются к организации через электронный журнал."]
    assert sim_session.snapshot()["join_requests"] == []


@pytest.mark.parametrize("org_id", ["9" * 5000, "²", "-1", ""], ids=["5000-digits", "superscript", "negative", "empty"])
def test_a_join_request_to_no_real_organisation_is_refused(
    messenger: Browser, sim_session: SimSession, teacher, org_id: str
) -> None:
    """An id no organisation has, however it is written: 404 «Организация не найдена.», nothing stored."""
    sent = messenger.post("/organisations/requests", host=MESSENGER, data={"org_id": org_id, "role": "teacher"})
    assert sent.status_code == 404 and "Организация не найдена." in sent.text
    assert sim_session.snapshot()["join_requests"] == []


@pytest.mark.parametrize("path", ["/chats/", "/organisations/invitations/"])
def test_an_id_of_5000_digits_in_a_path_is_not_found(messenger: Browser, teacher, path: str) -> None:
    method = messenger.get if path == "/chats/" else messenger.post
    assert method(path + "9" * 5000, host=MESSENGER).status_code == 404
