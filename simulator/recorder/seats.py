"""The people at a recording: each in a browser window of their own, in one world.

A recording starts with one window, the actor's (or the administrator's, for `--persona admin`). Other
people the «Дано» steps put in the world may sit down at windows of their own, as the hand-written
scenarios have them: the administrator at sferum.ru, the class teacher in ЭлЖур, the person an
administrator's steps call «пользователь»; a «Дано» step that opens a second browser («второй браузер,
в котором ученик вошёл …») gives that person's window. Each window is a `Seat`: its person, the word the
steps call them by, and the library's steps that work in that browser — those that declare it
(`acts.By`), and, in the window that is the steps' `page`, those of the actor. A step that takes no page
(the clock, the world) serves every window.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from playwright.sync_api import BrowserContext, Page

from ..testing.acts import SECOND_BROWSER, Acts, Checks, Group
from ..testing.personas import Persona
from .capture import Place
from .library import Library, LibraryStep
from .matching import Entry, Matcher
from .proposing import PROFILE

ADMIN = "администратор"
CLASS_TEACHER = "классный руководитель"
USER = "пользователь"  # the person an administrator's steps name, when they act themselves
# Where each of them starts: sferum.ru's cabinet, ЭлЖур's «Войти через Госуслуги».
STARTS_AT = {ADMIN: "sferum", CLASS_TEACHER: "eljur"}


@dataclass(eq=False)
class Seat:
    """One person's browser window in the recording."""

    context: BrowserContext
    page: Page | None = None
    word: str = ""  # how the steps call the person («учитель», «администратор»); "" until known
    persona: Persona | None = None
    second: bool = False  # a second browser a «Дано» step opened: its steps say «во втором браузере»
    subject: Persona | None = None  # whom this person's steps name besides them (acts.Subject)
    subject_word: str = USER  # how: an administrator's «пользователь», a class teacher's «ученик»
    gosuslugi: tuple[str, str] | None = None  # the person's Госуслуги login and password, if seeded
    accounts: dict[str, str] = field(default_factory=dict)  # their credentials in the world (acts.ACCOUNT_WORDS)
    start: Place | None = None  # the address the recorder opened in it, until that page loads
    live: int = 0  # how many times its page fetched itself live, as last read
    proposed: set[str] = field(default_factory=set)  # checks offered on what it shows already
    library: Library | None = None  # the steps that work in this window
    matcher: Matcher | None = None

    def credentials(self) -> dict[str, str]:
        return self.accounts

    @property
    def title(self) -> str:
        """How the panel names the window's person («ученик (второй браузер)»)."""
        return f"{self.word} (второй браузер)" if self.second else self.word


def _takes_page(step: LibraryStep) -> bool:
    return "page" in inspect.signature(step.function).parameters


def serves(seat: Seat, step: LibraryStep, declaration: Acts | Checks, page: Page | None) -> bool:
    """Whether the step, so declared, works in this window; `page`: the window the steps' `page` is."""
    by = declaration.by
    if by is None:
        return not _takes_page(step) or (seat.page is not None and seat.page is page)
    if isinstance(by.who, str):
        return by.who == seat.word and not seat.second
    if by.own:  # anyone at a window of their own but the actor, the group saying who
        return bool(seat.word) and not seat.second and seat.page is not page
    return seat.second or by.second is not None


def view(library: Library, seat: Seat, page: Page | None) -> Library:
    """The library as this window's person uses it: each step with the declarations that work there."""
    steps = []
    for step in library.steps:
        if step.kind != "given":  # a «Дано» is said of the world, not done in a window
            step = replace(step, declarations=tuple(d for d in step.declarations if serves(seat, step, d, page)))
        steps.append(step)
    return replace(library, steps=tuple(steps))


def by_values(entry: Entry, seat: Seat) -> None:
    """Name the window's person in the groups the step's declaration says take them («ученик во втором браузере»)."""
    if entry.step is None:
        return
    for declaration in entry.step.declarations:
        by = declaration.by
        if by is None or not isinstance(by.who, Group):
            continue
        entry.values[by.who.name] = seat.word
        if by.second is not None and seat.second:
            entry.values[by.second.name] = SECOND_BROWSER


def others(fixtures: Mapping[str, Any], seats: Sequence[Seat], user: Persona | None) -> dict[str, Persona]:
    """People of the world who may sit down at a window of their own, by the word their steps call them, and who
    have none yet: the administrator, the class teacher, `user` (an administrator's «пользователь»), and the
    other people of a chat's scenario («одноклассник», «ученик» of the class), whose steps open browsers of their own."""
    found: dict[str, Persona] = {}
    admin = getattr(fixtures.get("cast"), "people", {}).get(ADMIN)
    if isinstance(admin, Persona):
        found[ADMIN] = admin
    teacher = getattr(fixtures.get("diary"), "teacher", None)
    if isinstance(teacher, Persona):
        found[CLASS_TEACHER] = teacher
    if user is not None:
        found[USER] = user
    for word, person in getattr(fixtures.get("cast"), "people", {}).items():
        if isinstance(person, Persona):
            found.setdefault(word, person)
    taken = {seat.persona.key for seat in seats if seat.persona is not None}
    return {word: person for word, person in found.items() if person.key not in taken}


def seat_down(fixtures: dict[str, Any], word: str, page: Page, fixture: Callable[[str], Any]) -> None:
    """Give the steps this person's window where they look for it: the administrator's and the class teacher's
    own page, the chat steps' page of a classmate (`fixture` makes their `chats` if no step has yet), or the steps'
    `page` for the actor."""
    if word == ADMIN:
        fixtures["cast"].admin_page = page
    elif word == CLASS_TEACHER:
        fixtures["diary"].teacher_page = page
    elif word != USER and word in getattr(fixtures.get("cast"), "people", {}):
        if "chats" not in fixtures:
            fixtures["chats"] = fixture("chats")
        fixtures["chats"].pages[word] = page
    else:
        fixtures["page"] = page


def second_browsers(fixtures: Mapping[str, Any], seats: Sequence[Seat]) -> None:
    """Name the windows the «Дано» steps opened as second browsers («второй браузер, в котором ученик …»)."""
    people = getattr(fixtures.get("cast"), "people", {})
    for word, page in getattr(fixtures.get("together"), "pages", {}).items():
        for seat in seats:
            if seat.context is page.context:
                seat.page, seat.word, seat.second, seat.persona = page, word, True, people.get(word)


def people_of(
    seats: Sequence[Seat], fixtures: Mapping[str, Any], actor: tuple[str, Persona] | None
) -> list[tuple[str, Persona]]:
    """The scenario's people, each with the word the steps call them (steps/cast.py `person`: the actor by their
    role's word, the rest as the cast calls them), the actor first."""
    people: list[tuple[str, Persona]] = [actor] if actor is not None else []
    people += [(seat.word, seat.persona) for seat in seats if seat.persona is not None and seat.word]
    people += [(w, p) for w, p in getattr(fixtures.get("cast"), "people", {}).items() if isinstance(p, Persona)]
    return people


def names(seats: Sequence[Seat], fixtures: Mapping[str, Any], actor: tuple[str, Persona] | None) -> dict[str, str]:
    """Each person of the scenario by the names screens show them («Фамилия Имя», the full name) and by their
    profiles' ids («profile:17», as the event log names them), and the word the steps call them by."""
    found: dict[str, str] = {}
    for word, person in people_of(seats, fixtures, actor):
        profiles = [person.ids.get(key) for key in ("profile_id", "duplicate_profile_id", "max_profile_id")]
        for name in (f"{person.last_name} {person.first_name}", person.full_name):
            found.setdefault(name, word)
        for profile in profiles:
            if profile is not None:
                found.setdefault(f"{PROFILE}{profile}", word)
    return found


__all__ = [
    "ADMIN",
    "CLASS_TEACHER",
    "STARTS_AT",
    "USER",
    "Seat",
    "by_values",
    "names",
    "others",
    "people_of",
    "seat_down",
    "second_browsers",
    "serves",
    "view",
]
