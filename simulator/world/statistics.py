"""The weekly usage statistics an organisation's administrator downloads from sferum.ru.

Counted from the world's messages and calls: only those in the organisation's group chats, by a
profile attached to the organisation, written after it was attached («Статистика считает только те
сообщения, которые были написаны в групповые чаты с прикрепленного к организации учебного профиля»).
Group chats made by hand in the organisation count as the ones Sferum builds («Для общения можно
использовать свои групповые чаты, созданные вручную»). A call counts for everyone who took part in it,
its starter and those who joined, in the week it started.
The week is the 7 days ending with the session clock's date, so tests move it with the clock.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from .models import Call, ChatKind, ChatMessage
from .session import Session

WEEK = 7  # days, today included


@dataclass(frozen=True)
class UserUsage:
    """One user of the organisation: a row of both sheets of the administrator's file."""

    profile_id: int  # «ID пользователя»: the educational profile's ID, as VK Messenger's settings show it
    full_name: str  # «Хазеев Рустем»: last and first name, as the report prints them
    user_type: str  # «Тип пользы», as seed 001 heads the column: teacher | student | parent | admin
    journal_linked: bool  # «Связь с ЭЖ» / «Связь с ЭИП»: the profile is linked to an e-journal account
    messages: int
    calls: int


@dataclass(frozen=True)
class WeeklyReport:
    date: dt.date  # the report's «Дата»: the clock's date
    org_id: int
    first_day: dt.date
    users: list[UserUsage]


def weekly_report(session: Session, org_id: int) -> WeeklyReport:
    """Every profile attached to the organisation, with what it wrote and started in the week."""
    now = session.clock.now()
    first_day = now.date() - timedelta(days=WEEK - 1)
    week_start = datetime.combine(first_day, time(0), tzinfo=now.tzinfo)
    group_chats = {c.id for c in session.chats.values() if c.org_id == org_id and c.kind is ChatKind.GROUP}
    since = {a.profile_id: max(a.since, week_start) for a in session.attachments if a.org_id == org_id}

    def counted(events: Iterable[ChatMessage | Call]) -> Counter[int]:
        return Counter(
            profile_id
            for e in events
            if e.chat_id in group_chats
            for profile_id in _who(e)
            if profile_id in since and since[profile_id] <= _at(e) <= now
        )

    messages, calls = counted(session.chat_messages), counted(session.calls)
    linked = {link.profile_id for link in session.links.values()}
    users = []
    for attachment in (a for a in session.attachments if a.org_id == org_id):
        profile = session.profiles[attachment.profile_id]
        users.append(
            UserUsage(
                profile.id,
                f"{profile.last_name} {profile.first_name}",
                attachment.role.value,
                profile.id in linked,
                messages[profile.id],
                calls[profile.id],
            )
        )
    users.sort(key=lambda u: (u.full_name, u.profile_id))
    return WeeklyReport(now.date(), org_id, first_day, users)


def _who(event: ChatMessage | Call) -> set[int]:
    return {event.profile_id} if isinstance(event, ChatMessage) else event.took_part()


def _at(event: ChatMessage | Call) -> datetime:
    return event.sent_at if isinstance(event, ChatMessage) else event.started_at
