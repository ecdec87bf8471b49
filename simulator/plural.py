"""Russian plural forms: «1 подписчик», «3 подписчика», «12 подписчиков», «21 участник»."""

from __future__ import annotations

# (one, few, many): the noun after 1, after 2–4, after 0 and 5–20.
Forms = tuple[str, str, str]

SUBSCRIBERS: Forms = ("подписчик", "подписчика", "подписчиков")
MEMBERS: Forms = ("участник", "участника", "участников")
MINUTES_AFTER: Forms = ("минуту", "минуты", "минут")  # «через 21 минуту»


def plural(n: int, forms: Forms) -> str:
    """The form of the noun that follows the number `n`."""
    n = abs(n)
    if n % 100 in range(11, 15):
        return forms[2]
    if n % 10 == 1:
        return forms[0]
    if n % 10 in (2, 3, 4):
        return forms[1]
    return forms[2]


def count(n: int, forms: Forms) -> str:
    """The number and its noun: «251 подписчик»."""
    return f"{n} {plural(n, forms)}"
