"""Console URLs: one page, and the forms it posts (each answers with a redirect back to the page)."""

from . import screens

S = "/_sim/console/{key}"

ROUTES = [
    ("GET", "/_sim", screens.to_console),
    ("GET", "/_sim/", screens.console),
    ("POST", S + "/faults/{name}", screens.switch_fault),
    ("POST", S + "/settings", screens.change_setting),
    ("POST", S + "/clock", screens.move_clock),
    ("POST", S + "/reset", screens.reset_session),
]
