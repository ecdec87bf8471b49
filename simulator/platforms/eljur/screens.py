"""ЭлЖур screens: sign-in through Госуслуги, «Дневник», and the online lesson behind VK ID.

The online lesson is a place: its page is the call screen every call has (simulator/templates/chats/room.html)
— who is in the lesson, «Присоединиться к уроку», the camera and microphone, «Покинуть урок» — and follows
the world live, so a classmate joining appears without a reload.
"""

from __future__ import annotations

from aiohttp import web

from ... import validation
from ... import web as sim
from ...error_table import wire_error
from ...world import Journal, JournalAccount, Role, Session, links
from ...world import calls as rooms
from ...world.chats import ChatRefused
from ...world.models import Lesson
from .. import chat_screens
from ..esia_client import EsiaClient, EsiaError
from ..relying_party import RelyingParty, SignInFailed
from . import class_teacher, rules

SIGN_IN = sim.SignIn("eljur_session", "account_id", lambda session: session.journal_accounts)
WEEKDAYS = ("Понедельник", "Вторник", "Среда", "Четверг", "Пятница", "Суббота", "Воскресенье")
MONTHS = (
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
)
ROLES = {Role.STUDENT: "Ученик", Role.PARENT: "Родитель", Role.TEACHER: "Учитель", Role.ADMIN: "Администратор"}
GOSUSLUGI = EsiaClient(platform="eljur", client_id="eljur", service_name="ЭлЖур", callback="/login/callback")
# The consent bullets of seed 003 are VK ID's defaults for a journal client.
VK_ID = RelyingParty(platform="eljur", client_id="eljur", service_name="ЭлЖур", callback="/vkid/callback")


_state, _respond = SIGN_IN.state, SIGN_IN.respond


def _account(request: web.Request) -> JournalAccount:
    """The signed-in ЭлЖур account; anyone else is sent to the sign-in page."""
    return SIGN_IN.user(request)


def _login_page(request: web.Request, status: int = 200, alert: str | None = None) -> web.Response:
    return sim.render(request, "eljur/login.html", status, alert=alert)


def _diary(request: web.Request, account: JournalAccount, status: int = 200, alert: str | None = None) -> web.Response:
    session = sim.session(request)
    children = [session.people[pid] for pid in account.children if pid in session.people]
    lessons = session.lessons_of(account)
    days: dict[str, list[Lesson]] = {}
    for lesson in lessons:
        day = lesson.starts_at.date()
        days.setdefault(f"{WEEKDAYS[day.weekday()]}, {day.day} {MONTHS[day.month - 1]}", []).append(lesson)
    return sim.render(
        request,
        "eljur/diary.html",
        status,
        account=account,
        person=session.people[account.person_id],
        role=ROLES[account.role],
        children=children,
        days=days,
        classes=session.classes,
        alert=alert,
    )


# -- sign-in through Госуслуги ------------------------------------------------------------------


async def sign_in(request: web.Request) -> web.StreamResponse:
    """The only way in: «Войти через Госуслуги»."""
    if _state(request).get("account_id"):
        raise web.HTTPSeeOther("/diary")
    return _login_page(request)


async def gosuslugi(request: web.Request) -> web.StreamResponse:
    url, pending = GOSUSLUGI.begin(request)
    return _respond(request, sim.redirect(url), {"esia": pending})


async def gosuslugi_callback(request: web.Request) -> web.StreamResponse:
    """Back from Госуслуги: redeem the code, then let in only those the journal knows and trusts."""
    state = _state(request)
    session = sim.session(request)
    try:
        gosuslugi_account = GOSUSLUGI.finish(request, state.pop("esia", None))
    except EsiaError as error:
        return _respond(request, _login_page(request, 400, str(error)), state)
    person = session.people[gosuslugi_account.person_id]
    accounts = session.journal_accounts_of(person.id, Journal.ELJUR)
    # A student the journal knows by the contact the class teacher entered, whoever Госуслуги says it is.
    account = accounts[0] if accounts else session.journal_by_contact(Journal.ELJUR, gosuslugi_account.login)
    refusal = rules.entry_refusal(account, person, gosuslugi_account, session.clock.now().date())
    if refusal is not None:
        return _respond(request, _login_page(request, 403, refusal), {})
    assert account is not None  # entry_refusal refuses a person without an ЭлЖур account
    return _respond(request, sim.redirect("/diary"), {"account_id": account.id})


async def sign_out(request: web.Request) -> web.StreamResponse:
    return _respond(request, sim.redirect("/"), {})


# -- «Дневник» --------------------------------------------------------------------------------


async def diary(request: web.Request) -> web.StreamResponse:
    return _diary(request, _account(request))


# -- «Мой класс»: the class teacher enters students' phones or e-mails ---------------------------


def _not_for_you(request: web.Request, account: JournalAccount, message: str) -> web.Response:
    return sim.render(request, "eljur/refused.html", 403, account=account, message=message, title="Раздел недоступен")


async def class_list(request: web.Request) -> web.StreamResponse:
    account = _account(request)
    if refusal := class_teacher.refusal(account):
        return _not_for_you(request, account, refusal)
    return class_teacher.page(request, account, notice=_state(request).pop("notice", None))


async def class_contact(request: web.Request) -> web.StreamResponse:
    """«Сохранить» next to a student: stored and back to the list with a notice, or the list with the error."""
    account = _account(request)
    if refusal := class_teacher.refusal(account):
        return _not_for_you(request, account, refusal)
    done = await class_teacher.add_contact(request, account)
    if isinstance(done, web.Response):
        return done
    state = _state(request)
    state["notice"] = done
    return _respond(request, sim.redirect("/class"), state)


# -- «Онлайн-урок» ----------------------------------------------------------------------------


class _LessonRefused(Exception):
    """The account may not join this lesson: the page that says why."""

    def __init__(self, page: web.Response) -> None:
        super().__init__(page.status)
        self.page = page


def _lesson(request: web.Request, account: JournalAccount, session: Session) -> Lesson:
    """The lesson of the URL, if this account may join it."""
    lesson_id = validation.record_id(request.match_info["lesson_id"])
    lesson = session.lessons.get(lesson_id) if lesson_id is not None else None
    refusal = rules.lesson_refusal(account, lesson, session.lessons_of(account))
    if refusal is not None:
        status, message = refusal
        raise _LessonRefused(
            sim.render(
                request, "eljur/refused.html", status, account=account, message=message, title="Онлайн-урок недоступен"
            )
        )
    assert lesson is not None  # lesson_refusal refuses a lesson that does not exist
    return lesson


def _lesson_page(
    request: web.Request,
    account: JournalAccount,
    session: Session,
    lesson: Lesson,
    status: int = 200,
    **context: object,
) -> web.StreamResponse:
    link = session.links[account.id]
    state = _state(request)
    notice = state.get("notice") if chat_screens.live_refresh(request) else state.pop("notice", None)
    call = rooms.lesson_call(session, lesson)
    page = sim.render(
        request,
        "eljur/lesson.html",
        status,
        account=account,
        lesson=lesson,
        school_class=session.classes[lesson.class_id],
        profile=session.profiles[link.profile_id],
        call=call,
        people=session.profiles,
        topics=f"lesson-{lesson.id}",
        notice=notice,
        **{"alert": None, **context},
    )
    return _respond(request, page, state)


async def online_lesson(request: web.Request) -> web.StreamResponse:
    """The green button's target: the lesson for a linked student, VK ID first for an unlinked one."""
    account = _account(request)
    session = sim.session(request)
    try:
        lesson = _lesson(request, account, session)
    except _LessonRefused as refused:
        return refused.page
    if account.id not in session.links:
        url, pending = VK_ID.begin(request)
        state = _state(request)
        state.update(oauth=pending, lesson=lesson.id)
        return _respond(request, sim.redirect(url), state)
    return _lesson_page(request, account, session, lesson)


LESSON_NOTICES = {"join": "Вы на онлайн-уроке.", "leave": "Вы покинули онлайн-урок."}


async def lesson_action(request: web.Request) -> web.StreamResponse:
    """«Присоединиться к уроку», the camera and microphone, «Покинуть урок»: then the lesson again."""
    account = _account(request)
    session = sim.session(request)
    action = (await sim.form(request)).get("action", "")
    try:
        lesson = _lesson(request, account, session)
    except _LessonRefused as refused:
        return refused.page
    link = session.links.get(account.id)
    if link is None:  # not linked yet: the page itself sends the student through VK ID
        raise web.HTTPSeeOther(request.path)
    profile = session.profiles[link.profile_id]
    try:
        if action == "join":
            rooms.join_lesson(session, lesson, profile)
            notice = LESSON_NOTICES["join"]
        else:
            call = rooms.lesson_call(session, lesson)
            if call is None:
                raise ChatRefused(rooms.NOT_IN_CALL)
            notice = chat_screens.room_action(session, call, profile, action)
            notice = LESSON_NOTICES.get(action, notice)
    except ChatRefused as refused:
        return _lesson_page(request, account, session, lesson, wire_error(refused).status, alert=str(refused))
    state = _state(request)
    state["notice"] = notice
    return _respond(request, sim.redirect(request.path), state)


async def vkid_callback(request: web.Request) -> web.StreamResponse:
    """Back from VK ID: link the ЭлЖур account to the educational profile, then open the lesson."""
    account = _account(request)
    state = _state(request)
    session = sim.session(request)
    lesson_id = state.pop("lesson", None)
    try:
        user = await VK_ID.finish(request, state.pop("oauth", None))
    except SignInFailed as error:
        request.app.logger.info("VK ID sign-in failed: %s", error.detail)
        return _respond(request, _diary(request, account, error.status, str(error)), state)
    profile = session.profiles[int(user["user_id"])]
    other = session.link_of_profile(profile.id, Journal.ELJUR)
    if other is not None and other.journal_account_id != account.id:
        return _respond(request, _diary(request, account, 409, rules.PROFILE_TAKEN), state)
    links.link(session, account, profile, via="vkid")
    return _respond(request, sim.redirect(f"/lessons/{lesson_id}" if lesson_id else "/diary"), state)
