"""A platform signing its users in with VK ID, exactly as a vendor's journal does.

The journals of this simulator hold no shortcut into VK ID: they redirect to /authorize with PKCE,
and exchange the code over HTTP at /oauth2/auth, so they exercise the endpoints vendors use.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

import aiohttp
from aiohttp import web

from .. import web as sim
from ..hosts import Hosts
from ..world.oauth import OAuthClient, s256

HTTP = web.AppKey("http", aiohttp.ClientSession)


class SignInFailed(Exception):
    """VK ID refused the sign-in; the message is for the user, `detail` for the log.

    `status` is what the callback answers: 400 when the browser brought the failure (VK ID's error, a stale
    or forged state), 502 when VK ID's own endpoints refused the exchange behind it.
    """

    def __init__(self, message: str, detail: str = "", *, status: int = 502) -> None:
        super().__init__(message)
        self.detail = detail
        self.status = status


@dataclass(frozen=True)
class RelyingParty:
    platform: str  # the origin the callback lives on
    client_id: str
    service_name: str
    callback: str
    scope: str = "phone email"
    bullets: tuple[str, ...] | None = None
    first_party: bool = False

    def client(self, hosts: Hosts) -> OAuthClient:
        extra: dict[str, Any] = {"bullets": self.bullets} if self.bullets else {}
        redirect = hosts.url(self.platform, self.callback)
        return OAuthClient(self.client_id, [redirect], self.service_name, self.first_party, **extra)

    def begin(self, request: web.Request) -> tuple[str, dict[str, str]]:
        """The /authorize URL to send the browser to, and what to keep until it comes back."""
        verifier = secrets.token_urlsafe(48)
        challenge = s256(verifier)
        state = secrets.token_urlsafe(32)
        hosts = sim.hosts(request)
        url = hosts.url(
            "vkid",
            "/authorize",
            {
                "response_type": "code",
                "client_id": self.client_id,
                "redirect_uri": hosts.url(self.platform, self.callback),
                "state": state,
                "code_challenge": challenge,
                "code_challenge_method": "s256",
                "scope": self.scope,
            },
        )
        return url, {"state": state, "verifier": verifier}

    async def finish(self, request: web.Request, pending: dict[str, str] | None) -> dict[str, Any]:
        """Check the callback, exchange its code and return VK ID's user_info `user`."""
        query = request.query
        if "error" in query:
            raise SignInFailed(
                "Вход через VK ID не выполнен. Попробуйте ещё раз.", query.get("error_description", ""), status=400
            )
        if not pending or query.get("state") != pending.get("state"):
            raise SignInFailed("Сессия входа устарела. Начните подключение заново.", "state mismatch", status=400)
        hosts = sim.hosts(request)
        tokens = await self._call(
            request,
            "/oauth2/auth",
            {
                "grant_type": "authorization_code",
                "code": query.get("code", ""),
                "code_verifier": pending["verifier"],
                "client_id": self.client_id,
                "device_id": query.get("device_id", ""),
                "redirect_uri": hosts.url(self.platform, self.callback),
                "state": pending["state"],
            },
        )
        info = await self._call(
            request, "/oauth2/user_info", {"client_id": self.client_id, "access_token": tokens["access_token"]}
        )
        user: dict[str, Any] = info["user"]
        return user

    async def _call(self, request: web.Request, path: str, data: dict[str, str]) -> dict[str, Any]:
        # Back to this very server, addressed as VK ID's host, like a separate service would.
        transport = request.transport
        assert transport is not None  # the request is being answered: its connection is open
        host, port = transport.get_extra_info("sockname")[:2]
        host = f"[{host}]" if ":" in host else host
        vkid_host = sim.hosts(request).origin("vkid").split("://", 1)[1]
        async with request.config_dict[HTTP].post(
            f"http://{host}:{port}{path}", data=data, headers={"Host": vkid_host}
        ) as response:
            body: dict[str, Any] = await response.json()
        if "error" in body:
            raise SignInFailed(
                "Не удалось получить данные учебного профиля. Попробуйте ещё раз.",
                f"{body['error']}: {body.get('error_description', '')}",
            )
        return body
