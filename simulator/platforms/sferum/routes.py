"""sferum.ru URLs."""

from . import screens

ROUTES = [
    ("GET", "/", screens.landing),
    ("GET", "/login", screens.sign_in),
    ("GET", "/auth/callback", screens.callback),
    ("POST", "/logout", screens.sign_out),
    ("GET", "/cabinet", screens.cabinet),
    ("GET", r"/org/{org_id:\d{1,18}}", screens.organisation),
    ("GET", r"/org/{org_id:\d{1,18}}/statistics.xlsx", screens.statistics),
    ("POST", r"/org/{org_id:\d{1,18}}/invitations", screens.invite),
    ("POST", r"/org/{org_id:\d{1,18}}/requests/{request_id:\d{1,18}}", screens.decide_request),
]
