"""A person's age on a given day, and the age of 14 at which the instructions change what a student may do."""

from __future__ import annotations

from datetime import date

# Seed 002: a profile by e-mail «для учеников младших классов до 14 лет»; seed 003: «Дети после 14 лет
# должны подтвердить свою учетную запись на Госуслугах как взрослые».
FOURTEEN = 14


def age(birth: date, today: date) -> int:
    """Full years on `today`: a birthday counts from its own day on."""
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


def under_fourteen(birth: date, today: date) -> bool:
    return age(birth, today) < FOURTEEN
