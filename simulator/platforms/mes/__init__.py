"""МЭШ (Московская электронная школа): the journal teachers, students and parents sign in to."""

from .routes import ROUTES
from .screens import MAX, VK_ID

RELYING_PARTIES = [VK_ID]
MAX_SERVICES = [MAX]  # its accounts link to Sferum profiles in МАХ too
__all__ = ["MAX_SERVICES", "RELYING_PARTIES", "ROUTES"]
