"""Input rules shared by every form and by the control plane; messages are the ones users see."""

from __future__ import annotations

import re
from datetime import date, datetime

from .errors import DomainError

NAME_MAX = 50
EMAIL_MAX = 254
PASSWORD_MIN = 6
PASSWORD_MAX = 64
MESSAGE_MAX = 4096  # VK Messenger's limit for one message
CHAT_TITLE_MAX = 100
FILE_MAX = 2 * 1024 * 1024  # one file or picture per message; the whole world is kept as JSON
FILE_NAME_MAX = 255
FILE_TOO_LARGE = f"Файл слишком большой: можно отправить файл не больше {FILE_MAX // (1024 * 1024)} МБ"

_NAME = re.compile(r"[A-Za-zА-Яа-яЁё]+(?:[ '\-][A-Za-zА-Яа-яЁё]+)*")
_EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}")
_PHONE_SEPARATORS = re.compile(r"[\s()\-]")
# A date written the right way round whose day or month is out of range (31.02.1980): not a format error.
_DATE_SHAPE = re.compile(r"\d{1,2}\.\d{1,2}\.\d{4}|\d{4}-\d{2}-\d{2}")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


class ValidationError(DomainError, ValueError):
    """A field value was refused; `message` is shown to the user next to `field`."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


def _text(value: object, field: str) -> str:
    """Form values are strings; JSON seeds may hold anything else, which is refused, not crashed on."""
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValidationError(field, "Ожидается текст")
    return value


def phone(value: object, field: str = "phone") -> str:
    """Normalise a Russian mobile number to +7XXXXXXXXXX."""
    digits = _PHONE_SEPARATORS.sub("", _text(value, field).strip())
    if digits.startswith("8") and len(digits) == 11:
        digits = "+7" + digits[1:]
    elif digits.startswith("7") and len(digits) == 11:
        digits = "+" + digits
    elif len(digits) == 10 and digits.isdigit():
        digits = "+7" + digits
    if not re.fullmatch(r"\+7\d{10}", digits):
        raise ValidationError(field, "Неверный формат номера телефона. Пример: +7 999 123-45-67")
    return digits


def email(value: object, field: str = "email") -> str:
    value = _text(value, field).strip()
    if len(value) > EMAIL_MAX or not _EMAIL.fullmatch(value):
        raise ValidationError(field, "Неверный формат электронной почты. Пример: name@example.ru")
    return value.lower()


def looks_like_email(value: str) -> bool:
    return "@" in value


def login(value: object, field: str = "login") -> tuple[str, str]:
    """A «Телефон или почта» value: returns ("phone" | "email", normalised value)."""
    value = required(value, field)
    if looks_like_email(value):
        return "email", email(value, field)
    return "phone", phone(value, field)


def required(value: object, field: str) -> str:
    value = _text(value, field).strip()
    if not value:
        raise ValidationError(field, "Заполните это поле")
    return value


def name(value: object, field: str, *, optional: bool = False) -> str | None:
    value = _text(value, field).strip()
    if not value:
        if optional:
            return None
        raise ValidationError(field, "Заполните это поле")
    if len(value) > NAME_MAX:
        raise ValidationError(field, f"Не больше {NAME_MAX} символов")
    if not _NAME.fullmatch(value):
        raise ValidationError(field, "Допустимы только буквы, пробел, дефис и апостроф")
    return value


def birth_date(value: object, today: date, field: str = "birth_date") -> date:
    value = required(value, field)
    for fmt in ("%d.%m.%Y", "%Y-%m-%d"):
        try:
            parsed = datetime.strptime(value, fmt).date()
            break
        except ValueError:
            continue
    else:
        if _DATE_SHAPE.fullmatch(value):
            raise ValidationError(field, "Такой даты не существует: проверьте день и месяц")
        raise ValidationError(field, "Укажите дату в формате ДД.ММ.ГГГГ")
    if parsed >= today or parsed.year < 1900:
        raise ValidationError(field, "Укажите настоящую дату рождения")
    return parsed


SEXES = {"male": "Мужской", "female": "Женский"}


def sex(value: object, field: str = "sex") -> str:
    value = required(value, field)
    if value not in SEXES:
        raise ValidationError(field, "Выберите пол")
    return value


def password(value: object, field: str = "password") -> str:
    value = _text(value, field)
    if not value:
        raise ValidationError(field, "Заполните это поле")
    if not PASSWORD_MIN <= len(value) <= PASSWORD_MAX:
        raise ValidationError(field, f"Пароль должен содержать от {PASSWORD_MIN} до {PASSWORD_MAX} символов")
    return value


def code(value: object, length: int, field: str = "code") -> str:
    value = _text(value, field).strip()
    if not re.fullmatch(rf"\d{{{length}}}", value):
        raise ValidationError(field, f"Введите {length} цифры" if length < 5 else f"Введите {length} цифр")
    return value


def message(value: object, field: str = "text", *, with_file: bool = False) -> str:
    """A chat message: any text, markup included (it is shown as text), not over-long; blank only beside a file."""
    value = _text(value, field).strip()
    if not value and not with_file:
        raise ValidationError(field, "Введите текст сообщения или прикрепите файл")
    if len(value) > MESSAGE_MAX:
        raise ValidationError(field, f"Сообщение не может быть длиннее {MESSAGE_MAX} символов")
    return value


def chat_title(value: object, field: str = "title") -> str:
    """«Название чата»: any text (shown as text), on one line, neither blank nor over-long."""
    value = " ".join(_text(value, field).split())
    if not value:
        raise ValidationError(field, "Введите название чата")
    if len(value) > CHAT_TITLE_MAX:
        raise ValidationError(field, f"Название чата не может быть длиннее {CHAT_TITLE_MAX} символов")
    if not value.isprintable():
        raise ValidationError(field, "Название чата содержит недопустимые символы")
    return value


def file_name(value: object, field: str = "file") -> str:
    """A sent file's name without the folders some browsers add; refused if nothing is left of it or it is too long.

    A control character (NUL, a newline) is in no file's name a browser sends: the name is refused, not
    repaired. Other unprintable characters (the no-break spaces of some systems' screenshot names) are dropped.
    """
    name = _text(value, field).replace("\\", "/").rsplit("/", 1)[-1].strip()
    if _CONTROL.search(name):
        raise ValidationError(
            field, "Имя файла содержит недопустимые символы. Переименуйте файл и выберите его ещё раз"
        )
    name = "".join(c for c in name if c.isprintable())
    if not name or name in (".", ".."):
        raise ValidationError(field, "У файла нет имени. Выберите файл ещё раз")
    if len(name) > FILE_NAME_MAX:
        raise ValidationError(field, f"Имя файла не может быть длиннее {FILE_NAME_MAX} символов")
    return name


def file_size(size: int, field: str = "file") -> int:
    if size == 0:
        raise ValidationError(field, "Файл пустой. Выберите другой файл")
    if size > FILE_MAX:
        raise ValidationError(field, FILE_TOO_LARGE)
    return size


def record_id(value: object) -> int | None:
    """A record's id typed or posted by a client: 1 to 18 ASCII digits, or None (never an exception)."""
    if isinstance(value, str) and re.fullmatch(r"[0-9]{1,18}", value):
        return int(value)
    return None


def mask_phone(value: str) -> str:
    """+79991234511 → «+7 *** ** *11», as VK ID prints the number it sent a code to."""
    return f"+7 *** ** *{value[-2:]}"


def format_phone(value: str) -> str:
    """+71991111111 → «+7 199 111-11-11»."""
    d = value[2:]
    return f"+7 {d[0:3]} {d[3:6]}-{d[6:8]}-{d[8:10]}"
