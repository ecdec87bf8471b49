"""What platforms send out of band — SMS, flash calls, e-mails — and a test's wait for it."""

from __future__ import annotations

import asyncio
from typing import Any

from .codes import Confirmation
from .models import Channel, OutboxMessage
from .session import Session, SessionEnded


def send_code(session: Session, channel: Channel, target: str, *, sender: str = "VK ID") -> Confirmation:
    """A confirmation code to `target` by SMS, flash call (the caller's number ends in it) or e-mail."""
    now = session.clock.now()
    confirmation = session.codes.make(channel, target, now)
    session.confirmations[confirmation.id] = confirmation
    caller = None
    if channel is Channel.CALL:
        caller = session.codes.caller_number(confirmation.code)
        text = f"Входящий звонок с номера {caller}"
    elif channel is Channel.SMS:
        text = f"{sender}: код подтверждения {confirmation.code}. Никому его не сообщайте."
    else:
        text = f"Ваш код подтверждения {sender}: {confirmation.code}"
    outbox = session.outbox
    outbox.append(OutboxMessage(len(outbox) + 1, channel, target, confirmation.code, text, now, caller))
    session.record("code_sent", channel=channel.value, to=target, code=confirmation.code)
    session.wake_outbox_waiters()
    return confirmation


def send_notice(session: Session, channel: Channel, target: str, text: str) -> OutboxMessage:
    """A message with no code in it, such as an organisation's invitation by SMS or e-mail."""
    message = OutboxMessage(len(session.outbox) + 1, channel, target, "", text, session.clock.now())
    session.outbox.append(message)
    session.wake_outbox_waiters()
    return message


def superseded(session: Session, current: Confirmation, entered: str) -> bool:
    """Whether `entered` is an earlier code to the same recipient, replaced by `current`."""
    return any(
        c.target == current.target and c.id < current.id and c.code == entered and c.code != current.code
        for c in session.confirmations.values()
    )


async def wait_message(session: Session, timeout: float, **match: Any) -> OutboxMessage | None:
    """The first matching message (`Session.messages`), waiting up to `timeout` seconds for one to be sent.

    SessionEnded if the session is reset or deleted first: its successor's messages are not awaited here.
    """

    def found() -> list[OutboxMessage]:
        return session.messages(**match)

    async with session.outbox_changed:
        try:
            await asyncio.wait_for(session.outbox_changed.wait_for(lambda: session.ended or found()), timeout)
        except TimeoutError:
            return None
    if session.ended:
        raise SessionEnded(session.key)
    return found()[0]


def fix_code(session: Session, to: str, code: str) -> None:
    """Codes of this length sent to `to` are `code` from now on, until `unfix_codes`."""
    session.codes.fixed[(to, len(code))] = code


def unfix_codes(session: Session, to: str) -> None:
    """Codes sent to `to` are drawn from the seed again, whatever their length."""
    for length in (4, 6):
        session.codes.fixed.pop((to, length), None)
