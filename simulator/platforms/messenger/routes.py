"""Sferum messenger URLs (web.vk.me in production)."""

from .. import chat_screens
from . import screens

ROUTES = [
    ("GET", "/", screens.home),
    ("GET", "/chats", screens.all_chats),
    *chat_screens.routes(screens.PLACE, screens.chat_visit),
    ("GET", "/settings/account", screens.account_settings),
    ("GET", "/organisations", screens.organisations),
    ("POST", "/organisations/requests", screens.join_request),
    ("POST", r"/organisations/invitations/{invitation_id:\d{1,18}}", screens.answer_invitation),
    ("GET", "/auth/callback", screens.callback),
]
