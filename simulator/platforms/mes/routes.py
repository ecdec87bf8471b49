"""МЭШ URLs."""

from . import passport, screens

ROUTES = [
    ("*", "/", screens.sign_in),
    ("POST", "/logout", screens.sign_out),
    ("GET", "/cabinet", screens.cabinet),
    ("GET", "/sferum", screens.sferum),
    ("POST", "/sferum/connect", screens.connect),
    ("GET", "/sferum/callback", screens.callback),
    ("*", "/sferum/add", screens.add_profile),
    ("GET", "/sferum/max/callback", screens.max_callback),
    ("GET", "/passport", passport.passport),
    ("GET", "/passport/security", passport.security),
    ("POST", "/passport/security/unlink", passport.unlink),
]
