"""From domain error to wire error: the one table the control plane, the platforms and VK ID's protocol answer
refusals by, and the OpenAPI document describes them from.

A refusal is looked up by its class, the most specific entry first, so a new kind of a known error is
answered as its parent until it has an entry of its own.
"""

from __future__ import annotations

from .clock import ClockError
from .errors import DomainError, WireError
from .validation import ValidationError
from .wire import PREFIX
from .world.chats import ChatRefused
from .world.codes import CodeError
from .world.faults import FAULTS, SETTINGS, InvalidFaultParams, UnknownFault, UnknownSetting
from .world.oauth import OAuthError
from .world.organisations import JoinError
from .world.passwords import PasswordError
from .world.seed import InvalidClient, SeedError
from .world.session import SessionEnded
from .world.snapshot import SnapshotError
from .world.world import InvalidSessionKey, SessionExists, UnknownSession

_SETTINGS_TAKEN = "; ".join(f"{name}: {', '.join(values)}" for name, values in SETTINGS.items())
INVALID_PARAMETER = WireError(
    400, "invalid_parameter", "a parameter is missing or out of range", "Запрос не удалось выполнить: проверьте его."
)

TABLE: dict[type[DomainError], WireError] = {
    UnknownSession: WireError(
        404,
        "unknown_session",
        "no session with this key",
        "Сессия симулятора не найдена.",
        lambda error: f"no session {error.args[0]!r}; create it with POST {PREFIX}/sessions",
    ),
    InvalidSessionKey: INVALID_PARAMETER,
    SessionExists: WireError(
        409, "session_exists", "a session with this key exists already", "Сессия с таким ключом уже есть."
    ),
    SessionEnded: WireError(
        409,
        "session_replaced",
        "the session was reset or deleted while the request was read or held; nothing was changed",
        "Сессию сбросили или удалили, пока выполнялся запрос: ничего не изменилось.",
        # Only a wait for a message outlives its session (world/outbox.py): what it held back is named.
        lambda error: (
            f"session {error.args[0]!r} was reset or deleted during this request; "
            "messages sent after it are not awaited by this request"
        ),
    ),
    SeedError: WireError(
        422,
        "invalid_seed",
        "the seed does not describe a consistent world; nothing was added",
        "Данные для заполнения сессии не подходят: ничего не добавлено.",
    ),
    InvalidClient: WireError(
        422,
        "invalid_client",
        "the OAuth client's registration is incomplete or wrong",
        "Регистрация приложения неполная или неверная.",
    ),
    SnapshotError: WireError(
        422,
        "invalid_snapshot",
        "not a session snapshot this version can load (a field is wrong, or the schema version); nothing changed",
        "Снимок сессии не подходит этой версии симулятора: ничего не изменилось.",
    ),
    UnknownFault: WireError(
        404,
        "unknown_fault",
        "no fault with this name",
        "Такой неисправности нет.",
        lambda error: f"no fault {error.args[0]!r}; available: {', '.join(FAULTS)}",
    ),
    InvalidFaultParams: WireError(
        INVALID_PARAMETER.status,
        INVALID_PARAMETER.code,
        INVALID_PARAMETER.description,
        INVALID_PARAMETER.text,
        lambda error: f"{getattr(error, 'fault', '')}: {error}",
    ),
    UnknownSetting: WireError(
        400,
        "invalid_setting",
        "no such setting, or a value it does not take",
        "Такой настройки нет, или она не принимает это значение.",
        lambda error: f"{error} ({_SETTINGS_TAKEN})",
    ),
    ClockError: INVALID_PARAMETER,
    ValidationError: INVALID_PARAMETER,
    # A person's refusals: the platforms show the error's own Russian message with this status.
    ChatRefused: WireError(
        409, "chat_refused", "the chat's rules do not allow this", "Это действие в чате недоступно."
    ),
    JoinError: WireError(
        409, "join_refused", "the organisation does not take this invitation or request", "Это действие недоступно."
    ),
    CodeError: WireError(400, "code_refused", "the confirmation code is refused", "Код не подошёл."),
    PasswordError: WireError(400, "password_refused", "the password is refused", "Пароль не подошёл."),
    # VK ID's protocol names its own error per refusal (RFC 6749 §5.2); this is what an unnamed one answers.
    OAuthError: WireError(
        400, "invalid_request", "the OAuth request is refused", "Запрос ко входу через VK ID отклонён."
    ),
}


def wire_error(error: DomainError) -> WireError:
    """The table's entry for `error`: its own class's, or its nearest parent's that has one."""
    for kind in type(error).__mro__:
        if kind in TABLE:
            return TABLE[kind]
    raise LookupError(f"{type(error).__name__} has no wire error: add it to error_table.TABLE")
