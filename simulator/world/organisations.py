"""Who belongs to an organisation on sferum.ru: administrators, invitations and join requests.

Schools attach their people through the e-journal (`links.link`). Kindergartens and supplementary
education have no journal: the administrator invites from the organisation's cabinet, or the user
asks from the profile and stays unattached until the administrator approves.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import timedelta

from .. import validation
from ..errors import DomainError
from ..validation import ValidationError
from .chats import CHATS_DELAY, join_organisation_chats, leave_organisation_chats
from .models import (
    Attachment,
    Channel,
    Decision,
    Invitation,
    JoinRequest,
    Organisation,
    Role,
    SferumProfile,
)
from .outbox import send_notice
from .session import Session

OPEN_KINDS = frozenset({"kindergarten", "supplementary"})  # organisations that take invitations and requests
JOINING_ROLES = (Role.TEACHER, Role.PARENT, Role.STUDENT)
# How sferum.ru and VK Messenger name the types of users and organisations.
ROLE_LABELS = {
    Role.TEACHER: "Педагог",
    Role.PARENT: "Родитель",
    Role.STUDENT: "Обучающийся",
    Role.ADMIN: "Администратор",
}
KIND_LABELS = {"school": "Школа", "kindergarten": "Детский сад", "supplementary": "Дополнительное образование"}
STATUS_LABELS = {Decision.PENDING: "На рассмотрении", Decision.ACCEPTED: "Подтверждена", Decision.DECLINED: "Отклонена"}
SCHOOL_ONLY_BY_JOURNAL = "Пользователи школы прикрепляются к организации через электронный журнал."
_PROFILE_ID = re.compile(r"(?:id)?(\d{9})", re.IGNORECASE)


class JoinError(DomainError, ValueError):
    """Refused; the message is the one the user sees. Nothing has changed."""


def invitee(value: str | None, field: str = "to") -> str:
    """«Телефон, почта или ID профиля» → "id<profile id>", "+7…" or an e-mail."""
    value = validation.required(value, field)
    if validation.looks_like_email(value):
        return validation.email(value, field)
    if match := _PROFILE_ID.fullmatch(value.replace(" ", "")):
        return f"id{match.group(1)}"
    try:
        return validation.phone(value, field)
    except ValidationError:
        raise ValidationError(field, "Укажите номер телефона, электронную почту или ID учебного профиля") from None


def administered(session: Session, profile_id: int) -> list[Organisation]:
    """The organisations whose sferum.ru cabinet this profile may open."""
    return [
        session.organisations[a.org_id]
        for a in session.attachments
        if a.profile_id == profile_id and a.role is Role.ADMIN and a.org_id in session.organisations
    ]


def search(session: Session, query: str) -> list[Organisation]:
    """Organisations open to requests, by part of the name or by ID."""
    needle = query.strip().casefold()
    if not needle:
        return []
    return [
        org
        for org in session.organisations.values()
        if org.kind in OPEN_KINDS and (needle in org.name.casefold() or needle == str(org.id))
    ]


def attach(
    session: Session,
    profile: SferumProfile,
    org_id: int,
    role: Role,
    via: str,
    class_ids: Sequence[str] = (),
    *,
    chats_after: timedelta = CHATS_DELAY,
) -> Attachment:
    """Attach a profile to an organisation: Sferum builds its chats `chats_after` later."""
    attachment = session.attachment(profile.id, org_id)
    if attachment is None:
        attachment = Attachment(profile.id, org_id, role, session.clock.now(), via)
        session.attachments.append(attachment)
        profile.org_ids.append(org_id)
    join_organisation_chats(session, org_id, role, class_ids, profile, session.clock.now() + chats_after)
    return attachment


def detach(session: Session, profile: SferumProfile, org_id: int) -> None:
    """The profile leaves the organisation and every chat of it."""
    session.attachments = [a for a in session.attachments if not (a.profile_id == profile.id and a.org_id == org_id)]
    if org_id in profile.org_ids:
        profile.org_ids.remove(org_id)
    leave_organisation_chats(session, profile, org_id)


def role_of(value: str | None) -> Role | None:
    """A form's «Тип пользователя»; None when it names no role (refused by invite/request)."""
    return Role(value) if value in set(Role) else None


# -- invitations ----------------------------------------------------------------------------------


def invite(session: Session, org: Organisation, role: Role | None, to: str) -> Invitation:
    """An invitation to `to` (from `invitee`); a phone or an e-mail also gets an SMS or a letter."""
    if org.kind not in OPEN_KINDS:
        raise JoinError(SCHOOL_ONLY_BY_JOURNAL)
    if role not in JOINING_ROLES:
        raise JoinError("Выберите тип пользователя")
    profile = _profile_of(session, to)
    if to.startswith("id") and profile is None:
        raise JoinError("Учебный профиль с таким ID не найден")
    if profile is not None and session.attachment(profile.id, org.id):
        raise JoinError("Этот пользователь уже прикреплён к организации")
    if any(i.org_id == org.id and i.to == to and i.status is Decision.PENDING for i in session.invitations.values()):
        raise JoinError("Приглашение этому пользователю уже отправлено")
    assert role is not None
    invitation = Invitation(len(session.invitations) + 1, org.id, role, to, session.clock.now())
    session.invitations[invitation.id] = invitation
    session.record("invitation_sent", invitation=invitation.id, org=org.id)
    if not to.startswith("id"):
        channel = Channel.EMAIL if "@" in to else Channel.SMS
        text = f"Сферум: «{org.name}» приглашает вас в организацию. Примите приглашение в учебном профиле в VK Мессенджере."
        send_notice(session, channel, to, text)
    return invitation


def invitations_for(session: Session, profile: SferumProfile) -> list[Invitation]:
    """Pending invitations addressed to the profile: by its ID or by its VK ID phone or e-mail."""
    addresses = {f"id{profile.id}"}
    account = session.vkid_accounts.get(profile.vkid_id) if profile.vkid_id else None
    if account is not None:
        addresses |= {a for a in (account.phone, account.email) if a}
    return [i for i in session.invitations.values() if i.status is Decision.PENDING and i.to in addresses]


def answer(session: Session, invitation: Invitation, profile: SferumProfile, accept: bool) -> None:
    """Accepting attaches the profile at once; its chats come `CHATS_DELAY` later."""
    if invitation not in invitations_for(session, profile):
        raise JoinError("Приглашение больше не действует")
    invitation.status = Decision.ACCEPTED if accept else Decision.DECLINED
    invitation.profile_id = profile.id
    session.record("invitation_answered", invitation=invitation.id, org=invitation.org_id, accepted=accept)
    if accept:
        attach(session, profile, invitation.org_id, invitation.role, "invitation")


# -- join requests --------------------------------------------------------------------------------


def request(session: Session, org: Organisation, profile: SferumProfile, role: Role | None) -> JoinRequest:
    """«Подать заявку»: pending until an administrator decides; the profile is not attached meanwhile."""
    if org.kind not in OPEN_KINDS:
        raise JoinError(SCHOOL_ONLY_BY_JOURNAL)
    if role not in JOINING_ROLES:
        raise JoinError("Выберите тип пользователя")
    if session.attachment(profile.id, org.id):
        raise JoinError("Вы уже прикреплены к этой организации")
    if any(r.org_id == org.id and r.status is Decision.PENDING for r in requests_of(session, profile.id)):
        raise JoinError("Заявка в эту организацию уже подана и ждёт решения администратора")
    assert role is not None
    join = JoinRequest(len(session.join_requests) + 1, org.id, profile.id, role, session.clock.now())
    session.join_requests[join.id] = join
    session.record("join_requested", request=join.id, org=org.id, profile=profile.id)
    return join


def requests_of(session: Session, profile_id: int) -> list[JoinRequest]:
    return [r for r in session.join_requests.values() if r.profile_id == profile_id]


def pending_requests(session: Session, org_id: int) -> list[JoinRequest]:
    """The cabinet's «Заявки»."""
    return [r for r in session.join_requests.values() if r.org_id == org_id and r.status is Decision.PENDING]


def decide(session: Session, join: JoinRequest, approve: bool) -> None:
    """«Подтвердить» attaches the profile; «Отклонить» leaves it as it was."""
    if join.status is not Decision.PENDING:
        raise JoinError("Заявка уже рассмотрена")
    join.status = Decision.ACCEPTED if approve else Decision.DECLINED
    join.decided_at = session.clock.now()
    session.record("join_decided", request=join.id, org=join.org_id, approved=approve)
    if approve:
        attach(session, session.profiles[join.profile_id], join.org_id, join.role, "request")


def _profile_of(session: Session, to: str) -> SferumProfile | None:
    if to.startswith("id"):
        return session.profiles.get(int(to[2:]))
    account = next((a for a in session.vkid_accounts.values() if to in (a.phone, a.email)), None)
    return session.profiles.get(account.profile_id) if account and account.profile_id else None
