"""Sferum in VK Messenger (web): signed in through VK ID as VK's own app.

The educational profile's chats (built by Sferum after the profile is attached to an organisation, or
made by hand), the shared chat screens (simulator/platforms/chat_screens.py: messages, files, calls,
members), the account settings with the profile's ID, and the organisations screen where invitations
are answered and join requests sent.
"""

from __future__ import annotations

import base64
import binascii
from typing import Any

from aiohttp import web

from ... import validation
from ... import web as sim
from ...error_table import wire_error
from ...world import SferumProfile
from ...world import organisations as orgs
from .. import chat_screens
from ..chat_list import chat_rows, chats_pending
from ..relying_party import RelyingParty, SignInFailed

COOKIE = "messenger_session"
VK_ID = RelyingParty(
    platform="messenger",
    client_id="vk_messenger",
    service_name="VK Мессенджер",
    callback="/auth/callback",
    first_party=True,
)
PREVIEW = 6  # chats on the main screen, as seed 001's «Чаты 28» shows six; «Показать все» lists the rest


def _state(request: web.Request) -> dict[str, Any]:
    return sim.browser_state(request, COOKIE)


def _profile(request: web.Request) -> SferumProfile | None:
    profile_id = _state(request).get("profile_id")
    return sim.session(request).profiles.get(profile_id) if profile_id else None


async def _signed_in(request: web.Request) -> SferumProfile:
    profile = _profile(request)
    if profile is None:
        url, pending = VK_ID.begin(request)
        response = web.HTTPSeeOther(url)
        sim.save_browser_state(request, response, COOKIE, {"oauth": pending, "back": request.path_qs})
        raise response
    return profile


def _layout(request: web.Request, profile: SferumProfile) -> dict[str, Any]:
    """What VK Мессенджер's layout shows around every screen."""
    session = sim.session(request)
    return {
        "profile": profile,
        "organisations": [session.organisations[i] for i in profile.org_ids if i in session.organisations],
        "settings_back": base64.urlsafe_b64encode(request.path_qs.encode()).decode(),
    }


def _page(
    request: web.Request, template: str, profile: SferumProfile, status: int = 200, **context: Any
) -> web.Response:
    context.setdefault("alert", None)
    return sim.render(
        request,
        f"messenger/{template}.html",
        status,
        notice=_state(request).pop("notice", None),
        **{**_layout(request, profile), **context},
    )


def _after(request: web.Request, location: str, notice: str) -> web.StreamResponse:
    """Post/redirect/get, with a one-time notice for the next page."""
    response = sim.redirect(location)
    state = _state(request)
    state["notice"] = notice
    sim.save_browser_state(request, response, COOKIE, state)
    return response


# -- chats ---------------------------------------------------------------------------------------


async def home(request: web.Request) -> web.StreamResponse:
    """The profile and its first chats: «Чаты N» and «Показать все»."""
    profile = await _signed_in(request)
    session = sim.session(request)
    return _page(
        request,
        "home",
        profile,
        chats=chat_rows(session, profile.id),
        pending=chats_pending(session, profile.id),
        invitations=[(i, session.organisations[i.org_id]) for i in orgs.invitations_for(session, profile)],
        preview=PREVIEW,
    )


async def all_chats(request: web.Request) -> web.StreamResponse:
    profile = await _signed_in(request)
    session = sim.session(request)
    chats = chat_rows(session, profile.id)
    return _page(request, "chats", profile, chats=chats, pending=chats_pending(session, profile.id))


PLACE = chat_screens.Place("messenger", "messenger/layout.html", home="/", prefix="/chats", can_create=True)


async def chat_visit(request: web.Request) -> chat_screens.Visit:
    """The signed-in profile, framed by VK Мессенджер's layout, for the shared chat screens."""
    profile = await _signed_in(request)
    state = _state(request)

    def save(request: web.Request, response: web.StreamResponse) -> web.StreamResponse:
        sim.save_browser_state(request, response, COOKIE, state)
        return response

    return chat_screens.Visit(profile, state, save, _layout(request, profile))


# -- account settings ----------------------------------------------------------------------------


def _back(value: str | None) -> str:
    """?back= is a base64 path of this origin («Lw==» is «/»); anything else goes to the chats."""
    try:
        path = base64.urlsafe_b64decode((value or "").encode()).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return "/"
    # Browsers drop tabs and newlines and read «\» as «/», so «/\t/evil.example» would leave the origin.
    same_origin = path.startswith("/") and not path.startswith("//") and "\\" not in path
    return path if same_origin and not any(c.isspace() or not c.isprintable() for c in path) else "/"


async def account_settings(request: web.Request) -> web.StreamResponse:
    """web.vk.me/settings/account: the profile's ID, which sferum.ru's reports name users by."""
    profile = await _signed_in(request)
    return _page(request, "settings", profile, back=_back(request.query.get("back")))


# -- organisations: invitations and join requests --------------------------------------------------


def _organisations_page(
    request: web.Request, profile: SferumProfile, status: int = 200, **context: Any
) -> web.Response:
    session = sim.session(request)
    query = request.query.get("q", "")
    attached = [(session.organisations[a.org_id], a) for a in session.attachments if a.profile_id == profile.id]
    return _page(
        request,
        "organisations",
        profile,
        status,
        attached=attached,
        invitations=[(i, session.organisations[i.org_id]) for i in orgs.invitations_for(session, profile)],
        requests=[(r, session.organisations[r.org_id]) for r in orgs.requests_of(session, profile.id)],
        query=query,
        found=orgs.search(session, query),
        roles=[(role.value, orgs.ROLE_LABELS[role]) for role in orgs.JOINING_ROLES],
        labels={"role": orgs.ROLE_LABELS, "kind": orgs.KIND_LABELS, "status": orgs.STATUS_LABELS},
        **context,
    )


async def organisations(request: web.Request) -> web.StreamResponse:
    """«Организации»: those the profile is attached to, invitations, requests and the search."""
    profile = await _signed_in(request)
    return _organisations_page(request, profile)


async def join_request(request: web.Request) -> web.StreamResponse:
    """«Подать заявку»: the profile stays unattached until the organisation's administrator approves."""
    profile = await _signed_in(request)
    session = sim.session(request)
    data = await sim.form(request)
    org_id = validation.record_id(data.get("org_id"))
    org = session.organisations.get(org_id) if org_id is not None else None
    if org is None:
        return _organisations_page(request, profile, 404, alert="Организация не найдена.")
    try:
        orgs.request(session, org, profile, orgs.role_of(data.get("role")))
    except orgs.JoinError as error:
        return _organisations_page(request, profile, wire_error(error).status, alert=str(error))
    return _after(
        request, "/organisations", f"Заявка в «{org.name}» отправлена. Её рассмотрит администратор организации."
    )


async def answer_invitation(request: web.Request) -> web.StreamResponse:
    """«Принять» attaches the profile now; the organisation's chats appear a few minutes later."""
    profile = await _signed_in(request)
    session = sim.session(request)
    data = await sim.form(request)
    invitation = session.invitations.get(int(request.match_info["invitation_id"]))
    accept = data.get("action") == "accept"
    try:
        if invitation is None:
            raise orgs.JoinError("Приглашение больше не действует")
        orgs.answer(session, invitation, profile, accept)
    except orgs.JoinError as error:
        return _organisations_page(request, profile, wire_error(error).status, alert=str(error))
    name = session.organisations[invitation.org_id].name
    if accept:
        notice = f"Вы прикреплены к организации «{name}». Её чаты появятся в течение нескольких минут."
    else:
        notice = f"Приглашение от «{name}» отклонено."
    return _after(request, "/organisations", notice)


# -- sign-in -------------------------------------------------------------------------------------


async def callback(request: web.Request) -> web.StreamResponse:
    state = _state(request)
    try:
        user = await VK_ID.finish(request, state.get("oauth"))
    except SignInFailed as error:
        return sim.render(request, "messenger/error.html", error.status, message=str(error))
    response = sim.redirect(state.get("back") or "/")
    sim.save_browser_state(request, response, COOKIE, {"profile_id": int(user["user_id"])})
    return response
