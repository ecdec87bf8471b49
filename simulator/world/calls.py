"""Calls as places: an online lesson's video conference, and what anyone in a call switches on its screen.

Seed 003: «Онлайн-урок» opens the lesson; seed 004: the tab «Сферум» lists «доступные вам … видеоконференции».
An online lesson is a call like any other — held in its class's chat, so the administrator's workbook counts
it for everyone who took part (simulator/world/statistics.py) — but it is the lesson's own: a call started
in the chat by hand is another. Who may attend is the journal's word: the lesson is in the timetable of an
account linked to the profile. Joins, leaves and toggles are events of the world, which open pages follow.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from .chats import ChatRefused, class_chat
from .models import Call, CallParticipant, Lesson, SferumProfile
from .session import Session

LESSON_LENGTH = timedelta(minutes=45)
NOT_IN_TIMETABLE = "Этого урока нет в вашем расписании."
NOT_IN_CALL = "Вы не участвуете в этом звонке."
DEVICES = ("camera", "microphone")  # what the call screen toggles: state only, no media


def lesson_status(lesson: Lesson, now: datetime) -> str | None:
    """«Идёт сейчас» / «Завершена»; nothing while the lesson is still ahead."""
    ends_at = lesson.starts_at + LESSON_LENGTH
    if lesson.starts_at <= now < ends_at:
        return "Идёт сейчас"
    return "Завершена" if ends_at <= now else None


def may_attend(session: Session, lesson: Lesson, profile: SferumProfile) -> bool:
    """The lesson is in the timetable of a journal account the profile is linked to."""
    accounts = [session.journal_accounts[i] for i, link in session.links.items() if link.profile_id == profile.id]
    return any(lesson in session.lessons_of(account) for account in accounts)


def lesson_call(session: Session, lesson: Lesson) -> Call | None:
    """The lesson's call going on now, if anyone is in it."""
    return next((c for c in session.calls if c.lesson_id == lesson.id and c.ended_at is None), None)


def join_lesson(session: Session, lesson: Lesson, profile: SferumProfile) -> Call:
    """The profile joins the lesson's call; the first to come starts it. Joining twice changes nothing."""
    if not lesson.online or not may_attend(session, lesson, profile):
        raise ChatRefused(NOT_IN_TIMETABLE)
    now = session.clock.now()
    call = lesson_call(session, lesson)
    if call is None:
        chat = class_chat(session, lesson.class_id)
        call = Call(len(session.calls) + 1, chat.id, profile.id, now, [CallParticipant(profile.id, now)])
        call.lesson_id = lesson.id
        session.calls.append(call)
        session.record("call_started", call=call.id, chat=chat.id, profile=profile.id, lesson=lesson.id)
    elif profile.id not in call.present():
        call.participants.append(CallParticipant(profile.id, now))
        session.record("call_joined", call=call.id, profile=profile.id, lesson=lesson.id)
    return call


def toggle(session: Session, call: Call, profile: SferumProfile, device: str) -> bool:
    """Switch the profile's camera or microphone in the call; what it is now."""
    if device not in DEVICES:
        raise ChatRefused("Выберите камеру или микрофон.")
    participant = next((p for p in call.participants if p.profile_id == profile.id and p.left_at is None), None)
    if participant is None or call.ended_at is not None:
        raise ChatRefused(NOT_IN_CALL)
    now_on = not getattr(participant, device)
    setattr(participant, device, now_on)
    session.record("call_toggled", call=call.id, profile=profile.id, device=device, on=now_on)
    return now_on


def own_participant(call: Call, profile: SferumProfile) -> CallParticipant | None:
    """The profile's tile in the call while it is in it."""
    return next((p for p in call.participants if p.profile_id == profile.id and p.left_at is None), None)
