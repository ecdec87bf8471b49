"""The VK ID outcomes a journal is walked through: what the person does and what a correct journal must do.

Each outcome is data; `runner.WALKS` holds the walk its `walk` names. `expects` is "signed_in" (the journal
shows the person signed in) or "refused" (the person meets a clear error: no 5xx page, an error shown, and
no session left — reloading the journal shows its sign-in button again).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Expectation = Literal["signed_in", "refused"]


@dataclass(frozen=True)
class Outcome:
    id: str
    title: str
    does: str  # what the person does, for the report
    expected: str  # what a correct journal does, for the report
    expects: Expectation
    walk: str  # the runner's walk


SIGNED_IN = "Журнал показывает человека вошедшим (текст --signed-in)."
REFUSED = (
    "Журнал показывает понятную ошибку: не страницу 5xx и не вход; после перезагрузки --journal-url снова видна "
    "кнопка входа (--login), а не текст --signed-in."
)

OUTCOMES: tuple[Outcome, ...] = (
    Outcome(
        "O01",
        "Вход с учебным профилем, код по SMS",
        "Вводит номер, код из SMS, «Продолжить в учебном профиле», «Продолжить».",
        SIGNED_IN,
        "signed_in",
        "existing_sms",
    ),
    Outcome(
        "O02",
        "Вход с учебным профилем, код звонком",
        "Вводит номер, последние цифры номера звонка, «Продолжить в учебном профиле», «Продолжить».",
        SIGNED_IN,
        "signed_in",
        "existing_call",
    ),
    Outcome(
        "O03",
        "Новый номер: регистрация в VK ID",
        "Вводит номер без аккаунта, код из SMS, «Информация о себе», «Создать учебный профиль», «Продолжить».",
        SIGNED_IN,
        "signed_in",
        "new_number",
    ),
    Outcome(
        "O04",
        "Повторный вход: VK ID помнит человека",
        "Входит, журнал забывает его (куки журнала стёрты), входит снова: VK ID начинает с «Продолжить в учебном профиле».",
        SIGNED_IN,
        "signed_in",
        "second_sign_in",
    ),
    Outcome(
        "O05",
        "Отказ от входа на экране согласия",
        "Доходит до экрана «Учебный профиль» и нажимает «Отмена»: журнал получает error=access_denied.",
        REFUSED,
        "refused",
        "consent_refused",
    ),
    Outcome(
        "O06",
        "«Невозможно получить идентификационные данные»",
        "Вводит номер; VK ID отвечает ошибкой E02, журнал о входе не узнаёт.",
        REFUSED,
        "refused",
        "identity_unavailable",
    ),
    Outcome(
        "O07",
        "Неверный, затем верный код из SMS",
        "Вводит неверный код, видит ошибку поля, вводит верный.",
        SIGNED_IN,
        "signed_in",
        "wrong_then_right_code",
    ),
    Outcome(
        "O08",
        "Код авторизации истёк до обмена",
        "Завершает вход в VK ID; до возврата в журнал проходит 10 минут 1 секунда.",
        REFUSED,
        "refused",
        "code_expired",
    ),
    Outcome(
        "O09",
        "Возврат в журнал открыт дважды (повтор кода)",
        "Возвращается в журнал и открывает тот же адрес возврата ещё раз.",
        "Второе открытие — понятная ошибка, не 5xx и не повторный вход.",
        "refused",
        "code_replay",
    ),
    Outcome(
        "O10",
        "Подменённый state (CSRF)",
        "Возвращается в журнал со своим кодом, но с чужим state.",
        REFUSED,
        "refused",
        "forged_state",
    ),
    Outcome(
        "O11",
        "Нет state в ответе (CSRF)",
        "Возвращается в журнал со своим кодом без state.",
        REFUSED,
        "refused",
        "missing_state",
    ),
    Outcome(
        "O12",
        "Сбой VK ID при обмене кода",
        "Завершает вход; VK ID отвечает серверу журнала 500 на POST /oauth2/auth.",
        REFUSED,
        "refused",
        "token_failure",
    ),
    Outcome(
        "O13",
        "VK ID не отвечает при обмене кода",
        "Завершает вход; VK ID молчит на POST /oauth2/auth (по умолчанию 8 с), затем 504.",
        REFUSED,
        "refused",
        "token_timeout",
    ),
    Outcome(
        "O14",
        "VK ID отказывает в user_info",
        "Завершает вход; POST /oauth2/user_info отвечает 401 invalid_token.",
        REFUSED,
        "refused",
        "user_info_refused",
    ),
    Outcome(
        "O15",
        "Обновление токена",
        "Входит; проходит час и секунда; открывает журнал снова.",
        "Журнал обновляет токен (grant_type=refresh_token) и показывает человека вошедшим.",
        "signed_in",
        "refresh",
    ),
    Outcome(
        "O16",
        "Выход",
        "Входит и нажимает кнопку выхода (--logout).",
        "Журнал снова показывает кнопку входа и отзывает токен в VK ID (/oauth2/logout или /oauth2/revoke).",
        "refused",
        "logout",
    ),
)

BY_ID = {outcome.id: outcome for outcome in OUTCOMES}
