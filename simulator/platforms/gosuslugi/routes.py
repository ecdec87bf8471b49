"""Госуслуги URLs."""

from . import screens

ROUTES = [
    ("GET", "/authorize", screens.authorize),
    ("*", "/login", screens.sign_in),
]
