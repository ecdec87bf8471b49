"""Seeded Faker ru_RU people for scenarios: the same seed gives the same teacher, to the digit."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from ..clock import DEFAULT_START
from ..world.seed.schema import (
    CodeChannel,
    DuplicateEntry,
    GosuslugiEntry,
    JournalEntry,
    LinkedVia,
    PersonEntry,
    VkIdEntry,
)

AGES = {"teacher": (25, 60), "parent": (28, 55), "admin": (30, 60), "student": (14, 17), "child": (8, 13)}


@dataclass
class Persona:
    key: str
    role: str  # teacher | student | parent | admin
    last_name: str
    first_name: str
    patronymic: str
    birth_date: date
    sex: str
    phone: str
    email: str
    login: str
    password: str
    ids: dict[str, Any] = field(default_factory=dict)  # what the simulator created for this person

    @property
    def full_name(self) -> str:
        return f"{self.last_name} {self.first_name} {self.patronymic}"

    @property
    def new_password(self) -> str:
        """The password this person sets through «Забыли или не установили пароль?»: none of their others."""
        return self.password[::-1] + "Нв"

    def entry(
        self,
        *,
        journal: str | None = "mes",
        org: int | None = None,
        school_class: str | None = None,
        vkid: bool = False,
        vkid_password: str | None = None,
        profile: bool = False,
        code_channel: CodeChannel | None = None,
        max_account: bool = False,
        max_profile: bool = False,
        gosuslugi: GosuslugiEntry | None = None,
        children: list[str] | None = None,
        contact_added: bool = True,
        linked: LinkedVia | None = None,
        org_admin: int | None = None,
        duplicate: DuplicateEntry | None = None,
    ) -> PersonEntry:
        """This person as a seed document's `people` item (format: simulator/world/seed/__init__.py)."""
        entry: PersonEntry = {
            "id": self.key,
            "last_name": self.last_name,
            "first_name": self.first_name,
            "patronymic": self.patronymic,
            "birth_date": self.birth_date.isoformat(),
            "sex": self.sex,
            "phone": self.phone,
            "email": self.email,
        }
        if journal:
            account: JournalEntry = {
                "journal": journal,
                "role": self.role,
                "login": self.login,
                "password": self.password,
            }
            if org is not None:
                account["org"] = org
            if school_class is not None:
                account["class"] = school_class
            if children:
                account["children"] = children
            if not contact_added:
                account["contact_added"] = False
            entry["journal"] = account
        if vkid or profile:
            vkid_entry: VkIdEntry = {"password": vkid_password, "profile": profile}
            if code_channel is not None:
                vkid_entry["code_channel"] = code_channel
            entry["vkid"] = vkid_entry
        if max_account or max_profile:
            entry["max"] = {"profile": max_profile}
        if gosuslugi is not None:
            entry["gosuslugi"] = gosuslugi
        if linked:
            entry["linked"] = linked
        if org_admin is not None:
            entry["org_admin"] = org_admin
        if duplicate is not None:
            entry["duplicate"] = duplicate
        return entry


class Personas:
    """Makes people from one seed; `today` anchors their ages to the simulator's clock."""

    def __init__(self, seed: int, today: date | None = None) -> None:
        self.seed = seed
        self.today = today or DEFAULT_START.date()
        # Imported with the first persona, not with the plugin: Faker's import lists every locale of every provider.
        from faker import Faker

        self.fake = Faker("ru_RU")
        self.fake.seed_instance(seed)
        self._count = 0

    def phone(self) -> str:
        """Another phone number, say a person's second SIM card, unique among this seed's people."""
        return str(self.fake.unique.numerify("+79#########"))

    def make(self, role: str = "teacher", *, age: str | None = None, key: str | None = None) -> Persona:
        fake = self.fake
        sex = fake.random_element(("male", "female"))
        names = (
            (fake.last_name_male, fake.first_name_male, fake.middle_name_male)
            if sex == "male"
            else (fake.last_name_female, fake.first_name_female, fake.middle_name_female)
        )
        low, high = AGES[age or role]
        birth = self.today - timedelta(days=fake.random_int(low * 365 + 30, high * 365 + 300))
        self._count += 1
        return Persona(
            key=key or f"{role}{self._count}",
            role=role,
            last_name=names[0](),
            first_name=names[1](),
            patronymic=names[2](),
            birth_date=birth,
            sex=sex,
            phone=fake.unique.numerify("+79#########"),
            email=fake.unique.ascii_free_email(),
            login=fake.unique.user_name(),
            password=fake.password(length=12),
        )
