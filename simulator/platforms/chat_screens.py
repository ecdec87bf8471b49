"""One set of chat screens for every place Sferum's chats open: VK Мессенджер, ЭШ's tab «Сферум», «Сферум в МАХ».

Seed 004: «общаться в чатах…, совершать онлайн-звонки, обмениваться контентом»; seed 001: «свои групповые
чаты, созданные вручную». A platform says where its chats live and how its pages are framed (a `Place`),
and who is signed in (a `Visit`); the screens, what may be posted and how bad input is answered are
the same everywhere, and nothing is stored when a request is refused.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import quote

from aiohttp import web

from .. import validation
from .. import web as sim
from ..error_table import wire_error
from ..uploads import file_form
from ..validation import ValidationError
from ..world import Session, SferumProfile, chats
from ..world import calls as rooms
from ..world import organisations as orgs
from ..world.chats import NOT_ATTACHED, NOT_IN_ORGANISATION, ChatRefused
from ..world.files import content, message_file
from ..world.models import Call, Chat, ChatKind, ChatMessage, MessageFile
from .chat_list import caption

CHANNEL_READ_ONLY = "В информационном канале публикуют записи только его администраторы."
NO_CHAT = "Чат не найден или вы не состоите в нём."
CALL_STARTED = "Звонок начат. Участники чата получили приглашение присоединиться."


@dataclass(frozen=True)
class Place:
    """Where a platform shows chats and how its pages frame them."""

    platform: str  # names the screens: data-screen="<platform>-chat"
    layout: str  # the template the screens extend; it has the blocks title, screen and content
    home: str  # the chat list
    prefix: str  # the chats' URLs: "<prefix>/7", "<prefix>/7/calls/1", "<prefix>/new"
    can_create: bool = False  # «Создать чат»: VK Мессенджер

    def url(self, chat: Chat, *rest: object) -> str:
        return "/".join([self.prefix, str(chat.id), *map(str, rest)])


@dataclass
class Visit:
    """One request's signed-in profile, what the platform's layout needs, and its browser state."""

    profile: SferumProfile
    state: dict[str, Any]  # the platform's cookie-backed state: a notice for the next page waits here
    save: Callable[[web.Request, web.StreamResponse], web.StreamResponse]  # keeps `state` with the response
    layout: dict[str, Any] = field(default_factory=dict)  # the layout's own variables


# -- what the screens show ------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """A line of the chat: a message (maybe with a file) or a call, with its author."""

    kind: str  # message | call
    at: datetime
    author: SferumProfile
    message: ChatMessage | None = None
    call: Call | None = None


def _entries(session: Session, chat: Chat) -> list[Entry]:
    entries = [
        Entry("message", m.sent_at, session.profiles[m.profile_id], message=m)
        for m in session.chat_messages
        if m.chat_id == chat.id
    ]
    entries += [
        Entry("call", c.started_at, session.profiles[c.profile_id], call=c)
        for c in session.calls
        if c.chat_id == chat.id
    ]
    return sorted(entries, key=lambda e: e.at)  # stable: at one instant of a frozen clock messages come first


def human_size(size: int) -> str:
    """«512 Б», «12 КБ», «1,5 МБ»: as the chat shows a file's size."""
    if size < 1024:
        return f"{size} Б"
    if size < 1024 * 1024:
        return f"{round(size / 1024)} КБ"
    return f"{size / (1024 * 1024):.1f} МБ".replace(".", ",")


def _render(
    request: web.Request, place: Place, visit: Visit, template: str, status: int = 200, **context: Any
) -> web.StreamResponse:
    context.setdefault("alert", None)
    shared = {"layout": place.layout, "place": place, "profile": visit.profile, "human_size": human_size}
    notice = visit.state.get("notice") if live_refresh(request) else visit.state.pop("notice", None)
    response = sim.render(
        request, f"chats/{template}.html", status, **{**visit.layout, **shared, "notice": notice, **context}
    )
    return visit.save(request, response)


def live_refresh(request: web.Request) -> bool:
    """A page fetching itself again to follow the world (simulator/static/live.js): it leaves a notice for the person."""
    return request.headers.get("X-Sim-Live") == "1"


def _after(request: web.Request, visit: Visit, location: str, notice: str) -> web.StreamResponse:
    """Post/redirect/get, with a one-time notice for the next page."""
    visit.state["notice"] = notice
    return visit.save(request, sim.redirect(location))


class _Missing(Exception):
    """What the URL names does not exist for this profile; `message` says what."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _missing(request: web.Request, place: Place, visit: Visit, message: str) -> web.StreamResponse:
    return _render(request, place, visit, "missing", 404, alert=message, back=place.home)


def _chat(session: Session, visit: Visit, request: web.Request) -> Chat:
    """The chat of the URL if the profile is in it now; any other chat does not exist for it."""
    chat_id = validation.record_id(request.match_info.get("chat_id"))
    chat = session.chats.get(chat_id) if chat_id is not None else None
    if chat is None or visit.profile.id not in session.members(chat.id):
        raise _Missing(NO_CHAT)
    return chat


Screen = Callable[[web.Request, Place, Visit], Awaitable[web.StreamResponse]]
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def _guarded(handler: Callable[[web.Request, Place, Visit, Session], Awaitable[web.StreamResponse]]) -> Screen:
    """A screen whose URL may name what does not exist: that is answered 404 in the platform's frame."""

    async def screen(request: web.Request, place: Place, visit: Visit) -> web.StreamResponse:
        try:
            return await handler(request, place, visit, sim.session(request))
        except _Missing as missing:
            return _missing(request, place, visit, missing.message)

    screen.__name__, screen.__doc__ = handler.__name__, handler.__doc__
    return screen


# -- a chat: its messages, files and calls --------------------------------------------------------


def _chat_page(
    request: web.Request, place: Place, visit: Visit, session: Session, chat: Chat, status: int = 200, **context: Any
) -> web.StreamResponse:
    context.setdefault("errors", {})
    context.setdefault("values", {})
    call = session.ongoing_call(chat.id)
    return _render(
        request,
        place,
        visit,
        "chat",
        status,
        chat=chat,
        caption=caption(session, chat),
        channel=chat.kind is ChatKind.CHANNEL,
        entries=_entries(session, chat),
        ongoing=call,
        in_call=call is not None and visit.profile.id in call.present(),
        **context,
    )


@_guarded
async def chat(request: web.Request, place: Place, visit: Visit, session: Session) -> web.StreamResponse:
    """A chat: its messages, files and calls; in a group chat the user writes, sends a file and calls."""
    chat = _chat(session, visit, request)
    if request.method == "GET":
        return _chat_page(request, place, visit, session, chat)
    form = await file_form(request)
    chat = _chat(session, visit, request)  # still a member once the upload has arrived
    if chat.kind is ChatKind.CHANNEL:
        return _chat_page(request, place, visit, session, chat, 403, alert=CHANNEL_READ_ONLY)
    if form.fields.get("action") == "call":
        return _call(request, place, visit, session, chat)
    errors: dict[str, str] = {}
    file: MessageFile | None = None
    if form.error is not None:
        errors["file"] = form.error.message
    elif form.upload is not None:
        try:
            file = message_file(form.upload.filename, form.upload.content_type, form.upload.data)
        except ValidationError as error:
            errors["file"] = error.message
    text = form.fields.get("text", "")
    if not errors:
        try:
            chats.post_message(session, chat, visit.profile, text, file)
        except ValidationError as error:
            errors[error.field] = error.message
    if errors:
        status = 413 if errors.get("file") == validation.FILE_TOO_LARGE else 422
        return _chat_page(request, place, visit, session, chat, status, errors=errors, values={"text": text})
    return visit.save(request, sim.redirect(place.url(chat)))


def _call(request: web.Request, place: Place, visit: Visit, session: Session, chat: Chat) -> web.StreamResponse:
    """«Начать звонок»: a new call, or the one already going in the chat, joined."""
    call = session.ongoing_call(chat.id)
    if call is None:
        call = chats.start_call(session, chat, visit.profile)
        notice = CALL_STARTED
    else:
        chats.join_call(session, call, visit.profile)
        notice = "В чате уже идёт звонок: вы присоединились к нему."
    return _after(request, visit, place.url(chat, "calls", call.id), notice)


@_guarded
async def chat_file(request: web.Request, place: Place, visit: Visit, session: Session) -> web.StreamResponse:
    """A file sent in the chat: a picture is shown, any other file is downloaded, never run as a page."""
    chat = _chat(session, visit, request)
    message_id = validation.record_id(request.match_info.get("message_id"))
    message = next((m for m in session.chat_messages if m.id == message_id and m.chat_id == chat.id), None)
    if message is None or message.file is None:
        raise _Missing("Файл не найден.")
    file = message.file
    disposition = "inline" if file.picture else "attachment"
    response = web.Response(
        body=content(file),
        content_type=file.content_type if file.picture else "application/octet-stream",
        headers={
            "Content-Disposition": f"{disposition}; filename*=UTF-8''{quote(file.name, safe='')}",
            "X-Content-Type-Options": "nosniff",
            "Content-Security-Policy": "sandbox; default-src 'none'",
        },
    )
    return visit.save(request, response)


# -- a call: who is in it; join, toggles and leave --------------------------------------------------

ROOM_ACTIONS = ("join", "leave", *rooms.DEVICES)
CHOOSE_ACTION = "Выберите: присоединиться к звонку, включить или выключить камеру или микрофон, покинуть звонок."
TOGGLED = {
    ("camera", True): "Камера включена.",
    ("camera", False): "Камера выключена.",
    ("microphone", True): "Микрофон включён.",
    ("microphone", False): "Микрофон выключен.",
}


def leave_notice(call: Call) -> str:
    ended = " Звонок завершён: в нём никого не осталось." if call.ended_at else ""
    return "Вы вышли из звонка." + ended


def room_action(session: Session, call: Call, profile: SferumProfile, action: str) -> str:
    """A toggle or «Покинуть» in any call, a chat's or a lesson's: the notice to show; ChatRefused if refused."""
    if action == "leave":
        chats.leave_call(session, call, profile)
        return leave_notice(call)
    if action in rooms.DEVICES:
        return TOGGLED[action, rooms.toggle(session, call, profile, action)]
    raise ChatRefused(CHOOSE_ACTION)


@_guarded
async def call(request: web.Request, place: Place, visit: Visit, session: Session) -> web.StreamResponse:
    """The call screen: the chat, whether the call goes on, its participants; «Присоединиться», «Покинуть звонок»."""
    chat = _chat(session, visit, request)
    call_id = validation.record_id(request.match_info.get("call_id"))
    found = next((c for c in session.calls if c.id == call_id and c.chat_id == chat.id), None)
    if found is None:
        raise _Missing("Звонок не найден.")
    alert = None
    if request.method == "POST":
        action = (await sim.form(request)).get("action", "")
        chat = _chat(session, visit, request)  # still a member once the form has arrived
        try:
            if action == "join":
                chats.join_call(session, found, visit.profile)
                return _after(request, visit, request.path, "Вы присоединились к звонку.")
            return _after(request, visit, request.path, room_action(session, found, visit.profile, action))
        except ChatRefused as refused:
            alert = str(refused)
    return _render(
        request,
        place,
        visit,
        "call",
        200 if alert is None else 409,
        alert=alert,
        chat=chat,
        call=found,
        people=session.profiles,
    )


# -- members of a chat; a chat made by hand ---------------------------------------------------------


def _members_page(
    request: web.Request, place: Place, visit: Visit, session: Session, chat: Chat, status: int = 200, **context: Any
) -> web.StreamResponse:
    roles = {a.profile_id: orgs.ROLE_LABELS[a.role] for a in session.attachments if a.org_id == chat.org_id}
    members = sorted((session.profiles[pid] for pid in session.members(chat.id)), key=lambda p: (p.full_name, p.id))
    manual = chat.created_by is not None
    return _render(
        request,
        place,
        visit,
        "members",
        status,
        chat=chat,
        caption=caption(session, chat),
        members=members,
        roles=roles,
        manual=manual,
        candidates=chats.chat_candidates(session, chat) if manual else [],
        organisation=session.organisations[chat.org_id],
        **context,
    )


@_guarded
async def members(request: web.Request, place: Place, visit: Visit, session: Session) -> web.StreamResponse:
    """«Участники»: who is in the chat; in a chat made by hand, «Добавить» members of the organisation."""
    chat = _chat(session, visit, request)
    if request.method == "GET":
        return _members_page(request, place, visit, session, chat)
    chosen = (await sim.form_lists(request)).get("member", [])
    chat = _chat(session, visit, request)  # still a member once the form has arrived
    ids = [validation.record_id(value) for value in chosen]
    try:
        if None in ids:
            raise ChatRefused(NOT_IN_ORGANISATION)
        added = chats.add_chat_members(session, chat, visit.profile, [i for i in ids if i is not None])
    except ChatRefused as refused:
        return _members_page(request, place, visit, session, chat, wire_error(refused).status, alert=str(refused))
    names = ", ".join(session.profiles[pid].full_name for pid in added) or "никто: все выбранные уже в чате"
    return _after(request, visit, place.url(chat, "members"), f"Добавлены в чат: {names}.")


async def new_chat(request: web.Request, place: Place, visit: Visit) -> web.StreamResponse:
    """«Создать чат»: a group chat of an organisation the profile is attached to, then its members."""
    session = sim.session(request)
    organisations = [session.organisations[i] for i in visit.profile.org_ids if i in session.organisations]

    def page(status: int = 200, **context: Any) -> web.StreamResponse:
        context.setdefault("errors", {})
        context.setdefault("values", {})
        return _render(request, place, visit, "new", status, organisations=organisations, **context)

    if request.method == "GET":
        return page()
    data = await sim.form(request)
    # With one organisation the form does not ask which; with several the choice must be one of them.
    chosen = [o.id for o in organisations if len(organisations) == 1 or str(o.id) == data.get("org_id")]
    try:
        if not organisations:
            raise ChatRefused(NOT_ATTACHED)
        if not chosen:
            raise ChatRefused("Выберите организацию, в которой создать чат.")
        created = chats.create_group_chat(session, visit.profile, chosen[0], data.get("title", ""))
    except ValidationError as error:
        return page(422, errors={error.field: error.message}, values=data)
    except ChatRefused as refused:
        return page(409, alert=str(refused), values=data)
    notice = f"Чат «{created.title}» создан. Добавьте в него участников организации."
    return _after(request, visit, place.url(created, "members"), notice)


# -- the URLs ---------------------------------------------------------------------------------------


def routes(place: Place, visit: Callable[[web.Request], Awaitable[Visit]]) -> list[tuple[str, str, Handler]]:
    """The chat screens' routes under `place.prefix`, each for the profile `visit` finds signed in."""

    def bind(screen: Screen) -> Handler:
        async def handler(request: web.Request) -> web.StreamResponse:
            return await screen(request, place, await visit(request))

        handler.__name__ = handler.__qualname__ = f"{place.platform}_{screen.__name__}"
        handler.__doc__ = screen.__doc__
        return handler

    one = place.prefix + r"/{chat_id:\d{1,18}}"
    screens: list[tuple[str, Screen]] = [
        (one, chat),
        (one + r"/calls/{call_id:\d{1,18}}", call),
        (one + "/members", members),
    ]
    if place.can_create:
        screens.insert(0, (place.prefix + "/new", new_chat))
    table = [(method, path, bind(screen)) for path, screen in screens for method in ("GET", "POST")]
    table.append(("GET", one + r"/files/{message_id:\d{1,18}}", bind(chat_file)))
    return table
