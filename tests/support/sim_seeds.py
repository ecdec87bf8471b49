"""Seed documents for the simulator's own tests: a school and the people in it."""

from __future__ import annotations

from typing import Any

PHONE = "+79991234567"
SCHOOL_ID = 1
SCHOOL: dict[str, Any] = {"id": SCHOOL_ID, "name": "ГБОУ Школа № 1", "classes": ["10А"]}


def person(
    pid: str = "t1",
    *,
    phone: str | None = PHONE,
    login: str | None = "ivanov",
    password: str = "secret-1",
    profile: bool = True,
    vkid: bool = True,
    first_name: str = "Иван",
    last_name: str = "Иванов",
) -> dict[str, Any]:
    """A `people` item: a МЭШ teacher (if `login`) with a VK ID (if `vkid`) and an educational profile."""
    entry: dict[str, Any] = {
        "id": pid,
        "last_name": last_name,
        "first_name": first_name,
        "patronymic": "Петрович",
        "birth_date": "1980-05-17",
        "sex": "male",
    }
    if phone:
        entry["phone"] = phone
    if login:
        entry["journal"] = {"journal": "mes", "role": "teacher", "login": login, "password": password, "org": SCHOOL_ID}
    if vkid:
        entry["vkid"] = {"password": None, "profile": profile}
    return entry


def world(*people: dict[str, Any]) -> dict[str, Any]:
    """A seed document: the school and these people."""
    return {"organisations": [SCHOOL], "people": list(people)}
