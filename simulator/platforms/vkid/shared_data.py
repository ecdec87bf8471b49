"""«Передаваемые данные >»: what a service receives from the educational profile, by the scope it asked for.

The list follows what /oauth2/user_info answers (protocol._user): the name, patronymic, sex, birthday
and avatar always, the phone and the e-mail only when the scope names them.
"""

from __future__ import annotations

ALWAYS = ("Имя и фамилия", "Отчество, пол и дата рождения", "Фото профиля")
BY_SCOPE = (("phone", "Номер телефона"), ("email", "Электронная почта"))


def shared_data(scope: str) -> list[str]:
    """The items a service with this scope receives, in the order VK ID lists them."""
    asked = scope.split()
    return [*ALWAYS, *(label for name, label in BY_SCOPE if name in asked)]
