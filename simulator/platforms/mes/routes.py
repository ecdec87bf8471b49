"""МЭШ URLs."""

from . import screens

ROUTES = [
    ("*", "/", screens.sign_in),
    ("POST", "/logout", screens.sign_out),
    ("GET", "/cabinet", screens.cabinet),
    ("GET", "/sferum", screens.sferum),
    ("POST", "/sferum/connect", screens.connect),
    ("GET", "/sferum/callback", screens.callback),
    ("*", "/sferum/add", screens.add_profile),
]
