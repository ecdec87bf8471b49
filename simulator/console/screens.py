"""The console page and its forms. State changes go through the world's own methods."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import jinja2
from aiohttp import web

from .. import web as sim
from ..hosts import PLATFORMS
from ..platforms import installed
from ..world import Session, UnknownSession, faults
from ..world.faults import FAULTS, SETTINGS, UnknownSetting
from ..world.models import Channel, JournalAccount, OutboxMessage

# The faults a trainer switches by hand; http_error needs a platform, a path and a status, so the
# console only shows it and switches it off (tests switch it on through the control plane).
SWITCHABLE = {
    "identity_unavailable": "VK ID не может получить идентификационные данные (E02)",
    "vpn": "Пользователь подключён через VPN: привязка не работает (E01)",
}
FAULT_TITLES = {**SWITCHABLE, "http_error": "Платформа отвечает ошибкой HTTP"}
SETTING_TITLES = {
    # A default: a person may have a channel of their own; no account, or a password first, means an SMS.
    "phone_code_channel": ("Код VK ID на телефон, если у человека не задан свой", {"call": "звонком", "sms": "по SMS"}),
    "mes_sferum_in": ("МЭШ подключает Сферум", {"vk": "в VK Мессенджере (VK ID)", "max": "в МАХ"}),
    # Unset means «follow»: VK ID sends the browser back to the service at once.
    "vkid_redirect": ("Возврат из VK ID в сервис", {"follow": "сразу", "hold": "по ссылке (задержан)"}),
}
CLOCK_STEPS = {60: "+1 мин", 300: "+5 мин", 86400: "+1 день"}
CHANNELS = {Channel.SMS: "SMS", Channel.CALL: "звонок", Channel.EMAIL: "e-mail"}
ROLES = {"teacher": "учитель", "student": "ученик", "parent": "родитель", "admin": "администратор"}

templates = jinja2.Environment(
    loader=jinja2.FileSystemLoader(Path(__file__).with_name("templates")),
    autoescape=True,  # names, logins and message texts typed by people are shown, never interpreted
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
templates.filters.update(sim.templates.filters)


def _page(key: str, **extra: str) -> str:
    return "/_sim/?" + urlencode({"session": key, **extra})


def _session(request: web.Request) -> Session:
    try:
        return sim.world(request).get(request.match_info["key"])
    except UnknownSession:
        raise web.HTTPNotFound(text=f"Сессия «{request.match_info['key']}» не найдена.") from None


async def _session_and_form(request: web.Request) -> tuple[Session, dict[str, str]]:
    """The named session and the posted form, refused if the session was reset or deleted while the form arrived."""
    session = _session(request)
    form = await sim.form(request)
    if not sim.world(request).is_current(session):
        raise web.HTTPConflict(text=f"Сессию «{session.key}» сбросили, пока форма отправлялась: ничего не изменено.")
    return session, form


def _people(session: Session) -> list[dict[str, Any]]:
    """Each person with their journal accounts and what each is linked to."""

    def account_view(account: JournalAccount) -> dict[str, Any]:
        link = session.links.get(account.id)
        profile = session.profiles.get(link.profile_id) if link else None
        org = session.organisations.get(account.org_id) if account.org_id is not None else None
        school_class = session.classes.get(account.class_id) if account.class_id else None
        return {
            "journal": PLATFORMS[account.journal].title,
            "role": ROLES.get(account.role, account.role),
            "login": account.login,
            "password": account.password,
            "org": org.name if org else "",
            "school_class": school_class.name if school_class else "",
            "link": link,
            "profile": profile,
        }

    return [
        {"person": person, "accounts": [account_view(a) for a in session.journal_accounts_of(person.id)]}
        for person in session.people.values()
    ]


def _message(message: OutboxMessage) -> dict[str, Any]:
    """A sent message as the trainer reads it: for a call, the code is the caller's last four digits."""
    typed = re.sub(r"\D", "", message.caller)[-4:] if message.caller else message.code
    return {"message": message, "channel": CHANNELS[message.channel], "typed": typed}


def _view(request: web.Request, session: Session) -> dict[str, Any]:
    world = sim.world(request)
    return {
        "session": session,
        "sessions": sorted(world.sessions.values(), key=lambda s: (s.key != "default", s.key)),
        "outbox": [_message(m) for m in reversed(session.outbox)],
        "people": _people(session),
        "vkid_accounts": list(session.vkid_accounts.values()),
        "max_accounts": list(session.max_accounts.values()),
        "profiles": session.profiles,
        "faults": [(name, FAULT_TITLES.get(name, name), session.fault(name)) for name in FAULTS],
        "switchable": SWITCHABLE,
        "settings": [(name, *SETTING_TITLES[name], session.settings.get(name)) for name in SETTINGS],
        "clock_steps": CLOCK_STEPS,
        "watch": request.query.get("watch") == "1",
        "platforms": [(PLATFORMS[name].title, sim.hosts(request).origin(name)) for name in installed()],
    }


async def to_console(request: web.Request) -> web.Response:
    return sim.redirect("/_sim/", status=301)


async def console(request: web.Request) -> web.Response:
    """The session's outbox, people and links, and the switches a trainer needs during a session."""
    key = request.query.get("session") or "default"
    try:
        session = sim.world(request).get(key)
    except UnknownSession:
        session = sim.world(request).get("default")
        html = templates.get_template("console.html").render(missing=key, **_view(request, session))
        return web.Response(text=html, status=404, content_type="text/html")
    html = templates.get_template("console.html").render(missing=None, **_view(request, session))
    return web.Response(text=html, content_type="text/html")


async def switch_fault(request: web.Request) -> web.Response:
    session, form = await _session_and_form(request)
    name = request.match_info["name"]
    on = form.get("on") == "1"
    if name not in FAULTS or (on and name not in SWITCHABLE):
        raise web.HTTPBadRequest(text=f"Сбой «{name}» из консоли не включается.")
    if on:
        faults.set_fault(session, name)
    else:
        faults.clear_fault(session, name)
    return sim.redirect(_page(session.key))


async def change_setting(request: web.Request) -> web.Response:
    session, form = await _session_and_form(request)
    name, value = form.get("name", ""), form.get("value", "")
    try:
        faults.change_settings(session, {name: value})
    except UnknownSetting:
        raise web.HTTPBadRequest(text=f"Нет настройки {name}={value}.") from None
    return sim.redirect(_page(session.key))


async def move_clock(request: web.Request) -> web.Response:
    session, form = await _session_and_form(request)
    try:
        seconds = int(form.get("advance", ""))
        session.clock.advance(seconds)
    except ValueError:
        raise web.HTTPBadRequest(text="Часы идут только вперёд: укажите число секунд.") from None
    return sim.redirect(_page(session.key))


async def reset_session(request: web.Request) -> web.Response:
    """Everything of the session is forgotten; its key and seed stay, so the trainer starts over."""
    session = _session(request)
    sim.world(request).reset(session.key)
    return sim.redirect(_page(session.key))
