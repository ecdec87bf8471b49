"""VK ID's URLs: the sign-in screens a browser walks and the protocol endpoints servers call."""

from . import protocol, screens

ROUTES = [
    ("GET", "/authorize", screens.authorize),
    ("*", "/auth", screens.login),
    ("*", "/auth/password", screens.password),
    ("*", "/auth/restore", screens.restore),
    ("*", "/auth/code", screens.code),
    ("POST", "/auth/code/resend", screens.resend),
    ("*", "/auth/about", screens.about),
    ("*", "/auth/profile", screens.profile),
    ("*", "/auth/confirm", screens.confirm),
    ("POST", "/oauth2/auth", protocol.token),
    ("POST", "/oauth2/user_info", protocol.user_info),
    ("POST", "/oauth2/public_info", protocol.public_info),
    ("POST", "/oauth2/logout", protocol.logout),
    ("POST", "/oauth2/revoke", protocol.revoke),
]
