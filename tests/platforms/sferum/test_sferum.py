"""sferum.ru over HTTP: the administrator's sign-in, the statistics workbook, invitations and requests."""

from __future__ import annotations

from datetime import datetime
from io import BytesIO

import pytest
from openpyxl import load_workbook

from simulator.testing import Personas, SimSession
from tests.support.sim_browser import Browser, location
from tests.support.sim_orgs import KINDERGARTEN, MESSENGER, SCHOOL, SFERUM, seed, sign_in_to, texts


@pytest.fixture
def personas() -> Personas:
    return Personas(21)


@pytest.fixture
def admin(sim_session: SimSession, personas: Personas) -> tuple:
    sim_session.seed({"organisations": [SCHOOL, KINDERGARTEN]})
    return seed(sim_session, personas, "admin", journal=None, org_admin=SCHOOL["id"])


@pytest.fixture
def cabinet(admin: tuple, http_browser: Browser) -> Browser:
    page = sign_in_to(http_browser, SFERUM, "/login", admin[0].phone)
    assert texts(page, "organisation") == [SCHOOL["name"]]
    return http_browser


def test_only_administrators_get_in(sim_session: SimSession, personas: Personas, admin, http_browser: Browser) -> None:
    teacher, _ = seed(sim_session, personas, "teacher", org=SCHOOL["id"], school_class="10А", linked="vkid")
    page = sign_in_to(http_browser, SFERUM, "/login", teacher.phone)
    assert page.status_code == 403
    assert "не является администратором организации" in page.text
    assert location(http_browser.get("/cabinet", host=SFERUM), 303) == "/"


def test_an_administrator_sees_only_the_own_organisation(cabinet: Browser) -> None:
    assert location(cabinet.get("/cabinet", host=SFERUM), 303) == f"/org/{SCHOOL['id']}"
    assert cabinet.get(f"/org/{KINDERGARTEN['id']}", host=SFERUM).status_code == 403
    assert cabinet.get(f"/org/{KINDERGARTEN['id']}/statistics.xlsx", host=SFERUM).status_code == 403
    assert location(cabinet.post("/logout", host=SFERUM), 303) == "/"
    assert location(cabinet.get(f"/org/{SCHOOL['id']}", host=SFERUM), 303) == "/"


def test_the_statistics_workbook_counts_the_worlds_messages(
    cabinet: Browser, sim_session: SimSession, personas: Personas, admin: tuple, new_http_browser
) -> None:
    teacher, ids = seed(sim_session, personas, "teacher", org=SCHOOL["id"], school_class="10А", linked="vkid")
    phone = teacher.phone
    messenger = new_http_browser()
    sign_in_to(messenger, MESSENGER, "/", phone)
    class_chat = next(c["id"] for c in sim_session.snapshot()["chats"] if c["title"] == "10А · Общая беседа")
    for text in ("Добрый день!", "Завтра контрольная"):
        messenger.post(f"/chats/{class_chat}", host=MESSENGER, data={"action": "send", "text": text})
    messenger.post(f"/chats/{class_chat}", host=MESSENGER, data={"action": "call"})

    response = cabinet.get(f"/org/{SCHOOL['id']}/statistics.xlsx", host=SFERUM)
    assert response.headers["content-type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response.headers["content-disposition"] == (
        f'attachment; filename="sferum_statistics_{SCHOOL["id"]}_2024-10-16.xlsx"'
    )
    book = load_workbook(BytesIO(response.content))
    assert book.sheetnames == ["Статистика", "Пользователи"]
    rows = {r[1]: r for r in book["Статистика"].iter_rows(min_row=2, values_only=True)}
    header = next(book["Статистика"].iter_rows(max_row=1, values_only=True))
    assert header == ("Дата", "ФИО", "Связь с ЭЖ", "Кол-во сообщений за 7 дней", "Кол-во звонков за 7 дней")
    name = f"{teacher.last_name} {teacher.first_name}"
    day = rows[name][0]
    assert isinstance(day, datetime) and day.date().isoformat() == "2024-10-16"
    assert rows[name][2:] == (1, 2, 1)
    assert rows[f"{admin[0].last_name} {admin[0].first_name}"][2:] == (0, 0, 0)
    users = list(book["Пользователи"].iter_rows(values_only=True))
    assert users[0] == ("Дата", "ID организации", "ID пользователя", "ФИО", "Тип пользы", "Связь с ЭИП")  # seed 001
    assert (SCHOOL["id"], ids["profile_id"], name, "teacher", 1) in [u[1:] for u in users[1:]]
    assert book["Статистика"]["A2"].number_format == "DD.MM.YYYY"


def test_a_school_cabinet_sends_no_invitations(cabinet: Browser, sim_session: SimSession) -> None:
    page = cabinet.get(f"/org/{SCHOOL['id']}", host=SFERUM)
    assert "Отправить приглашение" not in page.text and "через электронный журнал" in page.text
    refused = cabinet.post(
        f"/org/{SCHOOL['id']}/invitations", host=SFERUM, data={"to": "+79990001122", "role": "teacher"}
    )
    assert refused.status_code == 409
    assert sim_session.snapshot()["invitations"] == []


@pytest.fixture
def kindergarten(sim_session: SimSession, personas: Personas, http_browser: Browser) -> Browser:
    sim_session.seed({"organisations": [KINDERGARTEN]})
    head, _ = seed(sim_session, personas, "admin", journal=None, org_admin=KINDERGARTEN["id"])
    sign_in_to(http_browser, SFERUM, "/login", head.phone)
    return http_browser


@pytest.mark.parametrize(
    ("to", "status", "error"),
    [
        ("<b>кто-то</b>", 422, "Укажите номер телефона, электронную почту или ID учебного профиля"),
        ("", 422, "Заполните это поле"),
        ("id123456789", 409, "Учебный профиль с таким ID не найден"),
    ],
)
def test_bad_invitations_change_nothing(kindergarten: Browser, sim_session: SimSession, to, status, error) -> None:
    page = kindergarten.post(f"/org/{KINDERGARTEN['id']}/invitations", host=SFERUM, data={"to": to, "role": "teacher"})
    assert page.status_code == status
    assert error in page.text
    if to.startswith("<"):
        assert 'value="&lt;b&gt;кто-то&lt;/b&gt;"' in page.text
    world = sim_session.snapshot()
    assert world["invitations"] == []
    assert [m for m in sim_session.messages() if not m["code"]] == []  # no invitation SMS either


def test_an_invitation_by_phone_is_sent_and_accepted(
    kindergarten: Browser, sim_session: SimSession, personas: Personas, new_http_browser
) -> None:
    teacher, ids = seed(sim_session, personas, "teacher", journal=None)
    sent = kindergarten.post(
        f"/org/{KINDERGARTEN['id']}/invitations", host=SFERUM, data={"to": teacher.phone, "role": "teacher"}
    )
    assert location(sent, 303) == f"/org/{KINDERGARTEN['id']}"
    page = kindergarten.get(f"/org/{KINDERGARTEN['id']}", host=SFERUM)
    digits = teacher.phone.removeprefix("+7")  # shown as every other screen shows a phone: «+7 900 222-00-09»
    shown = f"+7 {digits[:3]} {digits[3:6]}-{digits[6:8]}-{digits[8:]}"
    assert texts(page, "notice") == [f"Приглашение отправлено: {shown}"]
    assert texts(page, "sent-invitation") == [f"{shown} Педагог Ожидает ответа"]
    sms = sim_session.wait_message(to=teacher.phone)
    assert KINDERGARTEN["name"] in sms["text"]

    messenger = new_http_browser()
    sign_in_to(messenger, MESSENGER, "/organisations", teacher.phone)
    [invitation] = sim_session.snapshot()["invitations"]
    answered = messenger.post(
        f"/organisations/invitations/{invitation['id']}", host=MESSENGER, data={"action": "accept"}
    )
    assert location(answered, 303) == "/organisations"
    profile = next(p for p in sim_session.snapshot()["profiles"] if p["id"] == ids["profile_id"])
    assert profile["org_ids"] == [KINDERGARTEN["id"]]
    assert texts(kindergarten.get(f"/org/{KINDERGARTEN['id']}", host=SFERUM), "sent-invitation") == [
        f"{shown} Педагог Принято"
    ]


@pytest.mark.parametrize(("action", "attached"), [("approve", True), ("reject", False)])
def test_the_administrator_decides_a_request(
    kindergarten: Browser, sim_session: SimSession, personas: Personas, new_http_browser, action: str, attached: bool
) -> None:
    parent, ids = seed(sim_session, personas, "parent", journal=None)
    messenger = new_http_browser()
    sign_in_to(messenger, MESSENGER, "/organisations", parent.phone)
    messenger.post("/organisations/requests", host=MESSENGER, data={"org_id": KINDERGARTEN["id"], "role": "parent"})
    page = kindergarten.get(f"/org/{KINDERGARTEN['id']}", host=SFERUM)
    assert texts(page, "join-request")[0].startswith(f"{parent.last_name} {parent.first_name} · ID {ids['profile_id']}")
    [join] = sim_session.snapshot()["join_requests"]
    decided = kindergarten.post(
        f"/org/{KINDERGARTEN['id']}/requests/{join['id']}", host=SFERUM, data={"action": action}
    )
    assert location(decided, 303) == f"/org/{KINDERGARTEN['id']}"
    world = sim_session.snapshot()
    profile = next(p for p in world["profiles"] if p["id"] == ids["profile_id"])
    assert profile["org_ids"] == ([KINDERGARTEN["id"]] if attached else [])
    assert world["join_requests"][0]["status"] == ("accepted" if attached else "declined")
    again = kindergarten.post(f"/org/{KINDERGARTEN['id']}/requests/{join['id']}", host=SFERUM, data={"action": action})
    assert again.status_code == 409
    status = texts(messenger.get("/organisations", host=MESSENGER), "join-request-status")
    assert status == ["Подтверждена" if attached else "Отклонена"]
