"""Госуслуги URLs."""

from . import registration, screens

ROUTES = [
    ("GET", "/authorize", screens.authorize),
    ("*", "/login", screens.sign_in),
    ("*", "/registration", registration.form),
    ("*", "/registration/code", registration.code),
    ("POST", "/registration/code/resend", registration.resend),
    ("*", "/registration/password", registration.password),
    ("GET", "/registration/done", registration.done),
]
