"""The seed document's two shapes: the JSON callers write (TypedDicts) and the checked result (frozen dataclasses)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal, NotRequired, TypedDict

from ...errors import DomainError
from ..models import Channel, Journal, Role
from ..oauth import OAuthClient

OrganisationKind = Literal["school", "kindergarten", "supplementary"]
LinkedVia = Literal["vkid", "max"]
GosuslugiLogin = Literal["phone", "email"]
CodeChannel = Literal["call", "sms"]


class SeedError(DomainError, ValueError):
    """The seed document is invalid; `path` names the offending value."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path = path
        self.message = message


class InvalidClient(SeedError):
    """A relying party's registration (the control plane's POST /clients) that is incomplete or wrong."""


# -- the wire shape ---------------------------------------------------------------------------------
# "class" is a Python keyword, so the entries holding it use the functional TypedDict syntax.

LessonEntry = TypedDict(
    "LessonEntry",
    {"class": str, "subject": str, "starts_at": str, "online": NotRequired[bool]},
)


class OrganisationEntry(TypedDict):
    id: int
    name: str
    kind: NotRequired[OrganisationKind]
    classes: NotRequired[list[str]]
    lessons: NotRequired[list[LessonEntry]]


class ClientEntry(TypedDict):
    """A relying party of VK ID, as a seed's `clients[]` item or the control plane's POST /clients body."""

    client_id: str
    redirect_uris: list[str]
    service_name: str  # shown by VK ID: «С сервисом «МЭШ ВКС» можно связать…»
    bullets: NotRequired[list[str]]
    client_secret: NotRequired[str]
    first_party: NotRequired[bool]


JournalEntry = TypedDict(
    "JournalEntry",
    {
        "journal": str,  # mes | eljur | es
        "role": str,  # teacher | student | parent | admin
        "login": str,
        "password": str,
        "org": NotRequired[int],
        "class": NotRequired[str],  # the student's class, or the class the teacher leads
        "classes": NotRequired[list[str]],  # a teacher's further classes, taught but not led
        "children": NotRequired[list[str]],  # a parent's children (person ids)
        "contact_added": NotRequired[bool],  # a student's contact entered by the class teacher
    },
)


class VkIdEntry(TypedDict):
    password: NotRequired[str | None]
    profile: NotRequired[bool]
    code_channel: NotRequired[CodeChannel | None]  # how VK ID confirms the phone; null: the session's setting


class MaxEntry(TypedDict):
    profile: NotRequired[bool]


class GosuslugiEntry(TypedDict):
    login: NotRequired[GosuslugiLogin]
    password: str
    confirmed: NotRequired[bool]


class DuplicateEntry(TypedDict):
    phone: str
    classes: NotRequired[list[str]]


class PersonEntry(TypedDict):
    id: str
    last_name: str
    first_name: str
    patronymic: NotRequired[str | None]
    birth_date: NotRequired[str | None]  # YYYY-MM-DD or DD.MM.YYYY
    sex: NotRequired[str | None]  # male | female
    phone: NotRequired[str | None]
    email: NotRequired[str | None]
    journal: NotRequired[JournalEntry | None]
    vkid: NotRequired[VkIdEntry | None]
    max: NotRequired[MaxEntry | None]
    gosuslugi: NotRequired[GosuslugiEntry | None]
    linked: NotRequired[LinkedVia | None]
    org_admin: NotRequired[int | None]
    duplicate: NotRequired[DuplicateEntry | None]


class SeedDocument(TypedDict, total=False):
    organisations: list[OrganisationEntry]
    clients: list[ClientEntry]
    people: list[PersonEntry]


class CreatedIds(TypedDict, total=False):
    """What the simulator made for one person, as apply_seed answers it."""

    journal_account: str
    vkid_id: int
    profile_id: int
    max_id: int
    max_profile_id: int
    gosuslugi_id: int
    duplicate_vkid_id: int
    duplicate_profile_id: int


class SeedResult(TypedDict):
    people: dict[str, CreatedIds]


# -- the checked result -----------------------------------------------------------------------------


@dataclass(frozen=True)
class LessonSpec:
    class_id: str
    subject: str
    starts_at: datetime
    online: bool


@dataclass(frozen=True)
class ClassSpec:
    id: str  # "<organisation id>-<name>"
    name: str


@dataclass(frozen=True)
class OrganisationSpec:
    id: int
    name: str
    kind: OrganisationKind
    classes: tuple[ClassSpec, ...]
    lessons: tuple[LessonSpec, ...]


@dataclass(frozen=True)
class JournalSpec:
    journal: Journal
    role: Role
    login: str
    password: str
    org_id: int | None
    class_id: str | None
    children: tuple[str, ...]
    contact_added: bool
    class_ids: tuple[str, ...] = ()  # a teacher's further classes


@dataclass(frozen=True)
class VkIdSpec:
    password: str | None
    profile: bool
    code_channel: Channel | None = None


@dataclass(frozen=True)
class MaxSpec:
    profile: bool


@dataclass(frozen=True)
class GosuslugiSpec:
    login: str  # the person's phone or e-mail itself
    password: str
    confirmed: bool


@dataclass(frozen=True)
class DuplicateSpec:
    phone: str
    class_ids: tuple[str, ...]


@dataclass(frozen=True)
class PersonSpec:
    id: str
    last_name: str
    first_name: str
    patronymic: str | None
    birth_date: date | None
    sex: str | None
    phone: str | None
    email: str | None
    journal: JournalSpec | None
    vkid: VkIdSpec | None
    max: MaxSpec | None
    gosuslugi: GosuslugiSpec | None
    linked: LinkedVia | None
    org_admin: int | None
    duplicate: DuplicateSpec | None


@dataclass(frozen=True)
class ParsedSeed:
    """A whole document, checked against the session it is for: storing it cannot fail."""

    organisations: tuple[OrganisationSpec, ...]
    clients: tuple[OAuthClient, ...]
    people: tuple[PersonSpec, ...]
