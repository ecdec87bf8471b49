"""The input rules of simulator/validation.py, called directly."""

from __future__ import annotations

import re
from datetime import date

import pytest

from simulator import validation
from simulator.validation import ValidationError

TODAY = date(2024, 10, 16)


@pytest.mark.parametrize(
    "typed",
    ["8 (999) 123-45-67", "+7 999 123 45 67", "9991234567", "+7 (999) 123-45-67", "79991234567", " 89991234567 "],
)
def test_phone_is_normalised_to_plus_seven_and_ten_digits(typed: str) -> None:
    """Every usual way of typing a Russian mobile number gives +7XXXXXXXXXX."""
    assert validation.phone(typed) == "+79991234567"


@pytest.mark.parametrize("typed", ["", "12345", "+1 999 123 45 67", "899912345", "+7999123456a", "999-123-45-678"])
def test_malformed_phone_is_refused_with_the_users_message(typed: str) -> None:
    """A malformed number raises ValidationError carrying the message users read."""
    with pytest.raises(ValidationError) as refused:
        validation.phone(typed, "login")
    assert refused.value.field == "login"
    assert refused.value.message.startswith("Неверный формат номера телефона")


def test_email_is_trimmed_and_lowercased() -> None:
    """A valid e-mail is returned trimmed and in lower case."""
    assert validation.email("  Ivan.Petrov@School.RU ") == "ivan.petrov@school.ru"


@pytest.mark.parametrize("typed", ["ivan", "ivan@", "@school.ru", "ivan@school", "iv an@school.ru", "a@b.c"])
def test_malformed_email_is_refused(typed: str) -> None:
    """Addresses without a user, a domain or a 2+ letter TLD are refused."""
    with pytest.raises(ValidationError, match="Неверный формат электронной почты"):
        validation.email(typed)


def test_login_tells_phone_from_email() -> None:
    """«Телефон или почта»: an @ makes it an e-mail, anything else must be a phone."""
    assert validation.login("Name@Example.ru") == ("email", "name@example.ru")
    assert validation.login("8 999 123 45 67") == ("phone", "+79991234567")


@pytest.mark.parametrize("typed", ["Иван", "Анна-Мария", "д'Артаньян", "Мария Луиза", "Ёжиков", "John"])
def test_names_allow_letters_space_hyphen_apostrophe(typed: str) -> None:
    """Real names pass unchanged."""
    assert validation.name(typed, "first_name") == typed


@pytest.mark.parametrize("typed", ["<b>Иван</b>", "<script>alert(1)</script>", "Иван1", "Иван--Петр", "-Иван", "Иван;"])
def test_names_with_markup_or_symbols_are_refused(typed: str) -> None:
    """Markup, digits and stray punctuation are refused with the users' message."""
    with pytest.raises(ValidationError) as refused:
        validation.name(typed, "first_name")
    assert refused.value.field == "first_name"
    assert refused.value.message == "Допустимы только буквы, пробел, дефис и апостроф"


def test_name_length_and_presence() -> None:
    """Empty names are required unless optional; more than 50 characters are refused."""
    with pytest.raises(ValidationError, match="Заполните это поле"):
        validation.name("  ", "first_name")
    assert validation.name("", "patronymic", optional=True) is None
    with pytest.raises(ValidationError, match="Не больше 50 символов"):
        validation.name("А" * 51, "first_name")


def test_birth_date_accepts_both_formats() -> None:
    """ДД.ММ.ГГГГ and ISO dates are both read."""
    assert validation.birth_date("17.05.1980", TODAY) == date(1980, 5, 17)
    assert validation.birth_date("1980-05-17", TODAY) == date(1980, 5, 17)


@pytest.mark.parametrize("typed", ["17.10.2024", "01.01.2030", "16.10.2024", "31.12.1899"])
def test_birth_date_in_the_future_or_too_old_is_refused(typed: str) -> None:
    """Today, the future and before 1900 are not real birth dates."""
    with pytest.raises(ValidationError, match="Укажите настоящую дату рождения"):
        validation.birth_date(typed, TODAY)


def test_birth_date_in_another_format_is_refused() -> None:
    """Anything but the two formats asks for ДД.ММ.ГГГГ."""
    with pytest.raises(ValidationError, match=re.escape("Укажите дату в формате ДД.ММ.ГГГГ")):
        validation.birth_date("17/05/1980", TODAY)


@pytest.mark.parametrize("typed", ["31.02.1980", "29.02.1999", "31.04.2010", "00.05.1980", "1980-13-01"])
def test_a_date_that_does_not_exist_is_told_so_not_as_a_wrong_format(typed: str) -> None:
    """The format is right and the calendar has no such day: the user must fix the day or month, not the format."""
    with pytest.raises(ValidationError, match="Такой даты не существует: проверьте день и месяц"):
        validation.birth_date(typed, TODAY)


def test_code_must_have_exactly_its_length_in_digits() -> None:
    """A 4-digit call code and a 6-digit SMS code, each with its own message."""
    assert validation.code(" 1234 ", 4) == "1234"
    with pytest.raises(ValidationError, match="Введите 4 цифры"):
        validation.code("12345", 4)
    with pytest.raises(ValidationError, match="Введите 6 цифр"):
        validation.code("12a456", 6)


def test_phone_display_helpers() -> None:
    """The masked and the formatted number as VK ID prints them."""
    assert validation.mask_phone("+79991234511") == "+7 *** ** *11"
    assert validation.format_phone("+71991111111") == "+7 199 111-11-11"
