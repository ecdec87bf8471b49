"""Госуслуги (ЕСИА): the «Вход» page services such as ЭлЖур send their users to.

A student signs in with their own account: simplified (children under 14, by phone or e-mail) or
confirmed (14+, through МФЦ or online banking). Which level a service requires is the service's
decision; Госуслуги only says who signed in (`esia.redeem`).
"""

from .routes import ROUTES

__all__ = ["ROUTES"]
