"""A browser made of httpx: a cookie jar, platform hosts chosen by the Host header, and the VK ID walk.

Every platform is served by the one test server; a URL such as http://id.localhost:PORT/auth is sent
to the server's address with `Host: id.localhost:PORT`, exactly as a browser mapped to loopback would.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx

from simulator import SESSION_HEADER
from simulator.testing import SimSession
from simulator.world.oauth import s256

VKID_HOST = "id.localhost"
MES_HOST = "mes.localhost"
CLIENT_ID = "rp_test"
REDIRECT_URI = "https://rp.example/vkid/callback"


class Browser:
    """One user's browser: its own cookies; every request carries the test session's header."""

    def __init__(self, server_url: str, session: SimSession | None = None) -> None:
        headers = {SESSION_HEADER: session.key} if session else {}
        self.session = session
        self.http = httpx.Client(base_url=server_url, headers=headers, follow_redirects=False, timeout=15)
        self.host = VKID_HOST

    def request(self, method: str, url: str, *, host: str | None = None, **kwargs: Any) -> httpx.Response:
        """`url` is absolute (its host is used) or a path on `host` (default: the last host visited)."""
        parts = urlsplit(url)
        if parts.netloc:
            self.host = parts.netloc
            url = parts.path + (f"?{parts.query}" if parts.query else "")
        elif host:
            self.host = host
        headers = {**kwargs.pop("headers", {}), "Host": self.host}
        return self.http.request(method, url, headers=headers, **kwargs)

    def get(self, *args: Any, **kwargs: Any) -> httpx.Response:
        return self.request("GET", *args, **kwargs)

    def post(self, *args: Any, **kwargs: Any) -> httpx.Response:
        return self.request("POST", *args, **kwargs)

    def close(self) -> None:
        self.http.close()


def location(response: httpx.Response, status: int | tuple[int, ...] = (302, 303)) -> str:
    """The redirect target, after checking the response is that redirect."""
    expected = (status,) if isinstance(status, int) else status
    assert response.status_code in expected, f"{response.status_code} {response.text[:500]}"
    return response.headers["location"]


def query_of(url: str) -> dict[str, str]:
    """A URL's query parameters, one value each."""
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


@dataclass
class Pkce:
    verifier: str
    state: str

    @property
    def challenge(self) -> str:
        return s256(self.verifier)


def new_pkce() -> Pkce:
    """A fresh verifier and a 43-character state, as a relying party makes them."""
    return Pkce(verifier=secrets.token_urlsafe(48), state=secrets.token_urlsafe(32))


def authorize_query(pkce: Pkce, **changes: str | None) -> dict[str, str]:
    """/authorize's query as VK ID documents it, for the test client; a change of None drops the parameter."""
    params = {
        "response_type": "code",
        "client_id": CLIENT_ID,
        "redirect_uri": REDIRECT_URI,
        "state": pkce.state,
        "code_challenge": pkce.challenge,
        "code_challenge_method": "s256",
        "scope": "phone email",
        **changes,
    }
    return {k: v for k, v in params.items() if v is not None}


def authorize_url(pkce: Pkce, **changes: str | None) -> str:
    """The /authorize URL a relying party sends its user to."""
    return f"http://{VKID_HOST}/authorize?{urlencode(authorize_query(pkce, **changes))}"


@dataclass
class Grant:
    """What the relying party holds after the redirect back: the code, its device and PKCE pair."""

    pkce: Pkce
    code: str
    device_id: str
    client_id: str = CLIENT_ID
    redirect_uri: str = REDIRECT_URI

    def params(self, **changes: str | None) -> dict[str, str]:
        """The /oauth2/auth parameters for this grant; a change of None leaves the parameter out."""
        params = {
            "grant_type": "authorization_code",
            "code": self.code,
            "code_verifier": self.pkce.verifier,
            "client_id": self.client_id,
            "device_id": self.device_id,
            "redirect_uri": self.redirect_uri,
            "state": self.pkce.state,
            **changes,
        }
        return {k: v for k, v in params.items() if v is not None}


# -- the VK ID screens, one step each --------------------------------------------------------------


def last_message_id(session: SimSession) -> int:
    """The newest outbox id, so the next wait reads only what is sent after it."""
    return max((m["id"] for m in session.messages()), default=0)


def start(browser: Browser, url: str) -> None:
    """GET /authorize → the «Вход в VK ID» screen."""
    assert location(browser.get(url), 303) == "/auth"


def enter_login(browser: Browser, login: str) -> str:
    """«Телефон или почта» → «Продолжить»: where VK ID sends the user next."""
    return location(browser.post("/auth", host=VKID_HOST, data={"login": login}), 303)


def enter_code(browser: Browser, to: str, after: int) -> str:
    """Reads the code just sent to `to` from the outbox and types it in."""
    assert browser.session is not None
    message = browser.session.wait_message(to=to, after=after, timeout=5)
    return location(browser.post("/auth/code", host=VKID_HOST, data={"code": message["code"]}), 303)


def sign_in(browser: Browser, url: str, phone: str) -> str:
    """The whole walk for a phone whose VK ID has an educational profile; returns the redirect back."""
    assert browser.session is not None
    start(browser, url)
    after = last_message_id(browser.session)
    assert enter_login(browser, phone) == "/auth/code"
    assert enter_code(browser, phone, after) == "/auth/profile"
    assert location(browser.post("/auth/profile", host=VKID_HOST, data={"action": "continue"}), 303) == "/auth/confirm"
    return location(browser.post("/auth/confirm", host=VKID_HOST), 302)


def mes_authorize_url(session: SimSession) -> str:
    """An /authorize URL of МЭШ's own client (registered in every session), for walking VK ID alone."""
    return authorize_url(new_pkce(), client_id="mes_vks", redirect_uri=session.url("mes", "/sferum/callback"))


def mes_sign_in(browser: Browser, login: str = "ivanov", password: str = "secret-1") -> None:
    """МЭШ's login form → the cabinet."""
    assert location(browser.post("/", host=MES_HOST, data={"login": login, "password": password}), 303) == "/cabinet"
