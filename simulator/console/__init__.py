"""The simulator's console at /_sim/ on every host: a trainer runs a live session by hand.

It shows a session's outbox (the codes sent by SMS, call and e-mail), its people with their accounts
and links, and switches what the control plane switches — faults, settings, the clock, a reset —
through the same world methods, so a session driven from here behaves as one driven by tests.
"""

from .routes import ROUTES

__all__ = ["ROUTES"]
