"""Sferum messenger URLs (web.vk.me in production)."""

from . import screens

ROUTES = [
    ("GET", "/", screens.home),
    ("GET", "/settings/account", screens.account_settings),
    ("GET", "/auth/callback", screens.callback),
]
