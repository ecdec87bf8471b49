"""Typing a VK ID password: wrong ones are counted as codes' attempts are, and too many lock the password.

Seeds 002, 003 and 004 sign in with a password; a code allows five tries (codes.MAX_ATTEMPTS), and so does
a password. The fifth wrong one locks signing in with the password for a while; a right one, or a new
password set through «Забыли или не установили пароль?», starts the count again.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from ..errors import DomainError
from ..plural import MINUTES_AFTER, count
from .codes import MAX_ATTEMPTS

LOCKED_FOR = timedelta(minutes=30)


class PasswordError(DomainError):
    """A password was refused; the message is what the user reads under the field."""


class WrongPassword(PasswordError):
    pass


class PasswordLocked(PasswordError):
    pass


def locked_message(left: timedelta) -> str:
    """What a locked account's owner reads: when to try again (whole minutes, rounded up) or what else to do."""
    minutes = max(1, math.ceil(left.total_seconds() / 60))
    return (
        "Превышено число попыток ввода пароля. "
        f"Повторите попытку через {count(minutes, MINUTES_AFTER)} или восстановите пароль."
    )


@dataclass
class PasswordAttempts:
    """The wrong passwords typed for one VK ID account since its last right one."""

    id: int  # the VK ID account's
    failures: int = 0
    locked_until: datetime | None = None

    @property
    def idle(self) -> bool:
        """Nothing to remember: no wrong password counts and nothing is locked."""
        return self.failures == 0 and self.locked_until is None

    def check(self, entered: str, password: str | None, now: datetime) -> None:
        """Accept `entered` or raise the error the user must see; while locked even the right one is refused."""
        if self.locked_until is not None:
            if now < self.locked_until:
                raise PasswordLocked(locked_message(self.locked_until - now))
            self.failures, self.locked_until = 0, None  # the lock has run out: five tries again
        if password is None or entered != password:
            self.failures += 1
            left = MAX_ATTEMPTS - self.failures
            if left <= 0:
                self.locked_until = now + LOCKED_FOR
                raise PasswordLocked(locked_message(LOCKED_FOR))
            raise WrongPassword(f"Неверный пароль. Осталось попыток: {left}")
        self.failures = 0
