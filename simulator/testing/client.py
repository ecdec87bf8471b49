"""A client for the control plane: what tests use to seed, read codes, move time and switch faults."""

from __future__ import annotations

import os
from typing import Any, TypedDict, cast

import httpx

from ..wire import PREFIX, TOKEN_ENV


class SimulatorError(RuntimeError):
    """The control plane refused a call; the message is its own."""

    def __init__(self, status: int, error: str, message: str) -> None:
        super().__init__(f"{status} {error}: {message}")
        self.status = status
        self.error = error


JsonObject = dict[str, Any]


class Message(TypedDict):
    """An SMS, flash call or e-mail from the outbox (the world's `OutboxMessage` as JSON)."""

    id: int
    channel: str  # sms | call | email
    to: str
    code: str
    text: str
    sent_at: str
    caller: str | None  # a flash call's number: the code is its last four digits


class Link(TypedDict):
    """A journal account linked to an educational profile (the world's `Link` as JSON, with its owner)."""

    journal_account_id: str
    profile_id: int
    via: str  # vkid | max
    created_at: str
    journal: str  # mes | eljur | es
    person_id: str


def _check(response: httpx.Response) -> JsonObject:
    """The body of a successful answer; every answer of the control plane is a JSON object."""
    try:
        body = response.json()
    except ValueError:
        body = None
    if not isinstance(body, dict):
        body = {"error": "http_error", "message": response.text}
        if not response.is_error:
            raise SimulatorError(
                response.status_code, "not_json", f"expected a JSON object, got: {response.text[:200]}"
            )
    if response.is_error:
        raise SimulatorError(response.status_code, str(body.get("error", "?")), str(body.get("message", "")))
    return body


def _items(body: JsonObject, key: str) -> list[JsonObject]:
    """A list of objects under `key` of an answer."""
    items = body.get(key)
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        raise SimulatorError(200, "unexpected_answer", f"expected a list of objects in {key!r}")
    return items


class Simulator:
    """One running simulator, local or remote."""

    def __init__(self, url: str, *, timeout: float = 40.0, admin_token: str | None = None) -> None:
        """`admin_token` (default: $SFERUM_SIM_ADMIN_TOKEN) for a simulator started with --admin-token."""
        self.url = url.rstrip("/")
        token = admin_token or os.environ.get(TOKEN_ENV)
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        self.http = httpx.Client(base_url=self.url + PREFIX, timeout=timeout, headers=headers)
        health = self.health()
        self.platforms: dict[str, str] = health["platforms"]
        self.tls: dict[str, Any] | None = health.get("tls")  # {"port", "spki"} of the HTTPS listener

    def health(self) -> dict[str, Any]:
        return _check(self.http.get("/health"))

    def reset(self) -> None:
        _check(self.http.post("/reset"))

    def new_session(self, key: str | None = None, *, seed: int = 0, running_clock: bool | None = None) -> SimSession:
        """A new session; `running_clock` False or True sets its clock, None takes the server's default.

        `sferum-sim serve` starts clocks running (for people at the keyboard), an embedded simulator frozen:
        a test that reads countdowns or expiry must say which it wants, or it passes on one and not the other.
        """
        request: JsonObject = {"seed": seed, **({"key": key} if key else {})}
        if running_clock is not None:
            request["clock"] = {"running": running_clock}
        body = _check(self.http.post("/sessions", json=request))
        return SimSession(self, body["key"], seed)

    def close(self) -> None:
        self.http.close()


class SimSession:
    """One isolated test session: its own people, codes, clock and faults."""

    def __init__(self, simulator: Simulator, key: str, seed: int) -> None:
        self.simulator = simulator
        self.key = key
        self.seed_value = seed
        self._path = f"/sessions/{key}"

    def _call(self, method: str, path: str = "", **kwargs: Any) -> JsonObject:
        return _check(self.simulator.http.request(method, self._path + path, **kwargs))

    def url(self, platform: str, path: str = "/") -> str:
        return self.simulator.platforms[platform] + path

    # world

    def seed(self, document: dict[str, Any]) -> dict[str, Any]:
        return self._call("POST", "/seed", json=document)

    def snapshot(self, *only: str) -> dict[str, Any]:
        """The session as JSON; naming parts (`snapshot("profiles")`) asks for those alone."""
        return self._call("GET", params={"only": ",".join(only)} if only else None)

    def links(self) -> list[Link]:
        return cast(list[Link], _items(self._call("GET", "/links"), "links"))

    def reset(self) -> None:
        self._call("POST", "/reset")

    def events(self, after: int = 0) -> list[dict[str, Any]]:
        """The session's event log after id `after`: requests, codes sent, state changes."""
        return _items(self._call("GET", "/events", params={"after": after}), "events")

    def delete(self) -> None:
        self._call("DELETE")

    # out-of-band channels

    def messages(self, *, to: str | None = None, channel: str | None = None) -> list[Message]:
        params = {k: v for k, v in {"to": to, "channel": channel}.items() if v}
        return cast(list[Message], _items(self._call("GET", "/outbox", params=params), "messages"))

    def wait_message(
        self, *, to: str | None = None, channel: str | None = None, after: int = 0, timeout: float = 5
    ) -> Message:
        """The first message after id `after`; the server holds the request until one is sent."""
        params = {"after": after, "timeout": timeout, **{k: v for k, v in {"to": to, "channel": channel}.items() if v}}
        return cast(Message, self._call("GET", "/outbox/wait", params=params))

    def last_code(self, to: str, channel: str | None = None) -> str:
        messages = self.messages(to=to, channel=channel)
        if not messages:
            raise AssertionError(f"nothing was sent to {to}")
        return messages[-1]["code"]

    def fix_code(self, to: str, code: str) -> None:
        self._call("PUT", f"/codes/{to}", json={"code": code})

    # time, faults, settings

    def advance(self, seconds: float) -> dict[str, Any]:
        return self._call("POST", "/clock", json={"advance": seconds})

    def set_clock(self, now: str, *, running: bool = False) -> dict[str, Any]:
        return self._call("POST", "/clock", json={"now": now, "running": running})

    def fault(self, name: str, **params: Any) -> None:
        self._call("PUT", f"/faults/{name}", json=params)

    def clear_fault(self, name: str) -> None:
        self._call("DELETE", f"/faults/{name}")

    def settings(self, **values: str) -> dict[str, str]:
        return {name: str(value) for name, value in self._call("PATCH", "/settings", json=values).items()}

    def register_client(
        self, client_id: str, redirect_uris: list[str], service_name: str, **extra: Any
    ) -> dict[str, Any]:
        """A relying party of VK ID; `extra` may give client_secret, bullets, first_party."""
        body = {"client_id": client_id, "redirect_uris": redirect_uris, "service_name": service_name, **extra}
        return self._call("POST", "/clients", json=body)
