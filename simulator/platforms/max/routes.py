"""МАХ URLs (web.max.ru in production)."""

from .. import chat_screens
from . import screens

ROUTES = [
    ("GET", "/", screens.home),
    ("GET", "/link", screens.start_link),
    ("*", "/login", screens.phone),
    ("GET", "/install", screens.install),
    ("GET", "/download", screens.download),
    ("GET", "/download/{where}", screens.download_from),
    ("*", "/register", screens.register),
    ("*", "/code", screens.code),
    ("POST", "/code/resend", screens.resend),
    ("*", "/profile", screens.profile),
    ("GET", "/sferum", screens.sferum),
    *chat_screens.routes(screens.PLACE, screens.chat_visit),
]
