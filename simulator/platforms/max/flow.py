"""One browser's way through МАХ's sign-in screens: number → (registration) → SMS code → (profile).

State sits server-side behind the `max_session` cookie of МАХ's origin: `account_id` once the
number is confirmed (the browser is then signed in to МАХ), and `flow` while a sign-in or a
journal's linking request is under way. `step` says which screens may be opened now.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from aiohttp import web

from ... import web as sim
from ...world import Session
from ...world.codes import Confirmation
from .link import SERVICES, Service

COOKIE = "max_session"


class Step:
    PHONE = "phone"  # «Вход в МАХ»: the number
    INSTALL = "install"  # the number has no МАХ account
    REGISTER = "register"  # «Регистрация в МАХ»: the real full name
    CODE = "code"  # the SMS code → «Перейти в МАХ» / «Войти»
    PROFILE = "profile"  # a new educational profile in МАХ: birth date and sex


class Purpose:
    LINK = "link"  # a journal asked to link its account (service + state)
    SIGN_IN = "sign_in"  # МАХ's own sign-in, e.g. to open «Сферум в МАХ»


@dataclass
class Flow:
    purpose: str
    step: str = Step.PHONE
    service: str | None = None
    state: str | None = None
    back: str = "/sferum"
    phone: str | None = None
    names: dict[str, str | None] | None = None  # typed at registration, stored once the code is right
    confirmation_id: int | None = None

    @property
    def linking(self) -> bool:
        return self.purpose == Purpose.LINK

    def service_info(self) -> Service | None:
        return SERVICES.get(self.service) if self.service else None

    def confirmation(self, session: Session) -> Confirmation:
        """The code this flow last sent; a flow that has none starts again at «Вход в МАХ»."""
        confirmation = session.confirmations.get(self.confirmation_id) if self.confirmation_id else None
        if confirmation is None:
            raise web.HTTPSeeOther("/login")
        return confirmation


def state(request: web.Request) -> dict[str, Any]:
    return sim.browser_state(request, COOKIE)


def load(request: web.Request) -> Flow | None:
    raw = state(request).get("flow")
    return Flow(**raw) if raw else None


def save(request: web.Request, response: web.StreamResponse, flow: Flow | None, **changes: Any) -> web.StreamResponse:
    """Keep `flow` (None ends it) and any other changes, e.g. account_id after a confirmed code."""
    current = dict(state(request))
    current.update(changes)
    current["flow"] = asdict(flow) if flow else None
    sim.save_browser_state(request, response, COOKIE, current)
    return response
