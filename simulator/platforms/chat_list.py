"""The chat list of an educational profile, as Sferum shows it wherever it appears (VK Messenger, ЭШ)."""

from __future__ import annotations

from dataclasses import dataclass

from ..plural import MEMBERS, SUBSCRIBERS, count
from ..world import Session
from ..world.models import Chat, ChatKind


@dataclass(frozen=True)
class ChatRow:
    id: int
    title: str
    caption: str  # «15 участников» / «251 подписчик · Информационный канал»
    channel: bool


def caption(session: Session, chat: Chat) -> str:
    people = len(session.members(chat.id))
    if chat.kind is ChatKind.CHANNEL:
        return f"{count(people, SUBSCRIBERS)} · Информационный канал"
    return count(people, MEMBERS)


def chat_rows(session: Session, profile_id: int) -> list[ChatRow]:
    """The chats the profile is in now, information channels first, as Sferum lists them."""
    rows = [
        ChatRow(chat.id, chat.title, caption(session, chat), chat.kind is ChatKind.CHANNEL)
        for chat in session.chats_of(profile_id)
    ]
    return sorted(rows, key=lambda row: not row.channel)


def chats_pending(session: Session, profile_id: int) -> int:
    """Chats Sferum is still building for the profile: shown as «Чаты создаются» until they are ready."""
    now = session.clock.now()
    return sum(1 for m in session.memberships if m.profile_id == profile_id and m.available_at > now)
