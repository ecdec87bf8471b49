"""ЭШ URLs."""

from . import screens

ROUTES = [
    ("*", "/", screens.sign_in),
    ("POST", "/logout", screens.sign_out),
    ("GET", "/diary", screens.diary),
    ("GET", "/sferum/authorize", screens.authorize),
    ("GET", "/sferum/callback", screens.callback),
    ("GET", "/sferum", screens.sferum),
]
