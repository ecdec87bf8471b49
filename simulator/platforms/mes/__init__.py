"""МЭШ (Московская электронная школа): the journal teachers, students and parents sign in to."""

from .routes import ROUTES
from .screens import VK_ID

RELYING_PARTIES = [VK_ID]
__all__ = ["RELYING_PARTIES", "ROUTES"]
