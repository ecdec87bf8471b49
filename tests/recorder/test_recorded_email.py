"""`sferum-sim record` for the e-mail and password flows: a profile by e-mail for a МЭШ child, the password
screens of VK ID (wrong, too short, forgotten) and «Забыли или не установили пароль?».

A person (tests/support/recording.py) types what the panel shows: the child's e-mail and password, the new
password the panel offers for a restore, the codes from the letters and SMS; the written feature must name
them by whose they are («указывает электронную почту …», «вводит код из письма …»), never as literals.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser

from simulator.recorder.library import load
from simulator.recorder.matching import Entry, Matcher
from simulator.recorder.session import SCHOOLS
from tests.support.recording import Flow, Person, about_self, journal_sign_in, record_and_run

MES_CHILD_SCHOOL = "школа «ГБОУ Школа №1501»"
CHILD = "ученик младше 14 лет с учетной записью МЭШ"
CHILD_WITH_PROFILE = "ученик младше 14 лет с учетной записью МЭШ, на почту которого уже создан учебный профиль"
CHILD_WITH_VKID = "ученик младше 14 лет с учетной записью МЭШ, у почты которого есть VK ID без учебного профиля"
OLDER_CHILD = "ученик 14 лет и старше с учетной записью МЭШ"


def own_email(person: Person) -> str:
    """The e-mail the panel shows («Телефон: …   Почта: child@example.org»)."""
    return person.credential_line("Телефон:").split("Почта:")[1].strip()


def mes_child_to_vkid(person: Person, *, look: bool = False) -> None:
    """The child's МЭШ account, its Sferum button, «Перейти к подключению» and the e-mail typed in VK ID;
    `look`: the parent checks the dialog on the way, as F12's scenario does."""
    journal_sign_in(person)
    person.page.get_by_role("navigation", name="Навигационная панель").get_by_role("link", name="Сферум").click()
    person.pause()
    if look:
        person.check("открывается окно «Учебный профиль Сферум не подключен»")
    person.click("button", "Перейти к подключению")
    person.fill("Телефон или почта", own_email(person))
    person.click("button", "Продолжить")


def new_profile_by_email(person: Person) -> None:
    """The code from the letter, the child's password for the new profile, «Информация о себе» with the child's data."""
    person.fill("Код подтверждения", person.code())
    person.click("button", "Продолжить")
    person.fill("Пароль", person.credential("Логин:", 2))
    person.click("button", "Продолжить")
    about_self(person, patronymic=True, who="родитель")


def f12(person: Person) -> None:
    mes_child_to_vkid(person, look=True)
    person.check("VK ID сообщает, что отправил письмо с кодом на эту почту")
    new_profile_by_email(person)
    person.check("открывается окно «Добавление профиля Сферум»")
    person.click("button", "Привязать")
    person.check("МЭШ сообщает «Учебный профиль Сферум привязан к вашей учетной записи МЭШ.»")
    person.check(
        "на платформе создан учебный профиль по почте с введёнными данными, и он привязан к учетной записи МЭШ ученика"
    )


def e12_older(person: Person) -> None:
    rule = (
        "Для учеников младших классов до 14 лет доступно создание учебного профиля Сферум по электронной почте. "
        "Если вам уже исполнилось 14 лет, войдите по номеру телефона."
    )
    mes_child_to_vkid(person)
    person.check(f"ещё до ввода кода VK ID предупреждает: «{rule}»")
    new_profile_by_email(person)
    person.check(f"VK ID показывает ошибку «{rule}»")
    person.check("аккаунт VK ID на эту почту не создан")
    person.check("учетная запись МЭШ не привязана, учебный профиль не создан")
    person.click("button", "Войти по номеру телефона")
    person.check("открывается «Вход в VK ID» с сервисом «МЭШ ВКС»")


def e04_refused(person: Person) -> None:
    mes_child_to_vkid(person)
    person.fill("Пароль", person.credential("Профиль на почте: пароль"))
    person.click("button", "Продолжить")
    person.click("button", "Создать учебный профиль")
    person.check(
        "VK ID показывает ошибку «Через «Создание учебного профиля» зарегистрировать профиль по электронной почте "
        "пока нельзя. Войдите по номеру телефона.»"
    )
    person.check("учетная запись МЭШ не привязана, учебный профиль не создан")
    person.click("button", "Войти по номеру телефона")
    person.check("открывается «Вход в VK ID» с сервисом «МЭШ ВКС»")


def e03_password(person: Person) -> None:
    mes_child_to_vkid(person)
    person.check("VK ID просит пароль: «Используйте пароль, указанный при регистрации с почтой <почта>»")
    person.check("код подтверждения не отправлен")
    person.fill("Пароль", person.credential("Профиль на почте: пароль"))
    person.click("button", "Продолжить")
    person.check("VK ID показывает его учетные данные и кнопку «Продолжить в учебном профиле»")
    person.click("button", "Продолжить в учебном профиле")
    person.click("button", "Продолжить")
    person.click("button", "Привязать")
    person.check("учетная запись МЭШ привязана к его учебному профилю")


def e10_wrong_email_password(person: Person) -> None:
    mes_child_to_vkid(person)
    person.fill("Пароль", "не-тот-пароль")
    person.click("button", "Продолжить")
    person.check("у поля «Пароль» ошибка «Неверный пароль. Осталось попыток: 4»")
    person.check("учетная запись МЭШ не привязана, учебный профиль не создан")
    person.fill("Пароль", person.credential("Профиль на почте: пароль"))
    person.click("button", "Продолжить")
    person.check("VK ID показывает его учетные данные и кнопку «Продолжить в учебном профиле»")


def e10_short_password(person: Person) -> None:
    mes_child_to_vkid(person)
    person.fill("Код подтверждения", person.code())
    person.click("button", "Продолжить")
    person.check("открывается окно «Придумайте пароль»")
    person.fill("Пароль", "12345")
    person.click("button", "Продолжить")
    person.check("у поля «Пароль» ошибка «Пароль должен содержать от 6 до 64 символов»")
    person.check("учетная запись МЭШ не привязана, учебный профиль не создан")
    person.fill("Пароль", person.credential("Логин:", 2))
    person.click("button", "Продолжить")
    person.check("открывается «Информация о себе»")


def f19_email(person: Person) -> None:
    mes_child_to_vkid(person)
    person.click("link", "Забыли или не установили пароль?")
    person.check("открывается окно «Восстановление пароля»")
    new = person.credential("Новый пароль, если восстановите:")
    person.click("button", "Получить код")
    person.fill("Код подтверждения", person.code())
    person.fill("Новый пароль", new)
    person.fill("Повторите пароль", new)
    person.click("button", "Сохранить пароль")
    person.check("VK ID сообщает «Пароль изменён. Войдите с новым паролем.»")
    person.fill("Пароль", person.credential("Профиль на почте: пароль"))
    person.click("button", "Продолжить")
    person.click("button", "Продолжить в учебном профиле")
    person.click("button", "Продолжить")
    person.click("button", "Привязать")
    person.check("учетная запись МЭШ привязана к его учебному профилю")


def restore_by_sms(person: Person) -> None:
    """«Забыли или не установили пароль?» on a phone's password: «12345» refused, then the new password the panel
    offers; signed in with it and the SMS code, on to the profile."""
    person.click("link", "Забыли или не установили пароль?")
    person.check("VK ID предлагает восстановить пароль кодом в SMS на его номер")
    new = person.credential("Новый пароль, если восстановите:")
    person.click("button", "Получить код")
    person.fill("Код подтверждения", person.code())
    person.fill("Новый пароль", "12345")
    person.fill("Повторите пароль", "12345")
    person.click("button", "Сохранить пароль")
    person.check("у поля «Новый пароль» ошибка «Пароль должен содержать от 6 до 64 символов»")
    person.fill("Новый пароль", new)
    person.fill("Повторите пароль", new)
    person.click("button", "Сохранить пароль")
    person.check("VK ID сообщает «Пароль изменён. Войдите с новым паролем.»")
    person.fill("Пароль", person.credential("VK ID: пароль"))
    person.click("button", "Продолжить")
    person.check("VK ID просит подтвердить номер кодом из SMS")
    person.fill("Код подтверждения", person.code(after=1))
    person.click("button", "Продолжить")
    person.click("button", "Продолжить в учебном профиле")
    person.click("button", "Продолжить")


def f19_eljur(person: Person) -> None:
    """ЭлЖур's «Дневник»: a wrong VK password, then a restore by SMS with a too short password first."""
    person.click("button", "Войти через Госуслуги")  # at once, as the scenario signs in: one step
    person.fill("Телефон / Email / СНИЛС", person.credential("Госуслуги:"))
    person.fill("Пароль", person.credential("Госуслуги:", 2))
    person.click("button", "Войти")
    person.click("link", "Дневник")
    person.click("link", "Онлайн-урок")
    person.fill("Телефон или почта", person.own_phone())
    person.click("button", "Продолжить")
    person.fill("Пароль", "не-тот-пароль")
    person.click("button", "Продолжить")
    person.check("у поля «Пароль» ошибка «Неверный пароль. Осталось попыток: 4»")
    person.check("код подтверждения не отправлен")
    person.check("учетная запись ЭлЖур не привязана, учебный профиль не создан")
    restore_by_sms(person)
    person.check("открывается онлайн-урок «Физика» в его учебном профиле")
    person.check("учетная запись ЭлЖур привязана к его учебному профилю")


def e10_locked(person: Person) -> None:
    """ЭШ: four wrong passwords in a row, a fifth locks signing in with a password, even the right one; a new
    password by SMS opens it again."""
    locked = "Превышено число попыток ввода пароля. Повторите попытку через 30 минут или восстановите пароль."
    journal_sign_in(person)
    person.page.get_by_role("navigation", name="Меню").get_by_role("link", name="Авторизация в Сферум").click()
    person.pause()
    person.fill("Телефон или почта", person.own_phone())
    person.click("button", "Продолжить")
    for _ in range(4):
        person.fill("Пароль", "не-тот-пароль")
        person.click("button", "Продолжить")
    person.check("у поля «Пароль» ошибка «Неверный пароль. Осталось попыток: 1»")
    person.fill("Пароль", "не-тот-пароль")
    person.click("button", "Продолжить")
    person.check(f"у поля «Пароль» ошибка «{locked}»")
    person.fill("Пароль", person.credential("VK ID: пароль"))
    person.click("button", "Продолжить")
    person.check(f"у поля «Пароль» ошибка «{locked}»")
    person.check("код подтверждения не отправлен")
    person.check("учетная запись ЭШ не привязана, учебный профиль не создан")
    restore_by_sms(person)
    person.check("ЭШ сообщает «Авторизация в Сферум выполнена: учебный профиль привязан к вашей учетной записи ЭШ.»")
    person.check("учетная запись ЭШ привязана к его учебному профилю")


ABOUT_CHILD = (
    "Когда родитель указывает ФИО, дату рождения и пол ребёнка и нажимает «Продолжить»",
    "the same step, written in its pattern's first wording («…, пол и нажимает …»): the pattern's «и» and «ребёнка» "
    "are optional words no action tells apart",
)
ABOUT_FIRST = ("Когда родитель указывает ФИО, дату рождения, пол и нажимает «Продолжить»", ABOUT_CHILD[1])
EMPTY_LOGIN = (
    "Тогда поле «Телефон или почта» показывает «» как обычный текст",
    "the step is declared (acts.TypedBack) for a field marked invalid, the value the person got wrong; an empty "
    "valid field is on every «Вход в VK ID», where proposing it would say nothing",
)
VK_WORDING = "the same step, in its pattern's first wording («аккаунта VK», as ЭлЖур's scenarios say it)"
FLOWS: dict[str, Flow] = {
    "F12": Flow(
        (MES_CHILD_SCHOOL, CHILD),
        f12,
        persona="parent",
        differences=(ABOUT_CHILD, ABOUT_FIRST),
    ),
    "E12": Flow(
        (MES_CHILD_SCHOOL, OLDER_CHILD),
        e12_older,
        persona="parent",
        differences=(ABOUT_CHILD, ABOUT_FIRST, EMPTY_LOGIN),
    ),
    "E04": Flow((MES_CHILD_SCHOOL, CHILD_WITH_VKID), e04_refused, persona="parent", differences=(EMPTY_LOGIN,)),
    "E03": Flow(
        (MES_CHILD_SCHOOL, CHILD_WITH_PROFILE),
        e03_password,
        persona="parent",
        scenario="система просит его пароль",
        differences=(
            (
                "Тогда учебный профиль не создан",
                "what did not happen after a link: the step declares it (@checks) on a refusal and on VK ID's «←», "
                "where nothing else is offered; after a link it would be offered on МЭШ's cabinet among, or ahead "
                "of, the link's own checks",
            ),
        ),
    ),
    "E10": Flow(
        (MES_CHILD_SCHOOL, CHILD_WITH_PROFILE),
        e10_wrong_email_password,
        persona="parent",
        scenario="Неверный пароль от профиля на почте",
    ),
    "E10/short": Flow(
        (MES_CHILD_SCHOOL, CHILD),
        e10_short_password,
        persona="parent",
        scenario="Слишком короткий пароль",
    ),
    "F19/email": Flow(
        (MES_CHILD_SCHOOL, CHILD_WITH_PROFILE),
        f19_email,
        persona="parent",
        scenario="Пароль от профиля забыт",
    ),
    "E10/es": Flow(
        (SCHOOLS["es"], "ученик ЭШ, у которого есть VK ID с паролем и учебный профиль Сферум"),
        e10_locked,
        journal="es",
        persona="student",
        scenario="Пять неверных паролей",
        differences=(
            ("Когда ученик вводит пароль от аккаунта VK ID и нажимает «Продолжить»", VK_WORDING),
            ("Когда ученик вводит пароль от аккаунта VK и нажимает «Продолжить»", VK_WORDING),
            ("Когда ученик вводит новый пароль от аккаунта VK ID и нажимает «Продолжить»", VK_WORDING),
            ("Когда ученик вводит новый пароль от аккаунта VK и нажимает «Продолжить»", VK_WORDING),
        ),
    ),
    "F19": Flow(
        (
            SCHOOLS["eljur"],
            "ученик ЭлЖур 14 лет и старше с подтвержденной учетной записью Госуслуг, у которого есть аккаунт VK "
            "с паролем и учебный профиль",
        ),
        f19_eljur,
        journal="eljur",
        persona="student",
    ),
}


@pytest.mark.parametrize("flow_id", sorted(FLOWS))
def test_a_person_records_the_flow_and_the_feature_runs_green(flow_id: str, browser: Browser, tmp_path: Path) -> None:
    record_and_run(flow_id, FLOWS[flow_id], browser, tmp_path)


def test_a_step_done_again_right_after_itself_is_one_line_that_counts() -> None:
    """«вводит неверный пароль» typed again is one step «N раз(а) вводит неверный пароль», in the form the number
    asks for; a step whose pattern has no count («нажимает «…»») stays two lines."""
    library = load()
    wrong = next(step for step in library.steps if step.function.__name__ == "enter_wrong_password")
    press = next(step for step in library.steps if step.function.__name__ == "press")
    matcher = Matcher(library, None, dict, "ученик")
    said = {2: "2 раза", 4: "4 раза", 5: "5 раз", 12: "12 раз", 21: "21 раз", 22: "22 раза"}
    for count, times in said.items():
        before = {"times": f"{count - 1} раз "} if count > 2 else {}
        again = matcher.again(Entry("when", wrong, {}), Entry("when", wrong, before))
        assert again is not None and again.step is not None
        assert (
            again.step.write(again.values, "ученик") == f"ученик {times} вводит неверный пароль и нажимает «Продолжить»"
        )
    assert (
        matcher.again(Entry("when", press, {"label": "Продолжить"}), Entry("when", press, {"label": "Продолжить"}))
        is None
    )
    assert matcher.again(Entry("when", wrong, {}), Entry("then", wrong, {})) is None  # a check between: counted anew
