"""Who plays in an organisation scenario besides `scene.actor`, and what the administrator downloaded.

The fixture and helpers the messenger and sferum.ru steps share. It imports no other step module, so
pytest registers it (and rewrites its asserts) before they import it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

import pytest
from playwright.sync_api import Page

from simulator.testing import Persona

from .failures import fail, listed, the_only

if TYPE_CHECKING:  # imported at run time by the step modules themselves, after pytest registers them
    from openpyxl import Workbook  # only a statistics download reads one: not imported with every run

    from .common import Scene

ROLES = {"учитель": "teacher", "ученик": "student", "родитель": "parent", "педагог": "teacher"}


@dataclass
class Cast:
    """Who else is in an organisation scenario besides `scene.actor`, and what the administrator holds."""

    people: dict[str, Persona] = field(default_factory=dict)  # by the word the feature calls them
    admin_page: Page | None = None  # the administrator works at a computer of their own
    workbook: Workbook | None = None
    filename: str = ""
    duplicate_phone: str = ""  # the teacher's second number, with the duplicate profile
    messages: list[str] = field(default_factory=list)  # what the actor wrote in chats
    shown_id: str = ""  # the ID VK Messenger's account settings showed

    @property
    def admin(self) -> Page:
        """The administrator's own browser page, once they have signed in."""
        if self.admin_page is None:
            fail("браузер администратора организации", "администратор ещё не входил на sferum.ru")
        return self.admin_page

    @property
    def book(self) -> Workbook:
        """The statistics workbook the administrator downloaded."""
        if self.workbook is None:
            fail("файл статистики, скачанный администратором", "администратор ещё не нажимал «Скачать статистику»")
        return self.workbook

    def called(self, word: str) -> Persona:
        """The person the feature calls by this word («одноклассник», «администратор»), seeded by a «Дано» step."""
        if word not in self.people:
            fail(
                f"человек, которого сценарий называет «{word}»",
                f"его не добавил ни один шаг «Дано»; в сценарии есть: {listed(self.people)}",
            )
        return self.people[word]


@pytest.fixture
def cast() -> Cast:
    return Cast()


def person(scene: Scene, cast: Cast, word: str) -> Persona:
    """«учитель» is the scenario's actor when the actor is a teacher, otherwise the first one seeded."""
    if scene.actor is not None and ROLES.get(word) == scene.person.role:
        return scene.actor
    return cast.called(word)


def full_name(persona: Persona) -> str:
    """As sferum.ru's reports print a user: last and first name."""
    return f"{persona.last_name} {persona.first_name}"


def cell(value: Any) -> str:
    return value.strftime("%d.%m.%Y") if isinstance(value, datetime) else str(value)


def sheet(cast: Cast, name: str) -> tuple[tuple[str, ...], list[tuple[str, ...]]]:
    if name not in cast.book.sheetnames:
        fail(f"лист «{name}» в скачанном файле", "листы " + listed(cast.book.sheetnames))
    header, *rows = cast.book[name].iter_rows(values_only=True)
    return tuple(cell(v) for v in header), [tuple(cell(v) for v in row) for row in rows]


def column(header: tuple[str, ...], name: str) -> int:
    """The index of this column of a sheet's header."""
    if name not in header:
        fail(f"столбец «{name}» на листе", "столбцы " + listed(header))
    return header.index(name)


def report_id(cast: Cast, persona: Persona) -> str:
    """«ID пользователя» of this person on the sheet «Пользователи»."""
    header, rows = sheet(cast, "Пользователи")
    name = full_name(persona)
    return the_only(
        (r[column(header, "ID пользователя")] for r in rows if r[column(header, "ФИО")] == name),
        f"одна строка с ФИО «{name}» на листе «Пользователи»",
        "строк с этим ФИО",
    )
