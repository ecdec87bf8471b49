"""Sferum's chats: those it builds from the journal's data, those made by hand, their messages and calls."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from .. import validation
from ..errors import DomainError
from .models import Call, CallParticipant, Chat, ChatKind, ChatMessage, Membership, MessageFile, Role, SferumProfile
from .session import Session

# Sferum builds an organisation's chats from the journal's data a while after a link is made.
CHATS_DELAY = timedelta(minutes=5)
# The organisation-wide chats: title after «<organisation> · », kind, and the roles that are in it.
ORG_CHATS = (
    ("Объявления", ChatKind.CHANNEL, frozenset(Role)),
    ("Сотрудники", ChatKind.CHANNEL, frozenset({Role.TEACHER, Role.ADMIN})),
    ("Учителя", ChatKind.GROUP, frozenset({Role.TEACHER, Role.ADMIN})),
)
NOT_ATTACHED = "Создавать чаты организации может только прикреплённый к ней учебный профиль."
# Seed 001: «Сферум — это безопасное образовательное пространство, где вы сможете общаться только с
# участниками своей школы в закрытых чатах».
NOT_IN_ORGANISATION = "В чат можно добавить только участников своей организации: Сферум — закрытое пространство."


class ChatRefused(DomainError, PermissionError):
    """A chat action the rules do not allow; the message is the one the user sees. Nothing has changed."""


# -- the chats Sferum builds ----------------------------------------------------------------------


def built_chat(session: Session, org_id: int, title: str, kind: ChatKind, class_id: str | None = None) -> Chat:
    """The chat Sferum builds under this title (made now if it is the first); chats made by hand are others."""
    for chat in session.chats.values():
        if chat.org_id == org_id and chat.title == title and chat.created_by is None:
            return chat
    chat = Chat(len(session.chats) + 1, org_id, kind, title, class_id)
    session.chats[chat.id] = chat
    return chat


def class_chat(session: Session, class_id: str) -> Chat:
    school_class = session.classes[class_id]
    return built_chat(session, school_class.org_id, f"{school_class.name} · Общая беседа", ChatKind.GROUP, class_id)


def join_organisation_chats(
    session: Session, org_id: int, role: Role, class_ids: Sequence[str], profile: SferumProfile, available_at: datetime
) -> None:
    """The organisation's chats, built from the journal's data: who is in which class."""
    org = session.organisations[org_id]
    wanted = [
        built_chat(session, org.id, f"{org.name} · {title}", kind) for title, kind, roles in ORG_CHATS if role in roles
    ]
    wanted += [class_chat(session, class_id) for class_id in class_ids]
    joined = {m.chat_id for m in session.memberships if m.profile_id == profile.id}
    new = [chat for chat in wanted if chat.id not in joined]
    for chat in new:
        session.memberships.append(Membership(chat.id, profile.id, available_at))
    if new:
        session.record("chats_joined", profile=profile.id, org=org.name, chats=[chat_entry(c) for c in new])


def leave_organisation_chats(session: Session, profile: SferumProfile, org_id: int) -> None:
    """The profile leaves every chat of the organisation."""
    org_chats = {c.id for c in session.chats.values() if c.org_id == org_id}
    session.memberships = [
        m for m in session.memberships if not (m.profile_id == profile.id and m.chat_id in org_chats)
    ]


def join_by_link(session: Session, chat: Chat, profile: SferumProfile) -> None:
    """A chat's invitation link lets in any profile, attached to the organisation or not."""
    if profile.id not in session.members(chat.id):
        session.memberships.append(Membership(chat.id, profile.id, session.clock.now()))
        org = session.organisations.get(chat.org_id)
        session.record("chats_joined", profile=profile.id, org=org.name if org else None, chats=[chat_entry(chat)])


# -- chats made by hand ---------------------------------------------------------------------------


def create_group_chat(session: Session, profile: SferumProfile, org_id: int, title: str) -> Chat:
    """A group chat made by hand in an organisation the profile is attached to; its maker is its first member.

    The title must pass `validation.chat_title` (ValidationError otherwise).
    """
    title = validation.chat_title(title)
    if session.attachment(profile.id, org_id) is None:
        raise ChatRefused(NOT_ATTACHED)
    now = session.clock.now()
    chat = Chat(len(session.chats) + 1, org_id, ChatKind.GROUP, title, created_by=profile.id, created_at=now)
    session.chats[chat.id] = chat
    session.memberships.append(Membership(chat.id, profile.id, now))
    session.record("chat_created", chat=chat.id, org=org_id, profile=profile.id)
    return chat


def chat_candidates(session: Session, chat: Chat) -> list[SferumProfile]:
    """Who may be added to a chat made by hand: the organisation's profiles not in it yet, by name."""
    inside = set(session.members(chat.id))
    found = [
        session.profiles[a.profile_id]
        for a in session.attachments
        if a.org_id == chat.org_id and a.profile_id not in inside and a.profile_id in session.profiles
    ]
    return sorted(found, key=lambda p: (p.full_name, p.id))


def add_chat_members(session: Session, chat: Chat, by: SferumProfile, profile_ids: Sequence[int]) -> list[int]:
    """Add members of the chat's organisation to a chat made by hand, all of them or none; the ids added."""
    check_member(session, chat, by)
    if chat.created_by is None:
        raise ChatRefused("Участников этого чата определяет электронный журнал: добавить в него никого нельзя.")
    if not profile_ids:
        raise ChatRefused("Выберите, кого добавить в чат.")
    inside = set(session.members(chat.id))
    for profile_id in profile_ids:
        if profile_id not in session.profiles or session.attachment(profile_id, chat.org_id) is None:
            raise ChatRefused(NOT_IN_ORGANISATION)
    added = [pid for pid in dict.fromkeys(profile_ids) if pid not in inside]
    now = session.clock.now()
    session.memberships.extend(Membership(chat.id, pid, now) for pid in added)
    session.record("chat_members_added", chat=chat.id, by=by.id, profiles=added)
    return added


# -- messages and calls ---------------------------------------------------------------------------


def post_message(
    session: Session, chat: Chat, profile: SferumProfile, text: str, file: MessageFile | None = None
) -> ChatMessage:
    """A message written now; its text must pass `validation.message` (ValidationError otherwise)."""
    text = validation.message(text, with_file=file is not None)
    check_can_write(session, chat, profile)
    message = ChatMessage(len(session.chat_messages) + 1, chat.id, profile.id, text, session.clock.now(), file)
    session.chat_messages.append(message)
    session.record(
        "chat_message",
        chat=chat.id,
        profile=profile.id,
        file=file.name if file else None,
        file_type=file.content_type if file else None,
    )
    return message


def start_call(session: Session, chat: Chat, profile: SferumProfile) -> Call:
    """A video call in a group chat, its starter in it; a chat has one call going at a time."""
    check_can_write(session, chat, profile)
    if session.ongoing_call(chat.id) is not None:
        raise ChatRefused("В чате уже идёт звонок: присоединитесь к нему.")
    now = session.clock.now()
    call = Call(len(session.calls) + 1, chat.id, profile.id, now, [CallParticipant(profile.id, now)])
    session.calls.append(call)
    session.record("call_started", call=call.id, chat=chat.id, profile=profile.id)
    return call


def join_call(session: Session, call: Call, profile: SferumProfile) -> None:
    """A member of the chat joins its call while it goes on; joining twice changes nothing."""
    check_member(session, session.chats[call.chat_id], profile)
    if call.ended_at is not None:
        raise ChatRefused("Звонок уже завершён.")
    if profile.id not in call.present():
        call.participants.append(CallParticipant(profile.id, session.clock.now()))
        session.record("call_joined", call=call.id, profile=profile.id)


def leave_call(session: Session, call: Call, profile: SferumProfile) -> None:
    """The profile leaves the call; when nobody is left, the call ends."""
    now = session.clock.now()
    present = [p for p in call.participants if p.profile_id == profile.id and p.left_at is None]
    if not present:
        raise ChatRefused("Вы не участвуете в этом звонке.")
    for participant in present:
        participant.left_at = now
    session.record("call_left", call=call.id, profile=profile.id)
    if not call.present():
        call.ended_at = now


def check_member(session: Session, chat: Chat, profile: SferumProfile) -> None:
    if profile.id not in session.members(chat.id):
        raise ChatRefused("Чат не найден или вы не состоите в нём.")


def check_can_write(session: Session, chat: Chat, profile: SferumProfile) -> None:
    # Platforms refuse these with a message first; the world only keeps its invariants.
    check_member(session, chat, profile)
    if chat.kind is ChatKind.CHANNEL:
        raise ChatRefused("В информационном канале публикуют записи только его администраторы.")


def chat_entry(chat: Chat) -> dict[str, str]:
    """A chat as the event log names it: its title and kind (channel or group)."""
    return {"title": chat.title, "kind": chat.kind.value}
