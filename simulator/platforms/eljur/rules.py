"""Who may enter ЭлЖур and who may join an online lesson; messages are the ones users read."""

from __future__ import annotations

from datetime import date

from ...ages import FOURTEEN, age
from ...world import JournalAccount, Person, Role
from ...world.models import GosuslugiAccount, Lesson

CONFIRMED_FROM_AGE = FOURTEEN  # from 14 a student needs a confirmed Госуслуги account, as adults do

NO_ACCOUNT = (
    "Вход невозможен: пользователь с этой учетной записью Госуслуг в ЭлЖур не найден. Если вы ученик, сообщите "
    "классному руководителю номер телефона или e-mail, с которым вы регистрировались на Госуслугах, для добавления "
    "в журнал."
)
# Seed 003, word for word after «Вход невозможен: …».
NOT_CONFIRMED = (
    "Вход невозможен: ваша учетная запись на Госуслугах не подтверждена. Дети после 14 лет должны подтвердить свою "
    "учетную запись на Госуслугах как взрослые, то есть через МФЦ или если есть личная дебетовая карта Сбербанка "
    "или Открытия в онлайн-банкинге."
)
CONTACT_MISSING = (
    "Вход невозможен: классный руководитель ещё не добавил в журнал телефон или e-mail, с которым вы "
    "зарегистрированы на Госуслугах. Сообщите классному руководителю номер телефона или e-mail, "
    "указанный при регистрации на Госуслугах."
)
PARENT_REFUSED = (
    "Онлайн-урок доступен только ученику, родители урок не увидят. Ученик подключается к уроку сам, "
    "под своей личной учетной записью Госуслуг."
)
NOT_A_STUDENT = "Подключиться к онлайн-уроку может только ученик класса, у которого идёт урок."
NO_LESSON = "Онлайн-урок не найден в вашем дневнике."
NOT_ONLINE = "Этот урок проходит в классе: онлайн-подключения к нему нет."
PROFILE_TAKEN = "Этот учебный профиль уже привязан к другой учетной записи ЭлЖур."


def entry_refusal(
    account: JournalAccount | None, person: Person, gosuslugi: GosuslugiAccount, today: date
) -> str | None:
    """Why this Госуслуги account may not enter ЭлЖур, or None when it may.

    `person` is who Госуслуги says signed in (their birth date is Госуслуги's); a student enters only with the
    Госуслуги account on the phone or e-mail the class teacher entered in the journal.
    """
    if account is None:
        return NO_ACCOUNT
    if account.role is Role.STUDENT:
        # No birth date on record: ЭлЖур cannot tell the student is under 14, so it asks for the stricter level.
        adult = person.birth_date is None or age(person.birth_date, today) >= CONFIRMED_FROM_AGE
        if adult and not gosuslugi.confirmed:
            return NOT_CONFIRMED
        if account.contact != gosuslugi.login:
            return CONTACT_MISSING
    return None


def lesson_refusal(account: JournalAccount, lesson: Lesson | None, diary: list[Lesson]) -> tuple[int, str] | None:
    """(HTTP status, message) when this account may not join the lesson, or None."""
    if account.role is Role.PARENT:
        return 403, PARENT_REFUSED
    if account.role is not Role.STUDENT:
        return 403, NOT_A_STUDENT
    if lesson is None or lesson not in diary:
        return 404, NO_LESSON
    if not lesson.online:
        return 409, NOT_ONLINE
    return None
