"""One-time confirmation codes: sending them to the outbox, checking them, and their errors."""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from ..errors import DomainError
from .models import Channel

CODE_LENGTH = {Channel.SMS: 6, Channel.CALL: 4, Channel.EMAIL: 6}
# How long each channel's countdown runs before a new code may be asked for. The screens count down from
# the first whole second: «SMS придёт в течение 01:59» (seeds 003, 004); a call comes within a minute,
# «Звонок поступил в течение 00:59» — seed 001 shows it three seconds in, at «00:56».
RESEND_AFTER = {
    Channel.SMS: timedelta(seconds=119),
    Channel.CALL: timedelta(seconds=59),
    Channel.EMAIL: timedelta(seconds=119),
}
VALID_FOR = timedelta(minutes=5)
MAX_ATTEMPTS = 5
# Where the newest code came, for the message about an earlier one typed by mistake.
LAST_MESSAGE = {Channel.SMS: "последнего SMS", Channel.CALL: "последнего звонка", Channel.EMAIL: "последнего письма"}


def superseded_message(channel: Channel) -> str:
    """An earlier code to the same recipient: not wrong, only replaced, so it costs the user no attempt."""
    return f"Этот код больше не действует: мы отправили новый. Введите код из {LAST_MESSAGE[channel]}."


class CodeError(DomainError):
    """A code was refused; the message is what the user reads."""


class WrongCode(CodeError):
    pass


class ExpiredCode(CodeError):
    pass


class UsedCode(CodeError):
    pass


class TooManyAttempts(CodeError):
    pass


class ResendTooEarly(CodeError):
    pass


@dataclass
class Confirmation:
    id: int
    channel: Channel
    target: str
    code: str
    sent_at: datetime
    attempts: int = 0
    used: bool = False
    blocked: bool = False

    @property
    def expires_at(self) -> datetime:
        return self.sent_at + VALID_FOR

    @property
    def resend_at(self) -> datetime:
        return self.sent_at + RESEND_AFTER[self.channel]

    def seconds_to_resend(self, now: datetime) -> int:
        # Rounded up: half a second left is still «00:01», never an early resend.
        return max(0, math.ceil((self.resend_at - now).total_seconds()))

    def valid(self, now: datetime) -> bool:
        """Whether the right code typed at `now` would still be accepted."""
        return not (self.used or self.blocked) and now < self.expires_at

    def check(self, entered: str, now: datetime) -> None:
        """Consume the code or raise the error the user must see; a consumed code never works again."""
        if self.used:
            raise UsedCode("Этот код уже использован. Запросите новый код.")
        if self.blocked:
            raise TooManyAttempts("Превышено число попыток ввода кода. Запросите новый код.")
        if now >= self.expires_at:
            raise ExpiredCode("Срок действия кода истёк. Запросите новый код.")
        if entered != self.code:
            self.attempts += 1
            left = MAX_ATTEMPTS - self.attempts
            if left <= 0:
                self.blocked = True
                raise TooManyAttempts("Превышено число попыток ввода кода. Запросите новый код.")
            raise WrongCode(f"Неверный код. Осталось попыток: {left}")
        self.used = True


class CodeBook:
    """Issues codes for one session: seeded random by default, fixed per recipient on demand."""

    def __init__(self, seed: int, held_elsewhere: Callable[[str], bool] | None = None) -> None:
        self._rng = random.Random(seed)
        self.fixed: dict[tuple[str, int], str] = {}  # (recipient, length): 4 digits for calls, 6 otherwise
        self._next_id = 1
        # Whether another session of the world holds this code still valid (the world sets it): in a classroom
        # two seats' codes would otherwise meet, and a trainee typing a neighbour's code would pass.
        self.held_elsewhere: Callable[[str], bool] = held_elsewhere or (lambda code: False)

    def make(self, channel: Channel, target: str, now: datetime) -> Confirmation:
        length = CODE_LENGTH[channel]
        code = self.fixed.get((target, length)) or self._draw(length)
        confirmation = Confirmation(self._next_id, channel, target, code, now)
        self._next_id += 1
        return confirmation

    def _draw(self, length: int) -> str:
        """The seed's next code no other session holds: drawn again from the same generator, so a seeded run
        stays reproducible. Should every code of this length be held, the last draw stands rather than none."""
        for _ in range(10**length):
            code = "".join(self._rng.choice("0123456789") for _ in range(length))
            if not self.held_elsewhere(code):
                break
        return code

    def caller_number(self, code: str) -> str:
        """A flash call comes from a number whose last four digits are the code."""
        prefix = "".join(self._rng.choice("0123456789") for _ in range(3))
        return f"+7 (495) {prefix}-{code[:2]}-{code[2:]}"


def countdown(seconds: int) -> str:
    """119 → «01:59»."""
    return f"{seconds // 60:02d}:{seconds % 60:02d}"


def resend_refusal(confirmation: Confirmation, now: datetime) -> ResendTooEarly | None:
    left = confirmation.seconds_to_resend(now)
    if left:
        return ResendTooEarly(f"Новый код можно запросить через {countdown(left)}")
    return None
