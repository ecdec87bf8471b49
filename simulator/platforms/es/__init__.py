"""АИС «Электронная школа» (ЭШ): the electronic diary whose students and parents open Sferum from its menu."""

from .routes import ROUTES
from .screens import VK_ID

RELYING_PARTIES = [VK_ID]
__all__ = ["RELYING_PARTIES", "ROUTES"]
