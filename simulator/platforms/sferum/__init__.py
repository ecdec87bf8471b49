"""sferum.ru: the organisation's cabinet for its administrators.

Statistics to download as an Excel workbook, the organisation's users, and for kindergartens and
supplementary education the invitations and join requests that attach users to the organisation.
"""

from .routes import ROUTES
from .screens import VK_ID

RELYING_PARTIES = [VK_ID]
__all__ = ["RELYING_PARTIES", "ROUTES"]
