"""ЭШ screens: the electronic diary, the menu tab «Авторизация в Сферум» and, once linked, the tab «Сферум».

Seed 004: «Звонки и чаты теперь доступны прямо в АИС «Электронной школе»»: the tab lists the chats and video
conferences, and its chats open in the shared chat screens (simulator/platforms/chat_screens.py) framed
by the diary's layout — messages, files and pictures, calls. An online lesson «Идёт сейчас» is joined from
its own row: its page is the call screen every call has, and the tab follows the world live.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from aiohttp import web

from ... import validation
from ... import web as sim
from ...error_table import wire_error
from ...world import Journal, JournalAccount, Role, Session, links
from ...world import calls as rooms
from ...world.chats import ChatRefused
from ...world.models import Lesson
from .. import chat_screens
from ..chat_list import chat_rows, chats_pending
from ..journal import password_sign_in
from ..relying_party import RelyingParty, SignInFailed

SIGN_IN = sim.SignIn("es_session", "account_id", lambda session: session.journal_accounts)
VK_ID = RelyingParty(
    platform="es",
    client_id="es_sferum",
    service_name="Электронная школа",
    callback="/sferum/callback",
)
# Seed 004 walks a student's and a parent's menu, but the tab is for everyone in the journal: the chats are
# «с учениками, учителями и родителями», so a teacher links the same way.
SFERUM_ROLES = frozenset(Role)
ROLES = {Role.STUDENT: "Ученик", Role.PARENT: "Родитель", Role.TEACHER: "Учитель", Role.ADMIN: "Администратор"}
LESSON_LENGTH = rooms.LESSON_LENGTH
ONLY_THE_STUDENT = "Подключиться к онлайн-уроку может только сам ученик, из своего электронного дневника."
NO_CONFERENCE = "Видеоконференция не найдена: такого онлайн-урока нет в вашем расписании."
LINKED = "Авторизация в Сферум выполнена: учебный профиль привязан к вашей учетной записи ЭШ."
PLACE = chat_screens.Place("es", "es/layout.html", home="/sferum", prefix="/sferum/chats")


@dataclass(frozen=True)
class LessonRow:
    subject: str
    class_name: str
    starts_at: datetime
    ends_at: datetime
    online: bool  # planned online: a video conference in Sferum
    status: str | None  # «Идёт сейчас» / «Завершена»; nothing while it is still ahead
    id: int = 0
    people: int = 0  # in the lesson's call now
    joined: bool = False  # the viewer is in it


_state, _respond = SIGN_IN.state, SIGN_IN.respond


def _account(request: web.Request) -> JournalAccount:
    """The signed-in diary account; anyone else is sent to the sign-in page."""
    return SIGN_IN.user(request)


def _menu(session: Session, account: JournalAccount) -> list[tuple[str, str]]:
    """The menu tabs: «Авторизация в Сферум» until the account is linked, then «Сферум»."""
    tabs = [("Дневник", "/diary")]
    if account.role in SFERUM_ROLES:
        linked = account.id in session.links
        tabs.append(("Сферум", "/sferum") if linked else ("Авторизация в Сферум", "/sferum/authorize"))
    return tabs


def _layout(session: Session, account: JournalAccount) -> dict[str, Any]:
    """What the diary's layout shows around every screen: who is signed in and the menu."""
    return {
        "account": account,
        "person": session.people[account.person_id],
        "role": ROLES[account.role],
        "pupils": _pupils(session, account),
        "menu": _menu(session, account),
    }


def _page(
    request: web.Request, account: JournalAccount, template: str, status: int = 200, **context: Any
) -> web.Response:
    session = sim.session(request)
    context.setdefault("alert", None)
    state = _state(request)
    return sim.render(
        request,
        f"es/{template}.html",
        status,
        notice=state.get("notice") if chat_screens.live_refresh(request) else state.pop("notice", None),
        **{**_layout(session, account), **context},
    )


def _pupils(session: Session, account: JournalAccount) -> list[tuple[str, str]]:
    """Whose diary this is: (name, class) of the student, or of each of a parent's children."""
    if account.role is Role.PARENT:
        accounts = [a for pid in account.children for a in session.journal_accounts_of(pid, account.journal)]
    else:
        accounts = [account] if account.role is Role.STUDENT else []
    return [
        (session.people[a.person_id].full_name, session.classes[a.class_id].name if a.class_id else "")
        for a in accounts
    ]


# -- sign-in ------------------------------------------------------------------------------------


async def sign_in(request: web.Request) -> web.StreamResponse:
    return await password_sign_in(request, SIGN_IN, Journal.ES, "es/login.html", "/diary")


async def sign_out(request: web.Request) -> web.StreamResponse:
    return _respond(request, sim.redirect("/"), {})


async def diary(request: web.Request) -> web.StreamResponse:
    account = _account(request)
    return _respond(request, _diary(request, account), _state(request))


def _diary(request: web.Request, account: JournalAccount, status: int = 200, alert: str | None = None) -> web.Response:
    """«Электронный дневник»: today's lessons of the account's class(es)."""
    session = sim.session(request)
    today = session.clock.now().date()
    lessons = [_row(session, lesson) for lesson in session.lessons_of(account) if lesson.starts_at.date() == today]
    return _page(request, account, "diary", status, lessons=lessons, alert=alert)


# -- «Авторизация в Сферум»: VK ID, then the link ----------------------------------------------


async def authorize(request: web.Request) -> web.StreamResponse:
    """The menu tab: off to VK ID with a fresh PKCE pair (or to «Сферум» when already linked)."""
    account = _account(request)
    session = sim.session(request)
    state = _state(request)
    if account.id in session.links:
        raise web.HTTPSeeOther("/sferum")
    url, pending = VK_ID.begin(request)
    state["oauth"] = pending
    return _respond(request, sim.redirect(url), state)


async def callback(request: web.Request) -> web.StreamResponse:
    """VK ID is back with the educational profile: link it to this diary account."""
    account = _account(request)
    session = sim.session(request)
    state = _state(request)

    def refuse(status: int, alert: str) -> web.StreamResponse:
        return _respond(request, _diary(request, account, status, alert), state)

    try:
        user = await VK_ID.finish(request, state.pop("oauth", None))
    except SignInFailed as error:
        request.app.logger.info("VK ID sign-in failed: %s", error.detail)
        return refuse(error.status, str(error))
    profile = session.profiles[int(user["user_id"])]
    other = session.link_of_profile(profile.id, Journal.ES)
    if other is not None and other.journal_account_id != account.id:
        return refuse(409, "Этот учебный профиль уже привязан к другой учетной записи ЭШ.")
    links.link(session, account, profile, via="vkid")
    state["notice"] = LINKED
    return _respond(request, sim.redirect("/sferum"), state)


# -- «Сферум»: chats and video conferences -----------------------------------------------------


async def sferum(request: web.Request) -> web.StreamResponse:
    account = _account(request)
    session = sim.session(request)
    state = _state(request)
    link = session.links.get(account.id)
    if link is None or account.role not in SFERUM_ROLES:
        raise web.HTTPSeeOther("/diary")
    response = _page(
        request,
        account,
        "sferum",
        profile=session.profiles[link.profile_id],
        chats=chat_rows(session, link.profile_id),
        pending=chats_pending(session, link.profile_id),
        conferences=conference_rows(session, account, link.profile_id),
        can_join=account.role is Role.STUDENT,
        calls=call_rows(session, link.profile_id),
        chats_at=PLACE.prefix + "/",
    )
    return _respond(request, response, state)


@dataclass(frozen=True)
class CallRow:
    chat_title: str
    href: str
    started_at: datetime
    people: int  # in the call now


def call_rows(session: Session, profile_id: int) -> list[CallRow]:
    """Calls going on now in the profile's chats: video conferences to join."""
    rows = []
    for chat in session.chats_of(profile_id):
        call = session.ongoing_call(chat.id)
        if call is not None:
            rows.append(CallRow(chat.title, PLACE.url(chat, "calls", call.id), call.started_at, len(call.present())))
    return rows


# -- a chat of the tab «Сферум»: the shared chat screens in the diary's frame ----------------------


async def chat_visit(request: web.Request) -> chat_screens.Visit:
    """The profile the diary account is linked to; an account that is not linked goes back to the diary."""
    account = _account(request)
    session = sim.session(request)
    link = session.links.get(account.id)
    if link is None or account.role not in SFERUM_ROLES:
        raise web.HTTPSeeOther("/diary")
    state = _state(request)

    def save(request: web.Request, response: web.StreamResponse) -> web.StreamResponse:
        return _respond(request, response, state)

    return chat_screens.Visit(session.profiles[link.profile_id], state, save, _layout(session, account))


def conference_rows(session: Session, account: JournalAccount, profile_id: int | None = None) -> list[LessonRow]:
    """Online lessons of the account's classes from today on: each is a video conference."""
    now = session.clock.now()
    return [
        _row(session, lesson, profile_id)
        for lesson in session.lessons_of(account)
        if lesson.online and lesson.starts_at.date() >= now.date()
    ]


def _row(session: Session, lesson: Lesson, profile_id: int | None = None) -> LessonRow:
    now = session.clock.now()
    call = rooms.lesson_call(session, lesson) if lesson.online else None
    present = call.present() if call else []
    name = session.classes[lesson.class_id].name
    return LessonRow(
        lesson.subject,
        name,
        lesson.starts_at,
        lesson.starts_at + LESSON_LENGTH,
        lesson.online,
        rooms.lesson_status(lesson, now),
        lesson.id,
        len(present),
        profile_id in present,
    )


# -- a video conference: the online lesson's call, in the diary's frame ------------------------------


def _conference(request: web.Request, account: JournalAccount, session: Session) -> Lesson | None:
    """The online lesson of the URL among the account's video conferences, or None."""
    lesson_id = validation.record_id(request.match_info["lesson_id"])
    lesson = session.lessons.get(lesson_id) if lesson_id is not None else None
    if lesson is None or not lesson.online or lesson not in session.lessons_of(account):
        return None
    return lesson


def _conference_page(
    request: web.Request, account: JournalAccount, session: Session, lesson: Lesson, status: int = 200, alert: str = ""
) -> web.StreamResponse:
    profile = session.profiles[session.links[account.id].profile_id]
    response = _page(
        request,
        account,
        "conference",
        status,
        alert=alert or None,
        lesson=_row(session, lesson, profile.id),
        call=rooms.lesson_call(session, lesson),
        people=session.profiles,
        profile=profile,
        topics=f"lesson-{lesson.id}",
    )
    return _respond(request, response, _state(request))


async def conference(request: web.Request) -> web.StreamResponse:
    """A video conference of the tab «Сферум»: who is in the lesson, «Присоединиться», «Покинуть урок»."""
    account, session = _account(request), sim.session(request)
    if account.id not in session.links or account.role not in SFERUM_ROLES:
        raise web.HTTPSeeOther("/diary")
    lesson = _conference(request, account, session)
    if lesson is None:
        return _respond(request, _page(request, account, "missing", 404, alert=NO_CONFERENCE), _state(request))
    return _conference_page(request, account, session, lesson)


async def conference_action(request: web.Request) -> web.StreamResponse:
    """«Присоединиться» from the lesson's row or page, the camera and microphone, «Покинуть урок»."""
    account, session = _account(request), sim.session(request)
    action = (await sim.form(request)).get("action", "")
    if account.id not in session.links or account.role not in SFERUM_ROLES:
        raise web.HTTPSeeOther("/diary")
    lesson = _conference(request, account, session)
    if lesson is None:
        return _respond(request, _page(request, account, "missing", 404, alert=NO_CONFERENCE), _state(request))
    profile = session.profiles[session.links[account.id].profile_id]
    try:
        if account.role is not Role.STUDENT:
            raise ChatRefused(ONLY_THE_STUDENT)
        if action == "join":
            rooms.join_lesson(session, lesson, profile)
            notice = "Вы присоединились к видеоконференции."
        else:
            call = rooms.lesson_call(session, lesson)
            if call is None:
                raise ChatRefused(rooms.NOT_IN_CALL)
            notice = chat_screens.room_action(session, call, profile, action)
            if action == "leave":
                notice = "Вы покинули видеоконференцию."
    except ChatRefused as refused:
        return _conference_page(request, account, session, lesson, wire_error(refused).status, str(refused))
    state = _state(request)
    state["notice"] = notice
    return _respond(request, sim.redirect(request.path), state)
