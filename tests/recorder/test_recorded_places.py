"""`sferum-sim record` for forms and places: Госуслуги's registration, «←» on «Информация о себе», the ЭлЖур online
lesson joined and left, ЭШ's video conference joined from its row, a lesson's address typed by a parent, malformed
input.

Each flow is walked by a person (tests/support/recording.py) in the recorder's window, compared with the
hand-written scenario of its ID and run unchanged (tests/recorder/test_recorder_flows.py says how).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser

from simulator.recorder.session import SCHOOLS
from tests.support.recording import (
    Flow,
    Person,
    about_self,
    es_authorise_in_sferum,
    journal_connect,
    journal_sign_in,
    mes_to_vkid,
    record_and_run,
)

ELJUR = SCHOOLS["eljur"]
FIRST_WORDING = "the same step, written in its pattern's first wording"
NO_PATRONYMIC = (
    (
        "Когда ученик указывает настоящие фамилию, имя, дату рождения, пол, оставляет необязательное «Отчество» пустым "
        "и нажимает «Продолжить»",
        FIRST_WORDING,
    ),
    ("Когда ученик указывает ФИО без отчества, дату рождения, пол и нажимает «Продолжить»", FIRST_WORDING),
)
F24_PART = (
    "F24's part: the class teacher is a second person at a window of their own, and the student goes on only after "
    "the teacher added the phone"
)
F24_STEPS = (
    "Когда классный руководитель входит в ЭлЖур через Госуслуги",
    "Когда классный руководитель открывает раздел «Мой класс»",
    "Тогда в списке класса у ученика написано «Телефон или e-mail не добавлен»",
    "Когда классный руководитель вводит телефон ученика и нажимает «Сохранить»",
    "Тогда ЭлЖур сообщает классному руководителю, что телефон ученика добавлен в журнал",
    "Тогда в журнале у ученика записан телефон, с которым он зарегистрировался на Госуслугах",
    "Когда ученик входит в ЭлЖур через Госуслуги",
    "Когда ученик переходит в раздел «Дневник»",
    "Тогда под уроком «Математика» зеленая кнопка «Онлайн-урок», а под уроком «Литература» ее нет",
)
# -- the walks ---------------------------------------------------------------------------------------


def eljur_sign_in(person: Person) -> None:
    """ЭлЖур's sign-in through Госуслуги with the credentials the panel shows, nothing checked on the way."""
    person.click("button", "Войти через Госуслуги")
    person.fill("Телефон / Email / СНИЛС", person.credential("Госуслуги:"))
    person.fill("Пароль", person.credential("Госуслуги:", 2))
    person.click("button", "Войти")


def f23(person: Person) -> None:
    """A child registers on Госуслуги with their own phone, then tries ЭлЖур before the class teacher added it."""
    person.click("button", "Войти через Госуслуги")
    person.click("link", "Зарегистрироваться")
    person.check("открывается «Регистрация» на Госуслугах")
    person.fill("Фамилия", person.credential("Вы — ученик:", 0))
    person.fill("Имя", person.credential("Вы — ученик:", 1))
    person.fill("Дата рождения", person.credential("Дата рождения:"))
    person.fill("Мобильный телефон или электронная почта", person.own_phone())
    person.click("button", "Зарегистрироваться")
    person.check("Госуслуги просят подтвердить телефон кодом из SMS")
    person.fill("Код подтверждения", person.code())
    person.click("button", "Продолжить")
    person.fill("Пароль", "Mne-12-let!")  # made up there and then, as a child would
    person.fill("Повторите пароль", "Mne-12-let!")
    person.click("button", "Сохранить")
    person.check("открывается окно «Учетная запись создана»")
    person.check("на Госуслугах создана упрощенная учетная запись ученика по телефону")
    person.click("link", "Войти")
    person.fill("Телефон / Email / СНИЛС", person.credential("Госуслуги:"))  # the panel shows the new account
    person.fill("Пароль", person.credential("Госуслуги:", 2))
    person.click("button", "Войти")
    person.check(
        "ЭлЖур сообщает «Вход невозможен: классный руководитель ещё не добавил в журнал телефон или e-mail, с которым "
        "вы зарегистрированы на Госуслугах. Сообщите классному руководителю номер телефона или e-mail, указанный при "
        "регистрации на Госуслугах.»"
    )


def f26(person: Person) -> None:
    """«←» on «Информация о себе» back to the account, nothing made; then the profile made after all."""
    eljur_sign_in(person)
    person.click("link", "Дневник")
    person.click("link", "Онлайн-урок")
    person.fill("Телефон или почта", person.own_phone())
    person.click("button", "Продолжить")
    person.fill("Пароль", person.credential("VK ID: пароль"))
    person.click("button", "Продолжить")
    person.fill("Код подтверждения", person.code())
    person.click("button", "Продолжить")
    person.click("button", "Создать учебный профиль")
    person.check("открывается «Информация о себе»")
    person.click("button", "Назад")  # the «←» before the heading
    person.check("VK ID показывает его учетные данные и кнопку «Создать учебный профиль»")
    person.check("учебный профиль не создан")
    person.click("button", "Создать учебный профиль")
    about_self(person, patronymic=False)
    person.check("открывается онлайн-урок «Физика» в его учебном профиле")
    person.check("на платформе создан учебный профиль с введёнными данными, и он привязан к учетной записи ЭлЖур")


def f31(person: Person) -> None:
    """The lesson's call screen: nobody, the student joins, leaves, and the world keeps the call, ended."""
    eljur_sign_in(person)
    person.click("link", "Дневник")
    person.click("link", "Онлайн-урок")
    person.check("открывается онлайн-урок «Математика» в его учебном профиле")
    person.check("на онлайн-уроке никого нет")
    person.click("button", "Присоединиться к уроку")
    person.check("на онлайн-уроке участники: ученик")
    person.click("button", "Покинуть урок")
    person.check("на онлайн-уроке никого нет")
    person.check("в мире звонок онлайн-урока «Математика» в чате его класса: участники ученик; звонок завершён")


def f32(person: Person) -> None:
    """The student signs in to ЭШ, authorises in Sferum with the profile he has, joins the lesson from its row; the
    classmate, at the second browser the «Дано» opened on the tab «Сферум», sees him in the row and joins too."""
    journal_sign_in(person)
    es_authorise_in_sferum(person)
    person.page.get_by_role("navigation", name="Меню").get_by_role("link", name="Сферум").click()
    person.pause()
    join_from_row(person, "Физика · 10А")
    person.check("на видеоконференции участники: ученик")
    classmate = person.window("одноклассник")
    classmate.check(
        "одноклассник во втором браузере видит у видеоконференции «Физика · 10А» участников: 1 без перезагрузки"
    )
    join_from_row(classmate, "Физика · 10А")
    person.check("ученик видит в звонке участников: ученик, одноклассник без перезагрузки")
    person.check("в мире звонок онлайн-урока «Физика» в чате его класса: участники ученик, одноклассник")


def join_from_row(person: Person, title: str) -> None:
    """«Присоединиться» in this video conference's row of the tab «Сферум»."""
    row = person.page.get_by_test_id("conference").filter(has_text=title)
    row.get_by_role("button", name="Присоединиться", exact=True).click()
    person.pause()


def e06(person: Person) -> None:
    """The parent signs in, sees the child's diary, then types the lesson's address the child shared."""
    eljur_sign_in(person)
    person.click("link", "Дневник")
    person.check("родитель видит уроки ребенка, но не кнопку «Онлайн-урок»")
    session = person.recording.session  # the world the child's link points into, as the console shows it
    lesson = next(ls for ls in session.snapshot("lessons")["lessons"] if ls["subject"] == "Физика")
    person.page.goto(session.url("eljur", f"/lessons/{lesson['id']}"))  # typed into the address bar
    person.pause()
    person.check(
        "ЭлЖур сообщает «Онлайн-урок доступен только ученику, родители урок не увидят. Ученик подключается к уроку "
        "сам, под своей личной учетной записью Госуслуг.»"
    )
    person.check("учетная запись ЭлЖур не привязана, учебный профиль не создан")


def e08_phone(person: Person) -> None:
    """Markup typed where VK ID wants a phone or an e-mail: the field's error, the text shown as it was typed."""
    journal_sign_in(person)
    journal_connect(person)
    person.fill("Телефон или почта", "<b>ivan</b>@mail.ru")
    person.click("button", "Продолжить")
    person.check("у поля «Телефон или почта» ошибка «Неверный формат электронной почты. Пример: name@example.ru»")
    person.check("поле «Телефон или почта» показывает «<b>ivan</b>@mail.ru» как обычный текст")
    person.check("код подтверждения не отправлен")


def e08_about(person: Person) -> None:
    """A script typed as the first name on «Информация о себе», the rest of the form as VK ID filled it."""
    mes_to_vkid(person)
    person.fill("Код подтверждения", person.code())
    person.click("button", "Продолжить")
    person.click("button", "Создать учебный профиль")
    person.fill("Имя", "<script>alert(1)</script>")
    person.click("button", "Продолжить")
    person.check("у поля «Имя» ошибка «Допустимы только буквы, пробел, дефис и апостроф»")
    person.check("поле «Имя» показывает «<script>alert(1)</script>» как обычный текст")
    person.check("учетная запись МЭШ не привязана, учебный профиль не создан")


# -- the flows ---------------------------------------------------------------------------------------

FLOWS: dict[str, Flow] = {
    "F23": Flow(
        (
            ELJUR,
            "ученик ЭлЖур младше 14 лет без учетной записи Госуслуг",
            "классный руководитель его класса с подтвержденной учетной записью Госуслуг",
        ),
        f23,
        journal="eljur",
        persona="student",
        example=0,  # by phone
        differences=(
            (
                "Тогда раздел «Дневник» ему недоступен",
                "the step opens «Дневник» by its address itself, so it cannot be tried on the person's page and "
                "declares no check (@checks)",
            ),
            *((step, F24_PART) for step in F24_STEPS),
        ),
    ),
    "F26": Flow(
        (
            ELJUR,
            "ученик ЭлЖур 14 лет и старше с подтвержденной учетной записью Госуслуг по e-mail, у которого есть "
            "аккаунт VK с паролем, но нет учебного профиля",
        ),
        f26,
        journal="eljur",
        persona="student",
        differences=NO_PATRONYMIC,
    ),
    "F31": Flow(
        (
            ELJUR,
            "ученик ЭлЖур младше 14 лет с упрощенной учетной записью Госуслуг по e-mail, который уже подключался "
            "к онлайн-уроку",
        ),
        f31,
        journal="eljur",
        persona="student",
    ),
    "F32": Flow(
        (
            SCHOOLS["es"],
            "VK ID подтверждает вход по SMS",
            "ученик ЭШ, у которого есть VK ID с паролем и учебный профиль Сферум",
            "его одноклассник уже авторизован в Сферум из ЭШ",
            "второй браузер, в котором одноклассник вошёл в электронный дневник ЭШ",
        ),
        f32,
        journal="es",
        persona="student",
    ),
    "E06": Flow(
        (
            ELJUR,
            "ученик ЭлЖур 14 лет и старше с подтвержденной учетной записью Госуслуг",
            "его родитель с подтвержденной учетной записью Госуслуг",
        ),
        e06,
        journal="eljur",
        persona="parent",
        differences=(
            ("Тогда учетные записи ЭлЖур не привязаны, учебный профиль не создан", FIRST_WORDING),
            ("Тогда учетная запись ЭлЖур не привязана, учебный профиль не создан", FIRST_WORDING),
        ),
    ),
    "E08": Flow(
        (SCHOOLS["mes"], "учитель МЭШ, у которого есть учебный профиль Сферум"),
        e08_phone,
        scenario="«Телефон или почта»",
        example=3,  # markup in the e-mail
    ),
    "E08/about": Flow(
        (SCHOOLS["mes"], "учитель МЭШ, у которого есть VK ID, но нет учебного профиля Сферум"),
        e08_about,
        scenario="«Информация о себе»",
        example=0,  # markup in the first name
        differences=(
            (
                "Тогда учебный профиль не создан",
                "said by the next step too («учетная запись МЭШ не привязана, учебный профиль не создан»), which the "
                "recorder proposes instead, as the check that says more",
            ),
        ),
    ),
}


@pytest.mark.parametrize("flow_id", sorted(FLOWS))
def test_a_person_records_the_flow_and_the_feature_runs_green(flow_id: str, browser: Browser, tmp_path: Path) -> None:
    record_and_run(flow_id, FLOWS[flow_id], browser, tmp_path)
