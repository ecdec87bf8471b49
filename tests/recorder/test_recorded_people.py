"""Flows of two or three people in one world, recorded: the person at the recorder sits down at another person's
window from the panel («Открыть окно: администратор»), or goes over to a second browser a «Дано» step opened.

Each window is that person's own browser (own cookies, the same world); what is done there is written as their
step («Когда администратор …»), and what another window shows without a reload is proposed as a check there.
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from typing import cast

import pytest
from playwright.sync_api import Browser, BrowserContext, Page

from simulator.recorder import downloads
from simulator.recorder.library import load
from simulator.recorder.seats import Seat, serves
from simulator.recorder.session import SCHOOLS
from tests.recorder.test_recorded_places import f23
from tests.support.recording import Flow, Person, journal_connect, journal_sign_in, record_and_run, vkid_profile_sign_in

MES = SCHOOLS["mes"]
OLYMPIAD = "Олимпиада по физике"
MES_NAME = 'МБОУ "Школа №51" Вахитовского района г. Казани'
CLASS_CHAT = "10А · Общая беседа"
LINKED_TEACHER = "учитель МЭШ, у которого учебный профиль Сферум привязан через VK ID"
ONE_STUDENT = "в Сферуме уже состоят пользователи школы:\n| роль | класс | сколько |\n| ученик | 10А | 1 |"
STUDENT_IN_CHAT = f"второй браузер, в котором ученик вошёл в VK Мессенджер и открыл чат «{CLASS_CHAT}»"
NOT_DECLARED = "a check no step declares (@checks), so the recorder cannot propose it"
DIARY_REFUSED = (
    "F23's part as F23's recording has it: the step opens «Дневник» by its address itself, so it cannot be tried on "
    "the person's page and declares no check (@checks)"
)
DIARY_BUTTONS = "Тогда под уроком «{online}» зеленая кнопка «Онлайн-урок», а под уроком «{other}» ее нет"
CREATIVITY_HOUSE = 'организация дополнительного образования «МБУ ДО "Дом детского творчества" г. Казани»'
ADMIN = "у организации есть администратор на sferum.ru"


def f30(admin: Person) -> None:
    """The administrator signs in to sferum.ru; the user, at a window of their own, sends a join request from VK
    Мессенджер; the administrator's cabinet shows it without a reload."""
    admin.click("link", "Войти")
    vkid_profile_sign_in(admin)
    admin.check("новых заявок нет")
    user = admin.open_window("пользователь")
    vkid_profile_sign_in(user, after=1)
    user.page.get_by_role("navigation", name="Меню").get_by_role("link", name="Организации", exact=True).click()
    user.pause()
    user.fill("Название или ID организации", "Дом детского творчества")
    user.click("button", "Найти")
    user.page.get_by_label("Тип пользователя", exact=True).select_option(label="Родитель")
    user.click("button", "Подать заявку")
    user.check("в разделе «Заявки» заявка пользователя как «Родитель»")
    user.check("администратор видит это без перезагрузки")


def open_class_chat(person: Person) -> None:
    person.page.get_by_role("navigation", name="Меню").get_by_role("link", name="Чаты", exact=True).click()
    person.pause()
    person.page.get_by_test_id("chat").get_by_role("link", name=CLASS_CHAT, exact=True).click()
    person.pause()


def write(person: Person, text: str) -> None:
    person.fill("Сообщение", text)
    person.click("button", "Отправить")


def f28(teacher: Person) -> None:
    """The teacher writes in the class chat of VK Мессенджер; the student, in the second browser the «Дано» opened,
    sees it and answers; each sees the other's message without a reload."""
    vkid_profile_sign_in(teacher)
    open_class_chat(teacher)
    write(teacher, "Контрольная в пятницу")
    teacher.check("ученик во втором браузере видит сообщение «Контрольная в пятницу» без перезагрузки")
    student = teacher.window("ученик")
    write(student, "Понял, спасибо")
    student.check("учитель видит сообщение «Понял, спасибо» без перезагрузки")


def f29(teacher: Person) -> None:
    """The teacher starts a call in the class chat; the student in the second browser sees it going on, joins and
    leaves; the teacher's call screen follows without a reload."""
    vkid_profile_sign_in(teacher)
    open_class_chat(teacher)
    teacher.click("button", "Начать звонок")
    teacher.check(f"в звонке в чате «{CLASS_CHAT}» участники: учитель")
    teacher.check("ученик во втором браузере видит, что в чате идёт звонок, без перезагрузки")
    student = teacher.window("ученик")
    student.click("link", "Присоединиться к звонку")
    student.click("button", "Присоединиться")
    student.check("учитель видит в звонке участников: учитель, ученик без перезагрузки")
    student.click("button", "Покинуть звонок")
    student.check("учитель видит в звонке участников: учитель без перезагрузки")


def admin_signs_in(admin: Person, *, after: int) -> None:
    """The administrator at sferum.ru: «Войти», VK ID with the phone the panel shows, the cabinet."""
    admin.click("link", "Войти")
    vkid_profile_sign_in(admin, after=after)
    admin.check(f"открывается личный кабинет организации «{MES_NAME}»")


def download(admin: Person, day: str) -> None:
    admin.click("link", "Скачать статистику")
    admin.check(f"скачан файл Excel «sferum_statistics_216579624_{day}.xlsx»")


def f09(teacher: Person) -> None:
    """The teacher writes and calls in the class chat; the administrator, at a window of their own, downloads the
    week's statistics, and again a week later."""
    vkid_profile_sign_in(teacher)
    open_class_chat(teacher)
    teacher.click("button", "Отправить")  # nothing typed
    teacher.check("у поля «Сообщение» ошибка «Введите текст сообщения или прикрепите файл»")
    write(teacher, "Завтра <b>контрольная</b> по физике")
    write(teacher, "Не забудьте учебники")
    teacher.click("button", "Начать звонок")
    teacher.click("link", "Вернуться в чат")
    teacher.check("его сообщения показаны в чате как обычный текст, а звонок отмечен в чате")
    teacher.check("в мире записаны его сообщения и 1 звонок с временем часов Сферума")
    admin = teacher.open_window("администратор")
    admin_signs_in(admin, after=1)
    download(admin, "2024-10-16")
    admin.check("на листе «Статистика» недельная статистика:")
    admin.check("на листе «Пользователи» отчёт по пользователям:")
    admin.recording.session.advance(7 * 24 * 3600)  # the trainer moves the clock: the console's «Часы»
    admin.pause()
    download(admin, "2024-10-23")
    admin.check("на листе «Статистика» недельная статистика:")


def f10(teacher: Person) -> None:
    """The teacher chats from the duplicate profile on another number; the administrator's report counts nothing
    and names another ID; the teacher links the duplicate in МЭШ, writes again, and the report counts it."""
    other = re.sub(r"\D", "", teacher.credential_line("Другой номер").split(":", 1)[1])
    teacher.fill("Телефон или почта", f"+{other}")
    teacher.click("button", "Продолжить")
    teacher.fill("Код подтверждения", teacher.code())
    teacher.click("button", "Продолжить")
    teacher.click("button", "Продолжить в учебном профиле")
    teacher.click("button", "Продолжить")
    open_class_chat(teacher)
    write(teacher, "Ребята, завтра экскурсия")
    write(teacher, "Сбор у школы в 9:00")
    teacher.recording.session.advance(24 * 3600)  # the trainer moves the clock a day on: the console's «Часы»
    teacher.pause()
    admin = teacher.open_window("администратор")
    admin.click("link", "Войти")
    vkid_profile_sign_in(admin, after=1)
    admin.click("link", "Скачать статистику")
    admin.check("на листе «Статистика» недельная статистика:")
    teacher.page.get_by_role("navigation", name="Меню").get_by_role("link", name="Настройки аккаунта").click()
    teacher.pause()
    teacher.check("ID в настройках аккаунта не совпадает с ID учителя в отчёте администратора")
    teacher.page.goto(teacher.recording.session.url("mes", "/"))  # the teacher types МЭШ's address
    teacher.pause()
    journal_sign_in(teacher)
    teacher.click("link", "Мой паспорт")
    teacher.page.get_by_role("navigation", name="Разделы паспорта").get_by_role("link", name="Безопасность").click()
    teacher.pause()
    teacher.click("link", "Отвязать аккаунт «Сферум»")
    teacher.click("button", "Отвязать")
    journal_connect(teacher)
    teacher.check("VK ID показывает его учетные данные и кнопку «Продолжить в учебном профиле»")
    teacher.click("button", "Продолжить в учебном профиле")
    teacher.click("button", "Продолжить")
    teacher.click("button", "Привязать")
    teacher.check("МЭШ сообщает «Учебный профиль Сферум привязан к вашей учетной записи МЭШ.»")
    teacher.check("учетная запись МЭШ привязана к профилю-дублёру, с которого он общается, и тот прикреплён к школе")
    teacher.page.goto(teacher.recording.session.url("messenger", "/chats"))  # back to VK Мессенджер's chats
    teacher.pause()
    teacher.page.get_by_test_id("chat").get_by_role("link", name=CLASS_CHAT, exact=True).click()
    teacher.pause()
    write(teacher, "Напоминаю: завтра экскурсия")
    admin.click("link", "Скачать статистику")
    admin.check("на листе «Статистика» недельная статистика:")
    admin.check("ID учителя в отчёте администратора совпадает с ID в настройках аккаунта")


def f22(teacher: Person) -> None:
    """The teacher makes a group chat by hand, adds a student of the school, writes and calls in it; the
    administrator's weekly statistics count it."""
    vkid_profile_sign_in(teacher)
    teacher.click("link", "Создать чат")
    teacher.click("button", "Создать")  # no name typed
    teacher.check("у поля «Название чата» ошибка «Введите название чата»")
    teacher.fill("Название чата", OLYMPIAD)
    teacher.click("button", "Создать")
    teacher.check(f"Сферум сообщает «Чат «{OLYMPIAD}» создан. Добавьте в него участников организации.»")
    # The school's members are listed with their roles: the person ticks the student among them.
    teacher.page.get_by_test_id("candidate").filter(has_text="Обучающийся").get_by_role("checkbox").check()
    teacher.click("button", "Добавить")
    teacher.check("в чате 2 участника: учитель, ученик")
    teacher.page.get_by_role("navigation", name="Меню").get_by_role("link", name="Чаты", exact=True).click()
    teacher.pause()
    teacher.page.get_by_test_id("chat").get_by_role("link", name=OLYMPIAD, exact=True).click()
    teacher.pause()
    write(teacher, "Отборочный тур в субботу")
    write(teacher, "Задания пришлю сюда")
    teacher.click("button", "Начать звонок")
    teacher.click("button", "Покинуть звонок")
    teacher.check("Сферум сообщает «Вы вышли из звонка. Звонок завершён: в нём никого не осталось.»")
    teacher.check(f"в мире чат «{OLYMPIAD}» школы создан учителем, в нём учитель и ученик")
    teacher.check("в мире записаны его сообщения и 1 звонок с временем часов Сферума")
    admin = teacher.open_window("администратор")
    admin.click("link", "Войти")
    vkid_profile_sign_in(admin, after=1)
    admin.click("link", "Скачать статистику")
    admin.check("на листе «Статистика» недельная статистика:")


def f24(student: Person) -> None:
    """F23's child registers on Госуслуги and is refused; the class teacher, at a window of their own, adds the
    child's phone in «Мой класс»; the child signs in again and reaches «Дневник»."""
    f23(student)
    teacher = student.open_window("классный руководитель")
    teacher.click("button", "Войти через Госуслуги")
    teacher.fill("Телефон / Email / СНИЛС", teacher.credential("Госуслуги:"))
    teacher.fill("Пароль", teacher.credential("Госуслуги:", 2))
    teacher.click("button", "Войти")
    teacher.page.get_by_role("navigation", name="Разделы").get_by_role("link", name="Мой класс", exact=True).click()
    teacher.pause()
    teacher.check("в списке класса у ученика написано «Телефон или e-mail не добавлен»")
    child = teacher.credential_line("Ученик:").removeprefix("Ученик:").split("Телефон:")[0].strip()
    phone = teacher.credential_line("Ученик:").split("Телефон:")[1].split("Почта:")[0].strip()
    row = teacher.page.get_by_test_id("student").filter(has_text=child)
    row.get_by_label("Телефон или e-mail ученика", exact=True).fill(phone)  # as the panel shows it
    row.get_by_role("button", name="Сохранить", exact=True).click()
    teacher.pause()
    teacher.check("ЭлЖур сообщает классному руководителю, что телефон ученика добавлен в журнал")
    teacher.check("в журнале у ученика записан телефон, с которым он зарегистрировался на Госуслугах")
    student.page.goto(student.recording.session.url("eljur", "/"))  # the child types ЭлЖур's address again
    student.pause()
    student.click("button", "Войти через Госуслуги")
    student.fill("Телефон / Email / СНИЛС", student.credential("Госуслуги:"))
    student.fill("Пароль", student.credential("Госуслуги:", 2))
    student.click("button", "Войти")
    student.click("link", "Дневник")


FLOWS: dict[str, Flow] = {
    "F30": Flow(
        (CREATIVITY_HOUSE, ADMIN, "родитель с учебным профилем Сферум в VK ID, не прикреплённым к организации"),
        f30,
        persona="admin",
    ),
    "F09": Flow((MES, ADMIN, ONE_STUDENT, LINKED_TEACHER), f09, start="messenger"),
    "F10": Flow(
        (
            MES,
            ADMIN,
            "учитель МЭШ с привязанным через VK ID учебным профилем Сферум и профилем-дублёром на другом номере в "
            f"чате «{CLASS_CHAT}»",
        ),
        f10,
        start="messenger",
    ),
    "F22": Flow((MES, ADMIN, ONE_STUDENT, LINKED_TEACHER), f22, start="messenger"),
    "F24": Flow(
        (
            SCHOOLS["eljur"],
            "ученик ЭлЖур младше 14 лет без учетной записи Госуслуг",
            "классный руководитель его класса с подтвержденной учетной записью Госуслуг",
        ),
        f24,
        journal="eljur",
        persona="student",
        example=0,  # by phone
        differences=(
            ("Тогда раздел «Дневник» ему недоступен", DIARY_REFUSED),
            (DIARY_BUTTONS.format(online="Математика", other="Литература"), NOT_DECLARED),
        ),
    ),
    "F28": Flow((MES, LINKED_TEACHER, ONE_STUDENT, STUDENT_IN_CHAT), f28, start="messenger"),
    "F29": Flow((MES, LINKED_TEACHER, ONE_STUDENT, STUDENT_IN_CHAT), f29, start="messenger"),
}


@pytest.mark.parametrize("flow_id", sorted(FLOWS))
def test_a_person_records_the_flow_and_the_feature_runs_green(flow_id: str, browser: Browser, tmp_path: Path) -> None:
    record_and_run(flow_id, FLOWS[flow_id], browser, tmp_path)


def test_each_window_is_offered_the_steps_done_in_its_own_person_s_browser() -> None:
    """The administrator's steps work in the administrator's window, a second browser's in a second browser, the
    actor's page steps in the window that is the steps' `page`; «… видит … без перезагрузки» in any window, the clock
    and the world (no page) in every one."""
    library = load()
    actors_page = cast(Page, object())

    def serving(word: str, *, second: bool = False, page: bool = False) -> set[str]:
        own = actors_page if page else cast(Page, object())
        seat = Seat(cast(BrowserContext, None), own, word, second=second)
        return {s.function.__name__ for s in library.steps for d in s.declarations if serves(seat, s, d, actors_page)}

    teacher, admin = serving("учитель", page=True), serving("администратор")
    student, class_teacher = serving("ученик", second=True), serving("классный руководитель")
    assert {"open_chat", "write", "sees_message", "days_pass"} <= teacher
    assert {"admin_signs_in", "download_statistics", "sheet_rows", "saw_it_live", "days_pass"} <= admin
    assert {"second_writes", "second_joins_call", "sees_message", "days_pass"} <= student
    assert {"class_teacher_signs_in", "class_teacher_adds", "class_teacher_told"} <= class_teacher
    assert not {"admin_signs_in", "second_writes", "class_teacher_adds"} & teacher
    assert not {"open_chat", "write", "second_writes", "class_teacher_adds"} & admin
    assert not {"open_chat", "write", "admin_signs_in"} & student


def test_a_downloaded_workbook_names_its_people_by_their_words_the_actor_first(tmp_path: Path) -> None:
    """A sheet's rows as the statistics step's table: a person's name, and their profile's ID in an ID column, as
    «{word}»; the actor's row first and the administrator's last, whatever the file's order; anyone else as is."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Пользователи"
    sheet.append(["Дата", "ID пользователя", "ФИО", "Связь с ЭИП"])
    day = datetime(2024, 10, 16)
    for row in ([day, 7, "Админова Ася", 0], [day, 9, "Незнакомов Нил", 1], [day, 8, "Учителев Устин", 1]):
        sheet.append(row)
    path = tmp_path / "download"  # as Playwright keeps it: no extension
    book.save(path)
    names = {"Админова Ася": "администратор", "Учителев Устин": "учитель"}
    shown = downloads.read(
        None, path, "report.xlsx", names, {"7": "администратор", "8": "учитель"}, ["учитель", "администратор"]
    )
    assert shown is not None and shown.testids[downloads.NAME] == "report.xlsx"
    assert shown.rows[f"{downloads.SHEET}Пользователи"] == (
        ("16.10.2024", "{учитель}", "{учитель}", "1"),
        ("16.10.2024", "{администратор}", "{администратор}", "0"),
        ("16.10.2024", "9", "Незнакомов Нил", "1"),
    )
    (tmp_path / "page").write_text("<html></html>")
    other = downloads.read(None, tmp_path / "page", "report.xlsx", names, {}, [])
    assert other is not None and f"{downloads.SHEET}Пользователи" not in other.rows  # not a workbook: its name only
