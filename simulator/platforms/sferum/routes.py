"""sferum.ru URLs."""

from . import screens

ROUTES = [
    ("GET", "/", screens.landing),
    ("GET", "/login", screens.sign_in),
    ("GET", "/auth/callback", screens.callback),
    ("POST", "/logout", screens.sign_out),
    ("GET", "/cabinet", screens.cabinet),
    ("GET", r"/org/{org_id:\d+}", screens.organisation),
    ("GET", r"/org/{org_id:\d+}/statistics.xlsx", screens.statistics),
    ("POST", r"/org/{org_id:\d+}/invitations", screens.invite),
    ("POST", r"/org/{org_id:\d+}/requests/{request_id:\d+}", screens.decide_request),
]
