"""A journal account linked to a Sferum profile: the link attaches the profile to the account's school."""

from __future__ import annotations

from datetime import timedelta

from .chats import CHATS_DELAY
from .models import JournalAccount, Link, SferumProfile
from .organisations import attach, detach
from .session import Session


def link(
    session: Session,
    account: JournalAccount,
    profile: SferumProfile,
    via: str,
    *,
    chats_after: timedelta = CHATS_DELAY,
) -> Link:
    """Link a journal account to a profile; the organisation's chats appear `chats_after` later."""
    previous = session.links.get(account.id)
    if previous is not None and previous.profile_id != profile.id:
        unlink(session, account)  # one profile per account: the one it replaces leaves the organisation
    made = Link(account.id, profile.id, via, session.clock.now())
    session.links[account.id] = made
    session.record("linked", journal=account.journal, journal_account=account.id, profile=profile.id, via=via)
    if account.org_id is not None:
        classes = session.classes_of(account)
        attach(session, profile, account.org_id, account.role, "journal", classes, chats_after=chats_after)
    return made


def unlink(session: Session, account: JournalAccount) -> Link | None:
    """Undo the account's link; the profile leaves the school unless another of its links keeps it there."""
    gone = session.links.pop(account.id, None)
    if gone is None:
        return None
    session.record("unlinked", journal=account.journal, journal_account=account.id, profile=gone.profile_id)
    if account.org_id is not None:
        profile = session.profiles[gone.profile_id]
        still_there = any(
            other.profile_id == profile.id
            and session.journal_accounts[other.journal_account_id].org_id == account.org_id
            for other in session.links.values()
        )
        if not still_there:
            detach(session, profile, account.org_id)
    return gone
