"""A platform signing its users in with VK ID, exactly as a vendor's journal does.

The journals of this simulator hold no shortcut into VK ID: they redirect to /authorize with PKCE,
and exchange the code over HTTP at /oauth2/auth, so they exercise the endpoints vendors use.
"""

from __future__ import annotations

import asyncio
import secrets
from dataclasses import dataclass
from typing import Any

import aiohttp
from aiohttp import web

from .. import web as sim
from ..hosts import Hosts
from ..world.oauth import DEFAULT_BULLETS, OAuthClient, s256

HTTP = web.AppKey("http", aiohttp.ClientSession)
UNREADABLE = "Не удалось получить данные учебного профиля. Попробуйте ещё раз."


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
    bullets: tuple[str, ...] = DEFAULT_BULLETS
    first_party: bool = False

    def client(self, hosts: Hosts) -> OAuthClient:
        """This platform as VK ID knows it, its callback at the host it is served on."""
        return OAuthClient(
            client_id=self.client_id,
            redirect_uris=(hosts.url(self.platform, self.callback),),
            service_name=self.service_name,
            first_party=self.first_party,
            bullets=self.bullets,
        )

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
        server = _own_address(request)  # read now: once the browser is gone its connection names no address
        exchange = asyncio.ensure_future(self._exchange(request, server, pending))
        cancelled = 0
        while True:
            try:
                user = await asyncio.shield(exchange)
                break
            except asyncio.CancelledError:
                if exchange.cancelled():
                    raise
                # The browser went away: the code is spent at VK ID whatever happens, so the sign-in is
                # finished and kept for when the user comes back, rather than lost with an unread answer.
                cancelled += 1
        task = asyncio.current_task()
        while task is not None and cancelled:
            task.uncancel()  # the handler goes on to keep the signed-in user
            cancelled -= 1
        return user

    async def _exchange(self, request: web.Request, server: str, pending: dict[str, str]) -> dict[str, Any]:
        """The code for tokens at /oauth2/auth, the tokens for the user at /oauth2/user_info."""
        query = request.query
        hosts = sim.hosts(request)
        tokens = await self._call(
            request,
            server,
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
            request, server, "/oauth2/user_info", {"client_id": self.client_id, "access_token": tokens["access_token"]}
        )
        user = info.get("user")
        if not isinstance(user, dict):
            raise SignInFailed(UNREADABLE, "user_info has no user")
        return user

    async def _call(self, request: web.Request, server: str, path: str, data: dict[str, str]) -> dict[str, Any]:
        # Back to this very server, addressed as VK ID's host, like a separate service would.
        vkid_host = sim.hosts(request).origin("vkid").split("://", 1)[1]
        async with request.config_dict[HTTP].post(
            f"http://{server}{path}", data=data, headers={"Host": vkid_host}
        ) as response:
            body = await response.json()
        if not isinstance(body, dict):
            raise SignInFailed(UNREADABLE, f"{path} answered {type(body).__name__}, not an object")
        if "error" in body:
            raise SignInFailed(UNREADABLE, f"{body['error']}: {body.get('error_description', '')}")
        return body


def _own_address(request: web.Request) -> str:
    """host:port this server was reached at; the loopback at the simulator's port if the browser already left."""
    transport = request.transport
    sockname = transport.get_extra_info("sockname") if transport is not None else None
    if not sockname:
        return f"127.0.0.1:{sim.hosts(request).port or request.url.port}"
    host, port = sockname[:2]
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
