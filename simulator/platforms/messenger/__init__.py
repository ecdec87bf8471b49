"""Sferum in VK Messenger: the chats of an educational profile, its account settings and organisations."""

from .routes import ROUTES
from .screens import VK_ID

RELYING_PARTIES = [VK_ID]
__all__ = ["RELYING_PARTIES", "ROUTES"]
