"""Chats, files, calls and windows, recorded: a person writes, attaches and calls in the chats Sferum opens in ЭШ's
tab «Сферум», «Сферум в МАХ» and VK Мессенджер, works on a phone in the app «Моя школа Журнал», and reads МАХ's
download pages.

Files are chosen as a person chooses them, from their computer (Playwright's file chooser in the recorder's page):
the recorder writes the library's «прикрепляет картинку|файл …» from the file's name and type, its size where the
size is what matters (an empty file, one of megabytes). The one who joins the call (F20's classmate, F21's pupil)
sits down at a window of his own from the panel («Открыть окно: …») and his steps are written as his. A flow on a
phone (F02) names the phone in its «Дано», and the recorder's window is that phone's.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Browser, FilePayload, Playwright

from simulator.recorder.capture import Clicked, Place, Typed
from simulator.recorder.library import load
from simulator.recorder.matching import Matcher
from simulator.recorder.session import SCHOOLS
from tests.support.recording import (
    Flow,
    Person,
    es_authorise_in_sferum,
    journal_connect,
    journal_sign_in,
    messenger_chat,
    record_and_run,
    vkid_profile_sign_in,
)

MES = SCHOOLS["mes"]
MAX_WAY = "МЭШ подключает Сферум через МАХ"
LINKED_VIA_VKID = "учитель МЭШ, у которого учебный профиль Сферум привязан через VK ID"
OPENS_MAX = (
    "the same address opened: МАХ's start is written as the library's one step declared for it, «открывает МАХ на "
    "компьютере», which F01's scenario from МАХ says"
)
# What the person has on their computer: a picture and a document (any other bytes would do as well).
PICTURE = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg=="
)
MB = 1024 * 1024
DOCUMENT = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def choose_file(person: Person, name: str, mime: str, data: bytes) -> None:
    """The person picks a file from their computer in «Файл или изображение» and presses «Отправить»."""
    payload: FilePayload = {"name": name, "mimeType": mime, "buffer": data}
    person.page.get_by_label("Файл или изображение", exact=True).set_input_files(files=[payload])
    person.click("button", "Отправить")


def f02(person: Person) -> None:
    """On a phone: МЭШ's app, its top panel's messenger button, МАХ's link to the profile made earlier."""
    journal_sign_in(person)
    person.page.get_by_role("banner").get_by_role("link", name="Мессенджер", exact=True).click()
    person.pause()
    person.check("открывается окно «Мессенджер не подключен»")
    person.click("button", "Перейти к подключению")
    person.fill("Номер телефона", person.own_phone())
    person.click("button", "Продолжить")
    person.fill("Код подтверждения", person.code())
    person.click("button", "Перейти в МАХ")
    person.check("МЭШ сообщает «Ваша учетная запись успешно привязана к учебному профилю Сферум в МАХ.»")
    person.check("учетная запись МЭШ привязана к его прежнему учебному профилю Сферум, теперь он и в МАХ")
    person.click("link", "Перейти в Сферум")
    person.check("открывается «Сферум в МАХ» с его учебным профилем и школой")


def f27(person: Person) -> None:
    """МАХ does not know the number: «здесь» leads to «Скачать МАХ», its stores and computers, and back."""
    journal_sign_in(person)
    journal_connect(person)
    person.fill("Номер телефона", person.own_phone())
    person.click("button", "Продолжить")
    person.check("открывается окно «Вы не зарегистрированы в МАХ»")
    person.check("МАХ сообщает «Для привязки обязательно необходимо скачать приложение МАХ и авторизоваться в нем.»")
    person.click("link", "здесь")
    person.check("открывается окно «Скачать МАХ»")
    person.check("МАХ предлагает скачать приложение:")
    person.click("link", "Windows")
    person.check("открывается окно «МАХ для Windows»")
    person.click("link", "Назад")
    person.click("link", "RuStore")
    person.check("открывается окно «МАХ в RuStore»")
    person.click("link", "Назад")
    person.click("link", "Назад")
    person.check("открывается окно «Вы не зарегистрированы в МАХ»")
    person.check("код подтверждения не отправлен")
    person.check("аккаунт в МАХ не создан")


def f20(student: Person) -> None:
    """ЭШ's tab «Сферум»: the student authorises, writes, sends a picture and calls; the classmate, at a window of his
    own, finds the call among his video conferences and joins it."""
    journal_sign_in(student)
    es_authorise_in_sferum(student)
    student.recording.session.advance(5 * 60)  # the trainer moves the clock: what the console's «Часы» form posts
    student.pause()
    student.page.reload()
    student.pause()
    student.page.get_by_test_id("chat").get_by_role("link", name="10А · Общая беседа", exact=True).click()
    student.pause()
    student.fill("Сообщение", "Кто решил задачу 5?")
    student.click("button", "Отправить")
    choose_file(student, "задача 5.png", "image/png", PICTURE)
    student.check("в чате показана картинка «задача 5.png»")
    student.check("в мире записаны его сообщения и файл «задача 5.png» типа image/png с его размером")
    student.click("button", "Начать звонок")
    student.check("в звонке в чате «10А · Общая беседа» участники: ученик")
    classmate = student.open_window("одноклассник")
    journal_sign_in(classmate)
    classmate.page.get_by_role("navigation", name="Меню").get_by_role("link", name="Сферум", exact=True).click()
    classmate.pause()
    classmate.check("среди видеоконференций одноклассника идёт звонок в чате «10А · Общая беседа»")
    classmate.page.get_by_test_id("ongoing-call").get_by_role("link").click()
    classmate.pause()
    classmate.click("button", "Присоединиться")
    student.page.reload()
    student.pause()
    student.check("в звонке в чате «10А · Общая беседа» участники: ученик, одноклассник")
    student.check(
        "в мире записан звонок в чате «10А · Общая беседа», начатый учеником по часам Сферума, участники: ученик, "
        "одноклассник"
    )


def f21(teacher: Person) -> None:
    """«Сферум в МАХ»: the teacher signs in to МАХ, writes, sends a document and calls; the pupil, at a window of his
    own, joins the call from VK Мессенджер."""
    teacher.fill("Номер телефона", teacher.own_phone())
    teacher.click("button", "Продолжить")
    teacher.fill("Код подтверждения", teacher.code())
    teacher.click("button", "Войти")
    teacher.check("открывается «Сферум в МАХ» с его учебным профилем и школой и её чатами")
    teacher.page.get_by_test_id("chats").get_by_role("link", name="10А · Общая беседа", exact=True).click()
    teacher.pause()
    teacher.fill("Сообщение", "Материалы к уроку")
    teacher.click("button", "Отправить")
    choose_file(teacher, "план урока.pdf", "application/pdf", DOCUMENT)
    teacher.check("в чате файл «план урока.pdf» для скачивания")
    teacher.check("в мире записаны его сообщения и файл «план урока.pdf» типа application/pdf с его размером")
    teacher.click("button", "Начать звонок")
    teacher.check("в звонке в чате «10А · Общая беседа» участники: учитель")
    pupil = teacher.open_window("ученик")
    vkid_profile_sign_in(pupil, after=1)
    pupil.page.get_by_test_id("chat").get_by_role("link", name="10А · Общая беседа", exact=True).click()
    pupil.pause()
    pupil.click("link", "Присоединиться к звонку")
    pupil.click("button", "Присоединиться")
    teacher.page.reload()
    teacher.pause()
    teacher.check("в звонке в чате «10А · Общая беседа» участники: учитель, ученик")
    teacher.check(
        "в мире записан звонок в чате «10А · Общая беседа», начатый учителем по часам Сферума, участники: учитель, "
        "ученик"
    )


def e11_file(name: str, size: int, error: str) -> Callable[[Person], None]:
    """A file the chat refuses, chosen in VK Мессенджер: the error at its field, no message in the world."""

    def walk(person: Person) -> None:
        messenger_chat(person)
        choose_file(person, name, "application/octet-stream", b"0" * size)
        person.check(f"у поля «Файл или изображение» ошибка «{error}»")
        person.check("в мире нет ни одного его сообщения")

    return walk


FLOWS: dict[str, Flow] = {
    "F21": Flow(
        (
            MES,
            "учитель МЭШ, у которого учебный профиль Сферум привязан через МАХ",
            "в Сферуме уже состоят пользователи школы:\n| роль | класс | сколько |\n| ученик | 10А | 1 |",
        ),
        f21,
        start="max",
        differences=(
            ("Когда учитель открывает МАХ", OPENS_MAX),
            ("Когда учитель открывает МАХ на компьютере", OPENS_MAX),
        ),
    ),
    "F20": Flow(
        (
            SCHOOLS["es"],
            "VK ID подтверждает вход по SMS",
            "ученик ЭШ, у которого есть VK ID с паролем и учебный профиль Сферум",
            "его одноклассник уже авторизован в Сферум из ЭШ",
        ),
        f20,
        journal="es",
        persona="student",
    ),
    "F02": Flow(
        (
            MES,
            "учитель МЭШ, у которого есть учебный профиль Сферум и МАХ с тем же номером телефона",
            MAX_WAY,
            "учитель пользуется мобильным приложением «Моя школа Журнал»",
        ),
        f02,
    ),
    "F27": Flow((MES, "учитель МЭШ, у которого нет ни МАХ, ни учебного профиля Сферум", MAX_WAY), f27),
    # E11's empty file, from VK Мессенджер (its blank message is recorded in test_recorder_flows.py): the size is
    # what matters, and what the step says.
    "E11/empty": Flow(
        (MES, LINKED_VIA_VKID),
        e11_file("пусто.txt", 0, "Файл пустой. Выберите другой файл"),
        start="messenger",
        example=2,
    ),
}


@pytest.mark.parametrize("flow_id", sorted(FLOWS))
def test_a_person_records_the_flow_and_the_feature_runs_green(
    flow_id: str, browser: Browser, playwright: Playwright, tmp_path: Path
) -> None:
    record_and_run(flow_id, FLOWS[flow_id], browser, tmp_path, playwright)


@pytest.mark.parametrize(
    ("name", "mime", "size", "written"),
    [
        ("задача 5.png", "image/png", 67, "прикрепляет картинку «задача 5.png» и нажимает «Отправить»"),
        ("план урока.pdf", "application/pdf", 70_000, "прикрепляет файл «план урока.pdf» и нажимает «Отправить»"),
        ("пусто.txt", "text/plain", 0, "прикрепляет файл «пусто.txt» размером 0 байт и нажимает «Отправить»"),
        # Whole megabytes rounded up: a file over a limit of whole megabytes is over it as written too.
        ("урок.mp4", "video/mp4", 3 * MB - 100, "прикрепляет файл «урок.mp4» размером 3 МБ и нажимает «Отправить»"),
        ("урок.mp4", "video/mp4", 2 * MB, "прикрепляет файл «урок.mp4» размером 2 МБ и нажимает «Отправить»"),
    ],
)
def test_a_chosen_file_is_written_by_its_name_its_kind_and_a_size_that_matters(
    name: str, mime: str, size: int, written: str
) -> None:
    place = Place("http://max.localhost/sferum/chats/1", "max", "max-chat")
    chosen = Typed("Файл или изображение", name, False, "file", place, mime, size)
    send = Clicked("button", "Отправить", None, True, place)
    [entry], replaced = Matcher(load(), None, dict, "учитель").match([chosen, send], [])
    assert entry.step is not None and replaced == 0
    assert entry.step.write(entry.values, "учитель") == f"учитель {written}"
