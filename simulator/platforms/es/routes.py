"""ЭШ URLs."""

from .. import chat_screens
from . import screens

ROUTES = [
    ("*", "/", screens.sign_in),
    ("POST", "/logout", screens.sign_out),
    ("GET", "/diary", screens.diary),
    ("GET", "/sferum/authorize", screens.authorize),
    ("GET", "/sferum/callback", screens.callback),
    ("GET", "/sferum", screens.sferum),
    ("GET", "/sferum/lessons/{lesson_id}", screens.conference),
    ("POST", "/sferum/lessons/{lesson_id}", screens.conference_action),
    *chat_screens.routes(screens.PLACE, screens.chat_visit),
]
