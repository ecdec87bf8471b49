"""The base of every refusal a rule of the simulator makes, and the shape of the error it becomes on the wire.

A domain error says what was refused in the domain's words; it knows nothing of HTTP. Which status, `error`
code and text a refusal is answered with is `simulator/error_table.py`'s, one table for the control plane,
the platforms' pages and VK ID's protocol, read by the OpenAPI document too.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


class DomainError(Exception):
    """A rule refused; nothing has changed. The message says why, to whoever asked."""


@dataclass(frozen=True)
class WireError:
    """How a refusal is answered: its HTTP status and `error` code, what the code means (the OpenAPI
    document's words) and the Russian text a person reads on a page that answers it."""

    status: int
    code: str
    description: str
    text: str
    # The control plane's `message` for one refusal (its own message when None): some name what may be asked.
    message: Callable[[DomainError], str] | None = None

    def message_for(self, error: DomainError) -> str:
        return self.message(error) if self.message is not None else str(error)
