"""One browser's way through the VK ID sign-in screens, from /authorize to the redirect back.

The state sits server-side behind the `vkid_flow` cookie of VK ID's own origin; `step` says which
screens the user may open now, so a screen reached out of order sends the user back to the start.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from aiohttp import web

from ... import web as sim
from ...world import Session, SferumProfile, VkIdAccount
from ...world.codes import Confirmation
from ...world.oauth import AuthRequest, OAuthClient

COOKIE = "vkid_flow"
SSO_COOKIE = "vkid_sso"


class Step:
    LOGIN = "login"
    PASSWORD = "password"
    RESTORE = "restore"  # «Забыли или не установили пароль?»
    CODE = "code"
    ABOUT = "about"  # «Информация о себе»
    PROFILE = "profile"  # continue in, or create, the educational profile
    CONFIRM = "confirm"  # check the profile's data, «Продолжить»


@dataclass
class Flow:
    request: dict[str, str]
    step: str = Step.LOGIN
    kind: str | None = None  # phone | email
    login: str | None = None
    account_id: int | None = None
    confirmation_id: int | None = None
    about_for: str | None = None  # "account" (a new VK ID) or "profile" (a new educational profile)
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def auth_request(self) -> AuthRequest:
        return AuthRequest(**self.request)

    def account(self, session: Session) -> VkIdAccount | None:
        return session.vkid_accounts.get(self.account_id) if self.account_id else None

    def known_account(self, session: Session) -> VkIdAccount:
        """The account the user has already named; a flow that lost it starts again at «Вход в VK ID»."""
        account = self.account(session)
        if account is None:
            raise web.HTTPSeeOther("/auth")
        return account

    def known_login(self) -> str:
        """The phone or e-mail typed on «Вход в VK ID»; every later screen needs it."""
        if self.login is None:
            raise web.HTTPSeeOther("/auth")
        return self.login

    def confirmation(self, session: Session) -> Confirmation:
        """The code this flow last sent; a flow that has none starts again."""
        confirmation = session.confirmations.get(self.confirmation_id) if self.confirmation_id else None
        if confirmation is None:
            raise web.HTTPSeeOther("/auth")
        return confirmation

    def profile(self, session: Session) -> SferumProfile | None:
        account = self.account(session)
        return session.profiles.get(account.profile_id) if account and account.profile_id else None

    def client(self, session: Session) -> OAuthClient:
        return session.oauth.clients[self.request["client_id"]]


def load(request: web.Request) -> Flow | None:
    state = sim.browser_state(request, COOKIE)
    return Flow(**state["flow"]) if "flow" in state else None


def save(request: web.Request, response: web.StreamResponse, flow: Flow | None) -> web.StreamResponse:
    sim.save_browser_state(request, response, COOKIE, {"flow": asdict(flow)} if flow else {})
    return response
