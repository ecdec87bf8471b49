"""sferum.ru screens: the administrator signs in with VK ID and manages the organisation's cabinet."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from ... import validation
from ... import web as sim
from ...error_table import wire_error
from ...validation import ValidationError
from ...world import Organisation, SferumProfile
from ...world import organisations as orgs
from ...world.models import Decision
from ...world.statistics import weekly_report
from ..relying_party import RelyingParty, SignInFailed
from . import workbook

SIGN_IN = sim.SignIn("sferum_session", "profile_id", lambda session: session.profiles)
VK_ID = RelyingParty(
    platform="sferum",
    client_id="sferum_ru",
    service_name="Сферум",
    callback="/auth/callback",
    first_party=True,  # sferum.ru is VK's own: a user signed in to VK ID is not asked again
)
NOT_ADMIN = "Личный кабинет организации доступен только её администраторам. Ваш учебный профиль не является администратором организации."
INVITATION_STATUS = {Decision.PENDING: "Ожидает ответа", Decision.ACCEPTED: "Принято", Decision.DECLINED: "Отклонено"}


_state, _respond = SIGN_IN.state, SIGN_IN.respond


def _admin(request: web.Request) -> SferumProfile:
    """The signed-in administrator; anyone else is sent to the sign-in page."""
    return SIGN_IN.user(request)


def _administered(request: web.Request) -> tuple[SferumProfile, Organisation]:
    """The organisation of the URL, if the signed-in profile administers it."""
    profile = _admin(request)
    org_id = int(request.match_info["org_id"])
    org = next((o for o in orgs.administered(sim.session(request), profile.id) if o.id == org_id), None)
    if org is None:
        raise web.HTTPForbidden(
            text=sim.templates.get_template("error.html").render(message=NOT_ADMIN), content_type="text/html"
        )
    return profile, org


# -- sign-in ------------------------------------------------------------------------------------


async def landing(request: web.Request) -> web.StreamResponse:
    if _state(request).get("profile_id"):
        raise web.HTTPSeeOther("/cabinet")
    return sim.render(request, "sferum/landing.html", alert=None)


async def sign_in(request: web.Request) -> web.StreamResponse:
    """«Войти»: VK ID signs the administrator in with the educational profile."""
    url, pending = VK_ID.begin(request)
    return _respond(request, sim.redirect(url), {"oauth": pending})


async def callback(request: web.Request) -> web.StreamResponse:
    state = _state(request)
    try:
        user = await VK_ID.finish(request, state.pop("oauth", None))
    except SignInFailed as error:
        request.app.logger.info("VK ID sign-in failed: %s", error.detail)
        return _respond(request, sim.render(request, "sferum/landing.html", error.status, alert=str(error)), {})
    profile_id = int(user["user_id"])
    if not orgs.administered(sim.session(request), profile_id):
        return _respond(request, sim.render(request, "sferum/landing.html", 403, alert=NOT_ADMIN), {})
    return _respond(request, sim.redirect("/cabinet"), {"profile_id": profile_id})


async def sign_out(request: web.Request) -> web.StreamResponse:
    return _respond(request, sim.redirect("/"), {})


async def cabinet(request: web.Request) -> web.StreamResponse:
    """Straight into the organisation's cabinet; an administrator of several chooses one."""
    profile = _admin(request)
    administered = orgs.administered(sim.session(request), profile.id)
    if len(administered) == 1:
        raise web.HTTPSeeOther(f"/org/{administered[0].id}")
    return sim.render(request, "sferum/choose.html", profile=profile, organisations=administered)


# -- the organisation's cabinet -----------------------------------------------------------------


def _cabinet(
    request: web.Request, profile: SferumProfile, org: Organisation, status: int = 200, **context: Any
) -> web.Response:
    session = sim.session(request)
    state = _state(request)
    context.setdefault("alert", None)
    context.setdefault("errors", {})
    context.setdefault("values", {})
    requests = [(r, session.profiles[r.profile_id]) for r in orgs.pending_requests(session, org.id)]
    invitations = [i for i in session.invitations.values() if i.org_id == org.id]
    return sim.render(
        request,
        "sferum/cabinet.html",
        status,
        profile=profile,
        org=org,
        open_kind=org.kind in orgs.OPEN_KINDS,
        report=weekly_report(session, org.id),
        requests=requests,
        invitations=invitations,
        roles=[(role.value, orgs.ROLE_LABELS[role]) for role in orgs.JOINING_ROLES],
        labels={"role": orgs.ROLE_LABELS, "kind": orgs.KIND_LABELS, "invitation": INVITATION_STATUS},
        notice=state.pop("notice", None),
        school_note=orgs.SCHOOL_ONLY_BY_JOURNAL,
        **context,
    )


def _after(request: web.Request, org: Organisation, notice: str) -> web.StreamResponse:
    state = _state(request)
    state["notice"] = notice
    return _respond(request, sim.redirect(f"/org/{org.id}"), state)


async def organisation(request: web.Request) -> web.StreamResponse:
    """«Личный кабинет организации»: statistics, users, invitations and «Заявки»."""
    profile, org = _administered(request)
    return _respond(request, _cabinet(request, profile, org), _state(request))


async def statistics(request: web.Request) -> web.StreamResponse:
    """«Скачать статистику»: the week up to today, computed now from the chats' messages and calls."""
    _, org = _administered(request)
    report = weekly_report(sim.session(request), org.id)
    return web.Response(
        body=workbook.statistics_workbook(report),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": f'attachment; filename="{workbook.filename(report)}"'},
    )


async def invite(request: web.Request) -> web.StreamResponse:
    """«Отправить приглашение»: to a profile ID (it lands in VK Messenger), a phone or an e-mail."""
    profile, org = _administered(request)
    session = sim.session(request)
    data = await sim.form(request)
    try:
        to = orgs.invitee(data.get("to"))
        orgs.invite(session, org, orgs.role_of(data.get("role")), to)
    except ValidationError as error:
        return _cabinet(request, profile, org, 422, errors={"to": error.message}, values=data)
    except orgs.JoinError as error:
        return _cabinet(request, profile, org, wire_error(error).status, alert=str(error), values=data)
    return _after(request, org, f"Приглашение отправлено: {addressee(to)}")


def addressee(to: str) -> str:
    """An invitation's «Кому» as every screen shows it: a phone as «+7 900 222-00-09», an e-mail or ID as typed."""
    return sim.unbreakable(validation.format_phone(to)) if to.startswith("+7") else to


async def decide_request(request: web.Request) -> web.StreamResponse:
    """«Подтвердить» attaches the user to the organisation; «Отклонить» leaves them unattached."""
    profile, org = _administered(request)
    session = sim.session(request)
    data = await sim.form(request)
    join = session.join_requests.get(int(request.match_info["request_id"]))
    approve = data.get("action") == "approve"
    try:
        if join is None or join.org_id != org.id:
            raise orgs.JoinError("Заявка не найдена")
        orgs.decide(session, join, approve)
    except orgs.JoinError as error:
        return _cabinet(request, profile, org, wire_error(error).status, alert=str(error))
    user = session.profiles[join.profile_id]
    verb = "подтверждена: пользователь прикреплён к организации" if approve else "отклонена"
    return _after(request, org, f"Заявка {user.last_name} {user.first_name} {verb}.")
