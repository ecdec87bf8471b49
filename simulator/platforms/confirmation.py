"""The code screen every platform shows after sending a code: its countdown, and checking what was typed."""

from __future__ import annotations

from typing import Any

from .. import validation
from ..validation import ValidationError
from ..world import Session, outbox
from ..world.codes import CODE_LENGTH, CodeError, Confirmation, countdown, superseded_message


def screen(session: Session, confirmation: Confirmation) -> dict[str, Any]:
    """Template context: the code's length and the resend countdown (ticking only on a running clock)."""
    left = confirmation.seconds_to_resend(session.clock.now())
    return {
        "confirmation": confirmation,
        "length": CODE_LENGTH[confirmation.channel],
        "left": left,
        "countdown": countdown(left),
        "clock": "running" if session.clock.running else "frozen",
    }


def check(session: Session, confirmation: Confirmation, typed: str | None) -> str | None:
    """Consume the code: None when it is right, else the message to show under the field."""
    try:
        entered = validation.code(typed, CODE_LENGTH[confirmation.channel])
    except ValidationError as error:
        return error.message
    if not (confirmation.used or confirmation.blocked) and outbox.superseded(session, confirmation, entered):
        return superseded_message(confirmation.channel)  # checked first: an earlier code spends no attempt
    try:
        confirmation.check(entered, session.clock.now())
    except CodeError as error:
        return str(error)
    return None
