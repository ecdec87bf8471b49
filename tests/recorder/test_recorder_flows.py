"""`sferum-sim record` for the flows of docs/flows.md: a scripted person records each one, the feature runs green.

A person (tests/support/recording.py) walks each flow in the recorder's browser; the feature written is
compared with the repository's hand-written scenario for that ID (the differences are the flow's, each
with its reason) and run unchanged, in one pytest sub-run per ID, as `sferum-sim record` runs it. The
flows are spread over this module and its siblings `test_recorded_*.py` (so workers share them out);
the catalogue test below holds the whole list to docs/flows.md: every ID recorded somewhere or listed in
`NOT_YET` with what stands in the way.
"""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from simulator.recorder import Options, Recording, run_feature
from simulator.recorder.session import SCHOOLS
from tests.support.recording import (
    FEATURES,
    Flow,
    Person,
    about_self,
    back_to_sferum,
    catalogue_id,
    eljur_sign_in,
    journal_sign_in,
    max_linked,
    mes_to_max,
    mes_to_vkid,
    messenger_chat,
    record_and_run,
    vkid_profile_sign_in,
    vkid_with_password,
)


def f06(person: Person) -> None:
    journal_sign_in(person)
    person.page.get_by_role("navigation", name="Навигационная панель").get_by_role("link", name="Сферум").click()
    person.check("открывается окно «Мессенджер не подключен»")
    person.click("button", "Перейти к подключению")
    person.check("открывается «Вход в VK ID» с сервисом «МЭШ ВКС»")
    person.fill("Телефон или почта", person.own_phone())
    person.click("button", "Продолжить")
    person.check("VK ID просит подтвердить вход: «Введите последние 4 цифры этого номера»")
    person.fill("Код подтверждения", person.code())
    person.click("button", "Продолжить")
    person.check("VK ID показывает его учетные данные и кнопку «Продолжить в учебном профиле»")
    person.click("button", "Продолжить в учебном профиле")
    person.click("button", "Продолжить")
    person.check("открывается окно «Добавление профиля Сферум»")
    person.click("button", "Привязать")
    person.check("МЭШ сообщает «Учебный профиль Сферум привязан к вашей учетной записи МЭШ.»")
    person.check("МЭШ показывает, что Сферум подключен к его учебному профилю")
    person.check("учетная запись МЭШ привязана к его учебному профилю")
    back_to_sferum(person)


def f07(person: Person) -> None:
    journal_sign_in(person)
    person.page.get_by_role("navigation", name="Навигационная панель").get_by_role("link", name="Сферум").click()
    person.check("открывается окно «Мессенджер не подключен»")
    person.click("button", "Перейти к подключению")
    person.fill("Телефон или почта", person.own_phone())
    person.click("button", "Продолжить")
    person.fill("Код подтверждения", person.code())
    person.click("button", "Продолжить")
    person.check("VK ID показывает его учетные данные и кнопку «Создать учебный профиль»")
    person.click("button", "Создать учебный профиль")
    person.check("открывается «Информация о себе»")
    about_self(person, patronymic=True, who="учитель")
    person.check("открывается окно «Добавление профиля Сферум»")
    person.click("button", "Привязать")
    person.check("МЭШ сообщает «Учебный профиль Сферум привязан к вашей учетной записи МЭШ.»")
    person.check("на платформе создан учебный профиль с введёнными данными, и он привязан к учетной записи МЭШ")
    back_to_sferum(person)


def e02(person: Person) -> None:
    mes_to_vkid(person)
    person.check(
        "VK ID показывает ошибку «Нажата «Продолжить», но произошла ошибка: невозможно получить "
        "идентификационные данные. Подробнее...»"
    )
    person.check("код подтверждения не отправлен")
    person.check("учетная запись МЭШ не привязана, учебный профиль не создан")
    person.recording.session.clear_fault("identity_unavailable")  # the trainer, in the console's «Сбои»
    person.pause()
    person.click("button", "Продолжить")
    person.check("VK ID просит подтвердить номер кодом из SMS")


def f17(person: Person) -> None:
    journal_sign_in(person)
    person.page.get_by_role("navigation", name="Меню").get_by_role("link", name="Авторизация в Сферум").click()
    person.check("открывается «Вход в VK ID» с сервисом «Электронная школа»")
    person.fill("Телефон или почта", person.own_phone())
    person.click("button", "Продолжить")
    person.check("VK ID просит ввести пароль, указанный при регистрации с его телефоном")
    person.fill("Пароль", person.credential("VK ID: пароль"))
    person.click("button", "Продолжить")
    person.check("VK ID просит подтвердить номер кодом из SMS")
    person.fill("Код подтверждения", person.code())
    person.click("button", "Продолжить")
    person.check("VK ID показывает его учетные данные и кнопку «Создать учебный профиль»")
    person.click("button", "Создать учебный профиль")
    person.check("открывается «Информация о себе»")
    about_self(person, patronymic=True)
    person.check("ЭШ сообщает «Авторизация в Сферум выполнена: учебный профиль привязан к вашей учетной записи ЭШ.»")
    person.check("на платформе создан учебный профиль с введёнными данными, и он привязан к учетной записи ЭШ")
    person.check("его учебный профиль добавлен в информационный канал школы «Объявления» и в чат «10А · Общая беседа»")


def e05_expired(person: Person) -> None:
    mes_to_vkid(person)
    code = person.code()
    person.recording.session.advance(6 * 60)  # the trainer moves the clock: what the console's «Часы» form posts
    person.pause()
    person.fill("Код подтверждения", code)
    person.click("button", "Продолжить")
    person.check("у поля «Код подтверждения» ошибка «Срок действия кода истёк. Запросите новый код.»")
    person.click("button", "Получить новый код")
    person.fill("Код подтверждения", person.code(after=1))
    person.click("button", "Продолжить")
    person.check("VK ID показывает его учетные данные и кнопку «Продолжить в учебном профиле»")


def f13(person: Person) -> None:
    eljur_sign_in(person)
    person.click("link", "Дневник")
    vkid_with_password(person, "ЭлЖур")
    person.check("VK ID показывает его учетные данные и кнопку «Продолжить в учебном профиле»")
    person.click("button", "Продолжить в учебном профиле")
    person.click("button", "Продолжить")
    person.check("открывается онлайн-урок «Физика» в его учебном профиле")
    person.check("учетная запись ЭлЖур привязана к его учебному профилю")


def f14(person: Person) -> None:
    eljur_sign_in(person)
    person.click("link", "Дневник")
    vkid_with_password(person, "ЭлЖур")
    person.check("VK ID показывает его учетные данные и кнопку «Создать учебный профиль»")
    person.click("button", "Создать учебный профиль")
    person.check("открывается «Информация о себе»")
    about_self(person, patronymic=False)
    person.check("открывается онлайн-урок «Физика» в его учебном профиле")
    person.check("на платформе создан учебный профиль с введёнными данными, и он привязан к учетной записи ЭлЖур")


def f15(person: Person) -> None:
    eljur_sign_in(person)
    person.click("link", "Дневник")
    person.click("link", "Онлайн-урок")
    person.fill("Телефон или почта", person.own_phone())
    person.click("button", "Продолжить")
    person.check("VK ID просит подтвердить номер кодом из SMS")
    person.fill("Код подтверждения", person.code())
    person.click("button", "Продолжить")
    person.check("открывается «Информация о себе»")
    about_self(person, patronymic=True)
    person.check("VK ID показывает его учетные данные и кнопку «Создать учебный профиль»")
    person.click("button", "Создать учебный профиль")
    person.click("button", "Продолжить")
    person.check("открывается онлайн-урок «Математика» в его учебном профиле")
    person.check("на платформе создан учебный профиль с введёнными данными, и он привязан к учетной записи ЭлЖур")


def f16(person: Person) -> None:
    eljur_sign_in(person)
    person.click("link", "Дневник")
    person.click("link", "Онлайн-урок")
    person.check("открывается онлайн-урок «Математика» в его учебном профиле")


def e07_unconfirmed(person: Person) -> None:
    eljur_sign_in(person)
    person.check(
        "ЭлЖур сообщает «Вход невозможен: ваша учетная запись на Госуслугах не подтверждена. Дети после 14 лет "
        "должны подтвердить свою учетную запись на Госуслугах как взрослые, то есть через МФЦ или если есть личная "
        "дебетовая карта Сбербанка или Открытия в онлайн-банкинге.»"
    )
    person.check("учетная запись ЭлЖур не привязана, учебный профиль не создан")


def f01(person: Person) -> None:
    mes_to_max(person)
    person.fill("Код подтверждения", person.code())
    person.click("button", "Перейти в МАХ")
    max_linked(person, "учетная запись МЭШ привязана к его учебному профилю Сферум в МАХ")


def f04(person: Person) -> None:
    mes_to_max(person, look=False)
    person.check("открывается окно «Вы не зарегистрированы в МАХ»")
    person.click("link", "Зарегистрироваться в МАХ")
    person.check("открывается окно «Регистрация в МАХ»")
    person.fill("Фамилия", "<b>Иванов</b>")
    person.fill("Имя", person.credential("Вы — учитель:", 1))
    person.click("button", "Продолжить")
    person.check("у поля «Фамилия» ошибка «Допустимы только буквы, пробел, дефис и апостроф»")
    person.fill("Фамилия", person.credential("Вы — учитель:", 0))
    person.fill("Отчество (необязательно)", person.credential("Вы — учитель:", 2))
    person.click("button", "Продолжить")
    person.fill("Код подтверждения", person.code())
    person.click("button", "Перейти в МАХ")
    person.check("открывается окно «Учебный профиль Сферум»")
    person.fill("Дата рождения", person.credential("Дата рождения:"))
    person.page.get_by_label("Пол", exact=True).select_option(label=person.credential("Дата рождения:", 2))
    person.click("button", "Создать учебный профиль")
    max_linked(
        person,
        "в МАХ зарегистрирован аккаунт с его ФИО, в МАХ создан его учебный профиль, и он привязан к учетной записи МЭШ",
    )


def e09(person: Person) -> None:
    mes_to_max(person, look=False)
    person.check("открывается окно «Вы не зарегистрированы в МАХ»")
    person.check("МАХ сообщает «Для привязки обязательно необходимо скачать приложение МАХ и авторизоваться в нем.»")
    person.check("код подтверждения не отправлен")
    person.check("аккаунт в МАХ не создан")
    person.check("учетная запись МЭШ не привязана, учебный профиль не создан")


def e01(person: Person) -> None:
    mes_to_max(person, look=False)
    person.fill("Код подтверждения", person.code())
    person.click("button", "Перейти в МАХ")
    person.check("МАХ показывает ошибку: привязка не работает при включенном VPN")
    person.check("учетная запись МЭШ не привязана, учебный профиль не создан")
    person.recording.session.clear_fault("vpn")  # the trainer, in the console's «Сбои»
    person.pause()
    person.click("button", "Перейти в МАХ")
    person.check("МЭШ сообщает «Ваша учетная запись успешно привязана к учебному профилю Сферум в МАХ.»")
    person.check("учетная запись МЭШ привязана к его учебному профилю Сферум в МАХ")


def f03(person: Person) -> None:
    journal_sign_in(person)
    person.page.get_by_role("navigation", name="Навигационная панель").get_by_role("link", name="Сферум").click()
    person.check("открывается окно «Вход в МАХ»")
    person.fill("Номер телефона", person.own_phone())
    person.click("button", "Продолжить")
    person.fill("Код подтверждения", person.code())
    person.click("button", "Войти")
    person.check("открывается «Сферум в МАХ» с его учебным профилем и школой и её чатами")


def f01_from_max(person: Person) -> None:
    """The МАХ start: МАХ opened on the computer first, registered with the persona's name, then the link."""
    person.check("открывается окно «Вход в МАХ»")
    person.fill("Номер телефона", person.own_phone())
    person.click("button", "Продолжить")
    person.check("открывается окно «Вы не зарегистрированы в МАХ»")
    person.click("link", "Зарегистрироваться в МАХ")
    person.fill("Фамилия", person.credential("Вы — учитель:", 0))
    person.fill("Имя", person.credential("Вы — учитель:", 1))
    person.fill("Отчество (необязательно)", person.credential("Вы — учитель:", 2))
    person.click("button", "Продолжить")
    person.fill("Код подтверждения", person.code())
    person.click("button", "Войти")
    person.check("МАХ открыт под его настоящими ФИО")
    person.check("в МАХ зарегистрирован аккаунт с его ФИО, учебного профиля пока нет")
    person.page.goto(person.recording.session.url("mes", "/"))  # the person switches to МЭШ's tab
    person.pause()
    mes_to_max(person, request=False)
    person.fill("Код подтверждения", person.code(after=1))
    person.click("button", "Перейти в МАХ")
    person.check("открывается окно «Учебный профиль Сферум»")
    person.fill("Дата рождения", person.credential("Дата рождения:"))
    person.page.get_by_label("Пол", exact=True).select_option(label=person.credential("Дата рождения:", 2))
    person.click("button", "Создать учебный профиль")
    max_linked(
        person,
        "в МАХ зарегистрирован аккаунт с его ФИО, в МАХ создан его учебный профиль, и он привязан к учетной записи МЭШ",
    )


def e11_blank(person: Person) -> None:
    """VK Мессенджер's start: signed in through VK ID, a message of spaces refused."""
    messenger_chat(person)
    person.fill("Сообщение", "   ")
    person.click("button", "Отправить")
    person.check("у поля «Сообщение» ошибка «Введите текст сообщения или прикрепите файл»")
    person.check("в мире нет ни одного его сообщения")


def f11_invitation(person: Person) -> None:
    """The administrator's start: sferum.ru's cabinet, an invitation to the user by the phone the panel shows."""
    person.click("link", "Войти")
    vkid_profile_sign_in(person)
    user_phone = person.credential_line("Пользователь:").split("Телефон:")[1].split("Почта:")[0]
    person.fill("Телефон, почта или ID профиля", "+" + re.sub(r"\D", "", user_phone))
    person.page.get_by_label("Тип пользователя", exact=True).select_option(label="Педагог")
    person.click("button", "Отправить приглашение")
    person.check("sferum.ru сообщает, что приглашение отправлено на его номер, и показывает его среди приглашений")


def f05_unlink(person: Person) -> None:
    journal_sign_in(person)
    person.click("link", "Мой паспорт")
    person.page.get_by_role("navigation", name="Разделы паспорта").get_by_role("link", name="Безопасность").click()
    person.check("МЭШ показывает, что аккаунт «МЭШ» привязан к учебному профилю Сферум, и id аккаунта")
    person.click("link", "Отвязать аккаунт «Сферум»")
    person.check('открывается окно «Удаление профиля "Сферум"»')
    person.check("МЭШ сообщает «Вы действительно хотите отвязать аккаунт «Сферум» от вашей учетной записи?»")
    person.click("link", "Отменить")
    person.click("link", "Отвязать аккаунт «Сферум»")
    person.click("button", "Отвязать")
    person.check("МЭШ сообщает «Аккаунт «Сферум» отвязан от вашей учетной записи.»")
    person.check("МЭШ показывает, что аккаунт «МЭШ» не привязан к учебному профилю Сферум")
    person.check("учетная запись МЭШ отвязана от учебного профиля, учебный профиль сохранён")


ELJUR = SCHOOLS["eljur"]
SIGN_IN_SPLIT = (
    "Когда ученик входит в ЭлЖур через Госуслуги",
    "the person checked Госуслуги's «Вход» on the way, so the sign-in is written as its two steps with "
    "the check between («открывает ЭлЖур и нажимает «Войти через Госуслуги»», «вводит свой телефон …»)",
)
OPEN_ELJUR = ("Когда ученик открывает ЭлЖур и нажимает «Войти через Госуслуги»", SIGN_IN_SPLIT[1])
TYPE_GOSUSLUGI = ("Когда ученик вводит свой телефон и пароль от Госуслуг и нажимает «Войти»", SIGN_IN_SPLIT[1])
GOSUSLUGI_LOGIN = ("Тогда открывается «Вход» на Госуслугах", SIGN_IN_SPLIT[1])
DIARY_BUTTONS = (
    "Тогда под уроком «{online}» зеленая кнопка «Онлайн-урок», а под уроком «{other}» ее нет",
    "names a lesson without the button, which the page does not single out: no step declares it as a check",
)
EXPLAINS = "VK ID's explanations are three steps of fixed sentences the recorder does not propose (no @checks)"

NOT_DECLARED = "a check of what did not happen that no step declares (@checks), so the recorder cannot propose it"
MES = SCHOOLS["mes"]
ABOUT_WORDING = "the same step, written without the optional «настоящие»"
FIRST_WORDING = "the same step, in its pattern's first wording"
SMS_SCREEN = (
    "two steps check VK ID's SMS screen; the recorder proposes the one that checks more of it (the masked number, "
    "the countdown)"
)
MAX_WAY = "МЭШ подключает Сферум через МАХ"
MAX_COUNTDOWN = (
    "Тогда МАХ просит ввести код из SMS: «SMS придёт в течение 01:59»",
    "the countdown's text changes every second of the recording's running clock: not proposed",
)
MAX_REGISTRATION_COUNTDOWN = (
    "Тогда МАХ просит ввести код подтверждения регистрации из SMS: «SMS придёт в течение 01:59»",
    MAX_COUNTDOWN[1],
)
INVITED_USER = "the invited user's part: a second person, not the administrator at the recorder's window"
F11_USER_PART = (
    "Когда пользователь входит в Сферум в VK Мессенджере",
    'Тогда в Сферуме приглашение в организацию «МБДОУ "Детский сад №7" Вахитовского района г. Казани»',
    "Когда пользователь открывает «Организации» в VK Мессенджере",
    'Тогда в разделе «Приглашения» приглашение от «МБДОУ "Детский сад №7" Вахитовского района г. Казани» как «Педагог»',
    "Когда пользователь нажимает «Принять»",
    'Тогда Сферум сообщает «Вы прикреплены к организации «МБДОУ "Детский сад №7" Вахитовского района г. Казани». '
    "Её чаты появятся в течение нескольких минут.»",
    "Тогда учебный профиль пользователя прикреплён к организации как «teacher»",
    "Тогда в личном кабинете приглашение пользователя принято",
    "Когда пользователь открывает чаты в VK Мессенджере",
    "Тогда в Сферуме сказано, что чаты создаются, и чатов пока нет",
    "Когда проходит 5 минут",
    "Когда пользователь обновляет страницу",
    "Тогда в Сферуме «Чаты 3», в списке:",
)
# An ID with several hand-written scenarios may be recorded more than once: «F01/max» is F01 from МАХ's start.
FLOWS: dict[str, Flow] = {
    "F01": Flow(
        (MES, "учитель МЭШ, у которого есть МАХ и учебный профиль Сферум в МАХ", MAX_WAY),
        f01,
        scenario="Привязка с компьютера",
        differences=(MAX_COUNTDOWN,),
    ),
    "F01/max": Flow(
        (MES, "учитель МЭШ, у которого нет ни МАХ, ни учебного профиля Сферум", MAX_WAY),
        f01_from_max,
        scenario="Шаг 1 с компьютера",
        start="max",
        differences=(MAX_COUNTDOWN, MAX_REGISTRATION_COUNTDOWN),
    ),
    "E11": Flow(
        (MES, "учитель МЭШ, у которого учебный профиль Сферум привязан через VK ID"),
        e11_blank,
        start="messenger",
        example=1,
    ),
    "F11": Flow(
        (
            'детский сад «МБДОУ "Детский сад №7" Вахитовского района г. Казани»',
            "у организации есть администратор на sferum.ru",
            "педагог с учебным профилем Сферум в VK ID, не прикреплённым к организации",
        ),
        f11_invitation,
        persona="admin",
        scenario="Детский сад",
        differences=(
            (
                "Тогда на его номер пришло SMS с приглашением от организации",
                "the SMS is a notice, not an event of the world's log: no step can be proposed on it",
            ),
            ("Тогда учебный профиль пользователя не прикреплён к организации", NOT_DECLARED),
            *((step, INVITED_USER) for step in F11_USER_PART),
        ),
    ),
    "F05": Flow(
        (MES, "учитель МЭШ, у которого учебный профиль Сферум привязан через VK ID"),
        f05_unlink,
        differences=(
            (
                "Тогда учетная запись МЭШ по-прежнему привязана к учебному профилю",
                "after «Отменить» nothing happened: " + NOT_DECLARED,
            ),
        ),
    ),
    "F03": Flow(
        (MES, "учитель МЭШ, у которого учебный профиль Сферум привязан через МАХ", MAX_WAY),
        f03,
        differences=(("Тогда привязка прежняя: новая не создана", NOT_DECLARED),),
    ),
    "F04": Flow(
        (MES, "учитель МЭШ, у которого нет ни МАХ, ни учебного профиля Сферум", MAX_WAY),
        f04,
        differences=(MAX_REGISTRATION_COUNTDOWN,),
    ),
    "E09": Flow((MES, "учитель МЭШ, у которого нет ни МАХ, ни учебного профиля Сферум", MAX_WAY), e09),
    "E01": Flow(
        (MES, "учитель МЭШ, у которого есть МАХ и учебный профиль Сферум в МАХ", MAX_WAY, "у учителя включен VPN"),
        e01,
    ),
    "F06": Flow(
        (MES, "учитель МЭШ, у которого есть учебный профиль Сферум, и вход по номеру телефона он подтверждает звонком"),
        f06,
        scenario="Привязка при наличии учебного профиля Сферум",
    ),
    "F07": Flow(
        (MES, "учитель МЭШ, у которого есть VK ID, но нет учебного профиля Сферум"),
        f07,
        scenario="Привязка при отсутствии учебного профиля Сферум",
        differences=(
            ("Когда учитель указывает настоящие ФИО, дату рождения, пол и нажимает «Продолжить»", ABOUT_WORDING),
            ("Когда учитель указывает ФИО, дату рождения, пол и нажимает «Продолжить»", ABOUT_WORDING),
        ),
    ),
    "E02": Flow(
        (
            MES,
            "учитель МЭШ, у которого нет ни VK ID, ни учебного профиля Сферум",
            "VK ID не может получить идентификационные данные",
        ),
        e02,
        scenario="«Продолжить» нажата, но VK ID не может получить идентификационные данные",
        differences=(
            (
                "Когда учитель снова нажимает «Продолжить» на экране «Вход в VK ID»",
                "the same step, written without the optional «снова»",
            ),
            ("Когда учитель нажимает «Продолжить» на экране «Вход в VK ID»", "the same step, without «снова»"),
        ),
    ),
    "E07": Flow(
        (
            ELJUR,
            "ученик ЭлЖур 14 лет и старше с упрощенной учетной записью Госуслуг, у которого есть аккаунт VK "
            "с паролем и учебный профиль",
        ),
        e07_unconfirmed,
        journal="eljur",
        persona="student",
        differences=(
            SIGN_IN_SPLIT,
            OPEN_ELJUR,
            TYPE_GOSUSLUGI,
            GOSUSLUGI_LOGIN,
            ("Тогда раздел «Дневник» ему недоступен", NOT_DECLARED),
        ),
    ),
    "E05": Flow(
        (
            SCHOOLS["mes"],
            "учитель МЭШ, у которого есть учебный профиль Сферум, и вход по номеру телефона он подтверждает по SMS",
        ),
        e05_expired,
        scenario="Код из SMS истёк",
        differences=(
            (
                "Тогда VK ID показывает отсчёт «SMS придёт в течение 01:59»",
                "the countdown's text changes every second of the recording's running clock: not proposed",
            ),
        ),
    ),
    "F16": Flow(
        (
            ELJUR,
            "ученик ЭлЖур младше 14 лет с упрощенной учетной записью Госуслуг по e-mail, который уже подключался "
            "к онлайн-уроку",
        ),
        f16,
        journal="eljur",
        persona="student",
        differences=(
            SIGN_IN_SPLIT,
            OPEN_ELJUR,
            TYPE_GOSUSLUGI,
            GOSUSLUGI_LOGIN,
            ("Тогда экраны VK ID не открывались", NOT_DECLARED),
            ("Тогда новая привязка и новый учебный профиль не созданы", NOT_DECLARED),
        ),
    ),
    "F17": Flow(
        (SCHOOLS["es"], "ученик ЭШ, у которого есть VK ID с паролем, но нет учебного профиля Сферум"),
        f17,
        journal="es",
        persona="student",
        scenario="Вариант 2",
        differences=(
            ("Тогда VK ID просит ввести пароль от аккаунта VK ID", FIRST_WORDING),
            ("Тогда VK ID просит ввести пароль, указанный при регистрации с его телефоном", FIRST_WORDING),
            ("Когда ученик вводит пароль от аккаунта VK ID и нажимает «Продолжить»", FIRST_WORDING),
            ("Когда ученик вводит пароль от аккаунта VK и нажимает «Продолжить»", FIRST_WORDING),
            ("Тогда VK ID просит подтвердить вход: «Мы отправили SMS с кодом на номер»", SMS_SCREEN),
            ("Тогда VK ID просит подтвердить номер кодом из SMS", SMS_SCREEN),
            ("Когда ученик указывает настоящие ФИО, дату рождения, пол и нажимает «Продолжить»", ABOUT_WORDING),
            ("Когда ученик указывает ФИО, дату рождения, пол и нажимает «Продолжить»", ABOUT_WORDING),
            (
                "Тогда в меню ЭШ есть вкладка «Сферум», а вкладки «Авторизация в Сферум» нет",
                "the menu's tabs are not declared as a check (@checks): the recorder cannot propose it",
            ),
        ),
    ),
    "F13": Flow(
        (
            ELJUR,
            "ученик ЭлЖур 14 лет и старше с подтвержденной учетной записью Госуслуг, у которого есть аккаунт VK "
            "с паролем и учебный профиль",
        ),
        f13,
        journal="eljur",
        persona="student",
        differences=(
            (DIARY_BUTTONS[0].format(online="Физика", other="История"), DIARY_BUTTONS[1]),
            (
                "Тогда VK ID объясняет: «VK Мессенджер и VK Звонки можно использовать для учебных коммуникаций»",
                EXPLAINS,
            ),
            ("Тогда VK ID объясняет: «Для этого используйте учебный профиль VK ID»", EXPLAINS),
            ("Тогда VK ID объясняет: «Ваш профиль ВКонтакте никто не увидит»", EXPLAINS),
        ),
    ),
    "F14": Flow(
        (
            ELJUR,
            "ученик ЭлЖур 14 лет и старше с подтвержденной учетной записью Госуслуг по e-mail, у которого есть "
            "аккаунт VK с паролем, но нет учебного профиля",
        ),
        f14,
        journal="eljur",
        persona="student",
        differences=(
            SIGN_IN_SPLIT,
            OPEN_ELJUR,
            (
                "Когда ученик вводит свой телефон и пароль от Госуслуг и нажимает «Войти»",
                "the same step: its pattern's first wording says «телефон» whichever login the account has",
            ),
            GOSUSLUGI_LOGIN,
            (
                "Когда ученик указывает настоящие фамилию, имя, дату рождения, пол, оставляет необязательное "
                "«Отчество» пустым и нажимает «Продолжить»",
                "the same step, written in its pattern's first wording",
            ),
            (
                "Когда ученик указывает ФИО без отчества, дату рождения, пол и нажимает «Продолжить»",
                "the same step, written in its pattern's first wording",
            ),
        ),
    ),
    "F15": Flow(
        (
            ELJUR,
            "ученик ЭлЖур младше 14 лет с упрощенной учетной записью Госуслуг по телефону, у которого нет аккаунта VK",
        ),
        f15,
        journal="eljur",
        persona="student",
        differences=(
            SIGN_IN_SPLIT,
            OPEN_ELJUR,
            TYPE_GOSUSLUGI,
            GOSUSLUGI_LOGIN,
            (DIARY_BUTTONS[0].format(online="Математика", other="Литература"), DIARY_BUTTONS[1]),
            (
                "Когда ученик указывает настоящие ФИО, дату рождения, пол и нажимает «Продолжить»",
                "the same step, written without the optional «настоящие»",
            ),
            (
                "Когда ученик указывает ФИО, дату рождения, пол и нажимает «Продолжить»",
                "the same step, written without the optional «настоящие»",
            ),
        ),
    ),
}


# IDs of docs/flows.md not recorded here yet, and what stands in the way.
NO_STEP = "no «Когда» step of the library declares its actions (@acts) yet"
NOT_YET: dict[str, str] = {
    "F33": "a classroom of trainees: many sessions, not one recording",
}


def test_every_flow_of_the_catalogue_is_recorded_or_says_why_not() -> None:
    catalogue = (FEATURES.parent / "docs" / "flows.md").read_text(encoding="utf-8")
    ids = set(re.findall(r"^### ([FE]\d+) ", catalogue, flags=re.MULTILINE))
    assert ids, "docs/flows.md lists no flows"
    recorded = {catalogue_id(key) for key in FLOWS}
    for sibling in sorted(Path(__file__).parent.glob("test_recorded_*.py")):
        recorded |= {catalogue_id(key) for key in importlib.import_module(f"tests.recorder.{sibling.stem}").FLOWS}
    assert recorded & set(NOT_YET) == set(), "an ID both recorded and listed as not yet"
    assert ids == recorded | set(NOT_YET), f"unaccounted: {sorted(ids ^ (recorded | set(NOT_YET)))}"


@pytest.mark.parametrize("flow_id", sorted(FLOWS))
def test_a_person_records_the_flow_and_the_feature_runs_green(flow_id: str, browser: Browser, tmp_path: Path) -> None:
    record_and_run(flow_id, FLOWS[flow_id], browser, tmp_path)


def test_a_form_filled_with_values_of_the_persons_choosing_is_one_step_with_a_table(
    browser: Browser, tmp_path: Path
) -> None:
    """«Информация о себе» with another first name and no patronymic: the library's one step for the screen, its
    table naming only what differs from the persona's own data; the check of the profile made reads those values."""
    givens = (MES, "учитель МЭШ, у которого есть VK ID, но нет учебного профиля Сферум")
    options = Options(givens=givens, headless=True, title="Другое имя")
    with Recording(options, browser=browser) as recording:
        person = Person(recording)
        mes_to_vkid(person)
        person.fill("Код подтверждения", person.code())
        person.click("button", "Продолжить")
        person.click("button", "Создать учебный профиль")
        person.fill("Фамилия", person.credential("Вы — учитель:", 0))
        person.fill("Имя", "Анна-Мария")
        person.fill("Дата рождения", person.credential("Дата рождения:"))
        person.page.get_by_label("Пол", exact=True).select_option(label=person.credential("Дата рождения:", 2))
        person.click("button", "Продолжить")
        person.click("button", "Привязать")
        person.check("на платформе создан учебный профиль с введёнными данными, и он привязан к учетной записи МЭШ")
        text = recording.feature_text()
        assert recording.placeholders() == [], text
    lines = [line.strip() for line in text.splitlines()]
    step = lines.index("И указывает о себе и нажимает «Продолжить»:")  # after «нажимает «Создать учебный профиль»»
    table = [[cell.strip() for cell in line.strip("|").split("|")] for line in lines[step + 1 : step + 4]]
    assert table == [["поле", "значение"], ["Имя", "Анна-Мария"], ["Отчество (необязательно)", ""]], text
    assert not lines[step + 4].startswith("|"), text
    written = tmp_path / "table.feature"
    written.write_text(text, encoding="utf-8")
    verdict = run_feature(written)
    assert verdict.passed, verdict.describe(written) + verdict.output[-2000:]
