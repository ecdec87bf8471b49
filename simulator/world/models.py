"""The entities every platform shares: people, their accounts on each platform, and the links between them."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from ..hosts import JOURNALS


class Role(StrEnum):
    TEACHER = "teacher"
    STUDENT = "student"
    PARENT = "parent"
    ADMIN = "admin"


if TYPE_CHECKING:
    # The type checker cannot read members made at run time: it knows the first three by name, and a journal
    # added later is `Journal("name")` to it, which it accepts as well.
    class Journal(StrEnum):
        """E-journal platforms that link their accounts to Sferum profiles."""

        MES = "mes"
        ELJUR = "eljur"
        ES = "es"

else:
    # One member a journal of the platform table (`journal="…"` in hosts.py), so a new one needs no line here.
    Journal = StrEnum("Journal", [(name.upper(), name) for name in JOURNALS], module=__name__)


class Channel(StrEnum):
    SMS = "sms"
    CALL = "call"
    EMAIL = "email"


class ChatKind(StrEnum):
    CHANNEL = "channel"  # «Информационный канал»: subscribers read
    GROUP = "group"  # a group chat: members talk


@dataclass
class Organisation:
    id: int
    name: str
    kind: str = "school"  # school | kindergarten | supplementary


@dataclass
class SchoolClass:
    id: str
    org_id: int
    name: str  # «10А»


@dataclass
class Person:
    """A real human being; platform accounts point at one."""

    id: str
    last_name: str
    first_name: str
    patronymic: str | None = None
    birth_date: date | None = None
    sex: str | None = None
    phone: str | None = None
    email: str | None = None

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.last_name, self.first_name, self.patronymic) if p)


@dataclass
class JournalAccount:
    id: str
    journal: Journal
    login: str
    password: str
    person_id: str
    role: Role
    org_id: int | None = None
    class_id: str | None = None  # the class a student is in, or the class a teacher leads
    # A teacher's further classes (ids), taught but not led: each brings its class chat, as seed 001's teacher
    # has «10А · Общая беседа» beside two «11А · Общая беседа».
    classes: list[str] = field(default_factory=list)
    children: list[str] = field(default_factory=list)  # a parent's: the children's person ids
    # A student's phone or e-mail as the class teacher entered it in the journal (normalised, as Госуслуги
    # logins are): ЭлЖур lets a student in only with the Госуслуги account registered on it (seed 003).
    contact: str | None = None


@dataclass
class GosuslugiAccount:
    """A Госуслуги (ЕСИА) account: simplified (children under 14) or confirmed."""

    id: int
    person_id: str
    login: str  # phone (+7…) or e-mail
    password: str
    confirmed: bool


@dataclass
class MaxAccount:
    """A МАХ messenger account, registered by phone with the person's real full name."""

    id: int
    phone: str
    first_name: str
    last_name: str
    patronymic: str | None = None
    profile_id: int | None = None  # the Sferum educational profile inside МАХ


@dataclass
class VkIdAccount:
    id: int
    first_name: str
    last_name: str
    phone: str | None = None
    email: str | None = None
    password: str | None = None
    birth_date: date | None = None
    sex: str | None = None
    profile_id: int | None = None
    # How VK ID confirms this account's phone when no password comes first (seed 001: «SMS-кодом или с
    # помощью звонка»): a call or an SMS; None leaves it to the session's setting `phone_code_channel`.
    code_channel: Channel | None = None


@dataclass
class SferumProfile:
    """The educational profile («учебный профиль»): the identity a journal links to."""

    id: int
    vkid_id: int | None  # a profile lives in VK ID (VK Messenger) or in МАХ
    first_name: str
    last_name: str
    patronymic: str | None
    birth_date: date
    sex: str
    org_ids: list[int] = field(default_factory=list)
    max_id: int | None = None

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.last_name, self.first_name, self.patronymic) if p)


@dataclass
class Link:
    journal_account_id: str
    profile_id: int
    via: str  # vkid | max
    created_at: datetime


@dataclass
class Lesson:
    id: int
    class_id: str
    subject: str
    starts_at: datetime
    online: bool = False  # planned online: «Онлайн-урок» in the diary, a video conference in Sferum


@dataclass
class Chat:
    id: int
    org_id: int
    kind: ChatKind
    title: str  # «10А · Общая беседа»
    class_id: str | None = None
    # A group chat a user made by hand («свои групповые чаты, созданные вручную»): who and when.
    # None for the chats Sferum builds from the journal's data.
    created_by: int | None = None
    created_at: datetime | None = None


@dataclass
class Membership:
    chat_id: int
    profile_id: int
    # Sferum builds an organisation's chats some time after linking: until then they are not shown.
    available_at: datetime


@dataclass
class Attachment:
    """A profile attached to an organisation («прикреплён к организации»), as whom and since when.

    The organisation's statistics count what the profile writes from `since` on, never before.
    """

    profile_id: int
    org_id: int
    role: Role  # the «Тип пользователя» of the administrator's report
    since: datetime
    via: str  # journal (a link to an e-journal account) | invitation | request | seed


class Decision(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"  # an invitation the user accepted, a request the administrator approved
    DECLINED = "declined"  # an invitation the user declined, a request the administrator rejected


@dataclass
class Invitation:
    """An organisation's invitation from its sferum.ru cabinet, to a profile ID, a phone or an e-mail."""

    id: int
    org_id: int
    role: Role
    to: str  # "id<profile id>", "+7…" or an e-mail
    sent_at: datetime
    status: Decision = Decision.PENDING
    profile_id: int | None = None  # who answered it


@dataclass
class JoinRequest:
    """A profile's request to be attached to an organisation; nothing changes until an administrator decides."""

    id: int
    org_id: int
    profile_id: int
    role: Role
    sent_at: datetime
    status: Decision = Decision.PENDING
    decided_at: datetime | None = None


@dataclass
class MessageFile:
    """A file or picture sent with a chat message («обмениваться контентом»), kept whole so members can open it."""

    name: str  # as the sender's computer named it, without its folders
    size: int  # bytes
    content_type: str  # image/png … for pictures; what the browser declared for other files
    data: str  # the bytes, base64: the world is JSON

    @property
    def picture(self) -> bool:
        return self.content_type.startswith("image/")


@dataclass
class ChatMessage:
    id: int
    chat_id: int
    profile_id: int
    text: str  # empty when the message is only a file
    sent_at: datetime
    file: MessageFile | None = None


@dataclass
class CallParticipant:
    profile_id: int
    joined_at: datetime
    left_at: datetime | None = None  # still in the call while None
    # The toggles of the call screen: state only, no media is ever sent.
    camera: bool = False
    microphone: bool = False


@dataclass
class Call:
    """A video call in a group chat: whoever starts it is its first participant; it ends when the last one leaves."""

    id: int
    chat_id: int
    profile_id: int  # who started it
    started_at: datetime
    participants: list[CallParticipant] = field(default_factory=list)  # everyone who took part, in order of joining
    ended_at: datetime | None = None
    lesson_id: int | None = None  # an online lesson's video conference, held in its class's chat

    def present(self) -> list[int]:
        """The profiles in the call now."""
        return [p.profile_id for p in self.participants if p.left_at is None]

    def took_part(self) -> set[int]:
        """Everyone who has been in the call, its starter included."""
        return {self.profile_id, *(p.profile_id for p in self.participants)}


@dataclass
class OutboxMessage:
    """Anything a platform sent out of band: an SMS, a flash call or an e-mail."""

    id: int
    channel: Channel
    to: str
    code: str
    text: str
    sent_at: datetime
    caller: str | None = None  # flash calls: the code is this number's last four digits


@dataclass
class Fault:
    """A fault switched on in a session (`world.faults`), with its checked parameters."""

    name: str
    params: dict[str, Any] = field(default_factory=dict)


def to_json(obj: Any) -> Any:
    """Dataclasses, dates and enums as plain JSON values."""
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: to_json(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    if isinstance(obj, (datetime, date)):
        return obj.isoformat()
    if isinstance(obj, (list, tuple)):
        return [to_json(v) for v in obj]
    if isinstance(obj, dict):
        return {str(k): to_json(v) for k, v in obj.items()}
    return obj
